#include <socinvest/report/assumptions.hpp>

#include <socinvest/ledger/repricing.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/enum_names.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

namespace socinvest {

namespace {

/// The catalogue's words for the states and domains of the shipped scenarios
/// (scenarios/catalogue/denmark-2024.yaml and the cases); any other id is shown as written.
struct Word {
  std::string_view id;
  Msg msg;
};
constexpr Word state_words[] = {
    {"cash_benefit", Msg::as_state_cash_benefit},
    {"sickness_benefit", Msg::as_state_sickness_benefit},
    {"job", Msg::as_state_job},
    {"flexjob", Msg::as_state_flexjob},
    {"education", Msg::as_state_education},
    {"early_retirement", Msg::as_state_early_retirement},
    {"sheltered_job", Msg::as_state_sheltered_job},
    {"regular", Msg::as_state_regular},
    {"high_absence", Msg::as_state_high_absence},
    {"very_high_absence", Msg::as_state_very_high_absence},
    {"placed_out_of_home", Msg::as_state_placed_out_of_home},
    {"youth_education", Msg::as_state_youth_education},
    {"neet", Msg::as_state_neet},
    {"residential_107", Msg::as_state_residential_107},
    {"residential_108", Msg::as_state_residential_108},
    {"own_home_supported", Msg::as_state_own_home_supported},
    {"own_home_light", Msg::as_state_own_home_light},
    {"own_home", Msg::as_state_own_home},
};
constexpr Word domain_words[] = {
    {"employment", Msg::as_domain_employment},
    {"school", Msg::as_domain_school},
    {"youth", Msg::as_domain_youth},
    {"care", Msg::as_domain_care},
};

std::string spaced(std::string id) {
  std::replace(id.begin(), id.end(), '_', ' ');
  return id;
}

template <std::size_t N> std::string word(const Word (&table)[N], const std::string& id, Language lang) {
  for (const Word& w : table)
    if (w.id == id) return T(lang, w.msg);
  return spaced(id);
}

/// "Kontanthjælp" from "kontanthjælp": a label starts with a capital (ASCII only; a word
/// that starts with æ, ø or å stays as it is).
std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

class Labeller {
public:
  Labeller(const Scenario& s, Language lang) : s_(s), lang_(lang) {}

  std::map<const Quantity*, AssumptionRow> rows() {
    for (std::size_t d = 0; d < s_.domains.size(); ++d) domain(static_cast<int>(d));
    const Msg per_exit[] = {Msg::as_mortality_adult, Msg::as_mortality_child, Msg::as_moving_away};
    const Quantity* exits[] = {&s_.exits.mortality_adult, &s_.exits.mortality_child, &s_.exits.moving_away};
    for (int i = 0; i < 3; ++i) put(*exits[i], T(lang_, per_exit[i]), T(lang_, Msg::as_unit_probability_month), false);
    for (const auto& c : s_.state_costs) state_cost(c);
    for (const auto& c : s_.transition_costs) transition_cost(c);
    for (const auto& v : s_.variants) {
      for (const auto& iv : v.interventions) intervention(v, iv);
      // A contract pays an amount or an amount per person: the one not written is no assumption.
      for (const auto& c : v.contracts) {
        const std::string note = c.note.empty() ? std::string() : " (" + c.note.in(lang_) + ")";
        if (!unused(c.amount))
          put(c.amount, prefixed(v, format_message(lang_, Msg::as_contract, {c.id}) + note), T(lang_, Msg::as_unit_kr_once), true);
        if (!unused(c.amount_per_person))
          put(c.amount_per_person, prefixed(v, format_message(lang_, Msg::as_contract_per_person, {c.id}) + note),
              T(lang_, Msg::as_unit_kr_per_person_met), true);
      }
    }
    return std::move(rows_);
  }

  /// Quantities left out on purpose: settings the scenario does not write whose default 0
  /// means "not used" (an intervention's capacity and intake, a contract's other amount).
  const std::vector<const Quantity*>& left_out() const { return left_out_; }

  std::string state(int d, int st) const { return state_word(s_, d, st, lang_); }
  std::string department(int d) const {
    if (d < 0 || d >= static_cast<int>(s_.departments.size())) return {};
    const Department& dep = s_.departments[static_cast<std::size_t>(d)];
    return dep.name.empty() ? dep.id : dep.name.in(lang_);
  }

private:
  const Scenario& s_;
  Language lang_;
  std::map<const Quantity*, AssumptionRow> rows_;
  std::vector<const Quantity*> left_out_;

  bool unused(const Quantity& q) {
    const bool out = q.origin.empty() && q.dist.is_fixed() && q.dist.a == 0.0;
    if (out) left_out_.push_back(&q);
    return out;
  }

  void put(const Quantity& q, std::string label, std::string unit, bool amount) {
    AssumptionRow row;
    row.quantity = &q;
    row.path = q.path;
    row.label = std::move(label);
    row.unit = std::move(unit);
    row.price_year = amount ? s_.run.price_year : 0;
    row.given_price_year = amount && q.given_price_year != 0 && q.given_price_year != s_.run.price_year ? q.given_price_year : 0;
    row.source = q.source;
    row.backing = backing_of(q.source);
    rows_[&q] = std::move(row);
  }

  std::string domain_name(int d) const { return word(domain_words, s_.domains[static_cast<std::size_t>(d)].id, lang_); }
  std::string states_text(int d, const std::vector<int>& states) const {
    std::string out;
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (i) out += i + 1 == states.size() ? T(lang_, Msg::as_or) : ", ";
      out += state(d, states[i]);
    }
    return out;
  }

  void domain(int d) {
    const Domain& dom = s_.domains[static_cast<std::size_t>(d)];
    const std::string name = domain_name(d);
    for (std::size_t st = 0; st < dom.transitions.size(); ++st) {
      const auto& bands = dom.transitions[st];
      for (const auto& b : bands) {
        const auto* per = std::get_if<TransitionBand::PerDestination>(&b.probabilities);
        if (!per) continue;
        std::string band;
        if (bands.size() > 1)
          band = " " + (b.to_month == std::numeric_limits<int>::max()
                            ? format_message(lang_, Msg::as_band_open, {std::to_string(b.from_month)})
                            : format_message(lang_, Msg::as_band, {std::to_string(b.from_month), std::to_string(b.to_month)}));
        for (std::size_t i = 0; i < per->size() && i < b.destinations.size(); ++i)
          put((*per)[i],
              format_message(lang_, Msg::as_transition, {name, state(d, static_cast<int>(st)), state(d, b.destinations[i])}) + band,
              T(lang_, Msg::as_unit_probability_month), false);
      }
    }
    for (const auto& l : dom.links) {
      std::string when;
      if (l.attribute) {
        const Attribute& a = s_.attributes[static_cast<std::size_t>(l.attribute->attribute)];
        std::string cats;
        for (std::size_t k = 0; k < a.categories.size(); ++k)
          if (l.attribute->holds(static_cast<int>(k))) cats += (cats.empty() ? "" : T(lang_, Msg::as_or)) + a.categories[k];
        when = format_message(lang_, Msg::as_when_attribute, {spaced(a.id), cats});
      } else if (l.age) {
        auto years = [&](int months) { return months % 12 == 0 ? std::to_string(months / 12) : decimal(months / 12.0, 2, lang_); };
        when = l.age->end_month == std::numeric_limits<int>::max()
                   ? format_message(lang_, Msg::as_when_age_open, {years(l.age->first_month)})
                   : format_message(lang_, Msg::as_when_age, {years(l.age->first_month), years(l.age->end_month)});
      } else {
        const int cd = l.when.domain;
        const std::string in = cd >= 0 ? states_text(cd, l.when.states) : std::string();
        const Msg m = l.when.scope == StateCondition::Scope::self            ? Msg::as_when_self
                      : l.when.scope == StateCondition::Scope::household_any ? Msg::as_when_household_any
                                                                             : Msg::as_when_household_other;
        when = format_message(lang_, m, {in});
      }
      put(l.hazard_ratio, format_message(lang_, Msg::as_link, {name, state(d, l.from), state(d, l.to), when}),
          T(lang_, Msg::as_unit_hazard_ratio), false);
    }
  }

  /// "Kontanthjælp, månedlig udgift: kontanthjælp, forsørgersats · betales af Jobcenter".
  void state_cost(const StateCost& c) {
    const std::string what = format_message(lang_, Msg::as_state_cost, {capitalised(state(c.domain, c.state))});
    for (const auto& line : c.lines) {
      const std::string& note = line.note.in(lang_);
      std::string label = what + (note.empty() ? "" : ": " + note);
      const std::string paid = " \u00b7 " + format_message(lang_, Msg::as_paid_by, {department(line.department)});
      put(line.amount, label + paid, T(lang_, Msg::as_unit_kr_person_month), true);
      for (const auto& ch : line.changes)
        put(ch.amount,
            label + (ch.note.empty() ? "" : " (" + ch.note.in(lang_) + ")") + ", " + format_message(lang_, Msg::as_from_month, {ch.from.text()}) + paid,
            T(lang_, Msg::as_unit_kr_person_month), true);
    }
  }

  void transition_cost(const TransitionCost& c) {
    const std::string what = format_message(lang_, Msg::as_move_cost, {state(c.domain, c.from), state(c.domain, c.to)});
    for (const auto& line : c.lines)
      put(line.amount, what + (line.note.empty() ? "" : ": " + line.note.in(lang_)) + " \u00b7 " +
                           format_message(lang_, Msg::as_paid_by, {department(line.department)}),
          T(lang_, Msg::as_unit_kr_move), true);
  }

  std::string prefixed(const Variant& v, const std::string& text) const { return v.id + " \u00b7 " + text; }

  void intervention(const Variant& v, const Intervention& iv) {
    const std::string& n = iv.id;
    put(iv.uptake, prefixed(v, format_message(lang_, Msg::as_uptake, {n})), T(lang_, Msg::as_unit_share), false);
    // Capacity and intake: a default 0 means "not used" (no assumption); left out then.
    auto setting = [&](const Quantity& q, Msg label, Msg unit) {
      if (unused(q)) return;
      put(q, prefixed(v, format_message(lang_, label, {n})), T(lang_, unit), false);
    };
    setting(iv.households_per_staff_pair, Msg::as_per_staff_pair, Msg::as_unit_households);
    setting(iv.staff, Msg::as_staff_count, Msg::as_unit_staff);
    setting(iv.capacity_households, Msg::as_capacity, Msg::as_unit_households);
    setting(iv.intake_per_month, Msg::as_intake, Msg::as_unit_households_month);
    for (const auto& c : iv.costs) {
      const std::string paid = " \u00b7 " + format_message(lang_, Msg::as_paid_by, {department(c.department)});
      const std::string& note = c.note.in(lang_);
      std::visit(
          [&](const auto& kind) {
            using K = std::remove_cvref_t<decltype(kind)>;
            if constexpr (std::is_same_v<K, InterventionCost::Staff>) {
              const std::string what = note.empty() ? std::string(T(lang_, Msg::as_staff_word)) : note;
              put(kind.fte, prefixed(v, format_message(lang_, Msg::as_staff_fte, {n, what})) + paid, T(lang_, Msg::as_unit_fte), false);
              put(kind.monthly_cost_per_fte, prefixed(v, format_message(lang_, Msg::as_staff_cost, {n, what})) + paid,
                  T(lang_, Msg::as_unit_kr_fte_month), true);
            } else if constexpr (std::is_same_v<K, InterventionCost::Grant>) {
              put(kind.total, prefixed(v, format_message(lang_, Msg::as_grant, {n, note})) + paid, T(lang_, Msg::as_unit_kr_total), true);
            } else {
              constexpr Msg per_word[] = {Msg::as_per_household, Msg::as_per_adult, Msg::as_per_child, Msg::as_per_person};
              const std::string per = T(lang_, per_word[static_cast<int>(kind.per)]);
              put(kind.amount, prefixed(v, format_message(lang_, Msg::as_measure, {n, note})) + paid,
                  format_message(lang_, kind.when == InterventionCost::When::month ? Msg::as_unit_kr_per_month : Msg::as_unit_kr_per_once,
                                 {per}),
                  true);
            }
          },
          c.kind);
    }
    for (const auto& e : iv.effects) {
      if (e.success_rate) {
        const Indicator& ind = s_.indicators[static_cast<std::size_t>(e.success_rate->indicator)];
        put(e.value, prefixed(v, format_message(lang_, Msg::as_effect_success, {n, ind.label.empty() ? ind.id : ind.label.in(lang_)})),
            T(lang_, Msg::as_unit_success_difference), false);
        continue;
      }
      put(e.value, prefixed(v, format_message(lang_, Msg::as_effect, {n, state(e.domain, e.from), state(e.domain, e.to)})),
          T(lang_, e.is_hazard_ratio ? Msg::as_unit_hazard_ratio : Msg::as_unit_risk_difference), false);
    }
  }
};

} // namespace

Backing backing_of(const std::string& source) {
  if (source.find_first_not_of(" \t") == std::string::npos) return Backing::none;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  for (auto at = source.find("GUESS"); at != std::string::npos; at = source.find("GUESS", at + 1)) {
    const bool before = at > 0 && letter(source[at - 1]);
    const bool after = at + 5 < source.size() && letter(source[at + 5]) && source[at + 5] != 'E'; // GUESSES counts
    if (!before && !after) return Backing::guess;
  }
  return Backing::source;
}

std::string state_word(const Scenario& s, int domain, int state, Language lang) {
  if (domain < 0 || domain >= static_cast<int>(s.domains.size())) return "?";
  const Domain& d = s.domains[static_cast<std::size_t>(domain)];
  if (state < 0 || state >= static_cast<int>(d.states.size())) return "?";
  return word(state_words, d.states[static_cast<std::size_t>(state)], lang);
}

std::vector<AssumptionRow> assumption_rows(const Scenario& s, Language lang) {
  Labeller labeller(s, lang);
  auto labelled = labeller.rows();
  std::vector<AssumptionRow> out;
  for (const Quantity* q : s.quantities()) {
    if (q->path.empty()) continue;
    const auto it = labelled.find(q);
    if (it != labelled.end()) {
      out.push_back(it->second);
      continue;
    }
    // Not labelled: a setting left out on purpose, or a Quantity the labeller does not
    // know, which keeps its key path as its label.
    if (std::find(labeller.left_out().begin(), labeller.left_out().end(), q) != labeller.left_out().end()) continue;
    AssumptionRow row;
    row.quantity = q;
    row.path = q->path;
    row.label = q->path;
    row.source = q->source;
    row.backing = backing_of(q->source);
    out.push_back(std::move(row));
  }
  // Dirichlet rows are drawn jointly and are not single quantities; they have no source.
  for (std::size_t d = 0; d < s.domains.size(); ++d) {
    const Domain& dom = s.domains[d];
    for (std::size_t st = 0; st < dom.transitions.size(); ++st)
      for (const auto& b : dom.transitions[st]) {
        const DirichletRow* row = b.dirichlet();
        if (!row) continue;
        AssumptionRow a;
        a.dirichlet = row;
        a.band = &b;
        a.domain = static_cast<int>(d);
        a.path = row->path;
        a.label = format_message(lang, Msg::as_dirichlet,
                                 {word(domain_words, dom.id, lang), state_word(s, static_cast<int>(d), static_cast<int>(st), lang)});
        a.unit = T(lang, Msg::as_unit_dirichlet);
        a.backing = Backing::none;
        out.push_back(std::move(a));
      }
  }
  return out;
}

std::vector<GuessWeight> guess_weights(const Results& r, Language lang) {
  std::vector<GuessWeight> out;
  if (!r.scenario || !r.repricing || r.repricing->iterations == 0) return out;
  const Scenario& s = *r.scenario;
  const RepricingTally& tally = *r.repricing;
  const Layout& L = tally.layout;
  const double N = tally.iterations;
  Labeller labeller(s, lang);
  auto rows = labeller.rows();
  auto label_of = [&](const Quantity& q) { return rows.count(&q) ? rows.at(&q).label : q.path; };
  // The month's period, once per month of the horizon.
  std::vector<int> period(static_cast<std::size_t>(tally.months));
  for (int m = 0; m < tally.months; ++m) period[static_cast<std::size_t>(m)] = tally.period_of_month(m);

  for (const auto& vs : r.variants) {
    const int v = vs.variant;
    if (v <= 0 || v >= tally.variants || !tally.simulated[static_cast<std::size_t>(v)] || !tally.simulated[0]) continue;
    GuessWeight g;
    g.variant = v;
    // State cost lines: the change in person-months per step (persons in the state's cells,
    // variant minus baseline, over the iterations), times the months of the step, each
    // month at the mean amount in force then.
    std::size_t flat = 0;
    for (const auto& c : s.state_costs) {
      // The change per step of all the state's persons and, where a line of the state is
      // priced by attribute (its cells split by that attribute), of each category's.
      const int categories = L.categories[static_cast<std::size_t>(c.domain)][static_cast<std::size_t>(c.state)];
      std::vector<double> change_per_step(static_cast<std::size_t>(L.steps), 0.0);
      std::vector<double> category_change(static_cast<std::size_t>(categories) * L.steps, 0.0); // [k * steps + t]
      for (int cell = 0; cell < L.cells; ++cell) {
        if (L.cell_domain[static_cast<std::size_t>(cell)] != c.domain || L.cell_state[static_cast<std::size_t>(cell)] != c.state) continue;
        const int k = std::max(0, L.cell_category[static_cast<std::size_t>(cell)]);
        for (int t = 0; t < L.steps; ++t) {
          const double d = static_cast<double>(tally.occupied_at(v, cell, t) - tally.occupied_at(0, cell, t)) / N;
          change_per_step[static_cast<std::size_t>(t)] += d;
          category_change[static_cast<std::size_t>(k) * L.steps + t] += d;
        }
      }
      for (const auto& line : c.lines) {
        // Each month at the amount in force then; a month whose amount has no source counts
        // as unbacked (a line with rate changes may be backed in some periods only). A line
        // by attribute prices each category's change at the category's own amount, backed
        // or not by the category's own source (a takst by area may be sourced for some
        // areas only).
        double change = 0.0, change_unbacked = 0.0;
        const int K = line.by_attribute >= 0 ? tally.state_cats[flat] : 1;
        for (int k = 0; k < K; ++k)
          for (int t = 0; t < L.steps; ++t)
            for (int m = t * L.cycle_months; m < std::min((t + 1) * L.cycle_months, tally.months); ++m) {
              const int p = period[static_cast<std::size_t>(m)];
              const double persons = line.by_attribute >= 0 ? category_change[static_cast<std::size_t>(k) * L.steps + t]
                                                            : change_per_step[static_cast<std::size_t>(t)];
              const double part = persons * tally.mean_state_amount(tally.state_index(flat, p, k));
              change += part;
              const Quantity& amount = line.amount_at(tally.period_from[static_cast<std::size_t>(p)], line.by_attribute >= 0 ? k : -1);
              if (unbacked(backing_of(amount.source))) change_unbacked += part;
            }
        g.lines.push_back({label_of(line.amount), change, change_unbacked != 0.0, change_unbacked});
        ++flat;
      }
    }
    std::size_t move_line = 0;
    for (std::size_t m = 0; m < s.transition_costs.size(); ++m) {
      // Per category of the domain's split (one block when it is not split).
      const int blocks = tally.move_cats[m];
      std::vector<double> moves(static_cast<std::size_t>(blocks), 0.0);
      for (int k = 0; k < blocks; ++k)
        for (int t = 0; t < L.steps; ++t)
          moves[static_cast<std::size_t>(k)] +=
              static_cast<double>(tally.moved_in(v, static_cast<int>(m), k, t) - tally.moved_in(0, static_cast<int>(m), k, t)) / N;
      for (const auto& line : s.transition_costs[m].lines) {
        // Each category's moves at the line's amount for that category: its own for a line by
        // attribute, the one amount for any other.
        double change = 0.0, change_unbacked = 0.0;
        bool any_unbacked = false;
        for (int k = 0; k < blocks; ++k) {
          const int category = line.by_attribute >= 0 ? k : -1;
          const double part = moves[static_cast<std::size_t>(k)] * tally.mean_move_amount(tally.move_index(move_line, std::max(0, category)));
          change += part;
          if (unbacked(backing_of(line.amount_at(0, category).source))) change_unbacked += part, any_unbacked = true;
        }
        g.lines.push_back({label_of(line.amount), change, any_unbacked, change_unbacked});
        ++move_line;
      }
    }
    std::stable_sort(g.lines.begin(), g.lines.end(),
                     [](const GuessWeight::Line& a, const GuessWeight::Line& b) { return std::abs(a.change) > std::abs(b.change); });
    // A line's change is the net of its backed and its unbacked part; where the two move in
    // opposite directions (a takst by area, one area's months up and another's down; or
    // rate periods), the net would understate how much moves, and the guessed part could
    // exceed it. So each line weighs |backed part| + |unbacked part|: the same as |change|
    // wherever the parts agree in sign, and the share never above 1.
    for (const auto& l : g.lines) {
      g.change_total += std::abs(l.change - l.change_unbacked) + std::abs(l.change_unbacked);
      g.change_unbacked += std::abs(l.change_unbacked);
    }
    g.guessed_share = g.change_total > 0.0 ? g.change_unbacked / g.change_total : std::numeric_limits<double>::quiet_NaN();
    for (const auto& l : g.lines) {
      if (g.top == guess_weight_top_lines || l.change == 0.0) break;
      ++g.top;
      if (l.unbacked) ++g.top_unbacked;
    }
    for (const auto& iv : s.variants[static_cast<std::size_t>(v)].interventions)
      for (const auto& e : iv.effects) {
        ++g.effects;
        if (unbacked(backing_of(e.value.source))) ++g.effects_unbacked;
      }
    out.push_back(std::move(g));
  }
  return out;
}

} // namespace socinvest
