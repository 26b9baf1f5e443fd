#pragma once
// The in-memory scenario: one complete, validated analysis. Everything is data; indices
// refer into the vectors of this struct (department, domain, state, variant, indicator).
// Built by load_scenario() (scenario/loader.hpp); read-only afterwards.
#include <socinvest/scenario/diagnostics.hpp>
#include <socinvest/scenario/distribution.hpp>
#include <socinvest/scenario/enum_names.hpp>
#include <socinvest/scenario/text.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace socinvest {

/// A calendar month, e.g. 2023-09.
struct YearMonth {
  int year = 2024;
  int month = 1; ///< 1..12
  [[nodiscard]] int index() const { return year * 12 + (month - 1); }
  [[nodiscard]] std::string text() const;
};

enum class FinancingLevel { municipality, region, state, external, count };
inline constexpr auto financing_level_names = std::to_array<EnumName<FinancingLevel>>({
    {FinancingLevel::municipality, "municipality"},
    {FinancingLevel::region, "region"},
    {FinancingLevel::state, "state"},
    {FinancingLevel::external, "external"},
});
static_assert(names_every_value(financing_level_names));
constexpr const auto& enum_names(FinancingLevel) { return financing_level_names; }
inline constexpr int financing_level_count = static_cast<int>(FinancingLevel::count);

/// The expenditure type of a cost line or an intervention cost, in the split of the Danish
/// municipal budget (Indenrigs- og Boligministeriet, "Budget- og regnskabssystem for
/// kommuner" (BRS), the definition of serviceudgifter: net operating expenditure excluding
/// income transfers (overførsler), forsikrede ledige and the other listed exceptions; anlæg
/// has its own ceiling). It decides which budget ceiling a change counts against: the
/// servicerammen of the annual økonomiaftale caps `service` only (docs/danish-rules-sources.md
/// § 5). Names in scenarios (`expenditure_type:`) and every result file.
enum class ExpenditureType : std::uint8_t { service, transfer, capital, tax, count };
inline constexpr auto expenditure_type_names = std::to_array<EnumName<ExpenditureType>>({
    {ExpenditureType::service, "service"},   ///< serviceudgifter: staff, residential care, support, casework
    {ExpenditureType::transfer, "transfer"}, ///< indkomstoverførsler: cash and sickness benefit, fleksløntilskud, førtidspension
    {ExpenditureType::capital, "capital"},   ///< anlæg: buildings, renovation
    {ExpenditureType::tax, "tax"},           ///< tax revenue (a negative amount: income)
});
static_assert(names_every_value(expenditure_type_names));
constexpr const auto& enum_names(ExpenditureType) { return expenditure_type_names; }
inline constexpr int expenditure_type_count = static_cast<int>(ExpenditureType::count);

struct Department {
  std::string id;
  Text name; ///< display name, UTF-8 (in both languages)
  FinancingLevel level = FinancingLevel::municipality;
};

/// A discount rate that applies from `from_year` (years after the scenario start) on.
struct DiscountSegment {
  double from_year = 0.0;
  double rate = 0.035;
};

/// A haircut on effects for optimism bias and deadweight: the share h (0 to 0.99) of every
/// effect taken away, on the log hazard ratio (a ratio r acts as r^(1 - h)) or on a risk
/// difference ((1 - h) x d). HM Treasury, The Green Book (2022) and its supplementary
/// guidance "Optimism bias" (2003) ask for such an adjustment on benefits, reduced as
/// evidence grows; the HCA Additionality Guide (4th ed., 2014) treats deadweight alike.
/// Socialstyrelsen's SØM sets no fixed figure (it nets deadweight into the effect size and
/// asks for sensitivity analysis: "Økonomiske analyser af sociale indsatser –
/// retningslinjer", 2021, § 2.3), so there is no default: 0 unless the scenario says.
struct EffectHaircut {
  double share = 0.0;
  std::string source;
  [[nodiscard]] bool used() const { return share > 0.0; }
};

/// Prices of each budget year for the budget-period table in current prices (løbende
/// priser): per expenditure type, the yearly rate of change into each calendar year, from
/// the price and wage forecasts a municipality budgets with (KL, "Pris- og lønskøn til brug
/// for budgetlægningen", for service spending; Økonomistyrelsen's satsreguleringsprocent for
/// transfers, 3.6 % for 2025, "Pris- og lønforudsætninger", 6.6.2024; the anlægsindeks for
/// capital; wages for tax, which follows them). A year without its own rate takes the last
/// rate given before it (0 % before the first), and the table says the projection's source.
struct PriceProjection {
  std::array<std::map<int, double>, expenditure_type_count> rates; ///< by type: year -> rate of change into it
  std::string source;
  [[nodiscard]] bool given() const {
    for (const auto& r : rates)
      if (!r.empty()) return true;
    return false;
  }
  /// The rate of change into calendar year `year` for type t.
  [[nodiscard]] double rate(ExpenditureType t, int year) const {
    const auto& r = rates[static_cast<std::size_t>(t)];
    auto it = r.upper_bound(year); // the first year after `year`
    return it == r.begin() ? 0.0 : std::prev(it)->second;
  }
  /// Current prices of `year` per krone in fixed prices of `price_year`.
  [[nodiscard]] double index(ExpenditureType t, int year, int price_year) const {
    double f = 1.0;
    for (int y = price_year + 1; y <= year; ++y) f *= 1.0 + rate(t, y);
    for (int y = year + 1; y <= price_year; ++y) f /= 1.0 + rate(t, y);
    return f;
  }
};

struct RunSettings {
  YearMonth start;
  int horizon_years = 10;
  int cycle_months = 1; ///< 1 (month), 3 (quarter) or 12 (year)
  int iterations = 1000;
  std::uint64_t seed = 1;
  int price_year = 2024;
  /// The budget year of the budget-period table (ledger/budget_years.hpp); 0: the calendar
  /// year after the start.
  int budget_year = 0;
  /// The scenario-wide haircut on effects; an intervention's own replaces it.
  EffectHaircut effect_haircut;
  /// For the budget-period table in current prices; none: fixed prices only.
  PriceProjection price_projection;
  std::string currency = "DKK";
  /// The language of the reports and the terminal when neither --lang nor SOCINVEST_LANG
  /// says (run.lang; resolve_language in scenario/text.hpp); none: English.
  std::optional<Language> lang;
  /// Book the neutralised share of transfer lines (CostLine::neutralised_share) to the
  /// department `state` (run.neutralise_transfers; --neutralise-transfers turns it on too).
  bool neutralise_transfers = false;
  std::vector<DiscountSegment> discount{{0.0, 0.035}, {35.0, 0.025}};

  [[nodiscard]] int horizon_months() const { return horizon_years * 12; }
  [[nodiscard]] int steps() const { return horizon_months() / cycle_months; }
};

/// Who a domain, indicator or eligibility rule applies to. Stored per person as a byte
/// (Population::role: adult or child).
enum class Role : std::uint8_t { adult = 0, child = 1, any = 2, count };
inline constexpr auto role_names = std::to_array<EnumName<Role>>({
    {Role::adult, "adult"},
    {Role::child, "child"},
    {Role::any, "any"},
});
static_assert(names_every_value(role_names));
constexpr const auto& enum_names(Role) { return role_names; }
/// A child becomes an adult at this age (months): for mortality, ageing and the CSV check.
constexpr int adult_age_months = 18 * 12;

/// A distribution over the states of one domain; state -1 means "not in the domain".
struct StateDistribution {
  std::vector<int> states;
  std::vector<double> probabilities;
  [[nodiscard]] bool empty() const { return states.empty(); }
  /// The state for a uniform u: the first whose cumulative probability exceeds u (the last
  /// when rounding leaves u beyond them all; -1 when there are none).
  [[nodiscard]] int draw(double u) const;
};

/// Exit probabilities drawn jointly: a Dirichlet over the destinations plus staying.
struct DirichletRow {
  std::vector<double> alpha; ///< one count per destination, then the count for staying
  std::string path;          ///< its key path (the assumptions table)
  std::uint64_t key = 0;     ///< path_key(path): keys its draws
};

/// Monthly exit probabilities from one state for persons whose months already in the state
/// lie in [from_month, to_month): one Quantity per destination, or a Dirichlet row.
struct TransitionBand {
  using PerDestination = std::vector<Quantity>;
  int from_month = 0;
  int to_month = std::numeric_limits<int>::max();
  std::vector<int> destinations;
  std::variant<PerDestination, DirichletRow> probabilities;

  /// The Dirichlet row, or nullptr when each destination has its own Quantity.
  [[nodiscard]] const DirichletRow* dirichlet() const { return std::get_if<DirichletRow>(&probabilities); }
};

/// Ageing out of a domain: at `at_age` a person leaves; with `to_domain` >= 0 they enter it,
/// their new state drawn from `map[current state]`.
struct AgeingRule {
  double at_age = 0.0;
  int to_domain = -1;
  std::vector<StateDistribution> map; ///< per state of this domain
};

/// A condition on states, for links and eligibility.
struct StateCondition {
  enum class Scope { self, household_any, household_other, count };
  Scope scope = Scope::self;
  int domain = -1;
  std::vector<int> states;
};
inline constexpr auto condition_scope_names = std::to_array<EnumName<StateCondition::Scope>>({
    {StateCondition::Scope::self, "self"},
    {StateCondition::Scope::household_any, "household_any"},
    {StateCondition::Scope::household_other, "household_other"},
});
static_assert(names_every_value(condition_scope_names));
constexpr const auto& enum_names(StateCondition::Scope) { return condition_scope_names; }

/// An attribute of persons or of households (scenarios/README.md § 9.3, `attributes`): what a
/// register says about them beyond their states (the area they live in, the household type).
/// Its value never changes during a run; each person holds a small code per attribute
/// (Population::attribute). A household attribute has one value for all its members.
struct Attribute {
  enum class Level : std::uint8_t { person, household, count };
  static constexpr int max_categories = 64; ///< codes are bits of AttributeCondition::categories
  std::string id;
  Level level = Level::household;
  std::vector<std::string> categories;
  /// A synthetic population: each category's probability (summing to 1); a CSV extract: empty.
  std::vector<double> shares;
  std::string source;
  [[nodiscard]] int category_index(const std::string& name) const {
    for (std::size_t i = 0; i < categories.size(); ++i)
      if (categories[i] == name) return static_cast<int>(i);
    return -1;
  }
};
inline constexpr auto attribute_level_names = std::to_array<EnumName<Attribute::Level>>({
    {Attribute::Level::person, "person"},
    {Attribute::Level::household, "household"},
});
static_assert(names_every_value(attribute_level_names));
constexpr const auto& enum_names(Attribute::Level) { return attribute_level_names; }

/// A person (or household) whose attribute `attribute` has one of the categories in the bit
/// set `categories` (bit k: category k): for eligibility and links.
struct AttributeCondition {
  int attribute = -1;
  std::uint64_t categories = 0;
  [[nodiscard]] bool holds(int code) const { return code >= 0 && code < 64 && (categories >> code & 1u); }
};

/// Whole months of age from an age in years: the first month that starts at or after it
/// (applies_to.age and links on age count ages so).
inline int age_months_of_years(double years) { return static_cast<int>(std::ceil(years * 12.0 - 1e-6)); }

/// An age range in whole months of age, [first, end): a link on age holds in a step whose
/// starting age is within it.
struct AgeCondition {
  int first_month = 0;
  int end_month = std::numeric_limits<int>::max();
  [[nodiscard]] bool holds(int age_months) const { return age_months >= first_month && age_months < end_month; }
};

/// A cross-domain link: while `when` holds, the hazard of from->to in this domain is
/// multiplied by `hazard_ratio`. With `attribute` set, the condition is the person's
/// attribute instead (`when: {attribute: {...}}`), which holds or not for the whole run; with
/// `age` set, the person's age (`when: {age: [30, 50]}`), which the kernels look at again
/// when it crosses either end.
struct Link {
  std::optional<AttributeCondition> attribute;
  std::optional<AgeCondition> age;
  StateCondition when;
  int from = -1;
  int to = -1;
  Quantity hazard_ratio;
};

/// Who a domain is for: a role and an age range in whole months of age. The population's
/// start states, the CSV extract and the simulation's ageing all ask `covers`, so a person
/// is never started in a domain that the first ageing step would take them out of.
struct DomainScope {
  Role role = Role::any;
  int first_month = 0;    ///< the first age (in months) in the domain
  int end_month = 2400;   ///< the age (in months) at which a person leaves it
  [[nodiscard]] bool covers(Role person, int age_months) const {
    return (role == Role::any || role == person) && age_months >= first_month && age_months < end_month;
  }
};

struct Domain {
  std::string id;
  Role role = Role::any;
  double min_age = 0.0; ///< years, inclusive
  double max_age = 200.0; ///< years, exclusive: at this age the person leaves the domain
  std::vector<std::string> states;
  std::vector<std::vector<TransitionBand>> transitions; ///< per state; bands sorted
  StateDistribution entry;              ///< for persons ageing into [min_age, max_age)
  std::optional<AgeingRule> on_leaving; ///< at max_age
  std::vector<Link> links;

  [[nodiscard]] int state_index(const std::string& name) const;
  /// min_age and max_age as the months of age in which they are reached (rounded up, with
  /// a tolerance for ages such as 15.5 that are not exact in binary).
  [[nodiscard]] DomainScope scope() const;
};

/// A fixed count, drawn without a random number.
struct FixedCount {
  int value = 0;
};
/// Counts with their probabilities.
struct CategoricalCount {
  std::vector<int> values;
  std::vector<double> probabilities;
};
/// A Poisson count, capped at `max`.
struct PoissonCount {
  double lambda = 0.0;
  int max = 20;
};
/// A distribution over small counts (household composition). (The kinds are declared
/// outside: a variant member cannot default-construct a nested class with member
/// initializers before the enclosing class is complete.)
struct CountDistribution {
  using Fixed = FixedCount;
  using Categorical = CategoricalCount;
  using Poisson = PoissonCount;
  std::variant<Fixed, Categorical, Poisson> kind;
};

struct StartMonths {
  int domain = -1;
  int state = -1;
  Distribution months;
};

/// Persons starting in a state: the weeks already on public support by the law's count
/// (refusion clock, ReimbursementRule::Clock), or the share of them whose award keeps the
/// old refusion (legacy).
struct StartRefusion {
  int domain = -1;
  int state = -1;
  Distribution weeks;  ///< refusion_weeks_at_start
  double share = 0.0;  ///< legacy_refusion_share
};

struct SyntheticPopulation {
  CountDistribution adults;
  CountDistribution children;
  Distribution adult_age = {DistributionKind::uniform, 25.0, 60.0, 0.0};
  Distribution child_age = {DistributionKind::uniform, 0.0, 17.99, 0.0};
  std::vector<StateDistribution> start_state; ///< per domain; empty = nobody starts in it
  std::vector<StartMonths> months_in_start_state;
  /// Weeks on public support at the start by state (default: the months in the state).
  std::vector<StartRefusion> refusion_weeks_at_start;
  /// Share of persons starting in a state whose award keeps the old refusion (default 0).
  std::vector<StartRefusion> legacy_refusion_share;
};

struct PopulationSpec {
  int households = 0; ///< synthetic: how many; CSV: set from the file
  std::optional<SyntheticPopulation> synthetic;
  std::string csv_path; ///< resolved path when the population comes from a CSV extract
};

/// Monthly probabilities of leaving the population; no costs accrue afterwards.
struct Exits {
  Quantity mortality_adult = Quantity::fixed(0.0, "exits.mortality.adult");
  Quantity mortality_child = Quantity::fixed(0.0, "exits.mortality.child");
  Quantity moving_away = Quantity::fixed(0.0, "exits.moving_away"); ///< whole household
};

/// State reimbursement by weeks on benefit: state_share[i] applies up to weeks[i]
/// (exclusive), the last share after the last boundary.
struct ReimbursementRule {
  std::string id;
  std::vector<double> weeks;
  std::vector<double> state_share;
  int to_department = -1; ///< who pays the reimbursed share (the state)
  /// The state's share of a benefit month in which the citizen has `months` (0-based) on it.
  [[nodiscard]] double share_for_month(int months) const;
  /// The same month's weight on each step of the staircase (per entry of state_share, summing
  /// to 1): share_for_month(m) is the sum of weight x state_share, so a spreadsheet can
  /// re-price the month from edited step shares (the workbook's re-pricing sheets).
  [[nodiscard]] std::vector<double> step_weights(int months) const;

  /// The law's count (lov om kommunernes finansiering af visse offentlige ydelser, LBK nr.
  /// 221 af 12.2.2021, §§ 5-6): the step is set by the person's months on public support in
  /// any of `kind`'s support states since the count last started over, and it starts over
  /// once the person has had `reset_months` months of self-support within the last
  /// `window_months`, counted since the count began. Without a clock (domain -1) the months
  /// in the current spell set the step (the old, spell-based reading).
  struct Clock {
    enum class Kind : std::uint8_t { neither = 0, support = 1, self_support = 2 };
    int domain = -1;
    std::vector<Kind> kind;            ///< per state of the domain
    std::vector<double> legacy_share;  ///< per state: the old rules' state share, < 0 none
    double reset_weeks = 52, window_weeks = 156;
    int reset_months = 12, window_months = 36; ///< the weeks at 52/12 weeks a month
    [[nodiscard]] bool counts(int state) const { return state >= 0 && kind[state] == Kind::support; }
    [[nodiscard]] bool has_legacy(int state) const { return state >= 0 && legacy_share[state] >= 0.0; }
  };
  Clock clock;
  [[nodiscard]] bool clocked() const { return clock.domain >= 0; }
};

/// Equalisation of a tax line (lov om kommunal udligning og generelle tilskud til kommuner,
/// § 2): `share` of the municipality's tax revenue is evened out with the other
/// municipalities, booked to department `to`; the line's own department keeps the rest.
struct Equalisation {
  double share = 0.0;
  int to = -1; ///< the department that carries the equalised part
  std::string source;
};

/// A dated change of a state cost line's amount (a new sats, a reform): from calendar month
/// `from` on, the line costs `amount` (in the run's price year) instead of what it cost before.
struct RateChange {
  YearMonth from;
  int from_month = 0; ///< months from run.start (negative: before the start; may lie beyond the horizon)
  Quantity amount;    ///< kr. per person-month, in run.price_year
  Text note;          ///< what the change is ("satser 2025"), in both languages
  /// The change's own amounts by category of the line's attribute (CostLine::by_attribute):
  /// a change replaces every amount of the line, so the categories it does not list cost
  /// its `amount`. Empty when the line does not vary by attribute.
  std::vector<std::optional<Quantity>> category_amounts;
};

/// A facility a state cost line is tied to (scenarios/README.md § 11.1, `facility`): `places`
/// places open at the start, paid whether used or not, that close only in whole units of
/// `step` places, once at least `step` places have stood empty for `months_empty`
/// consecutive months. The line's amount is then the cost per place and month.
struct Facility {
  int places = 0;
  int step = 0;
  int months_empty = 0;
  std::string source;
};

struct CostLine {
  int department = -1;
  Quantity amount; ///< kr. per person-month (state costs) or per event (transition costs)
  /// State costs only: the amount from a month on, strictly increasing in `from`. Before the
  /// first change (and without changes) the line costs `amount`.
  std::vector<RateChange> changes;
  /// State costs only: a takst by area. The amount differs by the person's category of
  /// attribute `by_attribute` (an index into Scenario::attributes; -1: it does not):
  /// category k costs category_amounts[k] when given, else `amount`. The tally then keeps
  /// the state's occupancy per category (Layout::categories), so pricing sees who is where.
  int by_attribute = -1;
  std::vector<std::optional<Quantity>> category_amounts; ///< per category of by_attribute
  /// The amount in force in month `m` (months from the start): the last change whose
  /// from_month <= m, else `amount`; for a person of category `category` of by_attribute
  /// (-1: none) that period's amount for the category, when it gives one.
  [[nodiscard]] const Quantity& amount_at(int m, int category = -1) const {
    const Quantity* q = &amount;
    const std::vector<std::optional<Quantity>>* by = &category_amounts;
    for (const auto& c : changes)
      if (c.from_month <= m) q = &c.amount, by = &c.category_amounts;
    if (category >= 0 && static_cast<std::size_t>(category) < by->size() && (*by)[static_cast<std::size_t>(category)])
      return *(*by)[static_cast<std::size_t>(category)];
    return *q;
  }
  int reimbursement = -1;
  /// What the line is ("kontanthjælp, forsørgersats"), plain or {da: ..., en: ...}: shown
  /// beside its amount in the assumptions, the re-pricing sheets and explain.
  Text note;
  /// Default: `transfer` with a reimbursement rule (refusion covers only income transfers),
  /// else `service` (serviceudgifter are the remainder once the exceptions are taken out).
  ExpenditureType type = ExpenditureType::service;
  /// Transfer lines: the share of the municipality's part that the national grant system
  /// neutralises (budget guarantee 0, beskæftigelsestilskud partly); booked to the
  /// department `state` only when the run neutralises transfers (RunSettings).
  double neutralised_share = 0.0;
  int neutralised_to = -1; ///< the department `state`, when neutralised_share > 0
  std::optional<Equalisation> equalisation; ///< tax lines only
  /// State costs of type service or capital: the share of the monthly cost the budget
  /// really saves when a person leaves the state (realiserbar andel); the rest is freed
  /// capacity (frigjort kapacitet), booked apart and never counted as a saving. A takst is
  /// an average, not a marginal, cost: a place is saved in full only when the municipality
  /// buys or runs one place less (scenarios/README.md § 11.1).
  double cashable_share = 1.0;
  /// State costs of type service or capital: the facility whose places the line pays for,
  /// so the cost falls only in whole steps (never together with a cashable share below 1).
  std::optional<Facility> facility;
};

struct StateCost {
  int domain = -1;
  int state = -1;
  std::vector<CostLine> lines;
};

struct TransitionCost {
  int domain = -1;
  int from = -1;
  int to = -1;
  std::vector<CostLine> lines;
};

/// Household eligibility for an intervention, evaluated on the starting population
/// (interventions/enrolment.cpp). One of the kinds below, each with its own fields.
struct EligibilityRule {
  /// No condition: `eligible` not given.
  struct Always {};
  /// Every rule holds: all_of, and a map of several rules (an empty one holds).
  struct AllOf {
    std::vector<EligibilityRule> rules;
  };
  /// At least one rule holds.
  struct AnyOf {
    std::vector<EligibilityRule> rules;
  };
  /// The household has open cases in at least `at_least` departments, `including` each of these.
  struct DepartmentsWithCases {
    int at_least = 0;
    std::vector<int> including; ///< departments
  };
  /// A member of `role` is in one of `states` of `domain`, for [min_months, max_months], and
  /// (when given) has the attribute condition; without `state` (domain -1) any member of
  /// `role` with the attribute.
  struct AnyMember {
    Role role = Role::any;
    std::optional<AttributeCondition> attribute;
    int domain = -1;
    std::vector<int> states;
    int min_months = 0;
    int max_months = std::numeric_limits<int>::max();
  };
  /// The household has children (has_children: true) or has none (false).
  struct HasChildren {
    bool with_children = false;
  };

  /// The household's attribute (a household-level one) has one of the categories.
  struct HouseholdAttribute {
    AttributeCondition condition;
  };

  std::variant<Always, AllOf, AnyOf, DepartmentsWithCases, AnyMember, HasChildren, HouseholdAttribute> rule;
};

/// One cost of an intervention, charged to `department`: staff, a grant or a measure, each
/// with its own fields. Each kind lists its uncertain numbers in quantities() (for
/// Intervention::for_each_quantity).
struct InterventionCost {
  enum class Per { household, adult, child, person, count };
  enum class When { enrolment, month, count };
  /// `fte` full-time staff at `monthly_cost_per_fte`, every month the intervention runs.
  struct Staff {
    Quantity fte;
    Quantity monthly_cost_per_fte;
    template <class Self, class F> static void quantities(Self& k, F& f) {
      f(k.fte);
      f(k.monthly_cost_per_fte);
    }
  };
  /// A `total` spread evenly over the intervention's months; it pays for the staff of the
  /// departments it `finances`, pro rata, lightening their share.
  struct Grant {
    Quantity total;
    std::vector<int> finances; ///< departments
    template <class Self, class F> static void quantities(Self& k, F& f) { f(k.total); }
  };
  /// kr. `amount` per unit (`per`), once at enrolment or every month enrolled (`when`).
  struct Measure {
    Quantity amount;
    Per per = Per::household;
    When when = When::enrolment;
    template <class Self, class F> static void quantities(Self& k, F& f) { f(k.amount); }
  };

  int department = -1;
  std::variant<Staff, Grant, Measure> kind;
  Text note; ///< what the cost pays for ("2 familierådgivere"), plain or {da: ..., en: ...}
  ExpenditureType type = ExpenditureType::service; ///< staff, a grant for staff, a measure: service unless said
};
inline constexpr auto cost_per_names = std::to_array<EnumName<InterventionCost::Per>>({
    {InterventionCost::Per::household, "household"},
    {InterventionCost::Per::adult, "adult"},
    {InterventionCost::Per::child, "child"},
    {InterventionCost::Per::person, "person"},
});
static_assert(names_every_value(cost_per_names));
constexpr const auto& enum_names(InterventionCost::Per) { return cost_per_names; }
inline constexpr auto cost_when_names = std::to_array<EnumName<InterventionCost::When>>({
    {InterventionCost::When::enrolment, "enrolment"},
    {InterventionCost::When::month, "month"},
});
static_assert(names_every_value(cost_when_names));
constexpr const auto& enum_names(InterventionCost::When) { return cost_when_names; }

/// How strong the evidence behind an effect is (scenarios/README.md § 13.6, `evidence:`), from
/// the strongest: a randomised controlled trial; a quasi-experimental comparison (matched
/// controls, register-based difference-in-differences, regression discontinuity); a
/// before-after count among participants without a comparison group; an expert guess. An
/// effect without a grade is an expert guess (and `validate` warns). Names in scenarios and
/// in the report.
enum class EvidenceGrade : std::uint8_t { randomised_trial, quasi_experimental, before_after, expert_guess, count };
inline constexpr auto evidence_grade_names = std::to_array<EnumName<EvidenceGrade>>({
    {EvidenceGrade::randomised_trial, "randomised_trial"},
    {EvidenceGrade::quasi_experimental, "quasi_experimental"},
    {EvidenceGrade::before_after, "before_after"},
    {EvidenceGrade::expert_guess, "expert_guess"},
});
static_assert(names_every_value(evidence_grade_names));
constexpr const auto& enum_names(EvidenceGrade) { return evidence_grade_names; }
inline constexpr int evidence_grade_count = static_cast<int>(EvidenceGrade::count);

/// A net success rate (scenarios/README.md § 13.6, `on:` / `difference:` / `via:`): the
/// effect is given as the difference, among the variant's participants, in an indicator at
/// a project-year end against the same households without the project; the engine solves
/// per iteration the one hazard ratio on the `via` transitions that gives it
/// (montecarlo/success_rate.hpp). Effect::value is then the difference.
struct SuccessRate {
  int indicator = -1;
  int at_month = 12; ///< a project-year end (12, 24, ...) within the horizon
  struct Move {
    int domain = -1, from = -1, to = -1;
  };
  std::vector<Move> via; ///< the first is also Effect::domain, from, to
  std::string name;      ///< the effect's key path, for messages and reports
  std::string where;     ///< `file:line:column` of the effect, for errors found while running
};

struct Effect {
  int domain = -1;
  int from = -1;
  int to = -1;
  bool is_hazard_ratio = true; ///< else a risk difference added to the monthly probability
  /// Set: a net success rate whose hazard ratio is solved (value is the difference).
  std::optional<SuccessRate> success_rate;
  Quantity value;
  int ramp_up_months = 0;
  double decay_half_life_months = 0.0; ///< 0: ends with enrolment; infinity: persists
  /// A sweep's scale of the effect (`sweep --grade G --scale ...`, decision/sweep.hpp): a
  /// hazard ratio r acts as r^scale, a risk difference d or a success rate's difference as
  /// scale x d; 1 (the loader's) leaves the drawn value bit for bit. Never from a scenario.
  double scale = 1.0;
  EvidenceGrade grade = EvidenceGrade::expert_guess; ///< `evidence.grade`; none given: expert guess
  std::string evidence_source;                       ///< `evidence.source`
};

struct Intervention {
  std::string id;
  EligibilityRule eligible;
  Quantity uptake;
  Quantity households_per_staff_pair;
  Quantity staff;
  Quantity capacity_households; ///< used when > 0 instead of staff / 2 x per pair
  Quantity intake_per_month;    ///< 0: no limit
  int start_month = 0;          ///< months after the scenario start
  int duration_months = 36;
  int stay_months = 0;          ///< 0: until the intervention ends
  std::vector<InterventionCost> costs;
  std::vector<Effect> effects;
  std::optional<EffectHaircut> effect_haircut; ///< replaces the scenario's (run.effect_haircut)

  /// Calls f(q) for every uncertain number of the intervention, in the assumptions table's
  /// order. The one list of them: the assumptions table, sweeps and the loader's rebasing of
  /// inherited parameters (common random numbers across `extends`) all go through it, so a
  /// new Quantity member is added here once.
  template <class F> void for_each_quantity(F&& f) const { visit(*this, f); }
  template <class F> void for_each_quantity(F&& f) { visit(*this, f); }

private:
  template <class Self, class F> static void visit(Self& iv, F& f) {
    f(iv.uptake);
    f(iv.households_per_staff_pair);
    f(iv.staff);
    f(iv.capacity_households);
    f(iv.intake_per_month);
    for (auto& c : iv.costs)
      std::visit([&](auto& kind) { std::remove_cvref_t<decltype(kind)>::quantities(kind, f); }, c.kind);
    for (auto& e : iv.effects) f(e.value);
  }
};

/// Whom an outcome is measured among: everyone, or the variant's participating households.
/// Its names ("all" | "participants") are in scenarios (`among:`) and in every result file.
enum class Group { all, participants, count };
inline constexpr auto group_names = std::to_array<EnumName<Group>>({
    {Group::all, "all"},
    {Group::participants, "participants"},
});
static_assert(names_every_value(group_names));
constexpr const auto& enum_names(Group) { return group_names; }

/// An indicator counting those in some states (for at least `min_months` months in them).
struct ShareInStates {
  std::vector<int> states;
  int min_months = 0;
};
/// An indicator counting those whose state ranks better than at the start; only persons
/// whose start and current states are both ranked count at all.
struct ShareImproved {
  std::vector<int> rank; ///< per state of the domain: 0 is best; -1 not ranked
};

/// An outcome measured at each year end among persons of `role` in `domain`. (Its kinds are
/// declared outside, as CountDistribution's are.)
struct Indicator {
  using InStates = ShareInStates;
  using Improved = ShareImproved;
  std::string id;
  Text label; ///< its id when the scenario gives none
  int domain = -1;
  std::variant<InStates, Improved> share;
  Role role = Role::any;
};

struct Target {
  int indicator = -1;
  Group among = Group::participants;
  int at_year = 1;        ///< measured at the end of project year at_year (twelve months from run.start) ...
  int at_budget_year = 0; ///< ... or, when set, at the end of this calendar year (December); see MeasurementPoints
  double at_least = -std::numeric_limits<double>::infinity();
  double at_most = std::numeric_limits<double>::infinity();
  Text text; ///< its `label`, else the engine's words for it in each language
};

struct Contract {
  std::string id;
  int payer = -1;
  int payee = -1;
  int indicator = -1;
  Group among = Group::participants;
  int at_year = 1;        ///< measured and paid at the end of project year at_year ...
  int at_budget_year = 0; ///< ... or, when set, at the end of this calendar year (in its December)
  double at_least = 0.0;
  Quantity amount;            ///< paid once when the condition holds when it is measured
  Quantity amount_per_person; ///< or per person meeting the indicator then
  Text note; ///< the terms in words, plain or {da: ..., en: ...}; shown beside the contract
};

struct Variant {
  std::string id;
  Text title;       ///< `title:`, what a reader sees instead of the id; may be empty
  Text description;
  /// What a reader sees for the variant: its title in `lang` where it has one, else its id
  /// (CSV and JSON keep the id: a machine key).
  [[nodiscard]] const std::string& shown(Language lang) const { return title.empty() ? id : title.in(lang); }
  std::vector<Intervention> interventions;
  std::vector<Contract> contracts;

  /// The variant's effects by evidence grade (EvidenceGrade order): what the report's first
  /// page says the result rests on. A count of effects, not of money: the one place the
  /// measure is made.
  /// The variant's success-rate effects (Effect::success_rate), in intervention and effect
  /// order: the order of ModelVariant::success_rates and of the solved hazard ratios.
  [[nodiscard]] std::vector<const Effect*> success_rate_effects() const {
    std::vector<const Effect*> out;
    for (const auto& iv : interventions)
      for (const auto& e : iv.effects)
        if (e.success_rate) out.push_back(&e);
    return out;
  }
  [[nodiscard]] std::array<int, evidence_grade_count> effects_by_grade() const {
    std::array<int, evidence_grade_count> n{};
    for (const auto& iv : interventions)
      for (const auto& e : iv.effects) ++n[static_cast<std::size_t>(e.grade)];
    return n;
  }
};

struct Scenario {
  std::string id;
  Text title; ///< its id when the scenario gives none
  Text description;
  std::vector<std::string> files; ///< the main file and every include, resolved
  std::string content_hash;       ///< of every file's bytes (and the population CSV)
  /// Of what the simulation may read of the files: their merged sections without what only
  /// pricing reads (cost lines' amounts and cashable shares, reimbursement shares, the price
  /// index, discounting, intervention costs, payments, the texts), and the population CSV's
  /// bytes (scenario/simulation_key.cpp). Two scenarios with equal keys simulate the same
  /// (with the checks of analysis.hpp same_simulation), so `compare` re-prices one
  /// simulation for both.
  std::string simulation_key;
  /// What the loader found suspicious but valid (a list that an include or `extends`
  /// replaces, dropping items; an inherited contract that no longer fits): printed by
  /// `validate` and `run`, never changing a result.
  std::vector<Diagnostic> warnings;
  /// Effects written without `evidence:`, where they are: `validate` warns about each (they
  /// count as expert guesses); not among `warnings`, which `run` prints too.
  std::vector<Diagnostic> ungraded_effects;
  RunSettings run;
  std::vector<Department> departments;
  std::vector<Domain> domains;
  std::vector<Attribute> attributes; ///< `attributes:`, in first-seen order (codes in Population)
  PopulationSpec population;
  Exits exits;
  std::vector<ReimbursementRule> reimbursements;
  std::vector<StateCost> state_costs;
  std::vector<TransitionCost> transition_costs;
  std::vector<Variant> variants; ///< variants[0] is the baseline
  std::vector<Indicator> indicators;
  std::vector<Target> targets;

  [[nodiscard]] int department_index(const std::string& id) const;
  /// The reimbursement rule with a refusion clock (at most one: a person has one count), or -1.
  [[nodiscard]] int refusion_rule() const;
  /// Persons in the population, expected before it is drawn or read: the synthetic
  /// households' mean size, or (CSV) the file's size over the ~20 bytes a row takes at least.
  [[nodiscard]] double expected_persons() const;
  [[nodiscard]] int domain_index(const std::string& id) const;
  /// The attribute of that name, or -1.
  [[nodiscard]] int attribute_index(const std::string& name) const {
    for (std::size_t i = 0; i < attributes.size(); ++i)
      if (attributes[i].id == name) return static_cast<int>(i);
    return -1;
  }
  [[nodiscard]] int variant_index(const std::string& id) const;
  /// The haircut on intervention iv's effects: its own, else the scenario's.
  [[nodiscard]] const EffectHaircut& effect_haircut(const Intervention& iv) const {
    return iv.effect_haircut ? *iv.effect_haircut : run.effect_haircut;
  }
  /// Whether any simulated effect is cut (the report then says so on its first page).
  [[nodiscard]] bool uses_effect_haircut() const;
  [[nodiscard]] int indicator_index(const std::string& id) const;
  /// Every Quantity in the scenario, each key path once, for the assumptions table and sweeps.
  [[nodiscard]] std::vector<const Quantity*> quantities() const;
  /// The Quantities only pricing reads (ledger/pricing.cpp), never the simulation: the
  /// amounts of state and transition cost lines (with their rate changes), intervention
  /// costs (staff fte and cost per fte, grants, measures) and pay-for-results payments.
  /// Fixing one of them leaves every tally of a run unchanged (each draw is keyed by its own
  /// path, model/parameters.hpp), so a sweep over it re-prices one simulation. The one
  /// classification: what is not here (transition probabilities, hazard ratios, effects,
  /// exits, uptake, capacity, intake) changes the simulation. Each key path once.
  [[nodiscard]] std::vector<const Quantity*> price_quantities() const;
  /// Whether the Quantity at `path` is one of price_quantities().
  [[nodiscard]] bool price_only(const std::string& path) const;
};

} // namespace socinvest
