#include <socinvest/report/html_report.hpp>

#include "report/html_parts.hpp"

#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/montecarlo/success_rate.hpp>
#include <socinvest/report/assumptions.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/report/tables.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

namespace socinvest {

namespace {

// ---------------------------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------------------------

using namespace html_parts;


/// A parameter value for people: 2500000 -> "2,500,000", 0.025 -> "0.025" (en); from 1,000
/// up whole units (an amount of 2,011,864.406779661 kr. reads "2,011,864").
std::string plain(double v, Language lang) {
  if (!std::isfinite(v)) return number(v, 0, lang);
  if ((v == std::round(v) || std::abs(v) >= 1000) && std::abs(v) < 1e15) return number(v, 0, lang);
  std::string s = exact_number(v);
  if (s.find_first_of("eE") != std::string::npos) { // small numbers: written out, 0.0002
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12f", v);
    s = buf;
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (std::abs(v) >= 1000) {
    const auto dot = s.find('.');
    const int decimals = dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
    return number(v, decimals, lang);
  }
  if (lang == Language::da)
    for (auto& c : s) c = c == '.' ? ',' : c;
  return display_minus(s);
}

/// An uncertain number in words for a steering group: its median and the range of its
/// middle 90 %, as plain() writes numbers; the formula (triangular(4.6e+04, mode 5.2e+04,
/// 6e+04)) is the tooltip, for the technical reader.
std::string in_words(const Distribution& d, Language lang) {
  // Three significant digits below 1,000 (plain() rounds larger numbers to whole units).
  auto q = [&](double u) {
    const double v = d.quantile(u);
    if (!std::isfinite(v) || std::abs(v) >= 1000) return plain(v, lang);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return plain(std::strtod(buf, nullptr), lang);
  };
  return "<span title=\"" + E(d.describe()) + "\">" +
         format_message(lang, Msg::distribution_in_words,
                        {q(0.5), q(0.05), q(0.95)}) +
         "</span>";
}


std::string interval_text(const Stat& s, Language lang) {
  return kr_short(s.p5, lang) + " " + T(lang, Msg::to_2) + " " + kr_short(s.p95, lang);
}

/// The label of project year y (0-based) for an axis: "2025", or "2025/26" when years do not
/// start in January.
std::string year_tick(const Scenario& s, int y) {
  const YearMonth first = project_year_months(s, y).first;
  if (first.month == 1) return std::to_string(first.year);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d/%02d", first.year, (first.year + 1) % 100);
  return buf;
}

/// "2025-01 to 2025-12" / "2025-01 – 2025-12"
std::string year_span(const Scenario& s, int y, Language lang) {
  return project_year_label(s, y, lang == Language::da ? " \u2013 " : " to ");
}

std::string break_even_text(double year, const Scenario& s, Language lang) {
  if (std::isnan(year) || std::isinf(year))
    return T(lang, Msg::not_within_the_horizon_2);
  const int y = static_cast<int>(std::lround(year));
  return std::string(T(lang, Msg::year)) + std::to_string(y) + " (" + year_tick(s, y - 1) + ")";
}

std::string account_name(const Results& r, int a, Language lang) { return E(account_label(r, a, lang)); }

/// The number of characters (UTF-8 code points) of s.
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// A label in at most two lines of about `width` characters, broken at spaces.
std::vector<std::string> label_lines(const std::string& s, std::size_t width) {
  auto length = [](const std::string& t) {
    std::size_t n = 0;
    for (unsigned char c : t) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  };
  if (length(s) <= width) return {s};
  std::size_t cut = std::string::npos;
  for (std::size_t i = 0, cps = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++cps;
    if (cps > width + 1) break;
    if (s[i] == ' ') cut = i;
  }
  if (cut == std::string::npos || cut == 0) return {clip(s, width)};
  return {s.substr(0, cut), clip(s.substr(cut + 1), width)};
}

const char* group_name(Group g, Language lang) {
  if (g == Group::participants) return T(lang, Msg::participants_2);
  return T(lang, Msg::everyone_simulated);
}

// ---------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------


/// Paths through the finite points (a NaN breaks the line).
std::string line_path(const std::vector<double>& xs, const std::vector<double>& ys) {
  std::string d;
  bool pen = false;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(ys[i])) {
      pen = false;
      continue;
    }
    d += (pen ? "L" : "M") + f1(xs[i]) + "," + f1(ys[i]);
    pen = true;
  }
  return d;
}

/// Closed band between lo and hi over contiguous finite runs.
std::string band_path(const std::vector<double>& xs, const std::vector<double>& lo, const std::vector<double>& hi) {
  std::string d;
  std::size_t i = 0;
  while (i < xs.size()) {
    while (i < xs.size() && !(std::isfinite(lo[i]) && std::isfinite(hi[i]))) ++i;
    std::size_t j = i;
    while (j < xs.size() && std::isfinite(lo[j]) && std::isfinite(hi[j])) ++j;
    if (j > i + 0) {
      for (std::size_t k = i; k < j; ++k) d += (k == i ? "M" : "L") + f1(xs[k]) + "," + f1(hi[k]);
      for (std::size_t k = j; k-- > i;) d += "L" + f1(xs[k]) + "," + f1(lo[k]);
      d += "Z";
    }
    i = j;
  }
  return d;
}

struct Frame {
  double l, t, r, b; // plot area in px
};

/// Horizontal grid lines and y tick labels (money), with the unit above the axis.
MoneyAxis money_y_axis(Svg& svg, const Frame& f, const Scale& ys, const std::vector<double>& ticks, Language lang) {
  MoneyAxis ma = money_axis(ticks, lang);
  for (double t : ticks) {
    const double y = ys(t);
    svg.line(f.l, y, f.r, y, t == 0.0 ? "zero" : "grid");
    svg.text(f.l - 8, y + 4, ma.tick(t, lang), "tick", "end");
  }
  svg.text(f.l - 8, f.t - 12, E(ma.unit), "unit", "end");
  return ma;
}

// ---------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------

const std::string css = stylesheet(Page::report);

class Report {
public:
  Report(const Results& r, const Manifest& m, Language lang) : r_(r), s_(*r.scenario), m_(m), lang_(lang) {}

  std::string build() {
    o_ += page_head(title(), lang_, m_.engine_version, css);
    header();
    overview();
    for (std::size_t k = 0; k < r_.variants.size(); ++k) variant(k);
    method();
    assumptions();
    manifest();
    o_ += "<footer>" + std::string(T(lang_, Msg::made_by_socinvest)) + " " + E(m_.engine_version);
    if (!m_.engine_commit.empty()) o_ += " (" + E(m_.engine_commit) + ")";
    if (!m_.started_at.empty()) o_ += " \u00b7 " + E(m_.started_at);
    o_ += " \u00b7 " + std::string(T(lang_, Msg::all_amounts_in)) + std::to_string(s_.run.price_year) +
          T(lang_, Msg::prices_discounted_to_the_start) + "</footer>\n";
    o_ += "</main>\n</body>\n</html>\n";
    return std::move(o_);
  }

private:
  const Results& r_;
  const Scenario& s_;
  const Manifest& m_;
  Language lang_;
  std::string o_;

  const char* t(Msg m) const { return T(lang_, m); }
  std::string title() const { return s_.title.empty() ? s_.id : s_.title.in(lang_); }
  int horizon() const { return s_.run.horizon_years; }
  /// A variant as a reader sees it (its title, else its id), escaped.
  std::string vid(int v) const { return E(s_.variants[v].shown(lang_)); }
  /// A variant's id as the machine key of a chart (data-variant).
  std::string vkey(int v) const { return E(s_.variants[v].id); }
  /// A department's (or any account's) name in the reader's language, else its id.
  std::string account_text(int a) const {
    const Text& n = r_.accounts.name[static_cast<std::size_t>(a)];
    return n.empty() ? r_.accounts.id[static_cast<std::size_t>(a)] : n.in(lang_);
  }
  std::string department_text(int d) const {
    const Department& dep = s_.departments[static_cast<std::size_t>(d)];
    return dep.name.empty() ? dep.id : dep.name.in(lang_);
  }
  std::size_t color_index(int v) const {
    for (std::size_t k = 0; k < r_.variants.size(); ++k)
      if (r_.variants[k].variant == v) return k;
    return 0;
  }
  /// "25 % of the log hazard ratio (Green Book); team: 50 %": the scenario's haircut and
  /// each intervention's own, where the effects are cut.
  std::string haircut_text() const {
    auto one = [&](const EffectHaircut& h) {
      return pct(h.share, lang_) + (h.source.empty() ? std::string() : " (" + E(h.source) + ")");
    };
    std::string text;
    if (s_.run.effect_haircut.used())
      text += one(s_.run.effect_haircut) + t(Msg::of_each_effect_s_log_hazard_ratio);
    for (const auto& v : s_.variants)
      for (const auto& iv : v.interventions)
        if (iv.effect_haircut && !iv.effects.empty())
          text += (text.empty() ? "" : "; ") + E(v.id) + "." + E(iv.id) + ": " + one(*iv.effect_haircut);
    return text + ".";
  }
  std::string discount_text() const {
    std::string d;
    for (std::size_t i = 0; i < s_.run.discount.size(); ++i) {
      const auto& seg = s_.run.discount[i];
      if (i) d += ", ";
      d += pct(seg.rate, lang_, 1);
      if (seg.from_year > 0) d += std::string(t(Msg::from_year)) + number(seg.from_year, 0, lang_);
    }
    return d;
  }

  /// What the result rests on: each compared variant's effects by evidence grade
  /// (Variant::effects_by_grade, the one measure), with what that count is not.
  void evidence() {
    static constexpr Msg grade[] = {Msg::grade_randomised_trial, Msg::grade_quasi_experimental, Msg::grade_before_after,
                                    Msg::grade_expert_guess};
    std::string rows;
    for (const auto& vs : r_.variants) {
      const auto n = s_.variants[vs.variant].effects_by_grade();
      int total = 0;
      for (int k : n) total += k;
      if (total == 0) continue;
      rows += "<li><b>" + vid(vs.variant) + "</b>: " + std::to_string(total) + t(total == 1 ? Msg::evidence_effect : Msg::evidence_effects) + " \u2014 ";
      bool first = true;
      for (int g = 0; g < evidence_grade_count; ++g) {
        if (n[static_cast<std::size_t>(g)] == 0) continue;
        rows += std::string(first ? "" : ", ") + pct(static_cast<double>(n[static_cast<std::size_t>(g)]) / total, lang_) + " " +
                t(grade[g]);
        first = false;
      }
      // How much of the net present value rests on each grade, when the run measured it
      // (decision/evidence.hpp: effects of one grade switched off on common random numbers).
      for (const auto& share : r_.evidence_shares) {
        if (share.variant != vs.variant) continue;
        rows += "<br>" + E(evidence_share_text(share, lang_, true));
        rows += "<br><span class=\"small\">" + E(t(Msg::evidence_share_method)) + "</span>";
      }
      rows += "<details><summary>" + std::string(t(Msg::evidence_effects_and_sources)) + "</summary><ul>";
      std::size_t rate = 0; // the variant's success-rate effects come in this order (Variant::success_rate_effects)
      for (const auto& iv : s_.variants[vs.variant].interventions)
        for (const auto& e : iv.effects) {
          const Domain& d = s_.domains[static_cast<std::size_t>(e.domain)];
          std::string what = e.success_rate ? success_rate_via(s_, *e.success_rate)
                                            : d.id + "." + d.states[static_cast<std::size_t>(e.from)] + "->" +
                                                  d.states[static_cast<std::size_t>(e.to)];
          rows += "<li>" + E(iv.id) + ": " + E(what);
          if (e.success_rate && rate < vs.solved_hazard_ratios.size()) {
            const Stat& hr = vs.solved_hazard_ratios[rate++];
            rows += " \u00b7 " + E(format_message(lang_, Msg::success_rate_effect,
                                                   {e.value.dist.describe(),
                                                    s_.indicators[static_cast<std::size_t>(e.success_rate->indicator)].id,
                                                    std::to_string(e.success_rate->at_month), decimal(hr.mean, 3, lang_),
                                                    decimal(hr.p5, 3, lang_), decimal(hr.p95, 3, lang_)}));
          }
          rows += " \u00b7 " + std::string(t(grade[static_cast<int>(e.grade)])) +
                  (e.evidence_source.empty() ? std::string() : " \u00b7 " + E(e.evidence_source)) + "</li>";
        }
      rows += "</ul></details></li>";
    }
    if (rows.empty()) return;
    o_ += "<p class=\"sub\">" +
          std::string(t(Msg::evidence_intro)) +
          "</p>\n<ul class=\"evidence\">" + rows + "</ul>\n";
  }

  // --- header ---------------------------------------------------------------------------
  void header() {
    o_ += "<header class=\"top\">\n<p class=\"kicker\">" + std::string(t(Msg::social_investment_business_case)) + "</p>\n";
    o_ += "<h1>" + E(title()) + "</h1>\n";
    if (!s_.description.empty()) o_ += "<p class=\"lead\">" + E(s_.description.in(lang_)) + "</p>\n";
    o_ += "<div class=\"meta\">";
    o_ += "<span>" + std::string(t(Msg::scenario)) + E(s_.id) + "</span>";
    o_ += "<span>" + std::to_string(horizon()) + t(Msg::years_from) + E(s_.run.start.text()) + "</span>";
    o_ += "<span>" + std::to_string(s_.run.price_year) + t(Msg::prices) + "</span>";
    o_ += "<span>" + std::string(t(Msg::discount_rate)) + discount_text() + "</span>";
    o_ += "<span>" + number(r_.plan.iterations, 0, lang_) + t(Msg::monte_carlo_iterations) + "</span>";
    o_ += "<span>seed " + std::to_string(r_.plan.seed) + "</span>";
    o_ += "</div>\n";
    o_ += "<nav class=\"toc\"><a href=\"#overview\">" + std::string(t(Msg::overview)) + "</a>";
    for (const auto& vs : r_.variants) o_ += "<a href=\"#v" + std::to_string(vs.variant) + "\">" + vid(vs.variant) + "</a>";
    o_ += "<a href=\"#method\">" + std::string(t(Msg::method)) + "</a><a href=\"#assumptions\">" +
          t(Msg::assumptions) + "</a><a href=\"#manifest\">" + t(Msg::manifest) + "</a></nav>\n";
    o_ += "</header>\n";
  }

  // --- overview ---------------------------------------------------------------------------
  void overview() {
    o_ += "<section id=\"overview\">\n<h2>" + std::string(t(Msg::overview)) + "</h2>\n";
    if (r_.variants.empty()) {
      o_ += "<p class=\"callout\">" + std::string(t(Msg::no_variant_was_compared_with_the_baseline)) +
            "</p>\n</section>\n";
      return;
    }
    if (s_.uses_effect_haircut())
      o_ += "<p class=\"callout\">" + std::string(t(Msg::the_effects_are_cut_for_optimism_bias)) +
            haircut_text() + "</p>\n";
    if (m_.central)
      o_ += "<p class=\"callout\">" + std::string(t(Msg::parameter_uncertainty_was_switched_off_central_intervals)) +
            "</p>\n";
    o_ += "<p class=\"sub\">" + std::string(t(Msg::each_variant_against_the_baseline)) +
          vid(0) + (s_.variants[0].description.empty() ? "" : ": " + E(s_.variants[0].description.in(lang_))) +
          t(Msg::on_the_same_simulated_people_present_values) +
          "</p>\n";
    // The municipality's own figure leads (what the reader's budget carries); the all-parties
    // value, with the funds' and the state's money, follows it.
    o_ += "<div class=\"scroll\"><table class=\"overview\" data-table=\"overview\">\n<thead><tr><th>" + std::string(t(Msg::variant)) + "</th><th class=\"n own\">" +
          t(Msg::municipality_what_its_budget_carries) + "</th><th class=\"n\">" + t(Msg::all_parties_incl_funds_and_state) + "</th><th class=\"n\">" + t(Msg::invested_2) +
          "</th><th class=\"n\">" + t(Msg::harvested_2) + "</th><th class=\"n\">" +
          t(Msg::chance_of_break_even_in) + std::to_string(horizon()) + t(Msg::years) + "</th><th>" +
          t(Msg::break_even_median) +
          "</th></tr></thead>\n<tbody>\n";
    for (const auto& vs : r_.variants) {
      o_ += "<tr><td><a href=\"#v" + std::to_string(vs.variant) + "\"><b>" + vid(vs.variant) + "</b></a>";
      if (!s_.variants[vs.variant].description.empty())
        o_ += "<br><span class=\"note\">" + E(s_.variants[vs.variant].description.in(lang_)) + "</span>";
      o_ += "</td><td class=\"n own " + std::string(sign_class(vs.npv_municipality.mean)) + "\"><b>" +
            kr_short(vs.npv_municipality.mean, lang_) + "</b><br><span class=\"note\">90 %: " +
            interval_text(vs.npv_municipality, lang_) + "</span></td>";
      o_ += "<td class=\"n " + std::string(sign_class(vs.npv.mean)) + "\">" + kr_short(vs.npv.mean, lang_) +
            "<br><span class=\"note\">90 %: " + interval_text(vs.npv, lang_) + "</span></td>";
      o_ += "<td class=\"n\">" + kr_short(vs.investment_pv.mean, lang_) + "</td>";
      o_ += "<td class=\"n\">" + kr_short(vs.savings_pv.mean, lang_) + "</td>";
      o_ += "<td class=\"n\">" + prob_bar(vs.p_break_even) + pct(vs.p_break_even, lang_) + "</td>";
      o_ += "<td>" + break_even_text(vs.median_break_even_year, s_, lang_) + "</td></tr>\n";
    }
    o_ += "</tbody></table></div>\n";
    evidence();
    guesses();
    ceilings();
    cumulative_chart();
    o_ += "</section>\n";
  }

  /// The municipality's change by expenditure type in budget year B, per variant: service
  /// spending counts against the servicerammen, transfers, capital and tax do not; and in
  /// words how tax revenue and transfers were treated (equalisation, neutralisation).
  void ceilings() {
    const int B = r_.budget_year, M = r_.accounts.level(FinancingLevel::municipality);
    o_ += "<div class=\"scroll\"><table class=\"overview\" data-table=\"serviceramme\">\n<caption>" +
          std::string(t(Msg::the_municipality_s_budget)) + std::to_string(B) +
          t(Msg::by_expenditure_type_the_servicerammen) + "</caption>\n<thead><tr><th>" +
          t(Msg::variant) + "</th><th class=\"n\">" + t(Msg::service_spending) +
          "<br><span class=\"note\">" + t(Msg::counts_against_the_servicerammen) +
          "</span></th><th class=\"n\">" + t(Msg::transfers) + "</th><th class=\"n\">" + t(Msg::capital_2) +
          "</th><th class=\"n\">" + t(Msg::tax_2) + "</th></tr></thead>\n<tbody>\n";
    for (const auto& vs : r_.variants) {
      o_ += "<tr><td><a href=\"#v" + std::to_string(vs.variant) + "\"><b>" + vid(vs.variant) + "</b></a></td>";
      for (const auto& entry : expenditure_type_names) {
        const BudgetRow& cell = r_.budget_at(vs.variant, M, B, budget_line(entry.value));
        o_ += "<td class=\"n\">" + (cell.months == 0 ? std::string("\u2013") : signed_kr(cell.stat.mean)) + "</td>";
      }
      o_ += "</tr>\n";
    }
    o_ += "</tbody></table></div>\n<p class=\"note\">" +
          std::string(t(Msg::change_against_the_baseline_nominal)) +
          std::to_string(s_.run.price_year) +
          t(Msg::prices_more_spending_less_spending_or_for) +
          "</p>\n";
    for (const auto& text : budget_rules_text(r_, lang_)) o_ += "<p class=\"callout\">" + E(text) + "</p>\n";
  }

  /// An amount with its sign: "+1.2 m kr.", "\u22123,400 kr.".
  std::string signed_kr(double x) const { return (x > 0 ? "+" : "") + kr_short(x, lang_); }

  /// By calendar budget year (the primary axis): a point at the end of each year the horizon
  /// touches, placed by months from the start, so a part first or last year is drawn as the
  /// part it is.
  void cumulative_chart() {
    const BudgetCalendar calendar(s_.run);
    const int Y = calendar.years(), T_ = r_.accounts.total();
    struct Series {
      int v;
      std::vector<double> mean, lo, hi;
    };
    std::vector<Series> series;
    double lo = 0, hi = 0;
    for (const auto& vs : r_.variants) {
      Series se{vs.variant, {0.0}, {0.0}, {0.0}};
      for (int y = 0; y < Y; ++y) {
        const Stat& st = r_.money_in_budget_year(vs.variant, T_, calendar.year_at(y), Measure::cumulative_net_pv);
        se.mean.push_back(st.mean);
        se.lo.push_back(st.p5);
        se.hi.push_back(st.p95);
        for (double x : {st.p5, st.p95, st.mean})
          if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
      }
      series.push_back(std::move(se));
    }
    o_ += "<figure>\n<figcaption><span class=\"t\">" +
          std::string(t(Msg::cumulative_net_result_over_time_all_parties)) +
          "</span><span class=\"d\">" +
          t(Msg::savings_minus_investment_discounted_added_up_budget) +
          "</span></figcaption>\n<div class=\"legend\">";
    for (const auto& se : series)
      o_ += "<span><i class=\"ln\" style=\"background:" + std::string(variant_color(color_index(se.v))) + "\"></i>" + vid(se.v) + "</span>";
    o_ += "<span><i class=\"band\" style=\"background:" + std::string(variant_color(0)) + "\"></i>" + t(Msg::n90_interval) + "</span></div>\n";

    Svg svg("cumulative", 760, 340, t(Msg::cumulative_net_present_value_by_year));
    const Frame f{72, 28, 760 - 112, 340 - 46};
    auto ticks = nice_ticks(lo, hi, 6);
    const Scale xs{0, static_cast<double>(calendar.months), f.l, f.r}, ys{lo, hi, f.b, f.t};
    // The x position of the end of calendar year y (months from the start); y = -1: the start.
    auto year_end = [&](int y) { return xs(y < 0 ? 0.0 : static_cast<double>(calendar.end_month(y))); };
    auto year_label = [&](int y) { return std::to_string(calendar.year_at(y)) + (calendar.months_in(y) < 12 ? "*" : ""); };
    bool part = false;
    // x axis: one tick per calendar year end
    const int every = Y <= 13 ? 1 : Y <= 25 ? 2 : 5;
    std::vector<int> labelled;
    for (int y = 0; y < Y; ++y) {
      part = part || calendar.months_in(y) < 12;
      if ((y + 1) % every == 0 || y == Y - 1) labelled.push_back(y);
    }
    for (std::size_t i = 0; i < labelled.size(); ++i) {
      const int y = labelled[i];
      svg.line(year_end(y), f.t, year_end(y), f.b, "grid");
      // A short part year at the end would put two labels on top of each other: the year
      // before it keeps its grid line only.
      if (i + 1 < labelled.size() && year_end(labelled[i + 1]) - year_end(y) < 36) continue;
      svg.text(year_end(y), f.b + 16, E(year_label(y)), "tick", "middle");
    }
    svg.text(xs(0), f.b + 16, t(Msg::start), "tick", "middle");
    money_y_axis(svg, f, ys, ticks, lang_);
    svg.line(f.l, f.b, f.r, f.b, "axis");
    svg.text((f.l + f.r) / 2, f.b + 36,
             part ? t(Msg::end_of_budget_year_part_year_the)
                  : t(Msg::end_of_budget_year),
             "small", "middle");
    if (lo < 0 && hi > 0) svg.text(f.l + 6, ys(0) - 6, t(Msg::break_even), "small");
    std::vector<double> xv;
    for (int y = -1; y < Y; ++y) xv.push_back(year_end(y));
    auto map = [&](const std::vector<double>& v) {
      std::vector<double> out;
      for (double x : v) out.push_back(std::isfinite(x) ? ys(x) : x);
      return out;
    };
    for (const auto& se : series) {
      const std::string c = variant_color(color_index(se.v));
      svg.path(band_path(xv, map(se.lo), map(se.hi)), "fill=\"" + c + "\" fill-opacity=\"0.14\" stroke=\"none\"");
    }
    struct EndLabel {
      double y;
      std::string text, color;
    };
    std::vector<EndLabel> ends;
    for (const auto& se : series) {
      const std::string c = variant_color(color_index(se.v));
      const auto my = map(se.mean);
      svg.path(line_path(xv, my), "fill=\"none\" stroke=\"" + c + "\" stroke-width=\"2.5\" stroke-linejoin=\"round\"");
      for (int y = 1; y <= Y; ++y) // se.mean[y]: the end of calendar year y - 1
        if (std::isfinite(se.mean[y]))
          svg.circle(xv[y], my[y], 3, c,
                     vid(se.v) + ", " + E(year_label(y - 1)) + ": " + kr(se.mean[y], lang_) + " (90 %: " +
                         kr_short(se.lo[y], lang_) + " " + t(Msg::to_2) + " " + kr_short(se.hi[y], lang_) + ")");
      if (std::isfinite(se.mean[Y])) ends.push_back({my[Y], kr_short(se.mean[Y], lang_), c});
    }
    std::sort(ends.begin(), ends.end(), [](const EndLabel& a, const EndLabel& b) { return a.y < b.y; });
    for (std::size_t i = 1; i < ends.size(); ++i) ends[i].y = std::max(ends[i].y, ends[i - 1].y + 14);
    for (const auto& e : ends) svg.text(f.r + 8, e.y + 4, e.text, "strong", "start", "fill=\"" + e.color + "\"");
    o_ += svg.done() + "\n</figure>\n";
  }

  // --- one variant ----------------------------------------------------------------------
  void variant(std::size_t k) {
    const VariantSummary& vs = r_.variants[k];
    const int v = vs.variant;
    const Variant& var = s_.variants[v];
    o_ += "<section class=\"variant\" id=\"v" + std::to_string(v) + "\">\n<h2>" +
          // The title, else (as before titles) the description, with the id beside it.
          (!var.title.empty()         ? vid(v) + "<span class=\"id\">" + vkey(v) + "</span>"
           : var.description.empty() ? vkey(v)
                                     : E(var.description.in(lang_)) + "<span class=\"id\">" + vkey(v) + "</span>") +
          "</h2>\n";
    if (!var.title.empty() && !var.description.empty())
      o_ += "<p class=\"lead\">" + E(var.description.in(lang_)) + "</p>\n";
    o_ += "<p class=\"sub\">" + format_message(lang_, Msg::compared_with_baseline, {vid(0)}) + " " +
          t(Msg::participants) + number(vs.participants.mean, 0, lang_) + t(Msg::households) +
          number(vs.eligible.mean, 0, lang_) + t(Msg::eligible) + number(vs.consenting.mean, 0, lang_) +
          t(Msg::consenting_means_over_iterations) + "</p>\n";
    headline(vs);
    budget_period(vs);
    departments(vs);
    flows(vs);
    histogram(vs);
    outcomes(vs);
    by_attribute(v);
    contracts(vs);
    o_ += "</section>\n";
  }

  /// Results by attribute (Results::by_attribute): per household attribute and category,
  /// the households, the cost of services over the horizon without and with the project and
  /// the savings (present value, 90 % interval), all accounts together and the municipality's;
  /// then the same per person attribute and category with its persons and the households with
  /// a member in it (which overlap, as a note says), in a table of its own (a person's money
  /// is in its own category, the interventions' in none).
  void by_attribute(int v) {
    if (r_.by_attribute.empty()) return;
    attribute_table(v, Attribute::Level::household);
    attribute_table(v, Attribute::Level::person);
  }

  void attribute_table(int v, Attribute::Level level) {
    const bool household = level == Attribute::Level::household;
    if (std::none_of(s_.attributes.begin(), s_.attributes.end(), [&](const Attribute& a) { return a.level == level; })) return;
    auto find = [&](int a, int cat, AttributeKind kind, const std::string& item, const char* measure) -> const Stat* {
      for (const AttributeRow& row : r_.by_attribute)
        if (row.variant == v && row.attribute == a && row.category == cat && row.kind == kind && row.year < 0 &&
            row.item == item && std::string_view(row.measure) == measure)
          return &row.stat;
      return nullptr;
    };
    const std::string total = r_.accounts.id[static_cast<std::size_t>(r_.accounts.total())];
    const std::string municipality = r_.accounts.id[static_cast<std::size_t>(r_.accounts.level(FinancingLevel::municipality))];
    o_ += "<h3>" + std::string(t(household ? Msg::by_attribute_title : Msg::by_person_attribute_title)) +
          "</h3>\n<p class=\"sub\">" + t(household ? Msg::by_attribute_intro : Msg::by_person_attribute_intro) + "</p>\n";
    o_ += "<div class=\"scroll\"><table class=\"by-attribute\">\n<thead><tr><th>" + std::string(t(Msg::by_attribute_attribute)) +
          "</th><th>" + t(Msg::by_attribute_category) + "</th><th class=\"n\">" +
          t(household ? Msg::by_attribute_households : Msg::by_attribute_persons) + "</th>" +
          (household ? std::string() : "<th class=\"n\">" + std::string(t(Msg::by_attribute_households_with_member)) + "</th>") +
          "<th class=\"n\">" + t(Msg::by_attribute_gross_baseline) + "</th><th class=\"n\">" + t(Msg::by_attribute_gross) +
          "</th><th class=\"n\">" + t(Msg::by_attribute_savings_pv) + "</th><th class=\"n\">" +
          t(Msg::by_attribute_municipality_savings_pv) + "</th></tr></thead>\n<tbody>\n";
    for (std::size_t a = 0; a < s_.attributes.size(); ++a) {
      const Attribute& attribute = s_.attributes[a];
      if (attribute.level != level) continue;
      for (std::size_t cat = 0; cat < attribute.categories.size(); ++cat) {
        const int ai = static_cast<int>(a), ci = static_cast<int>(cat);
        const Stat* count = find(ai, ci, AttributeKind::population, household ? "households" : "persons", name(OutcomeMeasure::value));
        // A person attribute's category: also the households with a member in it (they
        // overlap: the note under the table says so).
        const Stat* with_member =
            household ? nullptr : find(ai, ci, AttributeKind::population, "households_with_member", name(OutcomeMeasure::value));
        const Stat* base = find(ai, ci, AttributeKind::money, total, name(Measure::gross_cost_baseline));
        const Stat* with = find(ai, ci, AttributeKind::money, total, name(Measure::gross_cost));
        const Stat* savings = find(ai, ci, AttributeKind::money, total, name(Measure::savings_pv));
        const Stat* own = find(ai, ci, AttributeKind::money, municipality, name(Measure::savings_pv));
        if (!count || !base || !with || !savings || !own || (!household && !with_member)) continue;
        o_ += "<tr><td>" + E(attribute.id) + "</td><td>" + E(attribute.categories[cat]) + "</td><td class=\"n\">" +
              number(count->mean, 0, lang_) + "</td>" +
              (household ? std::string() : "<td class=\"n\">" + number(with_member->mean, 0, lang_) + "</td>") +
              "<td class=\"n\">" + kr(base->mean, lang_) + "</td><td class=\"n\">" +
              kr(with->mean, lang_) + "</td><td class=\"n " + sign_class(savings->mean) + "\">" + kr(savings->mean, lang_) +
              " <span class=\"sub\">(" + interval_text(*savings, lang_) + ")</span></td><td class=\"n " + sign_class(own->mean) + "\">" + kr(own->mean, lang_) + "</td></tr>\n";
      }
    }
    o_ += "</tbody></table></div>\n";
    if (!household) o_ += "<p class=\"note\">" + E(t(Msg::by_person_attribute_households_note)) + "</p>\n";
  }

  void card(const std::string& key, const std::string& value, const std::string& cls, const std::string& sub, bool main = false) {
    o_ += html_parts::card(key, value, cls, sub, main);
  }

  void headline(const VariantSummary& vs) {
    o_ += "<div class=\"cards\">\n";
    auto npv_card = [&](Msg label, const Stat& st, bool main) {
      card(t(label), kr_short(st.mean, lang_), sign_class(st.mean), "90 %: " + interval_text(st, lang_), main);
    };
    npv_card(Msg::municipality_what_its_budget_carries, vs.npv_municipality, true);
    npv_card(Msg::public_sector_2, vs.npv_public_sector, false);
    npv_card(Msg::all_parties_incl_funds_and_state, vs.npv, false);
    std::string sub;
    if (horizon() >= 5) sub += std::string(t(Msg::within_5_years)) + pct(vs.p_break_even_5y, lang_);
    if (horizon() > 10) sub += std::string(" \u00b7 ") + t(Msg::n10_years) + pct(vs.p_break_even_10y, lang_);
    card(std::string(t(Msg::chance_of_break_even_in)) + std::to_string(horizon()) + t(Msg::years),
         pct(vs.p_break_even, lang_), "", sub);
    std::string be_sub;
    if (vs.break_even_year.n > 0)
      be_sub = std::string(t(Msg::if_it_breaks_even_year)) + number(vs.break_even_year.p5, 0, lang_) +
               "\u2013" + number(vs.break_even_year.p95, 0, lang_) + " (90 %)";
    else
      be_sub = t(Msg::in_no_iteration_within_the_horizon);
    card(t(Msg::break_even_year_median_2), break_even_text(vs.median_break_even_year, s_, lang_), "txt", be_sub);
    card(t(Msg::return_per_invested_krone), number(vs.roi.mean, 2, lang_), sign_class(vs.roi.mean),
         std::string(t(Msg::benefit_cost_ratio)) + number(vs.benefit_cost_ratio.mean, 2, lang_));
    {
      // The servicerammen: the municipality's service spending in budget year B.
      const int B = r_.budget_year, M = r_.accounts.level(FinancingLevel::municipality);
      const BudgetRow& service = r_.budget_at(vs.variant, M, B, BudgetLine::service);
      const BudgetRow& transfer = r_.budget_at(vs.variant, M, B, BudgetLine::transfer);
      if (service.months > 0) {
        card(std::string(t(Msg::service_spending_budget)) + std::to_string(B),
             signed_kr(service.stat.mean), sign_class(-service.stat.mean),
             t(Msg::municipality_counts_against_the_servicerammen));
        card(std::string(t(Msg::transfers_budget)) + std::to_string(B), signed_kr(transfer.stat.mean),
             sign_class(-transfer.stat.mean), t(Msg::municipality_outside_the_servicerammen));
      }
    }
    o_ += "</div>\n";
    o_ += "<p class=\"sub\">" + E(serviceramme_text(r_, vs.variant, lang_)) + "</p>\n";

    // Investment and savings by expenditure type, the municipality.
    {
      const int M = r_.accounts.level(FinancingLevel::municipality);
      o_ += "<div class=\"scroll\"><table data-table=\"expenditure-types\">\n<caption>" +
            std::string(t(Msg::the_municipality_s_investment_and_savings_by)) +
            "</caption>\n<thead><tr><th>" + t(Msg::type) + "</th><th class=\"n\">" + t(Msg::invested_pv) +
            "</th><th class=\"n\">" + t(Msg::saved_pv) + "</th><th class=\"n\">" + t(Msg::net_pv) +
            "</th><th class=\"n\">" + t(Msg::change_in_spending_nominal) + "</th></tr></thead>\n<tbody>\n";
      const Msg labels[] = {Msg::service_servicerammen,
                                 Msg::transfers,
                                 Msg::capital_anlaeg,
                                 Msg::tax_2};
      for (const auto& entry : expenditure_type_names) {
        const ExpenditureRow& row = r_.by_type_at(vs.variant, M, entry.value);
        const Msg label = labels[static_cast<int>(entry.value)];
        const double net = row.savings_pv.mean - row.investment_pv.mean;
        o_ += "<tr><td>" + std::string(t(label)) + "</td><td class=\"n\">" + kr(row.investment_pv.mean, lang_) +
              "</td><td class=\"n\">" + kr(row.savings_pv.mean, lang_) + "</td><td class=\"n " + std::string(sign_class(net)) + "\">" +
              kr(net, lang_) + "</td><td class=\"n\">" + signed_kr(row.spending.mean) + "</td></tr>\n";
      }
      o_ += "</tbody></table></div>\n";
    }

    // By financing level, with intervals.
    o_ += "<div class=\"scroll\"><table>\n<caption>" + std::string(t(Msg::net_present_value_by_who_pays)) +
          "</caption>\n<thead><tr><th>" + t(Msg::account) + "</th><th class=\"n\">" + t(Msg::mean_3) + "</th><th class=\"n\">" +
          t(Msg::median) + "</th><th class=\"n\">" + t(Msg::n5) + "</th><th class=\"n\">" + t(Msg::n95) +
          "</th><th class=\"n\">" + t(Msg::mc_std_error) + "</th></tr></thead>\n<tbody>\n";
    for (int a = r_.accounts.departments; a < r_.accounts.size(); ++a) {
      const AccountKind kind = r_.accounts.kind[a];
      if (kind == AccountKind::department) continue;
      const Stat* st = &r_.money_at(vs.variant, a, -1, Measure::npv);
      if (kind == AccountKind::level && st->mean == 0 && st->p5 == 0 && st->p95 == 0) continue; // no money at this level
      o_ += std::string("<tr") + (kind == AccountKind::total ? " class=\"total\"" : "") + "><td>" + account_name(r_, a, lang_) + "</td>";
      o_ += "<td class=\"n " + std::string(sign_class(st->mean)) + "\">" + kr(st->mean, lang_) + "</td><td class=\"n\">" +
            kr(st->p50, lang_) + "</td><td class=\"n\">" + kr(st->p5, lang_) + "</td><td class=\"n\">" + kr(st->p95, lang_) +
            "</td><td class=\"n\">\u00b1 " + kr(st->se, lang_) + "</td></tr>\n";
    }
    o_ += "</tbody></table></div>\n";
    // Break-even with its uncertainty.
    const double n = std::max(1, r_.plan.iterations);
    auto se = [&](double p) { return std::isfinite(p) ? std::sqrt(p * (1 - p) / n) : p; };
    o_ += "<div class=\"scroll\"><table>\n<caption>" + std::string(t(Msg::break_even_2)) + "</caption>\n<thead><tr><th>" +
          t(Msg::measure) + "</th><th class=\"n\">" + t(Msg::value) + "</th><th class=\"n\">" + t(Msg::interval) +
          "</th><th>" + t(Msg::note) + "</th></tr></thead>\n<tbody>\n";
    auto prow = [&](const std::string& label, double p) {
      o_ += "<tr><td>" + label + "</td><td class=\"n\">" + prob_bar(p) + pct(p, lang_) + "</td><td class=\"n\">\u00b1 " +
            pct(1.645 * se(p), lang_, 1) + "</td><td class=\"note\">" +
            t(Msg::share_of_iterations_monte_carlo_precision) +
            "</td></tr>\n";
    };
    if (horizon() >= 5) prow(t(Msg::chance_of_break_even_within_5_years), vs.p_break_even_5y);
    if (horizon() >= 10) prow(t(Msg::chance_of_break_even_within_10_years), vs.p_break_even_10y);
    prow(std::string(t(Msg::chance_of_break_even_within_the_horizon)) +
             std::to_string(horizon()) + t(Msg::years_2),
         vs.p_break_even);
    o_ += "<tr><td>" + std::string(t(Msg::break_even_year_median_over_all_iterations)) +
          "</td><td class=\"n\">" + break_even_text(vs.median_break_even_year, s_, lang_) + "</td><td class=\"n\"></td><td class=\"note\">" +
          t(Msg::year_1_is_the_first_project_year) + "</td></tr>\n";
    o_ += "<tr><td>" + std::string(t(Msg::break_even_year_among_iterations_that_break)) +
          "</td><td class=\"n\">";
    if (vs.break_even_year.n > 0)
      o_ += number(vs.break_even_year.mean, 1, lang_) + "</td><td class=\"n\">" + number(vs.break_even_year.p5, 0, lang_) + "\u2013" +
            number(vs.break_even_year.p95, 0, lang_) + " (90 %)";
    else
      o_ += "\u2013</td><td class=\"n\">";
    o_ += "</td><td class=\"note\">" + number(vs.break_even_year.n, 0, lang_) + t(Msg::of) + number(r_.plan.iterations, 0, lang_) +
          t(Msg::iterations) + "</td></tr>\n";
    o_ += "</tbody></table></div>\n";
  }

  // --- invested vs harvested ------------------------------------------------------------
  /// The budget-period table (ledger/budget_years.hpp): budget year B and its overslagsår,
  /// per department, the municipality and all parties, nominal 1.000 kr. with the Danish
  /// budget sign; the total's lines below.
  void budget_period(const VariantSummary& vs) {
    const int v = vs.variant, B = r_.budget_year;
    o_ += "<h3>" + std::string(t(Msg::budget)) + std::to_string(B) + t(Msg::and_estimate_years) +
          std::to_string(B + 1) + "\u2013" + std::to_string(B + overslag_years) + "</h3>\n";
    o_ += "<p class=\"sub\">" + std::string(t(Msg::the_change_in_each_budget_against_the)) +
          E(budget_price_level(r_, lang_)) +
          t(Msg::not_discounted_calendar_budget_years_sign_as) +
          "</p>\n";
    o_ += "<div class=\"scroll\"><table class=\"budget\" data-table=\"budget-period\">\n<thead><tr><th>" +
          std::string(t(Msg::n1_000_kr_2)) + "</th>";
    bool part = false, beyond = false;
    for (int k = 0; k <= overslag_years; ++k) {
      const int months = r_.budget_at(v, 0, B + k, BudgetLine::net).months;
      part = part || (months > 0 && months < 12);
      beyond = beyond || months == 0;
      o_ += "<th class=\"n\">" + std::to_string(B + k) + (months > 0 && months < 12 ? "*" : "") + "<br><span class=\"note\">" +
            (k == 0 ? std::string(t(Msg::budget_year)) : std::string(t(Msg::estimate)) + std::to_string(k)) +
            "</span></th>";
    }
    o_ += "</tr></thead>\n<tbody>\n";
    auto row = [&](int a, BudgetLine line, const std::string& label, bool strong) {
      o_ += std::string("<tr") + (strong ? " class=\"total\"" : "") + "><td>" + label + "</td>";
      for (int k = 0; k <= overslag_years; ++k) {
        const BudgetRow& cell = r_.budget_at(v, a, B + k, line);
        const std::string value = cell.months == 0 ? std::string("\u2013") : number(cell.stat.mean / 1000.0, 0, lang_);
        o_ += "<td class=\"n\">" + (strong ? "<b>" + value + "</b>" : value) + "</td>";
      }
      o_ += "</tr>\n";
    };
    for (int a = 0; a < r_.accounts.departments; ++a) {
      bool money = false; // a department without a change in any of the years is left out
      for (int k = 0; k <= overslag_years; ++k) {
        const Stat& st = r_.budget_at(v, a, B + k, BudgetLine::net).stat;
        money = money || st.mean != 0 || st.p5 != 0 || st.p95 != 0;
      }
      if (money) row(a, BudgetLine::net, account_name(r_, a, lang_), false);
    }
    row(r_.accounts.level(FinancingLevel::municipality), BudgetLine::net, account_name(r_, r_.accounts.level(FinancingLevel::municipality), lang_), true);
    {
      const Msg labels[] = {Msg::service_spending_servicerammen,
                                 Msg::transfers_2,
                                 Msg::capital_anlaeg_2,
                                 Msg::tax};
      for (const auto& entry : expenditure_type_names) {
        const Msg label = labels[static_cast<int>(entry.value)];
        row(r_.accounts.level(FinancingLevel::municipality), budget_line(entry.value),
            std::string("&nbsp;&nbsp;") + t(Msg::municipality_4) + t(label), false);
      }
    }
    const int T = r_.accounts.total();
    row(T, BudgetLine::investment, std::string("&nbsp;&nbsp;") + t(Msg::all_parties_the_project_s_costs), false);
    row(T, BudgetLine::derived, std::string("&nbsp;&nbsp;") + t(Msg::all_parties_derived_spending), false);
    row(T, BudgetLine::contracts, std::string("&nbsp;&nbsp;") + t(Msg::all_parties_pay_for_results), false);
    row(T, BudgetLine::net, account_name(r_, T, lang_), true);
    if (has_freed_capacity(s_))
      row(r_.accounts.level(FinancingLevel::municipality), BudgetLine::freed_capacity,
          t(Msg::municipality_freed_capacity_not_in_net_is),
          false);
    o_ += "</tbody></table></div>\n";
    if (part || beyond)
      o_ += "<p class=\"note\">" + std::string(part ? t(Msg::part_year_the_run_simulates_only_some_2) : "") +
            (beyond ? t(Msg::beyond_the_horizon_2) : "") + "</p>\n";
  }

  void departments(const VariantSummary& vs) {
    const int v = vs.variant, D = r_.accounts.departments;
    o_ += "<h3>" + std::string(t(Msg::who_invests_who_harvests)) + "</h3>\n";
    o_ += "<p class=\"sub\">" +
          std::string(t(Msg::what_each_department_puts_in_and_what)) +
          "</p>\n";
    struct Row {
      int a;
      const Stat *inv, *sav, *npv, *pbe;
    };
    std::vector<Row> rows;
    double lo = 0, hi = 0;
    bool contracts = false, negative = false;
    for (int a = 0; a < D; ++a) {
      auto at = [&](Measure m) { return &r_.money_at(v, a, -1, m); };
      Row row{a, at(Measure::investment_pv), at(Measure::savings_pv), at(Measure::npv), at(Measure::p_break_even)};
      const Stat& paid = r_.money_at(v, a, -1, Measure::contract_net_pv);
      // A department with no money in this variant (nothing invested, saved or paid in any
      // iteration) is left out.
      auto none = [](const Stat* st) { return st->mean == 0 && st->p5 == 0 && st->p95 == 0; };
      if (none(row.inv) && none(row.sav) && none(row.npv) && none(&paid)) continue;
      contracts = contracts || paid.mean != 0 || paid.p5 != 0 || paid.p95 != 0;
      negative = negative || row.inv->mean < 0;
      // The axis follows the bars (the means); a 90 % whisker beyond it is cut with a marker.
      for (const Stat* st : {row.inv, row.sav})
        if (std::isfinite(st->mean)) lo = std::min(lo, st->mean), hi = std::max(hi, st->mean);
      rows.push_back(row);
    }
    o_ += "<figure class=\"by-department\">\n<figcaption><span class=\"t\">" + std::string(t(Msg::invested_and_harvested_by_department)) +
          "</span><span class=\"d\">" + t(Msg::present_value_over) + std::to_string(horizon()) +
          t(Msg::years_bars_are_means_whiskers_hold_90) +
          "</span></figcaption>\n<div class=\"legend\"><span><i style=\"background:" + invest_color + "\"></i>" +
          t(Msg::invested_2) + "</span><span><i style=\"background:" + harvest_color + "\"></i>" +
          t(Msg::harvested_savings) + "</span></div>\n";
    const double rowh = 46, top = 26, bottom = 40;
    const int shown = static_cast<int>(rows.size());
    const double H = top + rowh * std::max(1, shown) + bottom;
    Svg svg("invested-harvested", 760, H, t(Msg::invested_and_harvested_by_department),
            "data-variant=\"" + vkey(v) + "\"");
    const Frame f{200, top, 760 - 128, H - bottom};
    auto ticks = nice_ticks(lo, hi, 6);
    bool clipped = false;
    const Scale xs{lo, hi, f.l, f.r};
    MoneyAxis ma = money_axis(ticks, lang_);
    for (double tk : ticks) {
      svg.line(xs(tk), f.t - 4, xs(tk), f.b, tk == 0.0 ? "zero" : "grid");
      svg.text(xs(tk), f.b + 16, ma.tick(tk, lang_), "tick", "middle");
    }
    svg.text((f.l + f.r) / 2, f.b + 33, std::string(t(Msg::present_value)) + E(ma.unit), "small", "middle");
    svg.text(760 - 4, f.t - 10, t(Msg::net_2), "unit", "end");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      const double y0 = f.t + rowh * static_cast<double>(i);
      if (i) svg.line(8, y0, 760 - 4, y0, "grid");
      const std::string name = account_text(row.a);
      svg.lines(f.l - 12, y0 + rowh / 2, label_lines(name, 25), {}, "end", 0, H);
      auto bar = [&](const Stat* st, double y, const char* color, const char* what) {
        const std::string tip = E(name) + ": " + what + " " + kr(st->mean, lang_) + " (90 %: " + kr_short(st->p5, lang_) + " " +
                                t(Msg::to_2) + " " + kr_short(st->p95, lang_) + ")";
        double x0 = xs(0), x1 = xs(st->mean);
        if (std::abs(x1 - x0) < 1.0 && st->mean != 0) x1 = x0 + (st->mean > 0 ? 1.0 : -1.0);
        svg.rect(std::min(x0, x1), y, std::abs(x1 - x0), 13, color, tip, "rx=\"1.5\"");
        if (st->p95 > st->p5) {
          const double cy = y + 6.5;
          const double w0 = xs(std::max(st->p5, lo)), w1 = xs(std::min(st->p95, hi));
          const char* ink = "stroke=\"#2c3540\" stroke-width=\"1.2\"";
          svg.line(w0, cy, w1, cy, "", ink);
          // An end within the axis gets its tick; one beyond it an arrowhead at the axis's end.
          auto end = [&](double x, bool cut, double dir) {
            if (!cut) svg.line(x, cy - 4, x, cy + 4, "", ink);
            else
              svg.path("M" + f1(x + 6 * dir) + "," + f1(cy) + "L" + f1(x) + "," + f1(cy - 4.5) + "L" + f1(x) + "," +
                           f1(cy + 4.5) + "Z",
                       "class=\"clipped\" fill=\"#2c3540\"", tip + " \u2014 " + t(Msg::whiskers_run_beyond_the_axis));
          };
          end(w0, st->p5 < lo, -1);
          end(w1, st->p95 > hi, 1);
          clipped = clipped || st->p5 < lo || st->p95 > hi;
        }
      };
      bar(row.inv, y0 + 8, invest_color, t(Msg::invested));
      bar(row.sav, y0 + 24, harvest_color, t(Msg::harvested));
      svg.text(760 - 4, y0 + rowh / 2 + 4, kr_short(row.npv->mean, lang_), "strong", "end",
               std::string("fill=\"") + (row.npv->mean < 0 ? "#a8423a" : "#2b7a66") + "\"");
    }
    o_ += svg.done() + "\n";
    if (clipped) o_ += "<p class=\"note\">" + std::string(t(Msg::whiskers_run_beyond_the_axis)) + ".</p>\n";
    o_ += "</figure>\n";

    // The key table for management.
    o_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + std::string(t(Msg::department)) + "</th><th class=\"n\">" +
          t(Msg::invested_2) + "</th><th class=\"n\">" + t(Msg::harvested_2) + "</th>" +
          (contracts ? "<th class=\"n\" data-column=\"contracts\">" + std::string(t(Msg::contracts_net_pv)) + "</th>" : std::string()) +
          "<th class=\"n\">" + t(Msg::net_2) + "</th><th class=\"n\">" + t(Msg::net_90_interval) + "</th><th class=\"n\">" +
          t(Msg::return_) + "</th><th class=\"n\">" + t(Msg::chance_of_break_even) +
          "</th></tr></thead>\n<tbody>\n";
    for (const auto& row : rows) {
      const Stat& roi = r_.money_at(v, row.a, -1, Measure::roi);
      o_ += "<tr><td>" + E(account_text(row.a)) + "</td>";
      o_ += "<td class=\"n\">" + kr(row.inv->mean, lang_) + (row.inv->mean < 0 ? " *" : "") + "</td>";
      o_ += "<td class=\"n\">" + kr(row.sav->mean, lang_) + "</td>";
      if (contracts) o_ += "<td class=\"n\">" + signed_kr(r_.money_at(v, row.a, -1, Measure::contract_net_pv).mean) + "</td>";
      o_ += "<td class=\"n " + std::string(sign_class(row.npv->mean)) + "\"><b>" + kr(row.npv->mean, lang_) + "</b></td>";
      o_ += "<td class=\"n\">" + interval_text(*row.npv, lang_) + "</td>";
      o_ += "<td class=\"n\">" + (roi.n > 0 ? number(roi.mean, 2, lang_) : "\u2013") + "</td>";
      o_ += "<td class=\"n\">" + prob_bar(row.pbe->mean) + pct(row.pbe->mean, lang_) + "</td></tr>\n";
    }
    o_ += "</tbody></table></div>\n<p class=\"note\">" +
          std::string(t(Msg::return_net_present_value_per_krone_invested)) +
          "</p>\n";
    if (contracts) o_ += "<p class=\"note\" data-note=\"contracts\">" + std::string(t(Msg::net_includes_contracts)) + "</p>\n";
    if (negative) o_ += "<p class=\"note\" data-note=\"negative-invested\">* " + std::string(t(Msg::negative_invested_explained)) + "</p>\n";
    freed_capacity(v);
  }

  /// Freed capacity (frigjort kapacitet): the non-cashable part of state costs no longer
  /// used, per department, beside the savings and never in them.
  void freed_capacity(int v) {
    if (!has_freed_capacity(s_)) return;
    o_ += "<h4>" + std::string(t(Msg::freed_capacity_2)) + "</h4>\n<p class=\"sub\">" +
          E(freed_capacity_text(r_, v, lang_)) + "</p>\n";
    o_ += "<div class=\"scroll\"><table class=\"freed-capacity\">\n<thead><tr><th>" + std::string(t(Msg::department)) +
          "</th><th class=\"n\">" + t(Msg::freed_capacity_nominal) + "</th><th class=\"n\">" +
          t(Msg::present_value_2) + "</th><th class=\"n\">" + t(Msg::place_years_2) + "</th></tr></thead>\n<tbody>\n";
    auto row = [&](int a, bool strong) {
      const Stat &k = r_.money_at(v, a, -1, Measure::freed_capacity), &pv = r_.money_at(v, a, -1, Measure::freed_capacity_pv),
                 &places = r_.money_at(v, a, -1, Measure::freed_places);
      if (!strong && k.mean == 0.0 && places.mean == 0.0) return;
      const std::string b0 = strong ? "<b>" : "", b1 = strong ? "</b>" : "";
      o_ += "<tr><td>" + b0 + account_name(r_, a, lang_) + b1 + "</td><td class=\"n\">" + b0 + kr(k.mean, lang_) + b1 +
            "</td><td class=\"n\">" + kr(pv.mean, lang_) + "</td><td class=\"n\">" + number(places.mean, 1, lang_) + "</td></tr>\n";
    };
    for (int a = 0; a < r_.accounts.departments; ++a) row(a, false);
    row(r_.accounts.level(FinancingLevel::municipality), true);
    o_ += "</tbody></table></div>\n<p class=\"note\">" +
          std::string(t(Msg::over_the_whole_horizon_baseline_minus_variant)) +
          "</p>\n";
  }

  // --- flows ----------------------------------------------------------------------------
  void flows(const VariantSummary& vs) {
    const int D = r_.accounts.departments;
    const auto& F = vs.flows;
    auto flow = [&](int i, int h) {
      return i < static_cast<int>(F.size()) && h < static_cast<int>(F[i].size()) ? F[i][h] : 0.0;
    };
    std::vector<double> out(D, 0.0), in(D, 0.0), in_all(D, 0.0);
    double total = 0;
    for (int i = 0; i < D; ++i)
      for (int h = 0; h < D; ++h) {
        const double x = flow(i, h);
        in_all[h] += x;
        if (x > 0) out[i] += x, in[h] += x, total += x;
      }
    std::vector<int> L, R;
    for (int d = 0; d < D; ++d) {
      if (out[d] > 0) L.push_back(d);
      if (in[d] > 0) R.push_back(d);
    }
    o_ += "<figure class=\"flows\">\n<figcaption><span class=\"t\">" + std::string(t(Msg::where_the_savings_land)) +
          "</span><span class=\"d\">" +
          t(Msg::from_each_investing_department_left_to_the) +
          "</span></figcaption>\n";
    // Node heights follow the money (the total maps to `span` px); each node gets at least
    // the height of its label, so labels never collide.
    const double gap = 12, top = 28, bottom = 10, span = 300;
    const double k = total > 0 ? span / total : 0.0;
    auto name_of = [&](int d) { return account_text(d); };
    auto slot = [&](int d, double size) {
      return std::max(size * k, 14.0 * static_cast<double>(label_lines(name_of(d), 25).size() + 1) + 4);
    };
    auto side = [&](const std::vector<int>& nodes, const std::vector<double>& size) {
      double h = 0;
      for (int d : nodes) h += slot(d, size[d]);
      return h + gap * std::max(0.0, static_cast<double>(nodes.size()) - 1);
    };
    const double sideL = side(L, out), sideR = side(R, in);
    const double H = std::max(200.0, top + bottom + std::max(sideL, sideR));
    Svg svg("flows", 760, H, t(Msg::flow_of_savings_from_investing_to_harvesting),
            "data-variant=\"" + vkey(vs.variant) + "\"");
    const double xl = 214, xr = 760 - 214, nw = 12;
    svg.text(xl + nw, 14, t(Msg::savings_from_the_investment_of), "unit", "end");
    svg.text(xr, 14, t(Msg::harvested_by), "unit", "start");
    if (total <= 0) {
      svg.rect(xl, top, xr - xl + nw, H - top - bottom, "#f3f5f7", "", "rx=\"6\"");
      svg.text((xl + xr) / 2, H / 2, t(Msg::no_positive_savings_to_attribute), "small", "middle");
      o_ += svg.done() + "\n</figure>\n";
      return;
    }
    const double avail = H - top - bottom;
    auto place = [&](const std::vector<int>& nodes, const std::vector<double>& size, double used) {
      std::vector<double> y(D, 0.0);
      double cur = top + (avail - used) / 2;
      for (int d : nodes) {
        const double sl = slot(d, size[d]);
        y[d] = cur + (sl - size[d] * k) / 2;
        cur += sl + gap;
      }
      return y;
    };
    std::vector<double> ly = place(L, out, sideL), ry = place(R, in, sideR);
    std::vector<double> lcur = ly, rcur = ry;
    // Ribbons first, nodes on top.
    for (int i : L)
      for (int h : R) {
        const double x = flow(i, h);
        if (x <= 0) continue;
        const double th = x * k, y0 = lcur[i], y1 = rcur[h];
        lcur[i] += th;
        rcur[h] += th;
        const double a = xl + nw, b = xr, m = (a + b) / 2;
        const std::string d = "M" + f1(a) + "," + f1(y0) + "C" + f1(m) + "," + f1(y0) + " " + f1(m) + "," + f1(y1) + " " + f1(b) + "," +
                              f1(y1) + "L" + f1(b) + "," + f1(y1 + th) + "C" + f1(m) + "," + f1(y1 + th) + " " + f1(m) + "," +
                              f1(y0 + th) + " " + f1(a) + "," + f1(y0 + th) + "Z";
        const std::string ni = account_text(i);
        const std::string nh = account_text(h);
        svg.path(d, std::string("fill=\"") + node_color(i) + "\" fill-opacity=\"0.34\" stroke=\"#fff\" stroke-width=\"0.6\"",
                 E(ni) + " \u2192 " + E(nh) + ": " + kr(x, lang_));
      }
    for (int i : L) {
      const std::string name = account_text(i);
      const double hh = std::max(2.0, out[i] * k);
      svg.rect(xl, ly[i], nw, hh, node_color(i), E(name) + ": " + kr(out[i], lang_));
      const double cy = ly[i] + hh / 2;
      svg.lines(xl - 8, cy, label_lines(name, 25), {kr_short(out[i], lang_)}, "end", 0, H);
    }
    for (int h : R) {
      const std::string name = account_text(h);
      const double hh = std::max(2.0, in[h] * k);
      svg.rect(xr, ry[h], nw, hh, "#4a5562", E(name) + ": " + kr(in[h], lang_));
      const double cy = ry[h] + hh / 2;
      svg.lines(xr + nw + 8, cy, label_lines(name, 25), {kr_short(in[h], lang_)}, "start", 0, H);
    }
    o_ += svg.done() + "\n";
    std::string losers;
    for (int d = 0; d < D; ++d)
      if (in_all[d] < 0) {
        if (!losers.empty()) losers += ", ";
        losers += E(account_text(d)) + " (" + kr_short(in_all[d], lang_) + ")";
      }
    if (!losers.empty())
      o_ += "<p class=\"note\">" + std::string(t(Msg::not_drawn_departments_whose_costs_rise_with)) +
            losers + ".</p>\n";
    o_ += "</figure>\n";
  }

  // --- distribution of NPV --------------------------------------------------------------
  void histogram(const VariantSummary& vs) {
    std::vector<double> x;
    for (double s : vs.npv_samples)
      if (std::isfinite(s)) x.push_back(s);
    o_ += "<figure class=\"spread\">\n<figcaption><span class=\"t\">" + std::string(t(Msg::how_sure_is_the_result)) +
          "</span><span class=\"d\">" +
          t(Msg::net_present_value_all_parties_in_each) +
          "</span></figcaption>\n<div class=\"legend\"><span><i style=\"background:#c98a74\"></i>" + t(Msg::loss) +
          "</span><span><i style=\"background:#6aa893\"></i>" + t(Msg::gain) + "</span><span><i class=\"ln\" style=\"background:#1c2530\"></i>" +
          t(Msg::mean_4) + "</span><span><i class=\"dash\"></i>" + t(Msg::n5_and_95) + "</span></div>\n";
    Svg svg("npv-distribution", 760, 290, t(Msg::distribution_of_net_present_value_across_iterations),
            "data-variant=\"" + vkey(vs.variant) + "\"");
    const Frame f{60, 30, 760 - 20, 290 - 46};
    if (x.empty()) {
      svg.rect(f.l, f.t, f.r - f.l, f.b - f.t, "#f3f5f7", "", "rx=\"6\"");
      svg.text((f.l + f.r) / 2, (f.t + f.b) / 2, t(Msg::no_iterations), "small", "middle");
      o_ += svg.done() + "\n</figure>\n";
      return;
    }
    double lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
    const int target = std::clamp(static_cast<int>(std::ceil(std::sqrt(static_cast<double>(x.size())))) + 2, 8, 32);
    double blo = lo, bhi = hi;
    auto bins_ticks = nice_ticks(blo, bhi, target); // edges at multiples of a nice width: 0 is an edge
    const double width = bins_ticks.size() > 1 ? bins_ticks[1] - bins_ticks[0] : 1.0;
    const int B = std::max(1, static_cast<int>(bins_ticks.size()) - 1);
    std::vector<int> count(B, 0);
    for (double s : x) count[std::clamp(static_cast<int>(std::floor((s - blo) / width)), 0, B - 1)]++;
    double alo = std::min(blo, 0.0), ahi = std::max(bhi, 0.0);
    auto ticks = nice_ticks(alo, ahi, 7);
    const Scale xs{alo, ahi, f.l, f.r};
    const int cmax = *std::max_element(count.begin(), count.end());
    double clo = 0, chi = cmax;
    auto cticks = nice_ticks(clo, chi, 4);
    const Scale ys{0, chi, f.b, f.t};
    for (double c : cticks) {
      if (c != std::floor(c)) continue;
      svg.line(f.l, ys(c), f.r, ys(c), "grid");
      svg.text(f.l - 8, ys(c) + 4, number(c, 0, lang_), "tick", "end");
    }
    svg.text(f.l - 8, f.t - 12, t(Msg::iterations_2), "unit", "start", "");
    MoneyAxis ma = money_axis(ticks, lang_);
    for (double tk : ticks) svg.text(xs(tk), f.b + 16, ma.tick(tk, lang_), "tick", "middle");
    svg.text((f.l + f.r) / 2, f.b + 34, std::string(t(Msg::net_present_value)) + E(ma.unit), "small", "middle");
    for (int b = 0; b < B; ++b) {
      if (!count[b]) continue;
      const double a0 = blo + b * width, a1 = a0 + width;
      const char* color = (a0 + a1) / 2 < 0 ? "#c98a74" : "#6aa893";
      svg.rect(xs(a0) + 0.5, ys(count[b]), std::max(1.0, xs(a1) - xs(a0) - 1.0), ys(0) - ys(count[b]), color,
               kr_short(a0, lang_) + " \u2013 " + kr_short(a1, lang_) + ": " + std::to_string(count[b]));
    }
    svg.line(f.l, f.b, f.r, f.b, "axis");
    // The mean's label above the plot (centred on the mean, about 7 px a character, kept
    // inside the chart) and the zero line's "0" beside it, on the side away from the label,
    // or not at all when neither side is free (the x axis has its 0 tick).
    const std::string mean_label = std::string(t(Msg::mean_5)) + kr_short(vs.npv.mean, lang_);
    const double mean_w = 7.0 * static_cast<double>(code_points(mean_label));
    const double mean_x = std::clamp(xs(std::isfinite(vs.npv.mean) ? vs.npv.mean : 0.0), mean_w / 2 + 2, 760 - mean_w / 2 - 2);
    if (alo < 0 && ahi > 0) {
      svg.line(xs(0), f.t - 6, xs(0), f.b, "zero");
      const double m0 = mean_x - mean_w / 2 - 4, m1 = mean_x + mean_w / 2 + 4;
      if (xs(0) + 12 < m0 || xs(0) + 4 > m1) svg.text(xs(0) + 4, f.t - 8, "0", "small");
      else if (xs(0) - 12 > m1 || xs(0) - 4 < m0) svg.text(xs(0) - 4, f.t - 8, "0", "small", "end");
    }
    auto marker = [&](double v, const std::string& label, bool dashed, const char* anchor, double y) {
      if (!std::isfinite(v)) return;
      svg.line(xs(v), f.t, xs(v), f.b, "",
               std::string("stroke=\"#1c2530\" stroke-width=\"") + (dashed ? "1.2\" stroke-dasharray=\"4 3\"" : "2\""));
      if (label.empty()) return;
      // Keep the label inside the plot: flip to the other side of its line when it would
      // cross an edge (about 6.3 px per character at the small size).
      const double label_width = 6.3 * static_cast<double>(label.size());
      bool end = std::string_view(anchor) == "end";
      if (end && xs(v) - 4 - label_width < f.l) end = false;
      else if (!end && xs(v) + 4 + label_width > f.r) end = true;
      svg.text(xs(v) + (end ? -4 : 4), y, label, "small", end ? "end" : "start");
    };
    marker(vs.npv.p5, "5 %: " + kr_short(vs.npv.p5, lang_), true, "end", f.t + 10);
    marker(vs.npv.p95, "95 %: " + kr_short(vs.npv.p95, lang_), true, "start", f.t + 24);
    marker(vs.npv.mean, "", false, "start", f.t + 10);
    svg.text(mean_x, f.t - 8, mean_label, "strong", "middle");
    o_ += svg.done() + "\n</figure>\n";
  }

  // --- outcomes and targets -------------------------------------------------------------
  void outcomes(const VariantSummary& vs) {
    const int v = vs.variant;
    if (s_.indicators.empty()) return;
    o_ += "<h3>" + std::string(t(Msg::outcomes_and_targets)) + "</h3>\n<p class=\"sub\">" +
          t(Msg::share_of_the_group_meeting_each_indicator) +
          "</p>\n<div class=\"legend\"><span><i class=\"ln\" style=\"background:" + variant_color(color_index(v)) + "\"></i>" +
          t(Msg::with) + vid(v) + "</span><span><i class=\"band\" style=\"background:" + variant_color(color_index(v)) + "\"></i>" +
          t(Msg::n90_interval) + "</span><span><i class=\"dash\"></i>" + t(Msg::without_baseline) +
          "</span><span><i style=\"background:#1c2530;height:3px\"></i>" + t(Msg::target_2) + "</span></div>\n<div class=\"grid2\">\n";
    for (std::size_t k = 0; k < s_.indicators.size(); ++k) {
      const int ki = static_cast<int>(k);
      std::vector<Group> groups;
      if (r_.has_indicator(v, ki, Group::participants)) groups.push_back(Group::participants);
      for (const auto& tg : s_.targets)
        if (tg.indicator == ki && std::find(groups.begin(), groups.end(), tg.among) == groups.end() &&
            r_.has_indicator(v, ki, tg.among))
          groups.push_back(tg.among);
      if (groups.empty() && r_.has_indicator(v, ki, Group::all)) groups.push_back(Group::all);
      for (Group g : groups) indicator_chart(v, ki, g);
    }
    o_ += "</div>\n";
    // Targets table.
    bool any = false;
    for (const auto& tr : r_.targets) any |= tr.variant == v;
    if (!any) return;
    o_ += "<div class=\"scroll\"><table>\n<caption>" + std::string(t(Msg::targets)) + "</caption>\n<thead><tr><th>" +
          t(Msg::target_3) + "</th><th>" + t(Msg::group) + "</th><th class=\"n\">" + t(Msg::expected_share) +
          "</th><th class=\"n\">" + t(Msg::n90_interval) + "</th><th class=\"n\">" +
          t(Msg::chance_of_reaching_it) + "</th><th class=\"n\">" + t(Msg::without_the_project_2) +
          "</th></tr></thead>\n<tbody>\n";
    for (const auto& tr : r_.targets) {
      if (tr.variant != v) continue;
      const Target& tg = s_.targets[tr.target];
      // (Unless its text names the year already, as the default does.)
      const bool say = tg.at_budget_year != 0 && tg.text.in(lang_).find(std::to_string(tg.at_budget_year)) == std::string::npos;
      const std::string when = say ? " (" + std::string(t(Msg::end_of)) +
                                                            std::to_string(tg.at_budget_year) + ")"
                                                      : "";
      o_ += "<tr><td>" + E(tg.text.in(lang_)) + when + "</td><td>" + group_name(tg.among, lang_) +
            "</td><td class=\"n\">" + pct(tr.value.mean, lang_) + "</td><td class=\"n\">" + pct(tr.value.p5, lang_) + "\u2013" +
            pct(tr.value.p95, lang_) + "</td><td class=\"n\"><b>" + prob_bar(tr.probability) + pct(tr.probability, lang_) +
            "</b></td><td class=\"n\">" + pct(tr.baseline_probability, lang_) + "</td></tr>\n";
    }
    o_ += "</tbody></table></div>\n";
  }

  /// By calendar budget year (the primary axis): the share at the end of each year the
  /// horizon touches (its December; a last part year at the horizon's end), placed by months
  /// from the start.
  void indicator_chart(int v, int k, Group group) {
    const Indicator& ind = s_.indicators[k];
    const std::string label = ind.label.empty() ? ind.id : ind.label.in(lang_);
    const BudgetCalendar calendar(s_.run);
    const MeasurementPoints points(s_);
    std::vector<int> years; // calendar indices with a measurement
    std::vector<double> mean{}, lo{}, hi{}, base{}, at{};
    double top = 0;
    for (int c = 0; c < calendar.years(); ++c) {
      const Stat* st = r_.indicator_in_budget_year(v, k, group, calendar.year_at(c), OutcomeMeasure::value);
      const Stat* bs = r_.indicator_in_budget_year(v, k, group, calendar.year_at(c), OutcomeMeasure::baseline);
      const int point = points.calendar[static_cast<std::size_t>(c)];
      if (!st || !bs || point < 0) continue;
      years.push_back(c);
      at.push_back(points.months[static_cast<std::size_t>(point)]);
      mean.push_back(st->mean);
      lo.push_back(st->p5);
      hi.push_back(st->p95);
      base.push_back(bs->mean);
      for (double x : {hi.back(), base.back(), mean.back()})
        if (std::isfinite(x)) top = std::max(top, x);
    }
    const int Y = static_cast<int>(years.size());
    auto year_label = [&](int i) {
      const int c = years[static_cast<std::size_t>(i)];
      return std::to_string(calendar.year_at(c)) + (calendar.months_in(c) < 12 ? "*" : "");
    };
    struct Mark {
      const Target* tg;
      const TargetResult* res;
    };
    std::vector<Mark> marks;
    for (std::size_t ti = 0; ti < s_.targets.size(); ++ti) {
      const Target& tg = s_.targets[ti];
      if (tg.indicator != k || tg.among != group) continue;
      const TargetResult* res = nullptr;
      for (const auto& tr : r_.targets)
        if (tr.variant == v && tr.target == static_cast<int>(ti)) res = &tr;
      marks.push_back({&tg, res});
      if (std::isfinite(tg.at_least)) top = std::max(top, tg.at_least);
      if (std::isfinite(tg.at_most)) top = std::max(top, tg.at_most);
    }
    double ylo = 0, yhi = std::min(1.0, std::max(0.05, top * 1.12));
    auto ticks = nice_ticks(ylo, yhi, 5);
    const double W = 400, H = 250;
    o_ += "<figure>\n<figcaption><span class=\"t\">" + E(label) + "</span><span class=\"d\">" + t(Msg::among) +
          group_name(group, lang_) + "</span></figcaption>\n";
    Svg svg("outcomes", W, H, E(label), "data-variant=\"" + vkey(v) + "\" data-indicator=\"" + E(ind.id) + "\" data-group=\"" + name_of(group) + "\"");
    const Frame f{48, 22, W - 14, H - 40};
    const Scale xs{0.0, static_cast<double>(calendar.months), f.l, f.r}, ys{ylo, yhi, f.b, f.t};
    for (double tk : ticks) {
      svg.line(f.l, ys(tk), f.r, ys(tk), tk == 0.0 ? "axis" : "grid");
      svg.text(f.l - 6, ys(tk) + 4, pct(tk, lang_), "tick", "end");
    }
    // Year labels, as many as fit: every one, every other, or every fifth, and never two
    // closer than a label is wide (a short last part year).
    const int every = Y <= 6 ? 1 : Y <= 12 ? 2 : 5;
    double last_x = -1e9;
    for (int i = 0; i < Y; ++i) {
      if (i % every != 0) continue;
      const double x = xs(at[static_cast<std::size_t>(i)]);
      if (x - last_x < 40) continue;
      // The last label ends inside the chart (about 6 px a character at the tick size).
      const double half = 3.0 * static_cast<double>(code_points(year_label(i)));
      if (x + half > W - 2) svg.text(W - 2, f.b + 16, E(year_label(i)), "tick", "end");
      else svg.text(x, f.b + 16, E(year_label(i)), "tick", "middle");
      last_x = x;
    }
    svg.text((f.l + f.r) / 2, f.b + 32, t(Msg::end_of_budget_year_part_year), "small",
             "middle");
    std::vector<double> xv;
    for (int i = 0; i < Y; ++i) xv.push_back(xs(at[static_cast<std::size_t>(i)]));
    auto map = [&](const std::vector<double>& vals) {
      std::vector<double> out;
      for (double x : vals) out.push_back(std::isfinite(x) ? ys(std::clamp(x, ylo, yhi)) : x);
      return out;
    };
    const std::string c = variant_color(color_index(v));
    svg.path(band_path(xv, map(lo), map(hi)), "fill=\"" + c + "\" fill-opacity=\"0.14\" stroke=\"none\"");
    svg.path(line_path(xv, map(base)), std::string("fill=\"none\" stroke=\"") + baseline_color + "\" stroke-width=\"2\" stroke-dasharray=\"5 4\"");
    const auto my = map(mean);
    svg.path(line_path(xv, my), "fill=\"none\" stroke=\"" + c + "\" stroke-width=\"2.5\" stroke-linejoin=\"round\"");
    for (int y = 0; y < Y; ++y)
      if (std::isfinite(mean[y]))
        svg.circle(xv[y], my[y], 2.5, c,
                   E(year_label(y)) + ": " + pct(mean[y], lang_, 1) + " (" +
                       t(Msg::without) + " " + pct(base[y], lang_, 1) + ")");
    for (const auto& mk : marks) {
      // A calendar year's target sits at its December, a project year's at its end.
      const double x = xs(mk.tg->at_budget_year != 0 ? months_to_december(s_.run, mk.tg->at_budget_year)
                                                     : 12.0 * mk.tg->at_year);
      for (double thr : {mk.tg->at_least, mk.tg->at_most}) {
        if (!std::isfinite(thr)) continue;
        const double y = ys(std::clamp(thr, ylo, yhi));
        svg.line(x - 14, y, x + 14, y, "", "stroke=\"#1c2530\" stroke-width=\"3\"");
        svg.line(x, y, x, f.b, "", "stroke=\"#1c2530\" stroke-width=\"1\" stroke-dasharray=\"2 3\"");
        const std::string text = std::string(t(Msg::target_4)) + (thr == mk.tg->at_least ? "\u2265 " : "\u2264 ") + pct(thr, lang_);
        const bool right = x < (f.l + f.r) / 2;
        const double tx = right ? x + 18 : x - 18;
        svg.text(tx, y - (mk.res ? 19 : 6), text, "strong", right ? "start" : "end");
        if (mk.res)
          svg.text(tx, y - 6, std::string(t(Msg::chance)) + pct(mk.res->probability, lang_), "small",
                   right ? "start" : "end");
      }
    }
    o_ += svg.done() + "\n</figure>\n";
  }

  // --- contracts ------------------------------------------------------------------------
  void contracts(const VariantSummary& vs) {
    const int v = vs.variant;
    std::vector<const ContractResult*> list;
    for (const auto& c : r_.contracts)
      if (c.variant == v) list.push_back(&c);
    if (list.empty()) return;
    o_ += "<h3>" + std::string(t(Msg::pay_for_results)) + "</h3>\n<p class=\"sub\">" +
          t(Msg::what_the_contracts_pay_out_how_likely) +
          "</p>\n";
    o_ += "<figure>\n<figcaption><span class=\"t\">" + std::string(t(Msg::chance_that_each_contract_pays)) +
          "</span><span class=\"d\">" + t(Msg::share_of_iterations_in_which_the_condition) +
          "</span></figcaption>\n";
    const double rowh = 52, H = 30 + rowh * static_cast<double>(list.size()) + 8;
    Svg svg("contracts", 760, H, t(Msg::pay_for_results_contracts), "data-variant=\"" + vkey(v) + "\"");
    const double x0 = 250, x1 = 560;
    const Scale xs{0, 1, x0, x1};
    for (double p : {0.0, 0.25, 0.5, 0.75, 1.0}) {
      svg.line(xs(p), 22, xs(p), H - 8, p == 0.0 ? "axis" : "grid");
      svg.text(xs(p), 16, pct(p, lang_), "tick", "middle");
    }
    svg.text(760 - 4, 16, t(Msg::expected_payment_pv), "unit", "end");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const ContractResult& c = *list[i];
      const Contract& k = s_.variants[v].contracts[c.contract];
      const double y0 = 30 + rowh * static_cast<double>(i);
      svg.text(x0 - 12, y0 + 16, E(clip(k.id, 34)), "strong", "end");
      svg.text(x0 - 12, y0 + 32, E(clip(s_.departments[k.payer].id, 16)) + " \u2192 " + E(clip(s_.departments[k.payee].id, 16)), "small", "end");
      svg.rect(x0, y0 + 12, x1 - x0, 18, "#eef1f4", "", "rx=\"3\"");
      svg.rect(x0, y0 + 12, std::max(1.0, xs(std::clamp(c.probability_triggered, 0.0, 1.0)) - x0), 18, "#1f5f8b",
               E(k.id) + ": " + pct(c.probability_triggered, lang_), "rx=\"3\"");
      svg.text(x1 + 10, y0 + 26, pct(c.probability_triggered, lang_), "strong");
      svg.text(760 - 4, y0 + 26, kr_short(c.payment_pv.mean, lang_), "strong", "end");
    }
    o_ += svg.done() + "\n</figure>\n";
    o_ += "<div class=\"scroll\"><table>\n<thead><tr><th>" + std::string(t(Msg::contract)) + "</th><th>" + t(Msg::condition) +
          "</th><th class=\"n\">" + t(Msg::chance_it_pays) + "</th><th class=\"n\">" + t(Msg::expected_payment) +
          "</th><th class=\"n\">" + t(Msg::present_value_2) + "</th><th class=\"n\">" + t(Msg::payer_s_npv_after_paying) +
          "</th><th class=\"n\">" + t(Msg::payee_s_return) + "</th></tr></thead>\n<tbody>\n";
    for (const ContractResult* cp : list) {
      const ContractResult& c = *cp;
      const Contract& k = s_.variants[v].contracts[c.contract];
      const Indicator& ind = s_.indicators[k.indicator];
      std::string cond = E(ind.label.empty() ? ind.id : ind.label.in(lang_)) + " \u2265 " + pct(k.at_least, lang_) + " " + t(Msg::among_2) +
                         group_name(k.among, lang_) + ", " +
                         (k.at_budget_year != 0 ? std::string(t(Msg::end_of)) + std::to_string(k.at_budget_year)
                                                : std::string(t(Msg::year_2)) + std::to_string(k.at_year)) +
                         ". ";
      if (!(k.amount.dist.is_fixed() && k.amount.dist.a == 0.0))
        cond += std::string(t(Msg::pays)) + (k.amount.dist.is_fixed() ? kr(k.amount.dist.a, lang_) : in_words(k.amount.dist, lang_));
      if (!(k.amount_per_person.dist.is_fixed() && k.amount_per_person.dist.a == 0.0))
        cond += std::string(t(Msg::pays_per_person)) +
                (k.amount_per_person.dist.is_fixed() ? kr(k.amount_per_person.dist.a, lang_) : in_words(k.amount_per_person.dist, lang_));
      if (!k.note.empty()) cond += "<br><span class=\"note\">" + E(k.note.in(lang_)) + "</span>";
      o_ += "<tr><td><b>" + E(k.id) + "</b><br><span class=\"note\">" + E(department_text(k.payer)) +
            " \u2192 " + E(department_text(k.payee)) + "</span></td><td class=\"wide\">" +
            cond + "</td><td class=\"n\">" + pct(c.probability_triggered, lang_) + "</td><td class=\"n\">" + kr(c.payment.mean, lang_) +
            "<br><span class=\"note\">90 %: " + kr_short(c.payment.p5, lang_) + "\u2013" + kr_short(c.payment.p95, lang_) + "</span></td><td class=\"n\">" +
            kr(c.payment_pv.mean, lang_) + "</td><td class=\"n " + sign_class(c.payer_npv.mean) + "\">" + kr_short(c.payer_npv.mean, lang_) +
            "<br><span class=\"note\">90 %: " + interval_text(c.payer_npv, lang_) + "</span></td><td class=\"n\">" +
            (c.payee_return.n > 0 ? pct(c.payee_return.mean, lang_) : "\u2013") + "</td></tr>\n";
    }
    o_ += "</tbody></table></div>\n";
  }

  // --- method, assumptions, manifest ----------------------------------------------------
  void method() {
    o_ += "<section id=\"method\">\n<h2>" + std::string(t(Msg::how_to_read_these_results)) + "</h2>\n";
    o_ += format_message(lang_, Msg::report_method_paragraphs,
                         {std::to_string(horizon()), std::to_string(s_.run.price_year), E(s_.run.start.text()), discount_text(),
                          number(r_.plan.iterations, 0, lang_)});
    if (m_.central)
      o_ += "<p class=\"callout\">" +
            std::string(t(Msg::this_run_used_central_every_parameter_was)) +
            "</p>\n";
    o_ += "<p class=\"note\">" + std::string(t(Msg::project_years_twelve_months_from_the_start)) + E(year_span(s_, 0, lang_)) + ".</p>\n</section>\n";
  }

  /// The source cell of an assumption: the source in words, a GUESS as "assumption (no
  /// source)" with the rest of its text, no source as such (report/assumptions.hpp).
  std::string source_cell(const AssumptionRow& a) const {
    switch (a.backing) {
      case Backing::source: return E(a.source);
      case Backing::guess: {
        return "<span class=\"guess\">" + std::string(t(Msg::as_backing_guess)) + "</span>" +
               (only_the_word_guess(a.source) ? std::string() : "<br>" + E(a.source));
      }
      case Backing::none: return "<span class=\"guess\">" + std::string(t(Msg::as_backing_none)) + "</span>";
    }
    return {};
  }

  /// Per variant: how much of the change in costs lies on lines whose amount is a guess
  /// (report/assumptions.hpp, guess_weights, the one measure), in one line.
  std::string guess_weight_text(const GuessWeight& g) const {
    std::string text = format_message(lang_, Msg::as_guess_variant,
                                      {std::isnan(g.guessed_share) ? std::string(t(Msg::n_a)) : pct(g.guessed_share, lang_),
                                       std::to_string(g.top_unbacked), std::to_string(g.top)});
    if (g.effects > 0)
      text += "; " + format_message(lang_, Msg::as_guess_effects, {std::to_string(g.effects_unbacked), std::to_string(g.effects)});
    return text + ".";
  }

  /// The first page's line under the evidence grades: how many numbers have no source, and
  /// per variant how much of the change in costs rests on them.
  void guesses() {
    const auto rows = assumption_rows(s_, lang_);
    int unbacked_rows = 0;
    for (const auto& a : rows) unbacked_rows += unbacked(a.backing) ? 1 : 0;
    o_ += "<p class=\"sub\" data-guesses=\"" + std::to_string(unbacked_rows) + "/" + std::to_string(rows.size()) + "\"><b>" +
          std::string(t(Msg::as_guess_heading)) + ".</b> " +
          E(format_message(lang_, Msg::as_guess_count, {std::to_string(unbacked_rows), std::to_string(rows.size())})) + "</p>\n";
    const auto weights = guess_weights(r_, lang_);
    if (weights.empty()) return;
    o_ += "<ul class=\"evidence\">";
    for (const auto& g : weights) o_ += "<li><b>" + vid(g.variant) + "</b>: " + E(guess_weight_text(g)) + "</li>";
    o_ += "</ul>\n";
  }

  void assumptions() {
    const auto rows = assumption_rows(s_, lang_);
    int unbacked_rows = 0;
    for (const auto& a : rows) unbacked_rows += unbacked(a.backing) ? 1 : 0;
    o_ += "<section id=\"assumptions\">\n<h2>" + std::string(t(Msg::assumptions)) + "</h2>\n<p class=\"sub\">" +
          t(Msg::every_number_in_the_scenario_with_its) + " " +
          E(format_message(lang_, Msg::as_guess_count, {std::to_string(unbacked_rows), std::to_string(rows.size())})) + "</p>\n";
    // How much rests on them, per variant, with the lines that change most.
    const auto weights = guess_weights(r_, lang_);
    if (!weights.empty()) {
      o_ += "<ul class=\"evidence\">";
      for (const auto& g : weights) {
        o_ += "<li><b>" + vid(g.variant) + "</b>: " + E(guess_weight_text(g));
        if (g.top > 0) {
          o_ += "<br><span class=\"note\">" + std::string(t(Msg::as_largest_lines)) + ": ";
          for (int i = 0; i < g.top; ++i) {
            const auto& l = g.lines[static_cast<std::size_t>(i)];
            o_ += std::string(i ? "; " : "") + E(l.label) + " " + kr_short(l.change, lang_) +
                  (l.unbacked ? " \u00b7 <span class=\"guess\">" + std::string(t(Msg::as_backing_guess)) + "</span>" : std::string());
          }
          o_ += "</span>";
        }
        o_ += "</li>";
      }
      o_ += "</ul>\n<p class=\"note\">" + E(t(Msg::as_guess_method)) + "</p>\n";
    }
    o_ += "<p class=\"note print-only\">" + E(t(Msg::as_print_key_paths)) + "</p>\n";
    o_ += "<div class=\"scroll\"><table class=\"assumptions\">\n<thead><tr><th>" + std::string(t(Msg::as_col_what)) + "</th><th>" +
          t(Msg::value_or_distribution) + "</th><th>" + t(Msg::as_col_unit) + "</th><th>" + t(Msg::as_col_price_year) + "</th><th>" +
          t(Msg::source) + "</th><th class=\"tech\">" + t(Msg::as_col_key_path) + "</th></tr></thead>\n<tbody>\n";
    for (const auto& a : rows) {
      std::string value;
      if (a.quantity)
        value = a.quantity->dist.is_fixed() ? plain(a.quantity->dist.a, lang_) : in_words(a.quantity->dist, lang_);
      else if (a.dirichlet) {
        // The counts per destination, then staying (Dirichlet rows are drawn jointly).
        for (std::size_t i = 0; i < a.dirichlet->alpha.size(); ++i) {
          const bool stay = i >= a.band->destinations.size();
          value += std::string(i ? ", " : "") + (stay ? std::string(t(Msg::stay)) : E(state_word(s_, a.domain, a.band->destinations[i], lang_))) +
                   " " + plain(a.dirichlet->alpha[i], lang_);
        }
      }
      std::string year = a.price_year ? std::to_string(a.price_year) : std::string();
      if (a.given_price_year)
        year += "<br><span class=\"note\">" + E(format_message(lang_, Msg::as_given_in_prices, {std::to_string(a.given_price_year)})) +
                "</span>";
      o_ += std::string("<tr") + (unbacked(a.backing) ? " class=\"unbacked\"" : "") + "><td>" + E(a.label) + "</td><td>" + value +
            "</td><td>" + E(a.unit) + "</td><td>" + year + "</td><td>" + source_cell(a) + "</td><td class=\"code tech\">" + E(a.path) +
            "</td></tr>\n";
    }
    o_ += "</tbody></table></div>\n";
    // Fixed settings that are not quantities.
    o_ += "<div class=\"scroll\"><table class=\"settings\">\n<thead><tr><th>" + std::string(t(Msg::setting)) + "</th><th>" + t(Msg::value) +
          "</th></tr></thead>\n<tbody>\n";
    o_ += "<tr><td>" + std::string(t(Msg::discount_rate_2)) + "</td><td>" + discount_text() + "</td></tr>\n";
    o_ += "<tr><td>" + std::string(t(Msg::time_step)) + "</td><td>" + std::to_string(s_.run.cycle_months) + t(Msg::month_s) + "</td></tr>\n";
    if (s_.uses_effect_haircut())
      o_ += "<tr><td>" + std::string(t(Msg::haircut_on_effects_optimism_bias_deadweight)) +
            "</td><td>" + haircut_text() + "</td></tr>\n";
    for (const auto& rr : s_.reimbursements) {
      std::string steps;
      for (std::size_t i = 0; i < rr.state_share.size(); ++i) {
        if (i) steps += ", ";
        steps += pct(rr.state_share[i], lang_) + " ";
        if (i < rr.weeks.size())
          steps += std::string(t(Msg::to_week)) + number(rr.weeks[i], 0, lang_);
        else
          steps += t(Msg::after);
      }
      o_ += "<tr><td>" + std::string(t(Msg::reimbursement)) + E(rr.id) + "</td><td>" + steps + "</td></tr>\n";
    }
    // A department of the municipality is a "Forvaltning"; the state or a fund is a party.
    constexpr Msg level_word[] = {Msg::level_municipality, Msg::level_region, Msg::level_state, Msg::level_external};
    for (const auto& d : s_.departments)
      o_ += "<tr><td>" + std::string(t(d.level == FinancingLevel::municipality ? Msg::department_2 : Msg::party)) + E(d.id) +
            "</td><td>" + E(d.name.in(lang_)) + " (" + t(level_word[static_cast<int>(d.level)]) + ")</td></tr>\n";
    o_ += "</tbody></table></div>\n</section>\n";
  }

  void manifest() {
    o_ += "<section id=\"manifest\">\n<h2>" + std::string(t(Msg::manifest)) + "</h2>\n<p class=\"sub\">" +
          t(Msg::how_these_results_were_made_the_same) +
          "</p>\n<div class=\"scroll\"><table>\n<tbody>\n";
    auto row = [&](Msg label, const std::string& value) {
      o_ += "<tr><th>" + std::string(t(label)) + "</th><td class=\"code\">" + value + "</td></tr>\n";
    };
    row(Msg::scenario_2, E(s_.id));
    row(Msg::scenario_file, E(m_.scenario_file));
    row(Msg::scenario_hash, E(m_.scenario_hash.empty() ? s_.content_hash : m_.scenario_hash));
    std::string files;
    for (const auto& fl : m_.files) files += (files.empty() ? "" : "<br>") + E(fl);
    if (!files.empty()) row(Msg::files_read, files);
    row(Msg::engine_version, E(m_.engine_version));
    row(Msg::engine_commit, E(m_.engine_commit));
    row(Msg::seed, std::to_string(m_.seed));
    row(Msg::parameter_uncertainty,
        m_.central ? t(Msg::off_central_every_parameter_at_its_median)
                   : t(Msg::on_each_iteration_draws_the_parameters));
    row(Msg::transfers_neutralised,
        r_.neutralised() ? t(Msg::on_the_neutralised_share_of_transfer_savings)
                         : t(Msg::off_the_municipality_keeps_its_transfer_savings));
    row(Msg::iterations_3, std::to_string(m_.iterations));
    row(Msg::threads_2, std::to_string(m_.threads));
    row(Msg::run_time, number(m_.seconds, 1, lang_) + " s");
    row(Msg::started_utc, E(m_.started_at));
    row(Msg::command_line, E(m_.command_line));
    o_ += "</tbody></table></div>\n</section>\n";
  }
};

} // namespace

std::string html_report(const Results& results, const Manifest& manifest, Language lang) {
  if (!results.scenario) return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>socinvest</title></head><body></body></html>\n";
  return Report(results, manifest, lang).build();
}

} // namespace socinvest
