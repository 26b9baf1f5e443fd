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
          E(T(lang, Msg::tornado_one_way_sensitivity_of_the_net)));
  const double axis_y = top + row_h * static_cast<double>(t.rows.size());
  for (double v : ticks) {
    svg.line(x(v), top - 6, x(v), axis_y, "grid", "stroke=\"#e3e7eb\"");
    svg.text(x(v), axis_y + 16, E(display_minus(axis.tick(v, lang))), "tick", "middle");
  }
  svg.text(label_w + plot_w, axis_y + 32, E(axis.unit), "unit", "end");
  svg.text(label_w, 14, E(T(lang, Msg::tornado_low_value)), "small", "start", std::string("fill=\"") + low_color + "\"");
  svg.text(label_w + 80, 14, E(T(lang, Msg::tornado_high_value)), "small", "start", std::string("fill=\"") + high_color + "\"");
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
  std::string o = page_head(title, lang, engine_version(), stylesheet(Page::summary));
  o += "<header class=\"top\">\n<p class=\"kicker\">" +
       E(T(lang, Msg::tornado_social_investment_one_way_sensitivity)) +
       "</p>\n<h1>" + E(title) + "</h1>\n<div class=\"meta\"><span>" +
       E(T(lang, Msg::tornado_net_present_value_of_the_account)) + E(target.account) + "</span><span>" +
       E(T(lang, Msg::tornado_central_value)) + E(kr(t.central.npv.mean, lang)) + "</span><span>" +
       std::to_string(t.central.iterations) + " " + E(T(lang, Msg::tornado_iterations)) + "</span></div>\n</header>\n";
  o += "<section>\n<figure>" + chart(t, lang) + "<figcaption>" +
       E(T(lang, Msg::tornado_each_parameter_at_its_low_and)) +
       "</figcaption></figure>\n";
  o += "<table>\n<thead><tr><th>" + E(T(lang, Msg::parameter)) + "</th><th>" + E(T(lang, Msg::wb_distribution)) +
       "</th><th>" + E(T(lang, Msg::tornado_low)) + "</th><th>" + E(T(lang, Msg::tornado_high)) + "</th><th>" +
       E(T(lang, Msg::tornado_net_present_value_at_low)) + "</th><th>" +
       E(T(lang, Msg::tornado_net_present_value_at_high)) + "</th><th>" + E(T(lang, Msg::tornado_swing)) +
       "</th></tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows)
    o += "<tr><td class=\"code\">" + E(r.path) + "</td><td>" + E(r.distribution) + "</td><td>" + E(display_minus(number(r.low, 4, lang))) +
         "</td><td>" + E(display_minus(number(r.high, 4, lang))) + "</td><td class=\"" + sign_class(r.at_low.npv.mean) + "\">" +
         E(kr(r.at_low.npv.mean, lang)) + "</td><td class=\"" + sign_class(r.at_high.npv.mean) + "\">" +
         E(kr(r.at_high.npv.mean, lang)) + "</td><td>" + E(kr(r.swing, lang)) + "</td></tr>\n";
  o += "</tbody>\n</table>\n<p class=\"note\">" +
       E(T(lang, Msg::tornado_every_number_is_in_tornado_csv)) +
       "</p>\n</section>\n";
  o += "<footer>" + E(T(lang, Msg::made_by_socinvest)) + " " + E(engine_version()) +
       "</footer>\n</main>\n</body>\n</html>\n";
  return o;
}

void write_tornado_workbook(const std::string& path, const Tornado& t, const SweepTarget& target, const std::string& title,
                            Language lang) {
  write_book(path, "socinvest tornado: " + title,
             T(lang, Msg::tornado_socinvest_one_way_sensitivity) + target.account + ")",
             fixed_creation_time, lang, [&](Book& book) {
               // In English the headers are tornado.csv's columns.
               Sheet sh = book.sheet("Tornado");
               sh.header(0, {T(lang, Msg::tornado_parameter), T(lang, Msg::tornado_distribution), T(lang, Msg::tornado_low_2),
                             T(lang, Msg::tornado_high_2), T(lang, Msg::tornado_npv_at_low), T(lang, Msg::tornado_npv_at_high),
                             T(lang, Msg::tornado_npv_se_at_low), T(lang, Msg::tornado_npv_se_at_high),
                             T(lang, Msg::sweep_swing), T(lang, Msg::tornado_central_npv)});
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
