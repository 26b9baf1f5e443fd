#pragma once
// Simulate, then price: the tallies of one iteration are turned into money by department
// and month with the iteration's drawn unit costs — a matrix product of occupancy (steps x
// cells) and unit costs (cells x departments), plus one-off transition costs, intervention
// costs from the enrolment schedule, and pay-for-results payments. Re-costing or
// re-discounting never needs a new simulation.
#include <socinvest/ledger/accounts.hpp>
#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/montecarlo/runner.hpp>

#include <vector>

namespace socinvest {

/// One variant of one iteration, priced, with its outcomes.
struct VariantBook {
  bool simulated = false;
  int accounts = 0, years = 0;
  // Money by [account * years + year]; "_pv" discounted to the start.
  std::vector<double> gross, gross_pv;       ///< cost of services (state and transition costs)
  std::vector<double> invest, invest_pv;     ///< intervention costs (staff, grants, measures)
  std::vector<double> contract, contract_pv; ///< pay-for-results: received minus paid
  // The same money, nominal, by [account * calendar_years + c]: calendar budget years
  // (budget_years.hpp; c = 0 is the calendar year of the start).
  int calendar_years = 0;
  std::vector<double> gross_by_calendar, invest_by_calendar, contract_by_calendar;
  std::vector<double> gross_pv_by_calendar, invest_pv_by_calendar, contract_pv_by_calendar; ///< discounted to the start
  // The same by expenditure type (ExpenditureType, scenario.hpp) t: over the whole horizon
  // by [account * expenditure_type_count + t], nominal and discounted; by calendar budget
  // year by [(account * expenditure_type_count + t) * calendar_years + c], nominal.
  // Contracts have no expenditure type.
  std::vector<double> gross_by_type, gross_pv_by_type, invest_by_type, invest_pv_by_type;
  std::vector<double> gross_calendar_by_type, invest_calendar_by_type;
  // Capacity: the non-cashable part of state costs (CostLine::cashable_share), which `gross`
  // leaves out, by [account * years + year] (nominal, discounted) and by
  // [account * calendar_years + c]; and the place-years it stands for, by
  // [account * years + year]. Baseline minus variant is the freed capacity. A facility's
  // empty but open places (CostLine::facility) are paid in `gross` and count here negative
  // (occupancy x amount less what is paid), so gross + capacity stays occupancy x amount.
  std::vector<double> capacity, capacity_pv, capacity_by_calendar, capacity_places;
  std::vector<double> capacity_pv_by_calendar, capacity_places_by_calendar;
  /// The facilities' empty but open places (part of `gross`), by [department * calendar_years
  /// + c], nominal and discounted: the one part of the state costs that is not a price times
  /// a quantity (the workbook's re-pricing sheets show it as the engine's value).
  std::vector<double> facility_by_calendar, facility_pv_by_calendar;
  // Outcomes by group (0: all; v: participants of variant v), year and item.
  int groups = 0, indicators = 0, state_items = 0, routes = 0;
  int points = 0; ///< indicator measurement points (Layout::points): the project-year ends first
  std::vector<double> indicator_share, indicator_met; ///< [(g * points + p) * indicators + i]
  std::vector<double> person_years;                   ///< [(g * years + y) * state_items + k]
  std::vector<double> moves;                          ///< [(g * years + y) * routes + k], see PricingPlan::routes
  /// The same by calendar budget year c: [(g * calendar_years + c) * state_items + k] and
  /// [(g * calendar_years + c) * routes + k]. A move is counted in the month its step ends.
  std::vector<double> person_years_by_calendar, moves_by_calendar;
  std::vector<double> contract_payment;               ///< per contract of the variant
  int eligible_households = 0, consenting_households = 0, participant_households = 0, participant_persons = 0;
  int households = 0, persons = 0;
  /// The solved hazard ratios of the variant's success-rate effects (EnrolmentSummary).
  std::vector<double> solved_hazard_ratios;
  /// Results by attribute: per category k of the attributes (Layout::attribute_categories;
  /// their outcomes are the groups Layout::attribute_group(k, g) of the per-group vectors
  /// above), the households and persons of the category (a person attribute's households:
  /// those with a member in it), and the cost of services of everybody in it by
  /// [(k * accounts + account) * calendar_years + c], nominal and discounted: a person-month
  /// and a move are charged to the person's category. A facility's empty places belong to no
  /// category.
  int attribute_categories = 0;
  std::vector<double> category_households, category_persons;
  std::vector<double> category_gross_by_calendar, category_gross_pv_by_calendar;
  [[nodiscard]] std::size_t at_category(int k, int account, int c) const {
    return (static_cast<std::size_t>(k) * accounts + account) * calendar_years + c;
  }

  [[nodiscard]] std::size_t at(int account, int year) const { return static_cast<std::size_t>(account) * years + year; }

  /// The per-year money of one time axis: project years (twelve months from the start) or
  /// calendar budget years (c = 0: the calendar year of the start, maybe a part year).
  struct PerYear {
    const std::vector<double>&gross, &gross_pv, &invest, &invest_pv, &contract, &contract_pv, &capacity, &capacity_pv,
        &places;
    int years;
    [[nodiscard]] std::size_t at(int account, int year) const { return static_cast<std::size_t>(account) * years + year; }
  };
  [[nodiscard]] PerYear per_year(YearAxis axis) const {
    if (axis == YearAxis::calendar)
      return {gross_by_calendar,   gross_pv_by_calendar,    invest_by_calendar,
              invest_pv_by_calendar, contract_by_calendar,  contract_pv_by_calendar,
              capacity_by_calendar, capacity_pv_by_calendar, capacity_places_by_calendar,
              calendar_years};
    return {gross, gross_pv, invest, invest_pv, contract, contract_pv, capacity, capacity_pv, capacity_places, years};
  }
  [[nodiscard]] std::size_t at_calendar(int account, int c) const {
    return static_cast<std::size_t>(account) * calendar_years + c;
  }
  [[nodiscard]] static std::size_t at_type(int account, ExpenditureType t) {
    return static_cast<std::size_t>(account) * expenditure_type_count + static_cast<std::size_t>(t);
  }
  [[nodiscard]] std::size_t at_type_calendar(int account, ExpenditureType t, int c) const {
    return at_type(account, t) * calendar_years + c;
  }
};

struct IterationBook {
  std::uint32_t iteration = 0;
  std::vector<VariantBook> variants; ///< per scenario variant
};

/// Iteration-independent pricing structure.
struct PricingPlan {
  Accounts accounts;
  /// Book the neutralised share of transfer lines to the state (RunPlan::neutralise_transfers).
  bool neutralise_transfers = false;
  std::vector<double> discount; ///< per month
  std::vector<int> state_item_offset; ///< per domain: first (domain, state) item
  int state_items = 0;
  /// The moves that can happen (listed in transitions, or opened by a risk difference),
  /// as (domain, from, to); outcomes count only these, which keeps each iteration small.
  struct Route {
    int domain, from, to;
  };
  std::vector<Route> routes;
  /// Per (domain, state) item and department [item * departments + d]: the place-years one
  /// person-year in the state holds of the department's capacity that is not cashed, the
  /// largest 1 − cashable_share among the department's lines there (a person holds one
  /// place). All 0 when every line is cashable (has_capacity false).
  std::vector<double> place_share;
  bool has_capacity = false;
  /// The state cost lines tied to a facility (CostLine::facility), as (state_costs index,
  /// line index), in the order of the scenario. Their empty but open places are priced per
  /// variant and iteration on top of the per-person cost (pricing.cpp, facility_costs).
  struct FacilityLine {
    int cost, line;
  };
  std::vector<FacilityLine> facilities;
};
/// The rate periods of the state cost lines (CostLine::changes) within the first `months`
/// months: the first month of each, increasing, starting with 0. A month's unit costs are
/// those in force in its period (price_iteration; the workbook's re-pricing sheets).
std::vector<int> rate_period_starts(const Scenario& scenario, int months);

PricingPlan make_pricing_plan(const Scenario& scenario, bool neutralise_transfers = false);

/// What pricing reads of one variant's enrolment: the counts its measures are priced by,
/// the months each intervention runs, and the participants the book reports.
struct EnrolmentSummary {
  std::vector<EnrolmentCounts> counts; ///< per intervention
  struct Months {
    int start = 0, end = 0; ///< ModelIntervention::start_month, end_month
  };
  std::vector<Months> months; ///< per intervention
  int eligible_households = 0, consenting_households = 0, participant_households = 0, participant_persons = 0;
  /// The hazard ratios solved for the variant's success-rate effects in this iteration
  /// (ModelSuccessRate::hazard_ratio, in Variant::success_rate_effects() order; NaN: none).
  std::vector<double> solved_hazard_ratios;
};

/// Everything pricing reads of one simulated iteration besides the prices (simulate, then
/// price): its tallies, enrolment summaries and population counts. The prices come from a
/// ParameterSampler, so the same simulation can be priced again with other price-only
/// parameters (Scenario::price_only) without simulating it again (decision/sweep.cpp).
struct SimulatedIteration {
  std::uint32_t iteration = 0;
  int households = 0, persons = 0;
  std::vector<int> variants;               ///< which variants were simulated (0 first)
  std::vector<Tally> tallies;              ///< per simulated variant, same order
  std::vector<EnrolmentSummary> enrolment; ///< per scenario variant (empty when not simulated)
  /// Per category of the attributes (Layout::attribute_categories): its households and persons (VariantBook).
  std::vector<int> category_households, category_persons;
  /// The memory it holds (its vectors' contents).
  [[nodiscard]] std::size_t bytes() const;
};
/// The part of `data` pricing reads, copied (tallies included).
SimulatedIteration simulated_iteration(const IterationData& data);

/// Prices one iteration as it comes from the simulation.
IterationBook price_iteration(const IterationData& data, const PricingPlan& plan);
/// Prices a kept simulation with the prices `sampler` draws; the same book, bit for bit, as
/// price_iteration on the IterationData it was kept from when the sampler draws the same.
IterationBook price_iteration(const SimulatedIteration& simulated, const Scenario& scenario, const Layout& layout,
                              const ParameterSampler& sampler, const PricingPlan& plan);

} // namespace socinvest
