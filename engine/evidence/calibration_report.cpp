// calibration.html: per state the observed Kaplan-Meier exit curve against the curve the fitted
// bands imply, with intervals, and the counts per band (evidence/calibrate.hpp).
#include <socinvest/evidence/calibrate.hpp>

#include <socinvest/report/messages.hpp>
#include <socinvest/version.hpp>

#include "report/html_parts.hpp"

#include <cmath>

namespace socinvest {

using namespace html_parts;

namespace {

/// Kaplan-Meier: S(d) for d = 0..D (S(0) = 1) and Greenwood's standard error.
void kaplan_meier(const StateCalibration& sc, std::vector<double>& S, std::vector<double>& se) {
  const std::size_t D = sc.at_risk.size();
  S.assign(D + 1, 1.0);
  se.assign(D + 1, 0.0);
  double greenwood = 0;
  for (std::size_t d = 0; d < D; ++d) {
    const double n = static_cast<double>(sc.at_risk[d]), e = static_cast<double>(sc.events[d]);
    S[d + 1] = n > 0 ? S[d] * (1 - e / n) : S[d];
    if (n > e && n > 0) greenwood += e / (n * (n - e));
    se[d + 1] = S[d + 1] * std::sqrt(greenwood);
  }
}

/// The fitted bands' curve: S(d) = prod over months u < d of (1 - P of u's band), and a 95 %
/// interval on the log scale (delta method, the bands' probabilities independent Beta).
void fitted_curve(const StateCalibration& sc, std::size_t D, std::vector<double>& S, std::vector<double>& lo,
                  std::vector<double>& hi) {
  S.assign(D + 1, 1.0);
  lo = S;
  hi = S;
  std::vector<double> months_in(sc.bands.size(), 0.0);
  for (std::size_t d = 0; d < D; ++d) {
    std::size_t b = 0;
    while (b + 1 < sc.bands.size() && static_cast<int>(d) >= sc.bands[b + 1].from) ++b;
    months_in[b] += 1;
    double log_s = 0, var = 0;
    for (std::size_t j = 0; j < sc.bands.size(); ++j) {
      const double e = static_cast<double>(sc.bands[j].exit_total()), n = static_cast<double>(sc.bands[j].exposure());
      if (n <= 0 || months_in[j] == 0) continue;
      const double p = e / n;
      if (p >= 1) {
        log_s = -INFINITY;
        continue;
      }
      log_s += months_in[j] * std::log1p(-p);
      const double vp = e * (n - e) / (n * n * (n + 1));
      var += months_in[j] * months_in[j] * vp / ((1 - p) * (1 - p));
    }
    S[d + 1] = std::exp(log_s);
    lo[d + 1] = std::exp(log_s - 1.96 * std::sqrt(var));
    hi[d + 1] = std::min(1.0, std::exp(log_s + 1.96 * std::sqrt(var)));
  }
}

std::string curve_chart(const StateCalibration& sc, const std::string& label, Language lang) {
  std::vector<double> km, km_se, fit, fit_lo, fit_hi;
  kaplan_meier(sc, km, km_se);
  const std::size_t D = sc.at_risk.size();
  fitted_curve(sc, D, fit, fit_lo, fit_hi);
  const double W = 640, H = 260, l = 56, r = W - 16, t = 12, b = H - 44;
  double lo = 0, hi = static_cast<double>(std::max<std::size_t>(D, 1));
  const auto ticks = nice_ticks(lo, hi, 6);
  const Scale xs{lo, hi, l, r}, ys{0.0, 1.0, b, t};
  Svg svg("survival", W, H, label);
  for (double tk : ticks) {
    svg.line(xs(tk), t, xs(tk), b, "grid");
    svg.text(xs(tk), b + 16, E(number(tk, 0, lang)), "tick", "middle");
  }
  for (int k = 0; k <= 4; ++k) {
    const double p = k / 4.0;
    svg.line(l, ys(p), r, ys(p), "grid");
    svg.text(l - 8, ys(p) + 4, E(percent(p, lang)), "tick", "end");
  }
  svg.line(l, b, r, b, "axis");
  svg.text((l + r) / 2, b + 34, T(lang, Msg::calib_months_since_start), "small", "middle");
  auto band_path = [&](const std::vector<double>& a, const std::vector<double>& z) {
    std::string d;
    for (std::size_t i = 0; i < a.size(); ++i) d += (i ? " L" : "M") + f1(xs(static_cast<double>(i))) + " " + f1(ys(a[i]));
    for (std::size_t i = z.size(); i-- > 0;) d += " L" + f1(xs(static_cast<double>(i))) + " " + f1(ys(z[i]));
    return d + " Z";
  };
  std::vector<double> km_lo(km.size()), km_hi(km.size());
  for (std::size_t i = 0; i < km.size(); ++i) {
    km_lo[i] = std::max(0.0, km[i] - 1.96 * km_se[i]);
    km_hi[i] = std::min(1.0, km[i] + 1.96 * km_se[i]);
  }
  svg.path(band_path(fit_lo, fit_hi), "fill=\"#c0692b\" fill-opacity=\"0.18\" stroke=\"none\"");
  svg.path(band_path(km_lo, km_hi), "fill=\"#1f5f8b\" fill-opacity=\"0.18\" stroke=\"none\"");
  std::string step, smooth;
  for (std::size_t i = 0; i < km.size(); ++i) {
    step += (i ? " L" : "M") + f1(xs(static_cast<double>(i))) + " " + f1(ys(km[i]));
    if (i + 1 < km.size()) step += " L" + f1(xs(static_cast<double>(i + 1))) + " " + f1(ys(km[i]));
    smooth += (i ? " L" : "M") + f1(xs(static_cast<double>(i))) + " " + f1(ys(fit[i]));
  }
  svg.path(smooth, "fill=\"none\" stroke=\"#c0692b\" stroke-width=\"2\" stroke-dasharray=\"5 3\"");
  svg.path(step, "fill=\"none\" stroke=\"#1f5f8b\" stroke-width=\"2\"");
  return svg.done();
}

/// A state's rows by group (--by): counts, hazard ratios and the verdict.
std::string split_table(const Scenario& s, const Calibration& c, const StateCalibration& sc, Language lang) {
  const StateSplit& sp = sc.split;
  if (sp.verdict == StateSplit::Verdict::none) return {};
  const Domain& d = s.domains[c.domains[sc.k]];
  std::string o = "<h3>" + E(format_message(lang, Msg::calib_by_heading, {c.by})) + "</h3>\n<table><thead><tr><th>" +
                  E(T(lang, Msg::calib_by_group)) + "</th><th>" + E(T(lang, Msg::calib_exposure)) + "</th><th>" +
                  E(T(lang, Msg::calib_exits)) + "</th><th>" + E(T(lang, Msg::calib_by_hazard_ratio)) + "</th></tr></thead><tbody>\n";
  for (std::size_t g = 0; g < sp.bands.size(); ++g) {
    long long n = 0, e = 0;
    for (const auto& b : sp.bands[g]) n += b.exposure(), e += b.exit_total();
    if (n == 0) continue;
    std::string ratios;
    if (static_cast<int>(g) == sp.reference) ratios = T(lang, Msg::calib_by_reference);
    for (const auto& r : sp.ratios[g])
      ratios += (ratios.empty() ? "" : "; ") + d.states[r.to] + " " + number(r.hazard_ratio, 2, lang) + " (" +
                number(r.lo, 2, lang) + "\u2013" + number(r.hi, 2, lang) + ")";
    o += "<tr><td>" + E(c.groups[g]) + "</td><td>" + E(grouped(static_cast<double>(n), lang)) + "</td><td>" +
         E(grouped(static_cast<double>(e), lang)) + "</td><td>" + E(ratios) + "</td></tr>\n";
  }
  o += "</tbody></table>\n<p>";
  const std::string gain = number(sp.gain, 1, lang), penalty = number(sp.penalty, 1, lang),
                    k = std::to_string(sp.parameters);
  long long n = 0;
  for (const auto& bands : sp.bands)
    for (const auto& b : bands) n += b.exposure();
  const std::string pm = grouped(static_cast<double>(n), lang);
  switch (sp.verdict) {
  case StateSplit::Verdict::none: break;
  case StateSplit::Verdict::split: o += E(format_message(lang, Msg::calib_by_split, {gain, penalty, k, pm})); break;
  case StateSplit::Verdict::pooled_bic: o += E(format_message(lang, Msg::calib_by_pooled_bic, {gain, penalty, k, pm})); break;
  case StateSplit::Verdict::pooled_thin:
    o += E(format_message(lang, Msg::calib_by_pooled_thin, {c.groups[static_cast<std::size_t>(sp.thin_group)],
                                                            std::to_string(sp.thin_exits), std::to_string(c.min_count)}));
    break;
  case StateSplit::Verdict::pooled_links:
    o += E(format_message(lang, Msg::calib_by_pooled_links, {std::to_string(c.max_links)}));
    break;
  }
  return o + "</p>\n";
}

} // namespace

std::string calibration_html(const Scenario& s, const Calibration& c, Language lang) {
  std::string o = page_head(std::string(T(lang, Msg::calib_title)) + ": " + s.title.in(lang), lang, engine_version(), stylesheet(Page::summary));
  o += "<header class=\"top\"><h1>" + E(std::string(T(lang, Msg::calib_title)) + ": " + s.title.in(lang)) + "</h1>\n<p>" +
       E(T(lang, Msg::calib_panel)) + " " + E(printable(c.panel_name)) + ": " + E(grouped(c.persons, lang)) + " " +
       E(T(lang, Msg::calib_persons)) + ", " + E(c.first_period) + "\u2013" + E(c.last_period) + " (" +
       E(grouped(c.months, lang)) + " " + E(T(lang, Msg::calib_periods)) + ").</p>\n<p>" + E(T(lang, Msg::calib_intro)) +
       "</p>\n";
  if (c.weekly) o += "<p>" + E(T(lang, Msg::calib_weeks_note)) + "</p>\n";
  if (!c.by.empty()) {
    o += "<p>" + E(format_message(lang, Msg::calib_by_intro, {std::to_string(c.min_count)})) + "</p>\n";
    if (c.by == "age_group") o += "<p>" + E(T(lang, Msg::calib_by_age_note)) + "</p>\n";
  }
  o += "</header>\n<h2>" + E(T(lang, Msg::calib_warnings)) + "</h2>\n";
  const auto warnings = calibration_warnings(s, c, lang);
  if (warnings.empty()) o += "<p>" + E(T(lang, Msg::calib_no_warnings)) + "</p>\n";
  else {
    o += "<ul>\n";
    for (const auto& w : warnings) o += "<li>" + E(w) + "</li>\n";
    o += "</ul>\n";
  }
  for (const auto& sc : c.states) {
    const Domain& d = s.domains[c.domains[sc.k]];
    const std::string name = d.id + "." + d.states[sc.state];
    o += "<section>\n<h2>" + E(T(lang, Msg::calib_state)) + " " + E(name) + "</h2>\n<p>" +
         E(grouped(static_cast<double>(sc.spells_known), lang)) + " " + E(T(lang, Msg::calib_spells)) + ".</p>\n";
    if (sc.bands.empty()) {
      o += "</section>\n";
      continue;
    }
    o += "<figure>" + curve_chart(sc, name, lang) + "<figcaption><span style=\"color:#1f5f8b\">\u2014 " +
         E(T(lang, Msg::calib_observed_km)) + "</span> &nbsp; <span style=\"color:#c0692b\">- - " +
         E(T(lang, Msg::calib_fitted)) + "</span>; " + E(T(lang, Msg::calib_still_in_state)) + ", " +
         E(T(lang, Msg::calib_interval_95)) + ".</figcaption></figure>\n";
    o += "<h3>" + E(T(lang, Msg::calib_counts_heading)) + "</h3>\n<table><thead><tr><th>" + E(T(lang, Msg::calib_band)) +
         "</th><th>" + E(T(lang, Msg::calib_exposure)) + "</th><th>" + E(T(lang, Msg::calib_exits)) + "</th><th>" +
         E(T(lang, Msg::calib_exit_probability)) + "</th><th>" + E(T(lang, Msg::calib_interval_95)) + "</th><th>" +
         E(T(lang, Msg::calib_destinations)) + "</th></tr></thead><tbody>\n";
    for (const auto& b : sc.bands) {
      const double n = static_cast<double>(b.exposure()), e = static_cast<double>(b.exit_total());
      const Interval iv = dirichlet_interval(e, n, 0.95);
      std::string by;
      for (std::size_t j = 0; j < b.exits.size(); ++j)
        if (b.exits[j] > 0) {
          const Interval ij = dirichlet_interval(static_cast<double>(b.exits[j]), n, 0.95);
          by += (by.empty() ? "" : "; ") + d.states[j] + " " + grouped(static_cast<double>(b.exits[j]), lang) + " (" +
                percent(static_cast<double>(b.exits[j]) / n, lang, 2) + ", " + percent(ij.lo, lang, 2) + "\u2013" +
                percent(ij.hi, lang, 2) + ")";
        }
      o += "<tr><td>[" + std::to_string(b.from) + ", " + (b.to < 0 ? std::string("\u221e") : std::to_string(b.to)) +
           ")</td><td>" + E(grouped(n, lang)) + "</td><td>" + E(grouped(e, lang)) + "</td><td>" +
           E(percent(n > 0 ? e / n : 0.0, lang, 2)) + "</td><td>" + E(percent(iv.lo, lang, 2)) + "\u2013" +
           E(percent(iv.hi, lang, 2)) + "</td><td>" + E(by) + "</td></tr>\n";
    }
    o += "</tbody></table>\n" + split_table(s, c, sc, lang) + "</section>\n";
  }
  o += "<footer>" + E(T(lang, Msg::calib_made_by)) + " " + E(engine_version()) + "</footer>\n</main>\n</body>\n</html>\n";
  return o;
}

} // namespace socinvest
