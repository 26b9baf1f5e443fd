#include <socinvest/report/tornado_report.hpp>

#include "report/html_parts.hpp"
#include "report/xlsx_parts.hpp"

#include <socinvest/version.hpp>

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <string>
#include <vector>

namespace socinvest {

using namespace html_parts;
using namespace xlsx_parts;

namespace {

constexpr std::time_t fixed_creation_time = 946684800; // 2000-01-01, as the batch workbook
constexpr const char* low_color = "#c0692b";  // the parameter at its low value
constexpr const char* high_color = "#1f5f8b"; // at its high value

/// The end of a key path, which tells parameters apart: at most `max` bytes, an ellipsis
/// first when cut (never inside a UTF-8 character).
std::string tail(const std::string& path, std::size_t max) {
  if (path.size() <= max) return path;
  std::size_t from = path.size() - (max - 1);
  while (from < path.size() && (static_cast<unsigned char>(path[from]) & 0xC0) == 0x80) ++from;
  return "\u2026" + path.substr(from);
}

std::string chart(const Tornado& t, Language lang) {
  const double label_w = 330, plot_w = 520, right = 30, row_h = 24, top = 28, bottom = 40;
  const double h = top + row_h * static_cast<double>(t.rows.size()) + bottom;
  double lo = t.central.npv.mean, hi = t.central.npv.mean;
  for (const auto& r : t.rows) {
    lo = std::min({lo, r.at_low.npv.mean, r.at_high.npv.mean});
    hi = std::max({hi, r.at_low.npv.mean, r.at_high.npv.mean});
  }
  const std::vector<double> ticks = nice_ticks(lo, hi, 5);
  const MoneyAxis axis = money_axis(ticks, lang);
  const Scale x{lo, hi, label_w, label_w + plot_w};
  Svg svg("tornado", label_w + plot_w + right, h,
          E(T(lang, "One-way sensitivity of the net present value", "Envejsfølsomhed for nettonutidsværdien")));
  const double axis_y = top + row_h * static_cast<double>(t.rows.size());
  for (double v : ticks) {
    svg.line(x(v), top - 6, x(v), axis_y, "grid", "stroke=\"#e3e7eb\"");
    svg.text(x(v), axis_y + 16, E(display_minus(axis.tick(v, lang))), "tick", "middle");
  }
  svg.text(label_w + plot_w, axis_y + 32, E(axis.unit), "unit", "end");
  svg.text(label_w, 14, E(T(lang, "low value", "lav værdi")), "small", "start", std::string("fill=\"") + low_color + "\"");
  svg.text(label_w + 80, 14, E(T(lang, "high value", "høj værdi")), "small", "start", std::string("fill=\"") + high_color + "\"");
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const TornadoRow& r = t.rows[i];
    const double y = top + row_h * static_cast<double>(i);
    svg.text(label_w - 8, y + row_h / 2 + 4, E(tail(r.path, 48)), "", "end", "font-size=\"11px\"");
    const double c = x(t.central.npv.mean);
    const std::string tip_low = E(r.path) + ": " + E(kr(r.at_low.npv.mean, lang));
    const std::string tip_high = E(r.path) + ": " + E(kr(r.at_high.npv.mean, lang));
    svg.rect(c, y + 4, x(r.at_low.npv.mean) - c, row_h - 8, low_color, tip_low);
    svg.rect(c, y + 4, x(r.at_high.npv.mean) - c, row_h - 8, high_color, tip_high, "fill-opacity=\"0.85\"");
  }
  svg.line(x(t.central.npv.mean), top - 6, x(t.central.npv.mean), axis_y, "", "stroke=\"#1b2733\" stroke-width=\"1.5\"");
  return svg.done();
}

} // namespace

std::string tornado_html(const Tornado& t, const SweepTarget& target, const std::string& title, Language lang) {
  std::string o = "<!DOCTYPE html>\n<html lang=\"";
  o += lang == Language::da ? "da" : "en";
  o += "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<meta name=\"generator\" content=\"socinvest " + E(engine_version()) + "\">\n";
  o += "<title>" + E(title) + "</title>\n<style>" + stylesheet(Page::summary) + "</style>\n</head>\n<body>\n<main>\n";
  o += "<header class=\"top\">\n<p class=\"kicker\">" +
       E(T(lang, "Social investment \u00b7 one-way sensitivity", "Social investering \u00b7 envejsfølsomhed")) +
       "</p>\n<h1>" + E(title) + "</h1>\n<div class=\"meta\"><span>" +
       E(T(lang, "net present value of the account ", "nettonutidsværdi for kontoen ")) + E(target.account) + "</span><span>" +
       E(T(lang, "central value ", "central værdi ")) + E(kr(t.central.npv.mean, lang)) + "</span><span>" +
       std::to_string(t.central.iterations) + " " + E(T(lang, "iterations", "iterationer")) + "</span></div>\n</header>\n";
  o += "<section>\n<figure>" + chart(t, lang) + "<figcaption>" +
       E(T(lang, "Each parameter at its low and its high value, every other at its median, on common random numbers; the line is the central value.",
           "Hver parameter på sin lave og sin høje værdi, alle andre på deres median, på fælles tilfældige tal; linjen er den centrale værdi.")) +
       "</figcaption></figure>\n";
  o += "<table>\n<thead><tr><th>" + E(T(lang, "Parameter", "Parameter")) + "</th><th>" + E(T(lang, "Distribution", "Fordeling")) +
       "</th><th>" + E(T(lang, "Low", "Lav")) + "</th><th>" + E(T(lang, "High", "Høj")) + "</th><th>" +
       E(T(lang, "Net present value at low", "Nettonutidsværdi ved lav")) + "</th><th>" +
       E(T(lang, "Net present value at high", "Nettonutidsværdi ved høj")) + "</th><th>" + E(T(lang, "Swing", "Udsving")) +
       "</th></tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows)
    o += "<tr><td class=\"code\">" + E(r.path) + "</td><td>" + E(r.distribution) + "</td><td>" + E(display_minus(number(r.low, 4, lang))) +
         "</td><td>" + E(display_minus(number(r.high, 4, lang))) + "</td><td class=\"" + sign_class(r.at_low.npv.mean) + "\">" +
         E(kr(r.at_low.npv.mean, lang)) + "</td><td class=\"" + sign_class(r.at_high.npv.mean) + "\">" +
         E(kr(r.at_high.npv.mean, lang)) + "</td><td>" + E(kr(r.swing, lang)) + "</td></tr>\n";
  o += "</tbody>\n</table>\n<p class=\"note\">" +
       E(T(lang, "Every number is in tornado.csv (exact) and tornado.xlsx.", "Alle tal står i tornado.csv (eksakt) og tornado.xlsx.")) +
       "</p>\n</section>\n";
  o += "<footer>" + E(T(lang, "Made by socinvest", "Lavet med socinvest")) + " " + E(engine_version()) +
       "</footer>\n</main>\n</body>\n</html>\n";
  return o;
}

void write_tornado_workbook(const std::string& path, const Tornado& t, const SweepTarget& target, const std::string& title) {
  write_book(path, "socinvest tornado: " + title, "socinvest one-way sensitivity (" + target.account + ")", fixed_creation_time,
             [&](Book& book) {
               Sheet sh = book.sheet("Tornado");
               sh.header(0, {"parameter", "distribution", "low", "high", "npv_at_low", "npv_at_high", "npv_se_at_low",
                             "npv_se_at_high", "swing", "central_npv"});
               lxw_row_t row = 1;
               for (const auto& r : t.rows) {
                 sh.text(row, 0, r.path);
                 sh.text(row, 1, r.distribution);
                 sh.number(row, 2, r.low, Unit::general);
                 sh.number(row, 3, r.high, Unit::general);
                 sh.number(row, 4, r.at_low.npv.mean, Unit::money);
                 sh.number(row, 5, r.at_high.npv.mean, Unit::money);
                 sh.number(row, 6, r.at_low.npv.se, Unit::money);
                 sh.number(row, 7, r.at_high.npv.se, Unit::money);
                 sh.number(row, 8, r.swing, Unit::money);
                 sh.number(row, 9, t.central.npv.mean, Unit::money);
                 ++row;
               }
               sh.finish(1, 1);
               if (row > 1) sh.autofilter(0, 0, row - 1, 9);
             });
}

} // namespace socinvest
