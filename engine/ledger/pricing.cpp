#include <socinvest/ledger/pricing.hpp>

#include <socinvest/ledger/budget_years.hpp>

#include <socinvest/ledger/discounting.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <variant>

namespace socinvest {

PricingPlan make_pricing_plan(const Scenario& s, bool neutralise_transfers) {
  PricingPlan p;
  p.accounts = make_accounts(s);
  p.neutralise_transfers = neutralise_transfers;
  p.discount = monthly_discount_factors(s.run);
  for (const auto& d : s.domains) {
    p.state_item_offset.push_back(p.state_items);
    p.state_items += static_cast<int>(d.states.size());
  }
  // Place-years of capacity not cashed: a person in the state holds one place of each
  // department that has a line there; of it, the largest non-cashable share is not cashed.
  const int D = p.accounts.departments;
  p.place_share.assign(static_cast<std::size_t>(p.state_items) * D, 0.0);
  for (std::size_t c = 0; c < s.state_costs.size(); ++c)
    for (std::size_t l = 0; l < s.state_costs[c].lines.size(); ++l)
      if (s.state_costs[c].lines[l].facility) {
        p.facilities.push_back({static_cast<int>(c), static_cast<int>(l)});
        p.has_capacity = true; // its empty places are capacity the budget pays and does not use
      }
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines) {
      if (line.cashable_share >= 1.0) continue;
      p.has_capacity = true;
      double& share = p.place_share[static_cast<std::size_t>(p.state_item_offset[c.domain] + c.state) * D + line.department];
      share = std::max(share, 1.0 - line.cashable_share);
    }
  for (std::size_t d = 0; d < s.domains.size(); ++d) {
    const Domain& dom = s.domains[d];
    for (std::size_t from = 0; from < dom.states.size(); ++from) {
      std::vector<int> to;
      for (const auto& band : dom.transitions[from]) to.insert(to.end(), band.destinations.begin(), band.destinations.end());
      for (const auto& variant : s.variants)
        for (const auto& iv : variant.interventions)
          for (const auto& e : iv.effects)
            if (e.domain == static_cast<int>(d) && e.from == static_cast<int>(from)) to.push_back(e.to);
      std::vector<int> seen;
      for (int t : to) {
        if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
        seen.push_back(t);
        p.routes.push_back({static_cast<int>(d), static_cast<int>(from), t});
      }
    }
  }
  return p;
}

std::vector<int> rate_period_starts(const Scenario& s, int months) {
  std::vector<int> from{0};
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines)
      for (const auto& change : line.changes)
        if (change.from_month > 0 && change.from_month < months) from.push_back(change.from_month);
  std::sort(from.begin(), from.end());
  from.erase(std::unique(from.begin(), from.end()), from.end());
  return from;
}

namespace {

/// Books `amount` in month m to department d: nominal and discounted by project year, and
/// nominal by calendar budget year.
struct Booker {
  const PricingPlan& plan;
  int years;
  BudgetCalendar calendar;
  struct Ledger {
    std::vector<double>& nominal;
    std::vector<double>& pv;
    std::vector<double>& by_calendar;
    std::vector<double>& pv_by_calendar;
  };
  void operator()(const Ledger& l, int d, int month, double amount) const {
    if (amount == 0.0 || month < 0 || month >= years * 12) return;
    const std::size_t k = static_cast<std::size_t>(d) * years + month / 12;
    const double pv = amount * plan.discount[month];
    l.nominal[k] += amount;
    l.pv[k] += pv;
    const std::size_t c = static_cast<std::size_t>(d) * calendar.years() + calendar.index_of_month(month);
    l.by_calendar[c] += amount;
    l.pv_by_calendar[c] += pv;
  }
  /// The same money by expenditure type: over the horizon (nominal and discounted) and by
  /// calendar budget year, at column `column` = department * expenditure_type_count + type.
  struct TypedLedger {
    std::vector<double>& nominal;
    std::vector<double>& pv;
    std::vector<double>& by_calendar;
  };
  void typed(const TypedLedger& l, std::size_t column, int month, double amount) const {
    if (amount == 0.0 || month < 0 || month >= years * 12) return;
    l.nominal[column] += amount;
    l.pv[column] += amount * plan.discount[month];
    l.by_calendar[column * calendar.years() + calendar.index_of_month(month)] += amount;
  }
};

constexpr int T = expenditure_type_count;

std::size_t type_column(int department, ExpenditureType type) {
  return static_cast<std::size_t>(department) * T + static_cast<std::size_t>(type);
}

/// Where the money of one cost line goes, before the rest of the line: `amount` less the
/// state's refusion share (`state_share`, to the rule's department) is the municipality's
/// part. Of it, with transfers neutralised, `neutralised_share` goes to the state (the
/// national grant system takes that much of a saving back), and of a tax line the
/// equalisation share goes to the equalisation's department; the line's department keeps
/// the rest. `add(department, part)` receives each part; every part has the line's type.
template <class Add>
void split_line(const Scenario& s, const PricingPlan& plan, const CostLine& line, double amount, double state_share, Add&& add) {
  const double own = amount * (1.0 - state_share);
  if (state_share > 0.0) add(s.reimbursements[line.reimbursement].to_department, amount * state_share);
  double moved = 0.0; // the share of `own` that goes elsewhere
  if (plan.neutralise_transfers && line.neutralised_share > 0.0 && line.neutralised_to >= 0) {
    add(line.neutralised_to, own * line.neutralised_share);
    moved = line.neutralised_share;
  } else if (line.equalisation && line.equalisation->share > 0.0) {
    add(line.equalisation->to, own * line.equalisation->share);
    moved = line.equalisation->share;
  }
  // Without a split the line's department carries exactly amount x (1 - state_share).
  add(line.department, moved > 0.0 ? own * (1.0 - moved) : own);
}

/// The non-zero columns of a cells x (department, type) cost matrix, for a product that
/// only touches the columns some line uses.
struct TypedCosts {
  Eigen::MatrixXd costs;            ///< rows x used columns
  std::vector<std::size_t> column;  ///< type_column of each used column
};
TypedCosts used_columns(const Eigen::MatrixXd& full) {
  TypedCosts out;
  for (Eigen::Index c = 0; c < full.cols(); ++c)
    if ((full.col(c).array() != 0.0).any()) out.column.push_back(static_cast<std::size_t>(c));
  out.costs.resize(full.rows(), static_cast<Eigen::Index>(out.column.size()));
  for (std::size_t k = 0; k < out.column.size(); ++k)
    out.costs.col(static_cast<Eigen::Index>(k)) = full.col(static_cast<Eigen::Index>(out.column[k]));
  return out;
}

/// Month by month, the places of facility `f` that are open but empty, given the persons in
/// its state each month (`occupied`). A month's open places are paid for that month. A unit
/// closes at the end of the month that completes `months_empty` consecutive months with at
/// least `step` places empty, and as many whole units close as stood empty in every one of
/// those months (so 20 places empty for the months close two units of 10 at once); then
/// the count starts over. Places never reopen: the budget-conservative reading, as a
/// municipality does not rebuild a unit it has closed; when more persons come than places
/// are open, the extra places are bought at the same price and leave no place empty.
std::vector<double> empty_places(const Facility& f, const std::vector<double>& occupied) {
  std::vector<double> empty(occupied.size(), 0.0);
  double open = f.places;
  int run = 0;             // consecutive months with at least one unit's places empty
  double least = open;     // the fewest places empty in any month of that run
  for (std::size_t m = 0; m < occupied.size(); ++m) {
    const double idle = std::max(0.0, open - occupied[m]);
    empty[m] = idle;
    if (idle < f.step) {
      run = 0;
      continue;
    }
    least = run == 0 ? idle : std::min(least, idle);
    if (++run < f.months_empty) continue;
    open -= std::floor(least / f.step) * f.step;
    run = 0;
  }
  return empty;
}

} // namespace

namespace {

/// Without the tallies: what price() reads besides them.
SimulatedIteration summary_of(const IterationData& data) {
  SimulatedIteration out;
  out.iteration = data.iteration;
  out.households = data.population->households();
  out.persons = data.population->persons();
  out.variants = data.variants;
  // Results by attribute: the households and persons of each attribute's category. A
  // person attribute's category counts its persons, and as households those with at least
  // one member in it (so its categories' households can add up to more than all).
  const Layout& L = *data.layout;
  if (L.attribute_categories > 0) {
    const Population& pop = *data.population;
    const auto& attributes = data.scenario->attributes;
    out.category_households.assign(static_cast<std::size_t>(L.attribute_categories), 0);
    out.category_persons.assign(static_cast<std::size_t>(L.attribute_categories), 0);
    std::vector<char> seen(static_cast<std::size_t>(L.attribute_categories), 0);
    for (int h = 0; h < pop.households(); ++h) {
      std::fill(seen.begin(), seen.end(), 0);
      for (std::size_t a = 0; a < attributes.size(); ++a) {
        const auto first = static_cast<std::size_t>(L.attribute_first_category[a]);
        if (attributes[a].level == Attribute::Level::household) {
          const std::size_t k = first + static_cast<std::size_t>(pop.attribute_of(pop.household_first[h], static_cast<int>(a)));
          ++out.category_households[k];
          out.category_persons[k] += pop.household_size[h];
          continue;
        }
        for (int i = 0; i < pop.household_size[h]; ++i) {
          const std::size_t k = first + static_cast<std::size_t>(pop.attribute_of(pop.household_first[h] + static_cast<std::uint32_t>(i), static_cast<int>(a)));
          ++out.category_persons[k];
          if (!seen[k]) ++out.category_households[k];
          seen[k] = 1;
        }
      }
    }
  }
  out.enrolment.resize(data.scenario->variants.size());
  for (int v : data.variants) {
    EnrolmentSummary& sum = out.enrolment[static_cast<std::size_t>(v)];
    for (const ModelIntervention& mi : data.model->variants[v].interventions) sum.months.push_back({mi.start_month, mi.end_month});
    if (v == 0) continue;
    const Enrolment& e = data.enrolment[v];
    sum.counts = e.counts;
    sum.eligible_households = e.eligible_any;
    sum.consenting_households = e.consenting_any;
    sum.participant_households = e.participants();
    for (int h = 0; h < e.households; ++h)
      if (e.participant[h]) sum.participant_persons += data.population->household_size[h];
    for (const ModelSuccessRate& sr : data.model->variants[v].success_rates) sum.solved_hazard_ratios.push_back(sr.hazard_ratio);
  }
  return out;
}

IterationBook price(const SimulatedIteration& sim, const std::vector<Tally>& tallies, const Scenario& s, const Layout& L,
                    const ParameterSampler& sampler, const PricingPlan& plan);

template <class T> std::size_t bytes_of(const std::vector<T>& v) { return v.size() * sizeof(T); }

} // namespace

std::size_t SimulatedIteration::bytes() const {
  std::size_t n = sizeof(*this) + bytes_of(variants) + bytes_of(tallies) + bytes_of(enrolment) +
                  bytes_of(category_households) + bytes_of(category_persons);
  for (const Tally& t : tallies)
    n += bytes_of(t.occupancy) + bytes_of(t.moves) + bytes_of(t.indicator_met) + bytes_of(t.indicator_base);
  for (const EnrolmentSummary& e : enrolment) {
    n += bytes_of(e.counts) + bytes_of(e.months) + bytes_of(e.solved_hazard_ratios);
    for (const EnrolmentCounts& c : e.counts)
      n += bytes_of(c.enrolled_households) + bytes_of(c.new_households) + bytes_of(c.enrolled_adults) +
           bytes_of(c.enrolled_children) + bytes_of(c.new_adults) + bytes_of(c.new_children);
  }
  return n;
}

SimulatedIteration simulated_iteration(const IterationData& data) {
  SimulatedIteration out = summary_of(data);
  out.tallies = data.tallies;
  return out;
}

IterationBook price_iteration(const IterationData& data, const PricingPlan& plan) {
  return price(summary_of(data), data.tallies, *data.scenario, *data.layout, *data.parameters, plan);
}

IterationBook price_iteration(const SimulatedIteration& simulated, const Scenario& scenario, const Layout& layout,
                              const ParameterSampler& sampler, const PricingPlan& plan) {
  return price(simulated, simulated.tallies, scenario, layout, sampler, plan);
}

namespace {

IterationBook price(const SimulatedIteration& data, const std::vector<Tally>& tallies, const Scenario& s, const Layout& L,
                    const ParameterSampler& sampler, const PricingPlan& plan) {
  const int A = plan.accounts.size();
  const int D = plan.accounts.departments;
  const int Y = L.years;
  const int k = L.cycle_months;
  const int V = static_cast<int>(s.variants.size());
  IterationBook book;
  book.iteration = data.iteration;
  book.variants.resize(V);
  Booker post{plan, Y, BudgetCalendar(s.run)};
  const int C = post.calendar.years();

  // Unit costs of this iteration: per cell and department (per person-month), and per
  // transition and department (per event). Reimbursed benefits are split by the state's
  // share: on a rule with a refusion clock, for the cell's level (the person's step by
  // months on public support, or the old rules' share); otherwise for the band's months in
  // the current spell.
  // The same by (department, expenditure type), for the split of the money by type.
  // A line's cashable share (CostLine::cashable_share) of the amount is priced as cost, the
  // rest into `cell_capacity`, split between departments the same way.
  //
  // Rate periods (CostLine::changes): the months where some line's amount changes split the
  // horizon into periods, and each period has its own matrices, built from the amounts in
  // force in it. Without changes there is one period and the matrices are built exactly as
  // before the periods existed (scripts/output-identity.sh checks this bit for bit).
  const std::vector<int> period_from = rate_period_starts(s, Y * 12); // first month of each period
  const int P = static_cast<int>(period_from.size());
  std::vector<int> period_of_month(static_cast<std::size_t>(Y) * 12, 0);
  for (int p = 1; p < P; ++p)
    std::fill(period_of_month.begin() + period_from[p], period_of_month.end(), p);
  std::vector<Eigen::MatrixXd> cell_cost(P, Eigen::MatrixXd::Zero(L.cells, D)), cell_cost_typed(P, Eigen::MatrixXd::Zero(L.cells, D * T));
  std::vector<Eigen::MatrixXd> cell_capacity(P, Eigen::MatrixXd::Zero(L.cells, D));
  // A facility line is priced per person like any other line (so its refusion, types,
  // years and rate periods follow the normal path); its empty places are added per variant
  // below, at this iteration's amount per place in each rate period: [facility][period].
  std::vector<std::vector<double>> facility_amount;
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines)
      for (int p = 0; p < P; ++p) {
        const double drawn = sampler.draw(line.amount_at(period_from[p]));
        if (line.facility) {
          if (p == 0) facility_amount.emplace_back();
          facility_amount.back().push_back(drawn);
        }
        // A line by attribute (a takst by area): each category's own amount in the period,
        // each drawn under its own key path; the state's cells are split by that attribute
        // (Layout::cell_category).
        std::vector<double> by_category;
        if (line.by_attribute >= 0)
          for (std::size_t cat = 0; cat < s.attributes[static_cast<std::size_t>(line.by_attribute)].categories.size(); ++cat)
            by_category.push_back(sampler.draw(line.amount_at(period_from[p], static_cast<int>(cat))));
        const int first = L.cell(c.domain, c.state, 0);
        for (int cell = first; cell < first + L.cells_of(c.domain, c.state); ++cell) {
          const double given = by_category.empty() ? drawn : by_category[static_cast<std::size_t>(L.cell_category[cell])];
          // At a share of 1 the amount is the drawn amount, bit for bit.
          const double amount = line.cashable_share < 1.0 ? given * line.cashable_share : given;
          const double idle = line.cashable_share < 1.0 ? given - amount : 0.0;
          double state_share = 0.0;
          if (line.reimbursement >= 0) {
            const ReimbursementRule& rule = s.reimbursements[line.reimbursement];
            if (line.reimbursement != L.refusion_rule) state_share = rule.share_for_month(L.cell_from_month[cell]);
            else if (L.cell_level[cell] == L.refusion_levels()) state_share = rule.clock.legacy_share[c.state];
            else state_share = rule.share_for_month(L.refusion_level_from[std::max(0, L.cell_level[cell])]);
          }
          split_line(s, plan, line, amount, state_share, [&](int d, double part) {
            cell_cost[p](cell, d) += part;
            cell_cost_typed[p](cell, static_cast<Eigen::Index>(type_column(d, line.type))) += part;
          });
          if (idle != 0.0)
            split_line(s, plan, line, idle, state_share, [&](int d, double part) { cell_capacity[p](cell, d) += part; });
        }
      }
  Eigen::MatrixXd move_cost = Eigen::MatrixXd::Zero(L.transitions, D), move_cost_typed = Eigen::MatrixXd::Zero(L.transitions, D * T);
  // A domain whose moves are split by attribute (Layout::move_attribute) has a block of
  // transitions per category: a line by attribute prices each category's block at the
  // category's own amount (drawn under its own key path), any other line every block alike.
  for (const auto& c : s.transition_costs)
    for (const auto& line : c.lines) {
      const double drawn = sampler.draw(line.amount);
      for (int cat = 0; cat < L.move_categories[static_cast<std::size_t>(c.domain)]; ++cat) {
        const int m = L.transition(c.domain, c.from, c.to, cat);
        const double amount = line.by_attribute >= 0 ? sampler.draw(line.amount_at(0, cat)) : drawn;
        split_line(s, plan, line, amount, 0.0, [&](int d, double part) {
          move_cost(m, d) += part;
          move_cost_typed(m, static_cast<Eigen::Index>(type_column(d, line.type))) += part;
        });
      }
    }
  // Every period uses the same columns: those that some period uses.
  Eigen::MatrixXd any_typed = cell_cost_typed[0];
  if (P > 1) {
    any_typed = cell_cost_typed[0].cwiseAbs();
    for (int p = 1; p < P; ++p) any_typed += cell_cost_typed[p].cwiseAbs();
  }
  const TypedCosts move_typed = used_columns(move_cost_typed);
  std::vector<TypedCosts> cell_typed{used_columns(any_typed)};
  for (int p = 1; p < P; ++p) {
    TypedCosts t{Eigen::MatrixXd(L.cells, static_cast<Eigen::Index>(cell_typed[0].column.size())), cell_typed[0].column};
    for (std::size_t col = 0; col < t.column.size(); ++col)
      t.costs.col(static_cast<Eigen::Index>(col)) = cell_cost_typed[p].col(static_cast<Eigen::Index>(t.column[col]));
    cell_typed.push_back(std::move(t));
  }
  if (P > 1) // the first period's own costs in the shared columns
    for (std::size_t col = 0; col < cell_typed[0].column.size(); ++col)
      cell_typed[0].costs.col(static_cast<Eigen::Index>(col)) =
          cell_cost_typed[0].col(static_cast<Eigen::Index>(cell_typed[0].column[col]));

  for (std::size_t vi = 0; vi < data.variants.size(); ++vi) {
    const int v = data.variants[vi];
    const Tally& tally = tallies[vi];
    VariantBook& b = book.variants[v];
    b.simulated = true;
    b.accounts = A;
    b.years = Y;
    for (auto* vec : {&b.gross, &b.gross_pv, &b.invest, &b.invest_pv, &b.contract, &b.contract_pv, &b.capacity,
                      &b.capacity_pv, &b.capacity_places})
      vec->assign(static_cast<std::size_t>(A) * Y, 0.0);
    b.calendar_years = C;
    for (auto* vec : {&b.gross_by_calendar, &b.invest_by_calendar, &b.contract_by_calendar, &b.capacity_by_calendar,
                      &b.gross_pv_by_calendar, &b.invest_pv_by_calendar, &b.contract_pv_by_calendar,
                      &b.capacity_pv_by_calendar, &b.capacity_places_by_calendar})
      vec->assign(static_cast<std::size_t>(A) * C, 0.0);
    for (auto* vec : {&b.gross_by_type, &b.gross_pv_by_type, &b.invest_by_type, &b.invest_pv_by_type})
      vec->assign(static_cast<std::size_t>(A) * T, 0.0);
    b.facility_by_calendar.assign(static_cast<std::size_t>(D) * C, 0.0);
    b.facility_pv_by_calendar.assign(static_cast<std::size_t>(D) * C, 0.0);
    for (auto* vec : {&b.gross_calendar_by_type, &b.invest_calendar_by_type})
      vec->assign(static_cast<std::size_t>(A) * T * C, 0.0);
    const Booker::Ledger gross{b.gross, b.gross_pv, b.gross_by_calendar, b.gross_pv_by_calendar},
        invest{b.invest, b.invest_pv, b.invest_by_calendar, b.invest_pv_by_calendar},
        contract{b.contract, b.contract_pv, b.contract_by_calendar, b.contract_pv_by_calendar},
        capacity{b.capacity, b.capacity_pv, b.capacity_by_calendar, b.capacity_pv_by_calendar};
    const Booker::TypedLedger gross_typed{b.gross_by_type, b.gross_pv_by_type, b.gross_calendar_by_type},
        invest_typed{b.invest_by_type, b.invest_pv_by_type, b.invest_calendar_by_type};
    b.households = data.households;
    b.persons = data.persons;

    // Services: occupancy x unit costs, spread over the months of each step.
    Eigen::MatrixXd occ(L.steps, L.cells), mov(L.steps, L.transitions);
    for (int t = 0; t < L.steps; ++t) {
      for (int c = 0; c < L.cells; ++c) occ(t, c) = tally.occupied(0, t, c);
      for (int m = 0; m < L.transitions; ++m) mov(t, m) = tally.moved(0, t, m);
    }
    // Per rate period: the money of each step's months at that period's unit costs; a month
    // takes the period it lies in (with cycle_months 3 or 12, month by month within the step).
    auto in_period = [&](int month) { return month < Y * 12 ? period_of_month[static_cast<std::size_t>(month)] : P - 1; };
    std::vector<Eigen::MatrixXd> monthly(P); // per month of the step
    for (int p = 0; p < P; ++p) monthly[p] = occ * cell_cost[p];
    const Eigen::MatrixXd events = mov * move_cost;   // once per step
    for (int t = 0; t < L.steps; ++t)
      for (int d = 0; d < D; ++d) {
        for (int j = 0; j < k; ++j) post(gross, d, t * k + j, monthly[in_period(t * k + j)](t, d));
        post(gross, d, t * k + k - 1, events(t, d));
      }
    // Results by attribute: the same product for everybody of each attribute's category
    // (group Layout::attribute_group(k, 0)), booked by calendar budget year; a person
    // attribute's group holds its persons' months and moves only.
    b.attribute_categories = L.attribute_categories;
    if (L.attribute_categories > 0) {
      b.category_households.assign(data.category_households.begin(), data.category_households.end());
      b.category_persons.assign(data.category_persons.begin(), data.category_persons.end());
      const std::size_t size = static_cast<std::size_t>(L.attribute_categories) * A * C;
      b.category_gross_by_calendar.assign(size, 0.0);
      b.category_gross_pv_by_calendar.assign(size, 0.0);
      std::vector<double> nominal(static_cast<std::size_t>(A) * Y), pv(nominal.size()), by_calendar(static_cast<std::size_t>(A) * C),
          pv_by_calendar(by_calendar.size());
      Eigen::MatrixXd group_occ(L.steps, L.cells), group_mov(L.steps, L.transitions);
      for (int cat = 0; cat < L.attribute_categories; ++cat) {
        const int g = L.attribute_group(cat, 0);
        for (int t = 0; t < L.steps; ++t) {
          for (int c = 0; c < L.cells; ++c) group_occ(t, c) = tally.occupied(g, t, c);
          for (int m = 0; m < L.transitions; ++m) group_mov(t, m) = tally.moved(g, t, m);
        }
        std::fill(by_calendar.begin(), by_calendar.end(), 0.0);
        std::fill(pv_by_calendar.begin(), pv_by_calendar.end(), 0.0);
        const Booker::Ledger ledger{nominal, pv, by_calendar, pv_by_calendar};
        std::vector<Eigen::MatrixXd> group_monthly(P);
        for (int p = 0; p < P; ++p) group_monthly[p] = group_occ * cell_cost[p];
        const Eigen::MatrixXd group_events = group_mov * move_cost;
        for (int t = 0; t < L.steps; ++t)
          for (int d = 0; d < D; ++d) {
            for (int j = 0; j < k; ++j) post(ledger, d, t * k + j, group_monthly[in_period(t * k + j)](t, d));
            post(ledger, d, t * k + k - 1, group_events(t, d));
          }
        roll_up(s, plan.accounts, by_calendar, C);
        roll_up(s, plan.accounts, pv_by_calendar, C);
        std::copy(by_calendar.begin(), by_calendar.end(), b.category_gross_by_calendar.begin() + static_cast<std::ptrdiff_t>(b.at_category(cat, 0, 0)));
        std::copy(pv_by_calendar.begin(), pv_by_calendar.end(),
                  b.category_gross_pv_by_calendar.begin() + static_cast<std::ptrdiff_t>(b.at_category(cat, 0, 0)));
      }
    }
    // Capacity not cashed: its value by month, and the place-years it stands for (everybody, group 0).
    if (plan.has_capacity) {
      std::vector<Eigen::MatrixXd> idle(P);
      for (int p = 0; p < P; ++p) idle[p] = occ * cell_capacity[p];
      for (int t = 0; t < L.steps; ++t)
        for (int d = 0; d < D; ++d)
          for (int j = 0; j < k; ++j) post(capacity, d, t * k + j, idle[in_period(t * k + j)](t, d));
      for (int t = 0; t < L.steps; ++t) {
        const int y = t * k / 12;
        if (y >= Y) continue;
        for (int c = 0; c < L.cells; ++c) {
          if (occ(t, c) == 0.0) continue;
          const std::size_t item = static_cast<std::size_t>(plan.state_item_offset[L.cell_domain[c]] + L.cell_state[c]);
          for (int d = 0; d < D; ++d) {
            const double share = plan.place_share[item * D + d];
            if (share == 0.0) continue;
            b.capacity_places[b.at(d, y)] += occ(t, c) * k / 12.0 * share;
            // By calendar year, month by month: a step of a quarter or a year can straddle a New Year.
            for (int j = 0; j < k; ++j)
              b.capacity_places_by_calendar[b.at_calendar(d, post.calendar.index_of_month(t * k + j))] +=
                  occ(t, c) / 12.0 * share;
          }
        }
      }
    }
    // Facilities: this variant's own path of open places from its own occupancy, so the
    // saving (baseline minus variant) comes in whole units, per iteration. The empty places
    // are paid (gross, by department, type, project and calendar year, like the line's
    // per-person cost) and are capacity not used (negative capacity, in kroner and
    // place-years). They belong to no person, so no refusion share comes off them; the rest
    // of the split (split_line) is the line's as for any other amount.
    for (std::size_t f = 0; f < plan.facilities.size(); ++f) {
      const StateCost& cost = s.state_costs[plan.facilities[f].cost];
      const CostLine& line = cost.lines[plan.facilities[f].line];
      const int first = L.cell(cost.domain, cost.state, 0), cells = L.cells_of(cost.domain, cost.state);
      // With cycle_months > 1 each month of a step has the step's occupancy.
      std::vector<double> occupied(static_cast<std::size_t>(std::min(L.steps * k, Y * 12)), 0.0);
      for (std::size_t m = 0; m < occupied.size(); ++m)
        for (int c = first; c < first + cells; ++c) occupied[m] += occ(static_cast<Eigen::Index>(m) / k, c);
      const std::vector<double> empty = empty_places(*line.facility, occupied);
      for (std::size_t m = 0; m < empty.size(); ++m) {
        if (empty[m] == 0.0) continue;
        const int month = static_cast<int>(m);
        const double per_place = facility_amount[f][static_cast<std::size_t>(in_period(month))];
        split_line(s, plan, line, empty[m] * per_place, 0.0, [&](int d, double part) {
          post(gross, d, month, part);
          post.typed(gross_typed, type_column(d, line.type), month, part);
          post(capacity, d, month, -part);
          const std::size_t at = b.at_calendar(d, post.calendar.index_of_month(month));
          b.facility_by_calendar[at] += part;
          b.facility_pv_by_calendar[at] += part * plan.discount[static_cast<std::size_t>(month)];
        });
        b.capacity_places[b.at(line.department, month / 12)] -= empty[m] / 12.0;
        b.capacity_places_by_calendar[b.at_calendar(line.department, post.calendar.index_of_month(month))] -= empty[m] / 12.0;
      }
    }
    std::vector<Eigen::MatrixXd> monthly_typed(P);
    for (int p = 0; p < P; ++p) monthly_typed[p] = occ * cell_typed[p].costs;
    const Eigen::MatrixXd events_typed = mov * move_typed.costs;
    for (int t = 0; t < L.steps; ++t) {
      for (std::size_t col = 0; col < cell_typed[0].column.size(); ++col)
        for (int j = 0; j < k; ++j)
          post.typed(gross_typed, cell_typed[0].column[col], t * k + j,
                     monthly_typed[in_period(t * k + j)](t, static_cast<Eigen::Index>(col)));
      for (std::size_t col = 0; col < move_typed.column.size(); ++col)
        post.typed(gross_typed, move_typed.column[col], t * k + k - 1, events_typed(t, static_cast<Eigen::Index>(col)));
    }

    // Intervention costs.
    const Variant& variant = s.variants[v];
    for (std::size_t i = 0; i < variant.interventions.size(); ++i) {
      const Intervention& iv = variant.interventions[i];
      const EnrolmentSummary::Months& mi = data.enrolment[v].months[i];
      const EnrolmentCounts& counts = data.enrolment[v].counts[i];
      const int first = mi.start, last = std::min(mi.end, Y * 12);
      std::vector<double> staff(static_cast<std::size_t>(D), 0.0), staff_typed(static_cast<std::size_t>(D) * T, 0.0);
      // Staff first: a grant's share of each department's staff is known before it is posted.
      for (const auto& c : iv.costs)
        if (const auto* st = std::get_if<InterventionCost::Staff>(&c.kind)) {
          const double per_month = sampler.draw(st->fte) * sampler.draw(st->monthly_cost_per_fte);
          staff[c.department] += per_month;
          staff_typed[type_column(c.department, c.type)] += per_month;
        }
      for (const auto& c : iv.costs) {
        std::visit([&](const auto& kind) {
          using Kind = std::decay_t<decltype(kind)>;
          if constexpr (std::is_same_v<Kind, InterventionCost::Staff>) {
            // posted below, per department and month
          } else if constexpr (std::is_same_v<Kind, InterventionCost::Grant>) {
            const double per_month = sampler.draw(kind.total) / std::max(1, mi.end - mi.start);
            for (int m = first; m < last; ++m) {
              post(invest, c.department, m, per_month);
              post.typed(invest_typed, type_column(c.department, c.type), m, per_month);
              // A grant that finances departments' staff lightens their share, pro rata, and
              // lightens each type of their staff costs alike.
              double financed = 0.0;
              for (int f : kind.finances) financed += staff[f];
              if (financed > 0.0)
                for (int f : kind.finances) {
                  post(invest, f, m, -per_month * staff[f] / financed);
                  for (int t = 0; t < T; ++t) {
                    const std::size_t col = type_column(f, static_cast<ExpenditureType>(t));
                    post.typed(invest_typed, col, m, -per_month * staff_typed[col] / financed);
                  }
                }
            }
          } else {
            static_assert(std::is_same_v<Kind, InterventionCost::Measure>, "a new kind of cost is priced here");
            const double amount = sampler.draw(kind.amount);
            const bool once = kind.when == InterventionCost::When::enrolment;
            for (int m = 0; m < Y * 12; ++m) {
              double units = 0.0;
              switch (kind.per) {
              case InterventionCost::Per::household: units = once ? counts.new_households[m] : counts.enrolled_households[m]; break;
              case InterventionCost::Per::adult: units = once ? counts.new_adults[m] : counts.enrolled_adults[m]; break;
              case InterventionCost::Per::child: units = once ? counts.new_children[m] : counts.enrolled_children[m]; break;
              case InterventionCost::Per::person:
                units = once ? counts.new_adults[m] + counts.new_children[m] : counts.enrolled_adults[m] + counts.enrolled_children[m];
                break;
              case InterventionCost::Per::count: break; // the end of the names table, not a value
              }
              post(invest, c.department, m, amount * units);
              post.typed(invest_typed, type_column(c.department, c.type), m, amount * units);
            }
          }
        }, c.kind);
      }
      for (int d = 0; d < D; ++d)
        for (int m = first; m < last; ++m) post(invest, d, m, staff[d]);
      for (std::size_t col = 0; col < staff_typed.size(); ++col)
        for (int m = first; m < last; ++m) post.typed(invest_typed, col, m, staff_typed[col]);
    }

    // Outcomes.
    b.groups = tally.groups;
    b.indicators = tally.indicators;
    b.state_items = plan.state_items;
    b.routes = static_cast<int>(plan.routes.size());
    b.points = tally.points;
    b.indicator_share.assign(static_cast<std::size_t>(b.groups) * b.points * b.indicators, NAN);
    b.indicator_met.assign(b.indicator_share.size(), 0.0);
    for (int g = 0; g < b.groups; ++g)
      for (int y = 0; y < b.points; ++y)
        for (int i = 0; i < b.indicators; ++i) {
          const std::size_t idx = tally.indicator_index(g, y, i);
          b.indicator_share[idx] = tally.indicator_share(g, y, i);
          b.indicator_met[idx] = tally.indicator_met[idx];
        }
    b.person_years.assign(static_cast<std::size_t>(b.groups) * Y * b.state_items, 0.0);
    b.moves.assign(static_cast<std::size_t>(b.groups) * Y * b.routes, 0.0);
    b.person_years_by_calendar.assign(static_cast<std::size_t>(b.groups) * C * b.state_items, 0.0);
    b.moves_by_calendar.assign(static_cast<std::size_t>(b.groups) * C * b.routes, 0.0);
    for (int g = 0; g < b.groups; ++g)
      for (int t = 0; t < L.steps; ++t) {
        const int y = t * k / 12, last = post.calendar.index_of_month(t * k + k - 1);
        for (int c = 0; c < L.cells; ++c) {
          const std::uint32_t n = tally.occupied(g, t, c);
          if (!n) continue;
          const int item = plan.state_item_offset[L.cell_domain[c]] + L.cell_state[c];
          b.person_years[(static_cast<std::size_t>(g) * Y + y) * b.state_items + item] += n * k / 12.0;
          // Month by month: a quarter or a year can straddle a New Year.
          for (int j = 0; j < k; ++j)
            b.person_years_by_calendar[(static_cast<std::size_t>(g) * C + post.calendar.index_of_month(t * k + j)) *
                                           b.state_items +
                                       item] += n / 12.0;
        }
        for (int m = 0; m < b.routes; ++m) {
          const auto& route = plan.routes[m];
          double moved = 0.0; // over the categories of a domain whose moves are split by attribute
          for (int cat = 0; cat < L.move_categories[static_cast<std::size_t>(route.domain)]; ++cat)
            moved += tally.moved(g, t, L.transition(route.domain, route.from, route.to, cat));
          b.moves[(static_cast<std::size_t>(g) * Y + y) * b.routes + m] += moved;
          b.moves_by_calendar[(static_cast<std::size_t>(g) * C + last) * b.routes + m] += moved;
        }
      }
    if (v > 0) {
      const EnrolmentSummary& e = data.enrolment[v];
      b.eligible_households = e.eligible_households;
      b.consenting_households = e.consenting_households;
      b.participant_households = e.participant_households;
      b.participant_persons = e.participant_persons;
      b.solved_hazard_ratios = e.solved_hazard_ratios;
    }

    // Pay-for-results: measured at the end of the contract's project year or December
    // (at_budget_year) on this variant's paths, and paid in that month.
    for (const auto& c : variant.contracts) {
      const int g = c.among == Group::participants ? v : 0;
      const int y = L.points.of(s.run, c.at_year, c.at_budget_year);
      const std::size_t idx = tally.indicator_index(g, y, c.indicator);
      const double share = tally.indicator_share(g, y, c.indicator);
      double payment = 0.0;
      if (!std::isnan(share) && share >= c.at_least)
        payment = sampler.draw(c.amount) + sampler.draw(c.amount_per_person) * tally.indicator_met[idx];
      b.contract_payment.push_back(payment);
      const int month = L.points.last_month(y);
      post(contract, c.payer, month, -payment);
      post(contract, c.payee, month, payment);
    }
    for (auto* vec : {&b.gross, &b.gross_pv, &b.invest, &b.invest_pv, &b.contract, &b.contract_pv, &b.capacity,
                      &b.capacity_pv, &b.capacity_places})
      roll_up(s, plan.accounts, *vec, Y);
    for (auto* vec : {&b.gross_by_calendar, &b.invest_by_calendar, &b.contract_by_calendar, &b.capacity_by_calendar,
                      &b.gross_pv_by_calendar, &b.invest_pv_by_calendar, &b.contract_pv_by_calendar,
                      &b.capacity_pv_by_calendar, &b.capacity_places_by_calendar})
      roll_up(s, plan.accounts, *vec, C);
    for (auto* vec : {&b.gross_by_type, &b.gross_pv_by_type, &b.invest_by_type, &b.invest_pv_by_type})
      roll_up(s, plan.accounts, *vec, T);
    for (auto* vec : {&b.gross_calendar_by_type, &b.invest_calendar_by_type}) roll_up(s, plan.accounts, *vec, T * C);
  }
  return book;
}

} // namespace

} // namespace socinvest
