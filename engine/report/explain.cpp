#include <socinvest/montecarlo/success_rate.hpp>
#include <socinvest/report/explain.hpp>

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
  [[nodiscard]] const char* t(const char* en, const char* da) const { return T(lang_, en, da); }

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
    return show(q.dist.mean()) + " " + t("on average", "i gennemsnit") + " (90 %: " + show(q.dist.quantile(0.05)) +
           " " + t("to", "til") + " " + show(q.dist.quantile(0.95)) + "; " + distribution_kind_name(q.dist.kind) + ")";
  }

  /// The lines under a quantity: the amount as given and the index, its source, where it is.
  void provenance(const Quantity& q, const std::string& indent) {
    if (q.given_price_year != 0 && q.given_price_year != s_.run.price_year)
      o_ += indent + t("given in ", "angivet i ") + std::to_string(q.given_price_year) + t(" prices: ", "-priser: ") +
            kr(q.dist.mean() / q.price_factor) + " \u00d7 " + decimal(q.price_factor, 4, lang_) + " (" +
            t("price index ", "prisindeks ") + std::to_string(q.given_price_year) + " \u2192 " +
            std::to_string(s_.run.price_year) + ")\n";
    if (!q.source.empty()) o_ += indent + t("source: ", "kilde: ") + q.source + "\n";
    o_ += indent + t("written at: ", "skrevet i: ") + (q.origin.empty() ? t("(default)", "(standardværdi)") : q.origin) +
          "   [" + q.path + "]\n";
  }

  [[nodiscard]] std::string department(int d) const {
    if (d < 0 || d >= static_cast<int>(s_.departments.size())) return "?";
    const Department& dep = s_.departments[static_cast<std::size_t>(d)];
    return dep.name.empty() || dep.name == dep.id ? dep.id : dep.name + " (" + dep.id + ")";
  }

  [[nodiscard]] std::string state(int domain, int st) const {
    const Domain& d = s_.domains[static_cast<std::size_t>(domain)];
    return d.id + "." + (st >= 0 && st < static_cast<int>(d.states.size()) ? d.states[static_cast<std::size_t>(st)] : "?");
  }

  void header() {
    o_ += s_.title.empty() ? s_.id : s_.title + " (" + s_.id + ")";
    o_ += "\n";
    if (!s_.description.empty()) o_ += s_.description + "\n";
    o_ += "\n" + std::string(t("Files", "Filer")) + ":\n";
    for (const auto& f : s_.files) o_ += "  " + f + "\n";
    const RunSettings& r = s_.run;
    o_ += "\n" + std::string(t("Run", "Kørsel")) + ": " + t("from ", "fra ") + r.start.text() + ", " +
          std::to_string(r.horizon_years) + t(" years, ", " år, ") +
          (r.cycle_months == 1 ? t("monthly steps", "månedlige skridt")
                               : r.cycle_months == 3 ? t("quarterly steps", "kvartalsvise skridt")
                                                     : t("yearly steps", "årlige skridt")) +
          ", " + grouped(r.iterations, lang_) + t(" iterations, seed ", " gentagelser, seed ") + std::to_string(r.seed) +
          "\n  " + t("amounts in fixed ", "beløb i faste ") + std::to_string(r.price_year) + t(" prices", "-priser") +
          "; " + t("discount rate ", "diskonteringsrente ");
    for (std::size_t i = 0; i < r.discount.size(); ++i) {
      if (i) o_ += ", ";
      o_ += percent(r.discount[i].rate, lang_, 1);
      if (r.discount[i].from_year > 0)
        o_ += std::string(t(" from year ", " fra år ")) + number(r.discount[i].from_year);
    }
    o_ += "\n";
  }

  void departments() {
    o_ += "\n" + std::string(t("Departments and funds", "Forvaltninger og fonde")) + ":\n";
    for (std::size_t d = 0; d < s_.departments.size(); ++d)
      o_ += "  " + department(static_cast<int>(d)) + ": " + level(s_.departments[d].level) + "\n";
  }

  [[nodiscard]] const char* level(FinancingLevel l) const {
    switch (l) {
    case FinancingLevel::municipality: return t("municipality", "kommune");
    case FinancingLevel::region: return t("region", "region");
    case FinancingLevel::state: return t("state", "stat");
    default: return t("external (fund, foundation)", "ekstern (fond)");
    }
  }

  [[nodiscard]] const char* type(ExpenditureType e) const {
    switch (e) {
    case ExpenditureType::service: return t("service", "serviceudgift");
    case ExpenditureType::transfer: return t("transfer", "overførsel");
    case ExpenditureType::capital: return t("capital", "anlæg");
    default: return t("tax", "skat");
    }
  }

  void line(const CostLine& l, bool per_month) {
    o_ += "    " + department(l.department) + ": " + value(l.amount, true) +
          (per_month ? t(" a person-month", " pr. personmåned") : t(" a move", " pr. skift")) + ", " + type(l.type);
    if (l.reimbursement >= 0)
      o_ += std::string(t(", state reimbursement by rule ", ", refusion efter regel ")) +
            s_.reimbursements[static_cast<std::size_t>(l.reimbursement)].id;
    if (l.cashable_share < 1.0) o_ += std::string(t(", cashable share ", ", realiserbar andel ")) + percent(l.cashable_share, lang_);
    if (l.neutralised_share > 0.0) o_ += std::string(t(", neutralised share ", ", neutraliseret andel ")) + percent(l.neutralised_share, lang_);
    if (l.equalisation)
      o_ += std::string(t(", equalised ", ", udlignet ")) + percent(l.equalisation->share, lang_) + t(" to ", " til ") +
            department(l.equalisation->to);
    if (l.facility)
      o_ += std::string(t(", facility of ", ", tilbud med ")) + std::to_string(l.facility->places) +
            t(" places closing in steps of ", " pladser, der lukker i trin på ") + std::to_string(l.facility->step);
    o_ += "\n";
    if (!l.note.empty()) o_ += "      " + l.note + "\n";
    provenance(l.amount, "      ");
    for (const RateChange& c : l.changes) {
      o_ += "      " + std::string(t("from ", "fra ")) + c.from.text() + ": " + value(c.amount, true) + "\n";
      provenance(c.amount, "        ");
    }
  }

  void state_costs() {
    o_ += "\n" + std::string(t("Costs of a month in a state (in ", "Udgifter pr. måned i en tilstand (i ")) +
          std::to_string(s_.run.price_year) + t(" prices)", "-priser)") + ":\n";
    for (const StateCost& c : s_.state_costs) {
      o_ += "  " + state(c.domain, c.state) + "\n";
      for (const CostLine& l : c.lines) line(l, true);
    }
  }

  void transition_costs() {
    if (s_.transition_costs.empty()) return;
    o_ += "\n" + std::string(t("Costs of a move", "Udgifter ved et skift")) + ":\n";
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
            o_ += value(k.fte, false) + t(" full-time staff at ", " årsværk à ") + value(k.monthly_cost_per_fte, true) +
                  t(" a month", " om måneden") + ", " + type(c.type) + "\n";
            provenance(k.monthly_cost_per_fte, "        ");
          } else if constexpr (std::is_same_v<K, InterventionCost::Grant>) {
            o_ += std::string(t("grant of ", "bevilling på ")) + value(k.total, true) + t(" in all", " i alt");
            if (!k.finances.empty()) {
              o_ += t(", paying for staff of ", ", der betaler personale i ");
              for (std::size_t i = 0; i < k.finances.size(); ++i) o_ += (i ? ", " : "") + department(k.finances[i]);
            }
            o_ += "\n";
            provenance(k.total, "        ");
          } else {
            o_ += value(k.amount, true) + t(" per ", " pr. ") + per(k.per) + ", " +
                  (k.when == InterventionCost::When::enrolment ? t("once at enrolment", "én gang ved indskrivning")
                                                              : t("every month enrolled", "hver måned i indsatsen")) +
                  ", " + type(c.type) + "\n";
            provenance(k.amount, "        ");
          }
        },
        c.kind);
    if (!c.note.empty()) o_ += "        " + c.note + "\n";
  }

  [[nodiscard]] const char* per(InterventionCost::Per p) const {
    switch (p) {
    case InterventionCost::Per::household: return t("household", "husstand");
    case InterventionCost::Per::adult: return t("adult", "voksen");
    case InterventionCost::Per::child: return t("child", "barn");
    default: return t("person", "person");
    }
  }

  void effect(const Effect& e) {
    const Domain& d = s_.domains[static_cast<std::size_t>(e.domain)];
    if (e.success_rate) {
      // A net success rate: the difference asked for; the ratio is solved when running.
      o_ += "      " + std::string(t("net success rate: a difference of ", "nettosuccesrate: en forskel på ")) +
            value(e.value, false) + t(" in ", " i ") + s_.indicators[static_cast<std::size_t>(e.success_rate->indicator)].id +
            t(" at month ", " i måned ") + std::to_string(e.success_rate->at_month) +
            t(" among participants, via ", " blandt deltagerne, via ") + success_rate_via(s_, *e.success_rate) +
            t(" (the hazard ratio is solved in every iteration)", " (hazard ratio løses i hver iteration)") + "\n";
      provenance(e.value, "        ");
      return;
    }
    o_ += "      " + state(e.domain, e.from) + " \u2192 " +
          (e.to >= 0 ? d.states[static_cast<std::size_t>(e.to)] : std::string(t("every destination", "alle udfald"))) + ": " +
          (e.is_hazard_ratio ? t("hazard ratio ", "hazard ratio ") : t("risk difference ", "risikoforskel ")) +
          value(e.value, false);
    if (e.ramp_up_months > 0)
      o_ += std::string(t(", full after ", ", fuld efter ")) + std::to_string(e.ramp_up_months) + t(" months", " måneder");
    if (std::isinf(e.decay_half_life_months)) o_ += t(", lasts after the project", ", varer efter projektet");
    else if (e.decay_half_life_months > 0)
      o_ += std::string(t(", fades with a half-life of ", ", aftager med en halveringstid på ")) +
            number(e.decay_half_life_months) + t(" months", " måneder");
    o_ += "\n";
    provenance(e.value, "        ");
  }

  void variants() {
    o_ += "\n" + std::string(t("Variants", "Varianter")) + ":\n";
    for (std::size_t v = 0; v < s_.variants.size(); ++v) {
      const Variant& var = s_.variants[v];
      o_ += "  " + var.id + (v == 0 ? t(" (the baseline: no intervention)", " (basisforløbet: ingen indsats)") : "") +
            (var.description.empty() ? "" : ": " + var.description) + "\n";
      for (const Intervention& iv : var.interventions) {
        o_ += "    " + std::string(t("intervention ", "indsats ")) + iv.id + t(": from month ", ": fra måned ") +
              std::to_string(iv.start_month) + t(" for ", " i ") + std::to_string(iv.duration_months) +
              t(" months; uptake ", " måneder; tilslutning ") + value(iv.uptake, false) + "\n";
        if (!iv.costs.empty()) o_ += "     " + std::string(t(" costs", " udgifter")) + ":\n";
        for (const InterventionCost& c : iv.costs) intervention_cost(c);
        if (!iv.effects.empty()) o_ += "     " + std::string(t(" effects", " effekter")) + ":\n";
        for (const Effect& e : iv.effects) effect(e);
        const EffectHaircut& h = s_.effect_haircut(iv);
        if (h.share > 0.0)
          o_ += "      " + std::string(t("haircut on effects: ", "reduktion af effekter: ")) + percent(h.share, lang_) +
                (h.source.empty() ? "" : " (" + h.source + ")") + "\n";
      }
      if (!var.contracts.empty())
        o_ += "    " + std::to_string(var.contracts.size()) + t(" contract(s) (see the report)", " kontrakt(er) (se rapporten)") + "\n";
    }
  }

  void warnings() {
    if (s_.warnings.empty()) return;
    o_ += "\n" + std::string(t("Warnings", "Advarsler")) + ":\n";
    for (const auto& w : s_.warnings) o_ += "  " + w.format_warning() + "\n";
  }

  const Scenario& s_;
  Language lang_;
  std::string o_;
};

} // namespace

std::string explain(const Scenario& scenario, Language lang) { return Explainer(scenario, lang).text(); }

} // namespace socinvest
