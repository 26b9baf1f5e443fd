#include <socinvest/report/power_report.hpp>

#include <socinvest/report/messages.hpp>
#include <socinvest/version.hpp>

#include "report/html_parts.hpp"

#include <cmath>
#include <string>

namespace socinvest {

using namespace html_parts;

namespace {

std::string households_text(int n, Language lang) {
  return n > 0 ? grouped(n, lang) : std::string(T(lang, Msg::power_not_within_the_search));
}

std::string points_text(double d, Language lang) {
  if (!std::isfinite(d)) return T(lang, Msg::power_not_detectable);
  return decimal(100.0 * d, 1, lang) + T(lang, Msg::power_percentage_points);
}

/// The design in one sentence.
std::string design_text(const Scenario& s, const PowerResult& r, Language lang) {
  const PowerDesign& d = r.design;
  const PowerPoint& at = r.curve[r.design_point];
  return std::string(T(lang, Msg::power_variant)) + printable(s.variants[d.variant].shown(lang)) + ", " +
         T(lang, Msg::power_indicator) + printable(s.indicators[d.indicator].id) + T(lang, Msg::power_at_month) +
         std::to_string(d.at_month) + ": " + grouped(at.arms.treatment, lang) + T(lang, Msg::power_households_treated) +
         grouped(at.arms.control, lang) + T(lang, Msg::power_control_two_sided_two_proportion_z) +
         percent(d.alpha, lang, d.alpha * 100 == std::floor(d.alpha * 100) ? 0 : 1) + "; " + grouped(d.trials, lang) +
         T(lang, Msg::power_simulated_trials_per_sample_size);
}

/// Power against households: the comparison after (did false) or the difference-in-differences.
std::string power_chart(const PowerResult& r, Language lang, bool did = false) {
  auto power = [did](const PowerPoint& p) { return did ? p.did_power : p.power; };
  auto power_se = [did](const PowerPoint& p) { return did ? p.did_power_se : p.power_se; };
  auto closed_form = [did](const PowerPoint& p) { return did ? p.did_closed_form_power : p.closed_form_power; };
  const Msg title = !did ? Msg::power_power_against_households_randomised
                    : r.design.did_design == DidDesign::panel ? Msg::power_panel_did_chart
                                                              : Msg::power_cross_sections_did_chart;
  const double W = 760, H = 340, l = 64, rr = W - 24, t = 16, b = H - 52;
  double lo = 0, hi = r.curve.back().households;
  const auto ticks = nice_ticks(lo, hi, 6);
  const Scale xs{lo, hi, l, rr};
  const Scale ys{0.0, 1.0, b, t};
  Svg svg(did ? "power-did" : "power", W, H, T(lang, title));
  for (double tk : ticks) {
    svg.line(xs(tk), t, xs(tk), b, "grid");
    svg.text(xs(tk), b + 16, E(grouped(tk, lang)), "tick", "middle");
  }
  for (int k = 0; k <= 5; ++k) {
    const double p = k / 5.0;
    svg.line(l, ys(p), rr, ys(p), "grid");
    svg.text(l - 8, ys(p) + 4, E(percent(p, lang)), "tick", "end");
  }
  svg.line(l, ys(r.design.target_power), rr, ys(r.design.target_power), "", "stroke=\"#a8423a\" stroke-dasharray=\"4 3\"");
  svg.line(l, b, rr, b, "axis");
  svg.text((l + rr) / 2, b + 36, T(lang, Msg::power_households_randomised_both_arms), "small",
           "middle");
  std::string sim, closed;
  for (std::size_t k = 0; k < r.curve.size(); ++k) {
    const PowerPoint& p = r.curve[k];
    sim += (k ? " L" : "M") + f1(xs(p.households)) + " " + f1(ys(power(p)));
    closed += (k ? " L" : "M") + f1(xs(p.households)) + " " + f1(ys(closed_form(p)));
  }
  svg.path(closed, "fill=\"none\" stroke=\"#8a949e\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"");
  svg.path(sim, "fill=\"none\" stroke=\"#1f5f8b\" stroke-width=\"2\"");
  for (std::size_t k = 0; k < r.curve.size(); ++k) {
    const PowerPoint& p = r.curve[k];
    const double lo95 = std::max(0.0, power(p) - 1.96 * power_se(p)), hi95 = std::min(1.0, power(p) + 1.96 * power_se(p));
    svg.line(xs(p.households), ys(lo95), xs(p.households), ys(hi95), "", "stroke=\"#1f5f8b\" stroke-width=\"1\"");
    svg.circle(xs(p.households), ys(power(p)), static_cast<int>(k) == r.design_point ? 6 : 4,
               static_cast<int>(k) == r.design_point ? "#c0692b" : "#1f5f8b",
               E(grouped(p.households, lang)) + T(lang, Msg::power_households_power) + E(percent(power(p), lang)) +
                   T(lang, Msg::power_closed_form) + E(percent(closed_form(p), lang)) + ")");
  }
  return svg.done();
}

/// The difference-in-differences line of the terminal and power.html (empty without one).
std::string did_line(const PowerResult& r, Language lang) {
  const PowerPoint& at = r.curve[r.design_point];
  if (r.design.pre_month <= 0) return {};
  if (r.design.did_design == DidDesign::panel)
    return format_message(lang, Msg::power_panel_did_line,
                          {std::to_string(r.design.pre_month), std::to_string(r.design.at_month), percent(at.did_power, lang),
                           percent(1.96 * at.did_power_se, lang), percent(at.did_closed_form_power, lang),
                           decimal(100.0 * at.change_treatment, 1, lang) + " / " + decimal(100.0 * at.change_control, 1, lang) +
                               T(lang, Msg::power_percentage_points),
                           decimal(at.pre_post_correlation, 2, lang)});
  return format_message(lang, Msg::power_did_line,
                        {std::to_string(r.design.pre_month), percent(at.did_power, lang),
                         percent(1.96 * at.did_power_se, lang), percent(at.did_closed_form_power, lang),
                         percent(at.share_pre_treatment, lang, 1) + " / " + percent(at.share_pre_control, lang, 1)});
}

} // namespace

std::string power_csv(const Scenario& s, const PowerResult& r) {
  std::string o = "variant,indicator,at_month,alpha,households,treatment_households,control_households,trials,rejections,"
                  "power,power_se,closed_form_power,share_treatment,share_control,persons_treatment,persons_control,design";
  if (r.design.pre_month > 0)
    o += ",pre_month,did_rejections,did_power,did_power_se,did_closed_form_power,share_pre_treatment,share_pre_control";
  const bool panel = r.design.pre_month > 0 && r.design.did_design == DidDesign::panel;
  if (panel)
    o += ",did_design,panel_persons_treatment,panel_persons_control,change_treatment,change_control,"
         "change_variance_treatment,change_variance_control,pre_post_correlation";
  o += "\n";
  for (std::size_t k = 0; k < r.curve.size(); ++k) {
    const PowerPoint& p = r.curve[k];
    o += csv_text(s.variants[r.design.variant].id) + "," + csv_text(s.indicators[r.design.indicator].id) + "," +
         std::to_string(r.design.at_month) + "," + exact_number(r.design.alpha) + "," + std::to_string(p.households) + "," +
         std::to_string(p.arms.treatment) + "," + std::to_string(p.arms.control) + "," + std::to_string(p.trials) + "," +
         std::to_string(p.rejections) + "," + exact_number(p.power) + "," + exact_number(p.power_se) + "," +
         exact_number(p.closed_form_power) + "," + exact_number(p.share_treatment) + "," + exact_number(p.share_control) +
         "," + exact_number(p.persons_treatment) + "," + exact_number(p.persons_control) + "," +
         (static_cast<int>(k) == r.design_point ? "1" : "0");
    if (r.design.pre_month > 0)
      o += "," + std::to_string(r.design.pre_month) + "," + std::to_string(p.did_rejections) + "," + exact_number(p.did_power) +
           "," + exact_number(p.did_power_se) + "," + exact_number(p.did_closed_form_power) + "," +
           exact_number(p.share_pre_treatment) + "," + exact_number(p.share_pre_control);
    if (panel)
      o += ",panel-did," + exact_number(p.panel_persons_treatment) + "," + exact_number(p.panel_persons_control) + "," +
           exact_number(p.change_treatment) + "," + exact_number(p.change_control) + "," +
           exact_number(p.change_variance_treatment) + "," + exact_number(p.change_variance_control) + "," +
           exact_number(p.pre_post_correlation);
    o += "\n";
  }
  return o;
}

std::string power_summary(const Scenario& s, const PowerResult& r, Language lang) {
  const PowerPoint& at = r.curve[r.design_point];
  std::string o = std::string(T(lang, Msg::power_power_of_the_evaluation_of)) + printable(s.id) + "\n  " +
                  design_text(s, r, lang) + "\n\n";
  o += std::string("  ") + T(lang, Msg::power_indicator_treatment_control) +
       percent(r.share_treatment, lang, 1) + " / " + percent(r.share_control, lang, 1) + "\n";
  o += std::string("  ") + T(lang, Msg::power_power) + percent(at.power, lang) + " (\u00b1" +
       percent(1.96 * at.power_se, lang) + T(lang, Msg::power_closed_form_2) + percent(at.closed_form_power, lang) +
       ")\n";
  if (r.design.pre_month > 0) o += "  " + did_line(r, lang) + "\n";
  o += std::string("  ") + T(lang, Msg::power_minimum_detectable_effect_at) +
       percent(r.design.target_power, lang) + T(lang, Msg::power_power_2) + points_text(r.minimum_detectable_effect, lang) +
       "\n";
  o += std::string("  ") + T(lang, Msg::power_households_needed_for) + percent(r.design.target_power, lang) +
       T(lang, Msg::power_power_2) + households_text(r.households_needed_simulated, lang) +
       T(lang, Msg::power_simulated) + households_text(r.households_needed_closed_form, lang) +
       T(lang, Msg::power_closed_form_3);
  o += std::string("  ") +
       T(lang, Msg::power_persons_are_the_test_s_units);
  return o;
}

std::string power_html(const Scenario& s, const PowerResult& r, Language lang) {
  const PowerPoint& at = r.curve[r.design_point];
  std::string o = page_head(std::string(T(lang, Msg::power_power)) + s.title.in(lang), lang, engine_version(), stylesheet(Page::summary));
  o += "<header class=\"top\"><h1>" + E(std::string(T(lang, Msg::power_can_the_evaluation_see_the_effect)) +
       s.title.in(lang)) + "</h1>\n<p>" + E(design_text(s, r, lang)) + "</p></header>\n";
  o += "<div class=\"cards\">\n";
  o += card(T(lang, Msg::power_power_3), E(percent(at.power, lang)), "",
            E(std::string(T(lang, Msg::power_closed_form_4)) + percent(at.closed_form_power, lang)), true);
  o += card(E(std::string(T(lang, Msg::power_minimum_detectable_effect))), E(points_text(r.minimum_detectable_effect, lang)), "",
            E(std::string(T(lang, Msg::power_at)) + percent(r.design.target_power, lang) + T(lang, Msg::power_power_4)));
  o += card(T(lang, Msg::power_households_needed), E(households_text(r.households_needed_simulated, lang)), "",
            E(std::string(T(lang, Msg::power_closed_form_4)) + households_text(r.households_needed_closed_form, lang)));
  o += card(T(lang, Msg::wb_indicator), E(percent(r.share_treatment, lang, 1) + " / " + percent(r.share_control, lang, 1)), "",
            T(lang, Msg::power_treatment_control));
  o += "</div>\n";
  if (r.design.pre_month > 0) o += "<p>" + E(did_line(r, lang)) + "</p>\n";
  o += "<figure>" + power_chart(r, lang) + "<figcaption>" +
       T(lang, Msg::power_simulated_power_blue_with_95_monte) +
       "</figcaption></figure>\n";
  // The difference-in-differences curve, for the design chosen (--design).
  if (r.design.pre_month > 0)
    o += "<figure>" + power_chart(r, lang, true) + "<figcaption>" + T(lang, Msg::power_simulated_power_blue_with_95_monte) +
         "</figcaption></figure>\n";
  o += "<table><thead><tr><th>" + std::string(T(lang, Msg::power_households)) + "</th><th>" +
       T(lang, Msg::power_treatment_control_2) + "</th><th>" + T(lang, Msg::power_power_3) + "</th><th>" +
       T(lang, Msg::power_closed_form_5) + "</th></tr></thead><tbody>\n";
  for (const auto& p : r.curve)
    o += "<tr><td>" + E(grouped(p.households, lang)) + "</td><td>" + E(grouped(p.arms.treatment, lang)) + " / " +
         E(grouped(p.arms.control, lang)) + "</td><td>" + E(percent(p.power, lang)) + " \u00b1 " +
         E(percent(1.96 * p.power_se, lang)) + "</td><td>" + E(percent(p.closed_form_power, lang)) + "</td></tr>\n";
  o += "</tbody></table>\n<p>" +
       std::string(T(lang, Msg::power_each_simulated_trial_takes_one_draw)) +
       "</p>\n";
  o += "<footer>" + std::string(T(lang, Msg::made_by_socinvest)) + " " + E(engine_version()) +
       "</footer>\n</main>\n</body>\n</html>\n";
  return o;
}

} // namespace socinvest
