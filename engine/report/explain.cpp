#include <socinvest/montecarlo/success_rate.hpp>
#include <socinvest/report/explain.hpp>

#include <socinvest/report/assumptions.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/enum_names.hpp>

#include <cmath>
#include <variant>

namespace socinvest {

namespace {

class Explainer {
public:
  Explainer(const Scenario& s, Language lang) : s_(s), lang_(lang) {}

  std::string text() {
    header();
    departments();
    state_costs();
    transition_costs();
    variants();
    warnings();
    return o_;
  }

private:
  [[nodiscard]] const char* t(Msg m) const { return T(lang_, m); }

  [[nodiscard]] std::string kr(double v) const {
    const double a = std::abs(v);
    // Whole kroner for amounts people write as whole kroner; two decimals below 100 kr.
    return (a >= 100.0 || a == std::floor(a) ? grouped(std::round(v), lang_) : decimal(v, 2, lang_)) + " kr.";
  }

  [[nodiscard]] std::string number(double v) const {
    return v == std::floor(v) && std::abs(v) < 1e9 ? grouped(v, lang_) : decimal(v, 4, lang_);
  }

  /// A quantity in words: its value, or its mean and 90 % range and the distribution's kind.
  [[nodiscard]] std::string value(const Quantity& q, bool money) const {
    auto show = [&](double v) { return money ? kr(v) : number(v); };
    if (q.dist.is_fixed()) return show(q.dist.mean());
    return show(q.dist.mean()) + " " + t(Msg::explain_on_average) + " (90 %: " + show(q.dist.quantile(0.05)) +
           " " + t(Msg::to_2) + " " + show(q.dist.quantile(0.95)) + "; " + distribution_kind_name(q.dist.kind) + ")";
  }

  /// The lines under a quantity: the amount as given and the index, its source, where it is.
  void provenance(const Quantity& q, const std::string& indent) {
    if (q.given_price_year != 0 && q.given_price_year != s_.run.price_year)
      o_ += indent + t(Msg::explain_given_in) + std::to_string(q.given_price_year) + t(Msg::explain_prices) +
            kr(q.dist.mean() / q.price_factor) + " \u00d7 " + decimal(q.price_factor, 4, lang_) + " (" +
            t(Msg::explain_price_index) + std::to_string(q.given_price_year) + " \u2192 " +
            std::to_string(s_.run.price_year) + ")\n";
    // The source in the words of the assumptions table (report/assumptions.hpp): a GUESS, or
    // no source at all, is said to be an assumption.
    switch (backing_of(q.source)) {
      case Backing::source: o_ += indent + t(Msg::explain_source) + q.source + "\n"; break;
      case Backing::guess:
        o_ += indent + t(Msg::explain_source) + t(Msg::as_backing_guess) + (only_the_word_guess(q.source) ? "" : ": " + q.source) + "\n";
        break;
      case Backing::none: o_ += indent + t(Msg::explain_source) + t(Msg::as_backing_none) + "\n"; break;
    }
    o_ += indent + t(Msg::explain_written_at) + (q.origin.empty() ? t(Msg::explain_default) : q.origin) +
          "   [" + q.path + "]\n";
  }

  [[nodiscard]] std::string department(int d) const {
    if (d < 0 || d >= static_cast<int>(s_.departments.size())) return "?";
    const Department& dep = s_.departments[static_cast<std::size_t>(d)];
    const std::string& name = dep.name.in(lang_);
    return name.empty() || name == dep.id ? dep.id : name + " (" + dep.id + ")";
  }

  [[nodiscard]] std::string state(int domain, int st) const {
    const Domain& d = s_.domains[static_cast<std::size_t>(domain)];
    return d.id + "." + (st >= 0 && st < static_cast<int>(d.states.size()) ? d.states[static_cast<std::size_t>(st)] : "?");
  }

  void header() {
    const std::string& title = s_.title.in(lang_);
    o_ += title.empty() || title == s_.id ? s_.id : title + " (" + s_.id + ")";
    o_ += "\n";
    if (!s_.description.empty()) o_ += s_.description.in(lang_) + "\n";
    o_ += "\n" + std::string(t(Msg::explain_files)) + ":\n";
    for (const auto& f : s_.files) o_ += "  " + f + "\n";
    const RunSettings& r = s_.run;
    o_ += "\n" + std::string(t(Msg::explain_run)) + ": " + t(Msg::wb_from) + r.start.text() + ", " +
          std::to_string(r.horizon_years) + t(Msg::explain_years) +
          (r.cycle_months == 1 ? t(Msg::explain_monthly_steps)
                               : r.cycle_months == 3 ? t(Msg::explain_quarterly_steps)
                                                     : t(Msg::explain_yearly_steps)) +
          ", " + grouped(r.iterations, lang_) + t(Msg::explain_iterations_seed) + std::to_string(r.seed) +
          "\n  " + t(Msg::explain_amounts_in_fixed) + std::to_string(r.price_year) + t(Msg::prices) +
          "; " + t(Msg::discount_rate);
    for (std::size_t i = 0; i < r.discount.size(); ++i) {
      if (i) o_ += ", ";
      o_ += percent(r.discount[i].rate, lang_, 1);
      if (r.discount[i].from_year > 0)
        o_ += std::string(t(Msg::from_year)) + number(r.discount[i].from_year);
    }
    o_ += "\n";
  }

  void departments() {
    o_ += "\n" + std::string(t(Msg::explain_departments_and_funds)) + ":\n";
    for (std::size_t d = 0; d < s_.departments.size(); ++d)
      o_ += "  " + department(static_cast<int>(d)) + ": " + level(s_.departments[d].level) + "\n";
  }

  [[nodiscard]] const char* level(FinancingLevel l) const {
    switch (l) {
    case FinancingLevel::municipality: return t(Msg::level_municipality);
    case FinancingLevel::region: return t(Msg::level_region);
    case FinancingLevel::state: return t(Msg::explain_state);
    default: return t(Msg::explain_external_fund_foundation);
    }
  }

  [[nodiscard]] const char* type(ExpenditureType e) const {
    switch (e) {
    case ExpenditureType::service: return t(Msg::explain_service);
    case ExpenditureType::transfer: return t(Msg::explain_transfer);
    case ExpenditureType::capital: return t(Msg::capital);
    default: return t(Msg::tax);
    }
  }

  void line(const CostLine& l, bool per_month) {
    o_ += "    " + department(l.department) + ": " + value(l.amount, true) +
          (per_month ? t(Msg::explain_a_person_month) : t(Msg::explain_a_move)) + ", " + type(l.type);
    if (l.reimbursement >= 0)
      o_ += std::string(t(Msg::explain_state_reimbursement_by_rule)) +
            s_.reimbursements[static_cast<std::size_t>(l.reimbursement)].id;
    if (l.cashable_share < 1.0) o_ += std::string(t(Msg::explain_cashable_share)) + percent(l.cashable_share, lang_);
    if (l.neutralised_share > 0.0) o_ += std::string(t(Msg::explain_neutralised_share)) + percent(l.neutralised_share, lang_);
    if (l.equalisation)
      o_ += std::string(t(Msg::explain_equalised)) + percent(l.equalisation->share, lang_) + t(Msg::to) +
            department(l.equalisation->to);
    if (l.facility)
      o_ += std::string(t(Msg::explain_facility_of)) + std::to_string(l.facility->places) +
            t(Msg::explain_places_closing_in_steps_of) + std::to_string(l.facility->step);
    o_ += "\n";
    if (!l.note.empty()) o_ += "      " + l.note.in(lang_) + "\n";
    provenance(l.amount, "      ");
    // A takst by area: each category's own amount (the others cost the line's or change's amount).
    auto by_category = [&](const std::vector<std::optional<Quantity>>& amounts, const std::string& indent) {
      if (l.by_attribute < 0) return;
      const Attribute& a = s_.attributes[static_cast<std::size_t>(l.by_attribute)];
      for (std::size_t k = 0; k < amounts.size() && k < a.categories.size(); ++k)
        if (amounts[k]) {
          o_ += indent + format_message(lang_, Msg::explain_by_attribute, {a.id}) + a.categories[k] + ": " +
                value(*amounts[k], true) + "\n";
          provenance(*amounts[k], indent + "  ");
        }
    };
    by_category(l.category_amounts, "      ");
    for (const RateChange& c : l.changes) {
      o_ += "      " + std::string(t(Msg::wb_from)) + c.from.text() + ": " + value(c.amount, true) +
            (c.note.empty() ? "" : " (" + c.note.in(lang_) + ")") + "\n";
      provenance(c.amount, "        ");
      by_category(c.category_amounts, "        ");
    }
  }

  void state_costs() {
    o_ += "\n" + std::string(t(Msg::explain_costs_of_a_month_in_a)) +
          std::to_string(s_.run.price_year) + t(Msg::explain_prices_2) + ":\n";
    for (const StateCost& c : s_.state_costs) {
      o_ += "  " + state(c.domain, c.state) + "\n";
      for (const CostLine& l : c.lines) line(l, true);
    }
  }

  void transition_costs() {
    if (s_.transition_costs.empty()) return;
    o_ += "\n" + std::string(t(Msg::explain_costs_of_a_move)) + ":\n";
    for (const TransitionCost& c : s_.transition_costs) {
      o_ += "  " + state(c.domain, c.from) + " \u2192 " + s_.domains[static_cast<std::size_t>(c.domain)].states[static_cast<std::size_t>(c.to)] + "\n";
      for (const CostLine& l : c.lines) line(l, false);
    }
  }

  void intervention_cost(const InterventionCost& c) {
    o_ += "      " + department(c.department) + ": ";
    std::visit(
        [&](const auto& k) {
          using K = std::remove_cvref_t<decltype(k)>;
          if constexpr (std::is_same_v<K, InterventionCost::Staff>) {
            o_ += value(k.fte, false) + t(Msg::explain_full_time_staff_at) + value(k.monthly_cost_per_fte, true) +
                  t(Msg::explain_a_month) + ", " + type(c.type) + "\n";
            provenance(k.monthly_cost_per_fte, "        ");
          } else if constexpr (std::is_same_v<K, InterventionCost::Grant>) {
            o_ += std::string(t(Msg::explain_grant_of)) + value(k.total, true) + t(Msg::explain_in_all);
            if (!k.finances.empty()) {
              o_ += t(Msg::explain_paying_for_staff_of);
              for (std::size_t i = 0; i < k.finances.size(); ++i) o_ += (i ? ", " : "") + department(k.finances[i]);
            }
            o_ += "\n";
            provenance(k.total, "        ");
          } else {
            o_ += value(k.amount, true) + t(Msg::explain_per) + per(k.per) + ", " +
                  (k.when == InterventionCost::When::enrolment ? t(Msg::explain_once_at_enrolment)
                                                              : t(Msg::explain_every_month_enrolled)) +
                  ", " + type(c.type) + "\n";
            provenance(k.amount, "        ");
          }
        },
        c.kind);
    if (!c.note.empty()) o_ += "        " + c.note.in(lang_) + "\n";
  }

  [[nodiscard]] const char* per(InterventionCost::Per p) const {
    switch (p) {
    case InterventionCost::Per::household: return t(Msg::explain_household);
    case InterventionCost::Per::adult: return t(Msg::explain_adult);
    case InterventionCost::Per::child: return t(Msg::explain_child);
    default: return t(Msg::explain_person);
    }
  }

  void effect(const Effect& e) {
    const Domain& d = s_.domains[static_cast<std::size_t>(e.domain)];
    if (e.success_rate) {
      // A net success rate: the difference asked for; the ratio is solved when running.
      o_ += "      " +
            format_message(lang_, Msg::explain_success_rate,
                           {value(e.value, false), s_.indicators[static_cast<std::size_t>(e.success_rate->indicator)].id,
                            std::to_string(e.success_rate->at_month), success_rate_via(s_, *e.success_rate)}) +
            "\n";
      provenance(e.value, "        ");
      return;
    }
    o_ += "      " + state(e.domain, e.from) + " \u2192 " +
          (e.to >= 0 ? d.states[static_cast<std::size_t>(e.to)] : std::string(t(Msg::explain_every_destination))) + ": " +
          (e.is_hazard_ratio ? t(Msg::explain_hazard_ratio) : t(Msg::explain_risk_difference)) +
          value(e.value, false);
    if (e.ramp_up_months > 0)
      o_ += std::string(t(Msg::explain_full_after)) + std::to_string(e.ramp_up_months) + t(Msg::explain_months);
    if (std::isinf(e.decay_half_life_months)) o_ += t(Msg::explain_lasts_after_the_project);
    else if (e.decay_half_life_months > 0)
      o_ += std::string(t(Msg::explain_fades_with_a_half_life_of)) +
            number(e.decay_half_life_months) + t(Msg::explain_months);
    o_ += "\n";
    provenance(e.value, "        ");
  }

  void variants() {
    o_ += "\n" + std::string(t(Msg::explain_variants)) + ":\n";
    for (std::size_t v = 0; v < s_.variants.size(); ++v) {
      const Variant& var = s_.variants[v];
      // The title a reader knows it by, and the id a command line takes (--variant).
      o_ += "  " + (var.title.empty() ? var.id : var.title.in(lang_) + " (" + var.id + ")") +
            (v == 0 ? t(Msg::explain_the_baseline_no_intervention) : "") +
            (var.description.empty() ? "" : ": " + var.description.in(lang_)) + "\n";
      for (const Intervention& iv : var.interventions) {
        o_ += "    " + std::string(t(Msg::explain_intervention)) + iv.id + t(Msg::explain_from_month) +
              std::to_string(iv.start_month) + t(Msg::explain_for) + std::to_string(iv.duration_months) +
              t(Msg::explain_months_uptake) + value(iv.uptake, false) + "\n";
        if (!iv.costs.empty()) o_ += "     " + std::string(t(Msg::explain_costs)) + ":\n";
        for (const InterventionCost& c : iv.costs) intervention_cost(c);
        if (!iv.effects.empty()) o_ += "     " + std::string(t(Msg::evidence_effects)) + ":\n";
        for (const Effect& e : iv.effects) effect(e);
        const EffectHaircut& h = s_.effect_haircut(iv);
        if (h.share > 0.0)
          o_ += "      " + std::string(t(Msg::explain_haircut_on_effects)) + percent(h.share, lang_) +
                (h.source.empty() ? "" : " (" + h.source + ")") + "\n";
      }
      if (!var.contracts.empty())
        o_ += "    " + std::to_string(var.contracts.size()) + t(Msg::explain_contract_s_see_the_report) + "\n";
    }
  }

  void warnings() {
    if (s_.warnings.empty()) return;
    o_ += "\n" + std::string(t(Msg::explain_warnings)) + ":\n";
    for (const auto& w : s_.warnings) o_ += "  " + w.format_warning(lang_) + "\n";
  }

  const Scenario& s_;
  Language lang_;
  std::string o_;
};

} // namespace

std::string explain(const Scenario& scenario, Language lang) { return Explainer(scenario, lang).text(); }

} // namespace socinvest
