#include <socinvest/ledger/results.hpp>

#include <socinvest/ledger/budget_years.hpp>

#include <stdexcept>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace socinvest {

double break_even_year(const std::vector<double>& net_pv) {
  double cumulative = 0.0;
  for (std::size_t y = 0; y < net_pv.size(); ++y) {
    cumulative += net_pv[y];
    if (cumulative > 0.0) return static_cast<double>(y + 1);
  }
  return std::numeric_limits<double>::infinity();
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double ratio(double a, double b) { return b > 0.0 ? a / b : nan; }

/// Builds the results in two passes over the same code. Extracting (`row_` set), it sees one
/// iteration's book (i = 0) and appends the value of every quantity to `row`; summarising
/// (`store` set), it reads each quantity's values over all iterations back from the store,
/// in the same order, and summarises them. So every iteration is reduced to one row as soon
/// as it is priced, and only the rows are kept (column_store.hpp). Counting (neither set),
/// it only counts columns and rows, for the footprint estimate. The money measures come
/// from one table (money_measures, results.hpp), walked alike in every mode; only
/// summarising keeps table rows, so extracting an iteration allocates no text.
struct Builder {
  const Scenario& s;
  const PricingPlan& plan;
  const IterationBook* book_ = nullptr; ///< extracting: the iteration's book
  Results& out;
  int A, Y, I;
  std::vector<double>* row_ = nullptr;
  ColumnStore* store = nullptr;
  std::size_t next_column = 0;
  /// Counting (neither row_ nor store): only how many columns and rows the results have.
  bool counting = false;
  std::size_t money_rows = 0, outcome_rows = 0;
  /// Where indicators were measured: the books' indicator shares are by these points (the
  /// project-year ends first, the outcome rows' years; then the Decembers of at_budget_year).
  const MeasurementPoints points{s};
  [[nodiscard]] int P() const { return points.size(); }
  /// The calendar budget years the horizon touches (the first and last maybe part years).
  const BudgetCalendar calendar{s.run};

  /// A quantity's values over the iterations (summarising), or nothing (extracting).
  template <class F>
  std::vector<double> values(F&& value) {
    if (row_) {
      row_->push_back(static_cast<double>(value(0)));
      return {};
    }
    if (counting) {
      ++next_column;
      return {};
    }
    return store->column(next_column++);
  }
  template <class F>
  Stat over_iterations(F&& value) {
    std::vector<double> v = values(std::forward<F>(value));
    return row_ ? Stat{} : summarize(std::move(v));
  }
  template <class F>
  double probability(F&& predicate) {
    const std::vector<double> v = values([&](int i) { return predicate(i) ? 1.0 : 0.0; });
    int hits = 0;
    for (double x : v) hits += x != 0.0 ? 1 : 0;
    return I ? static_cast<double>(hits) / I : nan;
  }
  const VariantBook& book(int /*i: always 0, the iteration being extracted*/, int v) const { return book_->variants[v]; }

  // Per-year net present value of account a in variant v against the baseline.
  double savings_pv(int i, int v, int a, int y) const {
    return book(i, 0).gross_pv[book(i, 0).at(a, y)] - book(i, v).gross_pv[book(i, v).at(a, y)];
  }
  double net_pv(int i, int v, int a, int y) const {
    const VariantBook& b = book(i, v);
    return savings_pv(i, v, a, y) - b.invest_pv[b.at(a, y)] + b.contract_pv[b.at(a, y)];
  }
  double total(int i, int v, int a, double (Builder::*per_year)(int, int, int, int) const) const {
    double t = 0.0;
    for (int y = 0; y < Y; ++y) t += (this->*per_year)(i, v, a, y);
    return t;
  }
  double sum_of(const std::vector<double> VariantBook::*field, int i, int v, int a) const {
    const VariantBook& b = book(i, v);
    double t = 0.0;
    for (int y = 0; y < Y; ++y) t += (b.*field)[b.at(a, y)];
    return t;
  }
  std::vector<double> net_pv_years(int i, int v, int a) const {
    std::vector<double> n(static_cast<std::size_t>(Y));
    for (int y = 0; y < Y; ++y) n[y] = net_pv(i, v, a, y);
    return n;
  }
  double npv(int i, int v, int a) const { return total(i, v, a, &Builder::net_pv); }

  /// One iteration's value of money measure m of account a in year y of `axis` (m per_year):
  /// a project year, or a calendar budget year (y = 0: the calendar year of the start).
  double in_year(Measure m, YearAxis axis, int i, int v, int a, int y) const {
    const VariantBook::PerYear b = book(i, v).per_year(axis), base = book(i, 0).per_year(axis);
    const std::size_t at = b.at(a, y), base_at = base.at(a, y);
    auto net_pv_in = [&](int z) {
      return base.gross_pv[base.at(a, z)] - b.gross_pv[b.at(a, z)] - b.invest_pv[b.at(a, z)] + b.contract_pv[b.at(a, z)];
    };
    switch (m) {
    case Measure::investment: return b.invest[at];
    case Measure::investment_pv: return b.invest_pv[at];
    case Measure::gross_cost: return b.gross[at];
    case Measure::gross_cost_baseline: return base.gross[base_at];
    case Measure::savings: return base.gross[base_at] - b.gross[at];
    case Measure::savings_pv: return base.gross_pv[base_at] - b.gross_pv[at];
    case Measure::contract_net: return b.contract[at];
    case Measure::net: return base.gross[base_at] - b.gross[at] - b.invest[at] + b.contract[at];
    case Measure::net_pv: return net_pv_in(y);
    case Measure::cumulative_net_pv: {
      double c = 0.0;
      for (int z = 0; z <= y; ++z) c += net_pv_in(z);
      return c;
    }
    // Freed capacity: the baseline's capacity not cashed less the variant's (+: freed).
    case Measure::freed_capacity: return base.capacity[base_at] - b.capacity[at];
    case Measure::freed_capacity_pv: return base.capacity_pv[base_at] - b.capacity_pv[at];
    case Measure::freed_places: return base.places[base_at] - b.places[at];
    case Measure::contract_net_pv:
    case Measure::npv:
    case Measure::roi:
    case Measure::benefit_cost_ratio:
    case Measure::break_even_year:
    case Measure::p_break_even:
    case Measure::count: break; // whole horizon only
    }
    throw std::logic_error(std::string("results: no per-year value for ") + name(m));
  }

  /// One iteration's value of money measure m of account a over the whole horizon (m
  /// horizon); for p_break_even 1 or 0, whether it breaks even.
  double over_horizon(Measure m, int i, int v, int a) const {
    switch (m) {
    case Measure::investment: return sum_of(&VariantBook::invest, i, v, a);
    case Measure::investment_pv: return sum_of(&VariantBook::invest_pv, i, v, a);
    case Measure::gross_cost: return sum_of(&VariantBook::gross, i, v, a);
    case Measure::gross_cost_baseline: return sum_of(&VariantBook::gross, i, 0, a);
    case Measure::savings: return sum_of(&VariantBook::gross, i, 0, a) - sum_of(&VariantBook::gross, i, v, a);
    case Measure::savings_pv: return total(i, v, a, &Builder::savings_pv);
    case Measure::contract_net: return sum_of(&VariantBook::contract, i, v, a);
    case Measure::contract_net_pv: return sum_of(&VariantBook::contract_pv, i, v, a);
    case Measure::npv: return npv(i, v, a);
    case Measure::roi: return ratio(npv(i, v, a), sum_of(&VariantBook::invest_pv, i, v, a));
    case Measure::benefit_cost_ratio:
      return ratio(total(i, v, a, &Builder::savings_pv) + sum_of(&VariantBook::contract_pv, i, v, a),
                   sum_of(&VariantBook::invest_pv, i, v, a));
    case Measure::break_even_year: {
      const double y = break_even_year(net_pv_years(i, v, a));
      return std::isinf(y) ? nan : y; // summarised over the iterations that break even
    }
    case Measure::p_break_even: return std::isinf(break_even_year(net_pv_years(i, v, a))) ? 0.0 : 1.0;
    case Measure::freed_capacity: return sum_of(&VariantBook::capacity, i, 0, a) - sum_of(&VariantBook::capacity, i, v, a);
    case Measure::freed_capacity_pv:
      return sum_of(&VariantBook::capacity_pv, i, 0, a) - sum_of(&VariantBook::capacity_pv, i, v, a);
    case Measure::freed_places:
      return sum_of(&VariantBook::capacity_places, i, 0, a) - sum_of(&VariantBook::capacity_places, i, v, a);
    case Measure::net:
    case Measure::net_pv:
    case Measure::cumulative_net_pv:
    case Measure::count: break; // per year only
    }
    throw std::logic_error(std::string("results: no whole-horizon value for ") + name(m));
  }

  /// A measure's values over the iterations, summarised as its kind asks.
  template <class F>
  Stat measure_over_iterations(Measure m, F&& value) {
    if (info(m).kind != FigureKind::probability) return over_iterations(std::forward<F>(value));
    // A share of iterations: every percentile is the share, its spread that of a proportion.
    Stat p;
    p.mean = probability([&](int i) { return value(i) != 0.0; });
    p.n = I;
    p.p5 = p.p50 = p.p95 = p.mean;
    p.sd = std::sqrt(p.mean * (1 - p.mean));
    p.se = I > 1 ? p.sd / std::sqrt(static_cast<double>(I)) : 0.0;
    return p;
  }

  void add(YearAxis axis, int v, int a, int y, Measure m, Stat st) {
    if (counting) ++money_rows;
    if (!store) return; // extracting or counting: no rows
    if (axis == YearAxis::calendar) {
      out.index.add_calendar_money(v, a, y, m, out.money_by_budget_year.size());
      out.money_by_budget_year.push_back({v, a, y, m, st});
      return;
    }
    out.index.add_money(v, a, y, m, out.money.size());
    out.money.push_back({v, a, y, m, st});
  }

  // Every account's rows, from money_measures: each project year's per-year measures, then
  // the whole horizon's; then each calendar budget year's per-year measures (its own table).
  // Extracting and summarising both walk this, so they cannot drift.
  void money(int v) {
    for (int a = 0; a < A; ++a) {
      for (int y = 0; y < Y; ++y)
        for (const MeasureInfo& m : money_measures)
          if (m.per_year)
            add(YearAxis::project, v, a, y, m.measure, measure_over_iterations(m.measure, [&](int i) {
                  return in_year(m.measure, YearAxis::project, i, v, a, y);
                }));
      for (const MeasureInfo& m : money_measures)
        if (m.horizon)
          add(YearAxis::project, v, a, -1, m.measure,
              measure_over_iterations(m.measure, [&](int i) { return over_horizon(m.measure, i, v, a); }));
    }
    for (int a = 0; a < A; ++a)
      for (int c = 0; c < calendar.years(); ++c)
        for (const MeasureInfo& m : money_measures)
          if (m.per_year)
            add(YearAxis::calendar, v, a, c, m.measure, measure_over_iterations(m.measure, [&](int i) {
                  return in_year(m.measure, YearAxis::calendar, i, v, a, c);
                }));
  }

  void summary(int v) {
    VariantSummary vs;
    vs.variant = v;
    const int T = out.accounts.total();
    vs.npv = over_iterations([&](int i) { return npv(i, v, T); });
    vs.npv_public_sector = over_iterations([&](int i) { return npv(i, v, out.accounts.public_sector()); });
    vs.npv_municipality = over_iterations([&](int i) { return npv(i, v, out.accounts.level(FinancingLevel::municipality)); });
    vs.investment_pv = over_iterations([&](int i) { return sum_of(&VariantBook::invest_pv, i, v, T); });
    vs.savings_pv = over_iterations([&](int i) { return total(i, v, T, &Builder::savings_pv); });
    vs.roi = over_iterations([&](int i) { return ratio(npv(i, v, T), sum_of(&VariantBook::invest_pv, i, v, T)); });
    vs.benefit_cost_ratio = over_iterations([&](int i) {
      return ratio(total(i, v, T, &Builder::savings_pv), sum_of(&VariantBook::invest_pv, i, v, T));
    });
    const std::vector<double> years = values([&](int i) { return break_even_year(net_pv_years(i, v, T)); });
    auto share = [&](auto holds) {
      int hits = 0;
      for (double y : years) hits += holds(y) ? 1 : 0;
      return I ? static_cast<double>(hits) / I : nan;
    };
    vs.p_break_even = share([](double y) { return !std::isinf(y); });
    vs.p_break_even_5y = share([](double y) { return y <= 5.0; });
    vs.p_break_even_10y = share([](double y) { return y <= 10.0; });
    std::vector<double> finite;
    for (double y : years) finite.push_back(std::isinf(y) ? nan : y);
    if (!row_) vs.break_even_year = summarize(finite);
    std::vector<double> sorted = years;
    std::sort(sorted.begin(), sorted.end());
    vs.median_break_even_year = sorted.empty() ? nan : sorted[(sorted.size() - 1) / 2];
    vs.npv_per_household = over_iterations([&](int i) { return npv(i, v, T) / std::max(1, book(i, v).households); });
    vs.npv_per_participant = over_iterations([&](int i) {
      int p = book(i, v).participant_households;
      return p > 0 ? npv(i, v, T) / p : nan;
    });
    vs.participants = over_iterations([&](int i) { return book(i, v).participant_households; });
    vs.eligible = over_iterations([&](int i) { return book(i, v).eligible_households; });
    vs.consenting = over_iterations([&](int i) { return book(i, v).consenting_households; });
    const std::size_t solved = s.variants[v].success_rate_effects().size();
    for (std::size_t k = 0; k < solved; ++k)
      vs.solved_hazard_ratios.push_back(over_iterations([&](int i) { return book(i, v).solved_hazard_ratios.at(k); }));
    vs.npv_samples = values([&](int i) { return npv(i, v, T); });
    // Attribution flows: the mean over iterations of what department h saves, in
    // proportion to department d's share of the (positive) investment.
    const int D = out.accounts.departments;
    vs.flows.assign(D, std::vector<double>(D, 0.0));
    for (int h = 0; h < D; ++h)
      for (int d = 0; d < D; ++d) {
        const std::vector<double> flow = values([&](int i) {
          double positive = 0.0;
          for (int e = 0; e < D; ++e) positive += std::max(0.0, sum_of(&VariantBook::invest_pv, i, v, e));
          if (positive <= 0.0) return 0.0;
          return std::max(0.0, sum_of(&VariantBook::invest_pv, i, v, d)) / positive * total(i, v, h, &Builder::savings_pv);
        });
        for (double x : flow) vs.flows[d][h] += x / I;
      }
    out.variants.push_back(std::move(vs));
  }

  void outcomes(int v) {
    for (const YearAxis axis : {YearAxis::project, YearAxis::calendar}) outcomes(v, axis);
  }

  /// The outcome rows of one time axis: by project year (Results::outcomes) or by calendar
  /// budget year (Results::outcomes_by_budget_year; indicators at the end of each year).
  void outcomes(int v, YearAxis axis) {
    const int G = static_cast<int>(s.variants.size()); // groups of the tally (tally.hpp)
    const bool by_calendar = axis == YearAxis::calendar;
    const int years = by_calendar ? calendar.years() : Y;
    std::vector<std::pair<Group, int>> groups{{Group::all, 0}};
    if (v > 0 && G > v) groups.push_back({Group::participants, v});
    // An outcome's rows: the variant's value, then for a variant the baseline's (where the
    // kind reports it) and the difference, on the same people. `item` names it; it is only
    // called when the rows are kept, so extracting an iteration builds no text.
    // `indicator`: its index for the lookups, or -1.
    auto outcome = [&](OutcomeKind kind, int indicator, auto item, Group group, int y, auto of) {
      const std::string name = store ? item() : std::string();
      auto row = [&](OutcomeMeasure measure, Stat st) {
        if (counting) ++outcome_rows;
        if (!store) return; // extracting or counting: no rows
        if (by_calendar) {
          if (indicator >= 0)
            out.index.add_calendar_indicator(v, indicator, group, y, measure, out.outcomes_by_budget_year.size());
          out.outcomes_by_budget_year.push_back({v, kind, name, group, y, measure, st});
          return;
        }
        if (indicator >= 0) out.index.add_indicator(v, indicator, group, y, measure, out.outcomes.size());
        out.outcomes.push_back({v, kind, name, group, y, measure, st});
      };
      row(OutcomeMeasure::value, over_iterations([&](int i) { return of(book(i, v)); }));
      if (v == 0) return;
      if (info(kind).baseline_row) row(OutcomeMeasure::baseline, over_iterations([&](int i) { return of(book(i, 0)); }));
      row(OutcomeMeasure::difference, over_iterations([&](int i) { return of(book(i, v)) - of(book(i, 0)); }));
    };
    for (auto [group, g] : groups) {
      for (int y = 0; y < years; ++y) {
        // Where the year's indicators were measured: project year y ends at point y; a
        // calendar year at its point, if a step ends in it (MeasurementPoints::calendar).
        const int point = by_calendar ? points.calendar[static_cast<std::size_t>(y)] : y;
        if (point >= 0)
          for (int k = 0; k < static_cast<int>(s.indicators.size()); ++k) {
            const std::size_t idx = (static_cast<std::size_t>(g) * P() + point) * s.indicators.size() + k;
            outcome(OutcomeKind::indicator, k, [&] { return s.indicators[k].id; }, group, y,
                    [idx](const VariantBook& b) { return b.indicator_share[idx]; });
          }
        for (std::size_t d = 0; d < s.domains.size(); ++d)
          for (std::size_t st = 0; st < s.domains[d].states.size(); ++st) {
            const int item = plan.state_item_offset[d] + static_cast<int>(st);
            const std::size_t idx = (static_cast<std::size_t>(g) * years + y) * plan.state_items + item;
            auto name = [&] { return s.domains[d].id + "." + s.domains[d].states[st]; };
            if (by_calendar)
              outcome(OutcomeKind::person_years, -1, name, group, y,
                      [idx](const VariantBook& b) { return b.person_years_by_calendar[idx]; });
            else
              outcome(OutcomeKind::person_years, -1, name, group, y, [idx](const VariantBook& b) { return b.person_years[idx]; });
          }
        for (std::size_t m = 0; m < plan.routes.size(); ++m) {
          const auto& route = plan.routes[m];
          const Domain& dom = s.domains[route.domain];
          const std::size_t idx = (static_cast<std::size_t>(g) * years + y) * plan.routes.size() + m;
          auto name = [&] { return dom.id + "." + dom.states[route.from] + "->" + dom.states[route.to]; };
          if (by_calendar)
            outcome(OutcomeKind::transitions, -1, name, group, y, [idx](const VariantBook& b) { return b.moves_by_calendar[idx]; });
          else
            outcome(OutcomeKind::transitions, -1, name, group, y, [idx](const VariantBook& b) { return b.moves[idx]; });
        }
      }
    }
  }

  void targets(int v) {
    for (std::size_t t = 0; t < s.targets.size(); ++t) {
      const Target& tg = s.targets[t];
      const int g = tg.among == Group::participants ? v : 0;
      const int point = points.of(s.run, tg.at_year, tg.at_budget_year);
      const std::size_t idx = (static_cast<std::size_t>(g) * P() + point) * s.indicators.size() + tg.indicator;
      auto reached = [&](double share) { return !std::isnan(share) && share >= tg.at_least && share <= tg.at_most; };
      TargetResult r;
      r.variant = v;
      r.target = static_cast<int>(t);
      r.probability = probability([&](int i) { return reached(book(i, v).indicator_share[idx]); });
      r.baseline_probability = probability([&](int i) { return reached(book(i, 0).indicator_share[idx]); });
      r.value = over_iterations([&](int i) { return book(i, v).indicator_share[idx]; });
      out.targets.push_back(r);
    }
  }

  void contracts(int v) {
    const Variant& variant = s.variants[v];
    for (std::size_t c = 0; c < variant.contracts.size(); ++c) {
      const Contract& k = variant.contracts[c];
      const auto month = static_cast<std::size_t>(points.last_month(points.of(s.run, k.at_year, k.at_budget_year)));
      ContractResult r;
      r.variant = v;
      r.contract = static_cast<int>(c);
      r.probability_triggered = probability([&](int i) { return book(i, v).contract_payment[c] > 0.0; });
      r.payment = over_iterations([&](int i) { return book(i, v).contract_payment[c]; });
      r.payment_pv = over_iterations([&](int i) { return book(i, v).contract_payment[c] * plan.discount[month]; });
      r.payee_return = over_iterations([&](int i) {
        return ratio(npv(i, v, k.payee), sum_of(&VariantBook::invest_pv, i, v, k.payee));
      });
      r.payer_npv = over_iterations([&](int i) { return npv(i, v, k.payer); });
      out.contracts.push_back(r);
    }
  }

  /// The budget-period table: per account, for the budget year and its overslagsår, the
  /// change in nominal spending against the baseline (merudgift +, mindreudgift −). A year
  /// beyond the horizon has a row without a figure (months 0), so the table keeps its shape.
  void budget(int v, int budget_year) {
    for (int a = 0; a < A; ++a)
      for (int k = 0; k <= overslag_years; ++k) {
        const int year = budget_year + k, c = calendar.index_of_year(year), months = calendar.months_in(c);
        auto line_value = [&](BudgetLine line, int i) {
          const VariantBook &b = book(i, v), &base = book(i, 0);
          const double investment = b.invest_by_calendar[b.at_calendar(a, c)];
          const double derived =
              b.gross_by_calendar[b.at_calendar(a, c)] - base.gross_by_calendar[base.at_calendar(a, c)];
          const double contracts = -b.contract_by_calendar[b.at_calendar(a, c)];
          switch (line) {
          case BudgetLine::investment: return investment;
          case BudgetLine::derived: return derived;
          case BudgetLine::contracts: return contracts;
          case BudgetLine::net: return investment + derived + contracts;
          case BudgetLine::service:
          case BudgetLine::transfer:
          case BudgetLine::capital:
          case BudgetLine::tax: {
            const auto t = static_cast<ExpenditureType>(static_cast<int>(line) - static_cast<int>(BudgetLine::service));
            return b.invest_calendar_by_type[b.at_type_calendar(a, t, c)] + b.gross_calendar_by_type[b.at_type_calendar(a, t, c)] -
                   base.gross_calendar_by_type[base.at_type_calendar(a, t, c)];
          }
          case BudgetLine::freed_capacity: // not in net: capacity the budget does not realise
            return b.capacity_by_calendar[b.at_calendar(a, c)] - base.capacity_by_calendar[base.at_calendar(a, c)];
          case BudgetLine::count: break;
          }
          throw std::logic_error("results: no budget line");
        };
        for (const auto& entry : budget_line_names) {
          Stat st;
          st.mean = st.se = st.sd = st.p5 = st.p50 = st.p95 = nan; // beyond the horizon: no figure
          if (months > 0) st = over_iterations([&](int i) { return line_value(entry.value, i); });
          if (store) out.budget.push_back({v, a, year, months, entry.value, st, BudgetPrices::fixed});
        }
        // Current prices: each expenditure type's part times its projection index for the
        // year (contracts, which have no type, by the service index).
        const PriceProjection& projection = s.run.price_projection;
        if (!projection.given()) continue;
        auto index = [&](ExpenditureType t) { return projection.index(t, year, s.run.price_year); };
        auto current_value = [&](BudgetLine line, int i) {
          const VariantBook &b = book(i, v), &base = book(i, 0);
          double investment = 0.0, derived = 0.0;
          std::array<double, expenditure_type_count> typed{};
          for (const auto& type : expenditure_type_names) {
            const double f = index(type.value);
            const double inv = b.invest_calendar_by_type[b.at_type_calendar(a, type.value, c)] * f;
            const double der = (b.gross_calendar_by_type[b.at_type_calendar(a, type.value, c)] -
                                base.gross_calendar_by_type[base.at_type_calendar(a, type.value, c)]) *
                               f;
            investment += inv;
            derived += der;
            typed[static_cast<std::size_t>(type.value)] = inv + der;
          }
          const double contracts = -b.contract_by_calendar[b.at_calendar(a, c)] * index(ExpenditureType::service);
          switch (line) {
          case BudgetLine::investment: return investment;
          case BudgetLine::derived: return derived;
          case BudgetLine::contracts: return contracts;
          case BudgetLine::net: return investment + derived + contracts;
          case BudgetLine::service: return typed[static_cast<std::size_t>(ExpenditureType::service)];
          case BudgetLine::transfer: return typed[static_cast<std::size_t>(ExpenditureType::transfer)];
          case BudgetLine::capital: return typed[static_cast<std::size_t>(ExpenditureType::capital)];
          case BudgetLine::tax: return typed[static_cast<std::size_t>(ExpenditureType::tax)];
          case BudgetLine::freed_capacity: // service capacity (cashable_share is on service and capital lines)
            return (b.capacity_by_calendar[b.at_calendar(a, c)] - base.capacity_by_calendar[base.at_calendar(a, c)]) *
                   index(ExpenditureType::service);
          case BudgetLine::count: break;
          }
          throw std::logic_error("results: no budget line");
        };
        for (const auto& entry : budget_line_names) {
          Stat st;
          st.mean = st.se = st.sd = st.p5 = st.p50 = st.p95 = nan;
          if (months > 0) st = over_iterations([&](int i) { return current_value(entry.value, i); });
          if (store) out.budget.push_back({v, a, year, months, entry.value, st, BudgetPrices::current});
        }
      }
  }

  /// Investment and savings of each expenditure type, per account, over the horizon.
  void by_type(int v) {
    for (int a = 0; a < A; ++a)
      for (const auto& entry : expenditure_type_names) {
        const std::size_t at = VariantBook::at_type(a, entry.value);
        ExpenditureRow row;
        row.variant = v;
        row.account = a;
        row.type = entry.value;
        row.investment = over_iterations([&](int i) { return book(i, v).invest_by_type[at]; });
        row.investment_pv = over_iterations([&](int i) { return book(i, v).invest_pv_by_type[at]; });
        row.savings = over_iterations([&](int i) { return book(i, 0).gross_by_type[at] - book(i, v).gross_by_type[at]; });
        row.savings_pv = over_iterations([&](int i) { return book(i, 0).gross_pv_by_type[at] - book(i, v).gross_pv_by_type[at]; });
        row.spending = over_iterations([&](int i) {
          return book(i, v).invest_by_type[at] + book(i, v).gross_by_type[at] - book(i, 0).gross_by_type[at];
        });
        if (store) out.by_type.push_back(row);
      }
  }

  /// Results by attribute (by_attribute.csv): for each category of each attribute,
  /// everybody in it (the tally's group Layout::attribute_group(k, 0) = variants x (1 + k)):
  /// its households (of a person attribute: those with a member in it) and persons,
  /// person-years in each state and indicators by calendar budget year (variant, baseline, difference), and the cost of
  /// services by account and calendar year and over the horizon, with the savings. A person
  /// attribute's category has the person-months of its persons and their money (a
  /// household's members can be in different categories).
  void by_attribute(int v) {
    const int V = static_cast<int>(s.variants.size()), C = calendar.years();
    const int SI = plan.state_items, K = static_cast<int>(s.indicators.size());
    int first = 0; // the attribute's first category k
    for (std::size_t a = 0; a < s.attributes.size(); ++a) {
      const Attribute& attribute = s.attributes[a];
      const bool household = attribute.level == Attribute::Level::household;
      for (std::size_t cat = 0; cat < attribute.categories.size(); ++cat) {
        const int k = first + static_cast<int>(cat), g = V * (1 + k);
        auto add = [&](AttributeKind kind, auto item, int year, const char* measure, Stat st) {
          if (store) out.by_attribute.push_back({v, static_cast<int>(a), static_cast<int>(cat), kind, item(), year, measure, st});
        };
        // An outcome: the variant's value, the baseline's and the difference, on the same people.
        auto outcome = [&](AttributeKind kind, auto item, int year, auto of) {
          add(kind, item, year, name(OutcomeMeasure::value), over_iterations([&](int i) { return of(book(i, v)); }));
          add(kind, item, year, name(OutcomeMeasure::baseline), over_iterations([&](int i) { return of(book(i, 0)); }));
          add(kind, item, year, name(OutcomeMeasure::difference),
              over_iterations([&](int i) { return of(book(i, v)) - of(book(i, 0)); }));
        };
        // A household attribute's category: its households. A person attribute's: the
        // households with at least one member in it, under a name of their own, since a
        // household with members in two categories counts in both (they do not add up to
        // the households, and are not persons).
        add(AttributeKind::population,
            [household] { return std::string(household ? "households" : "households_with_member"); }, -1,
            name(OutcomeMeasure::value),
            over_iterations([&](int i) { return book(i, v).category_households[static_cast<std::size_t>(k)]; }));
        add(AttributeKind::population, [] { return std::string("persons"); }, -1, name(OutcomeMeasure::value),
            over_iterations([&](int i) { return book(i, v).category_persons[static_cast<std::size_t>(k)]; }));
        for (int c = 0; c < C; ++c) {
          for (std::size_t d = 0; d < s.domains.size(); ++d)
            for (std::size_t st = 0; st < s.domains[d].states.size(); ++st) {
              const std::size_t idx = (static_cast<std::size_t>(g) * C + c) * SI + plan.state_item_offset[d] + st;
              outcome(AttributeKind::person_years, [&] { return s.domains[d].id + "." + s.domains[d].states[st]; }, c,
                      [idx](const VariantBook& b) { return b.person_years_by_calendar[idx]; });
            }
          const int point = points.calendar[static_cast<std::size_t>(c)];
          if (point >= 0)
            for (int ind = 0; ind < K; ++ind) {
              const std::size_t idx = (static_cast<std::size_t>(g) * P() + point) * K + ind;
              outcome(AttributeKind::indicator, [&] { return s.indicators[static_cast<std::size_t>(ind)].id; }, c,
                      [idx](const VariantBook& b) { return b.indicator_share[idx]; });
            }
        }
        for (int acc = 0; acc < A; ++acc) {
          auto account = [&] { return out.accounts.id[static_cast<std::size_t>(acc)]; };
          auto gross = [&](const VariantBook& b, int c) { return b.category_gross_by_calendar[b.at_category(k, acc, c)]; };
          auto gross_total = [&](const VariantBook& b, bool pv) {
            double t = 0.0;
            for (int c = 0; c < C; ++c)
              t += (pv ? b.category_gross_pv_by_calendar : b.category_gross_by_calendar)[b.at_category(k, acc, c)];
            return t;
          };
          for (int c = 0; c < C; ++c) {
            add(AttributeKind::money, account, c, name(Measure::gross_cost), over_iterations([&](int i) { return gross(book(i, v), c); }));
            add(AttributeKind::money, account, c, name(Measure::gross_cost_baseline),
                over_iterations([&](int i) { return gross(book(i, 0), c); }));
            add(AttributeKind::money, account, c, name(Measure::savings),
                over_iterations([&](int i) { return gross(book(i, 0), c) - gross(book(i, v), c); }));
          }
          add(AttributeKind::money, account, -1, name(Measure::gross_cost),
              over_iterations([&](int i) { return gross_total(book(i, v), false); }));
          add(AttributeKind::money, account, -1, name(Measure::gross_cost_baseline),
              over_iterations([&](int i) { return gross_total(book(i, 0), false); }));
          add(AttributeKind::money, account, -1, name(Measure::savings),
              over_iterations([&](int i) { return gross_total(book(i, 0), false) - gross_total(book(i, v), false); }));
          add(AttributeKind::money, account, -1, name(Measure::savings_pv),
              over_iterations([&](int i) { return gross_total(book(i, 0), true) - gross_total(book(i, v), true); }));
        }
      }
      first += static_cast<int>(attribute.categories.size());
    }
  }

  void per_iteration(int v) {
    std::vector<std::vector<double>> npvs;
    for (int a = 0; a < A; ++a) npvs.push_back(values([&](int i) { return npv(i, v, a); }));
    if (row_) return;
    for (int i = 0; i < I; ++i) {
      std::vector<double> line{static_cast<double>(v), static_cast<double>(i)};
      for (int a = 0; a < A; ++a) line.push_back(npvs[a][i]);
      out.per_iteration.push_back(std::move(line));
    }
  }

  void all(const RunPlan& run) {
    out.budget_year = run.budget_year;
    out.budget_prices = run.budget_prices;
    outcomes(0);
    for (int v : run.variants) {
      if (v == 0) continue;
      money(v);
      budget(v, run.budget_year);
      by_type(v);
      summary(v);
      outcomes(v);
      targets(v);
      contracts(v);
      per_iteration(v);
      by_attribute(v);
    }
  }
};

} // namespace

// ---------------------------------------------------------------------------------------
// Typed lookups
// ---------------------------------------------------------------------------------------

std::optional<Headline> headline_named(std::string_view name) {
  for (const HeadlineInfo& h : headlines)
    if (name == h.name) return h.headline;
  return std::nullopt;
}

Stat VariantSummary::headline(Headline h) const {
  auto single = [](double value) {
    Stat st;
    st.mean = st.p5 = st.p50 = st.p95 = value;
    return st;
  };
  switch (h) {
  case Headline::npv: return npv;
  case Headline::npv_public_sector: return npv_public_sector;
  case Headline::npv_municipality: return npv_municipality;
  case Headline::investment_pv: return investment_pv;
  case Headline::savings_pv: return savings_pv;
  case Headline::roi: return roi;
  case Headline::benefit_cost_ratio: return benefit_cost_ratio;
  case Headline::p_break_even: return single(p_break_even);
  case Headline::p_break_even_5y: return single(p_break_even_5y);
  case Headline::p_break_even_10y: return single(p_break_even_10y);
  case Headline::break_even_year: return break_even_year;
  case Headline::median_break_even_year: return single(median_break_even_year);
  case Headline::npv_per_household: return npv_per_household;
  case Headline::npv_per_participant: return npv_per_participant;
  case Headline::participants: return participants;
  case Headline::eligible: return eligible;
  case Headline::consenting: return consenting;
  case Headline::count: break;
  }
  throw std::logic_error("results: no headline figure");
}

namespace {

constexpr std::size_t measure_count = static_cast<std::size_t>(Measure::count);
constexpr std::size_t outcome_measure_count = static_cast<std::size_t>(OutcomeMeasure::count);
constexpr std::size_t group_count = 2; // Group::all, Group::participants

void put(std::vector<std::uint32_t>& index, std::optional<std::size_t> key, std::size_t row, const char* what) {
  if (!key) throw std::logic_error(std::string("results: a ") + what + " row outside the scenario's shape");
  if (row >= std::numeric_limits<std::uint32_t>::max()) throw std::logic_error("results: too many rows to index");
  index[*key] = static_cast<std::uint32_t>(row + 1);
}

std::optional<std::size_t> get(const std::vector<std::uint32_t>& index, std::optional<std::size_t> key) {
  if (!key || index[*key] == 0) return std::nullopt;
  return index[*key] - 1;
}

} // namespace

void ResultIndex::shape(int variants, int accounts, int years, int calendar_years, int indicators) {
  variants_ = variants, accounts_ = accounts, years_ = years, calendar_years_ = calendar_years, indicators_ = indicators;
  const auto V = static_cast<std::size_t>(variants), A = static_cast<std::size_t>(accounts),
             Y = static_cast<std::size_t>(years), K = static_cast<std::size_t>(indicators);
  money_.assign(V * A * (Y + 1) * measure_count, 0);
  calendar_money_.assign(V * A * static_cast<std::size_t>(calendar_years) * measure_count, 0);
  calendar_indicator_.assign(V * K * group_count * static_cast<std::size_t>(calendar_years) * outcome_measure_count, 0);
  indicator_.assign(V * K * group_count * Y * outcome_measure_count, 0);
}

std::optional<std::size_t> ResultIndex::money_key(int v, int a, int y, Measure m) const {
  if (v < 0 || v >= variants_ || a < 0 || a >= accounts_ || y < -1 || y >= years_ || m >= Measure::count) return std::nullopt;
  const std::size_t slot = static_cast<std::size_t>(y + 1); // the whole horizon first
  return ((static_cast<std::size_t>(v) * accounts_ + a) * (years_ + 1) + slot) * measure_count + static_cast<std::size_t>(m);
}

std::optional<std::size_t> ResultIndex::calendar_money_key(int v, int a, int c, Measure m) const {
  if (v < 0 || v >= variants_ || a < 0 || a >= accounts_ || c < 0 || c >= calendar_years_ || m >= Measure::count)
    return std::nullopt;
  return ((static_cast<std::size_t>(v) * accounts_ + a) * calendar_years_ + c) * measure_count + static_cast<std::size_t>(m);
}

std::optional<std::size_t> ResultIndex::indicator_key(int v, int k, Group g, int y, OutcomeMeasure m) const {
  if (v < 0 || v >= variants_ || k < 0 || k >= indicators_ || y < 0 || y >= years_ || m >= OutcomeMeasure::count)
    return std::nullopt;
  return (((static_cast<std::size_t>(v) * indicators_ + k) * group_count + static_cast<std::size_t>(g)) * years_ + y) *
             outcome_measure_count +
         static_cast<std::size_t>(m);
}

void ResultIndex::add_money(int v, int a, int y, Measure m, std::size_t row) { put(money_, money_key(v, a, y, m), row, "money"); }

void ResultIndex::add_calendar_money(int v, int a, int c, Measure m, std::size_t row) {
  put(calendar_money_, calendar_money_key(v, a, c, m), row, "money by budget year");
}

std::optional<std::size_t> ResultIndex::calendar_money(int v, int a, int c, Measure m) const {
  return get(calendar_money_, calendar_money_key(v, a, c, m));
}

void ResultIndex::add_calendar_indicator(int v, int k, Group g, int c, OutcomeMeasure m, std::size_t row) {
  // The same layout as indicator_key, over the calendar years.
  if (v < 0 || v >= variants_ || k < 0 || k >= indicators_ || c < 0 || c >= calendar_years_ || m >= OutcomeMeasure::count)
    put(calendar_indicator_, std::nullopt, row, "indicator by budget year");
  else
    put(calendar_indicator_,
        (((static_cast<std::size_t>(v) * indicators_ + k) * group_count + static_cast<std::size_t>(g)) * calendar_years_ + c) *
                outcome_measure_count +
            static_cast<std::size_t>(m),
        row, "indicator by budget year");
}

std::optional<std::size_t> ResultIndex::calendar_indicator(int v, int k, Group g, int c, OutcomeMeasure m) const {
  if (v < 0 || v >= variants_ || k < 0 || k >= indicators_ || c < 0 || c >= calendar_years_ || m >= OutcomeMeasure::count)
    return std::nullopt;
  return get(calendar_indicator_,
             (((static_cast<std::size_t>(v) * indicators_ + k) * group_count + static_cast<std::size_t>(g)) * calendar_years_ + c) *
                     outcome_measure_count +
                 static_cast<std::size_t>(m));
}

void ResultIndex::add_indicator(int v, int k, Group g, int y, OutcomeMeasure m, std::size_t row) {
  put(indicator_, indicator_key(v, k, g, y, m), row, "indicator");
}

std::optional<std::size_t> ResultIndex::money(int v, int a, int y, Measure m) const { return get(money_, money_key(v, a, y, m)); }

std::optional<std::size_t> ResultIndex::indicator(int v, int k, Group g, int y, OutcomeMeasure m) const {
  return get(indicator_, indicator_key(v, k, g, y, m));
}

const Stat& Results::money_at(int variant, int account, int year, Measure measure) const {
  const auto at = index.money(variant, account, year, measure);
  // The row found must be the one asked for: rows changed after build_results are not indexed.
  if (!at || *at >= money.size() || money[*at].variant != variant || money[*at].account != account ||
      money[*at].year != year || money[*at].measure != measure)
    throw std::logic_error("results: no money row for variant " + std::to_string(variant) + ", account " +
                           std::to_string(account) + ", year " + std::to_string(year) + ", " + name(measure));
  return money[*at].stat;
}

const Stat& Results::money_in_budget_year(int variant, int account, int year, Measure measure) const {
  const int c = BudgetCalendar(scenario->run).index_of_year(year);
  const auto at = index.calendar_money(variant, account, c, measure);
  if (!at || *at >= money_by_budget_year.size() || money_by_budget_year[*at].variant != variant ||
      money_by_budget_year[*at].account != account || money_by_budget_year[*at].year != c ||
      money_by_budget_year[*at].measure != measure)
    throw std::logic_error("results: no money row for variant " + std::to_string(variant) + ", account " +
                           std::to_string(account) + ", budget year " + std::to_string(year) + ", " + name(measure));
  return money_by_budget_year[*at].stat;
}

const Stat* Results::indicator_in_budget_year(int variant, int indicator, Group group, int year,
                                              OutcomeMeasure measure) const {
  const auto at = index.calendar_indicator(variant, indicator, group, BudgetCalendar(scenario->run).index_of_year(year), measure);
  return at && *at < outcomes_by_budget_year.size() ? &outcomes_by_budget_year[*at].stat : nullptr;
}

const BudgetRow& Results::budget_at(int variant, int account, int year, BudgetLine line, BudgetPrices prices) const {
  for (const auto& row : budget)
    if (row.variant == variant && row.account == account && row.year == year && row.line == line && row.prices == prices)
      return row;
  throw std::logic_error("results: no budget row for variant " + std::to_string(variant) + ", account " +
                         std::to_string(account) + ", year " + std::to_string(year) + ", " + name_of(line) + ", " +
                         name_of(prices) + " prices");
}

const ExpenditureRow& Results::by_type_at(int variant, int account, ExpenditureType type) const {
  for (const auto& row : by_type)
    if (row.variant == variant && row.account == account && row.type == type) return row;
  throw std::logic_error("results: no expenditure-type row for variant " + std::to_string(variant) + ", account " +
                         std::to_string(account) + ", " + name_of(type));
}

const Stat& Results::indicator_at(int variant, int indicator, Group group, int year, OutcomeMeasure measure) const {
  const auto at = index.indicator(variant, indicator, group, year, measure);
  if (!at || *at >= outcomes.size() || outcomes[*at].variant != variant || outcomes[*at].kind != OutcomeKind::indicator ||
      outcomes[*at].group != group || outcomes[*at].year != year || outcomes[*at].measure != measure)
    throw std::logic_error("results: no indicator row for variant " + std::to_string(variant) + ", indicator " +
                           std::to_string(indicator) + ", " + name_of(group) + ", year " + std::to_string(year) + ", " +
                           name(measure));
  return outcomes[*at].stat;
}

bool Results::has_indicator(int variant, int indicator, Group group) const {
  return index.indicator(variant, indicator, group, 0, OutcomeMeasure::value).has_value();
}

std::vector<double> result_row(const Scenario& s, const PricingPlan& plan, const RunPlan& run, const IterationBook& book) {
  Results scratch;
  scratch.accounts = plan.accounts;
  std::vector<double> row;
  Builder b{s, plan, &book, scratch, plan.accounts.size(), s.run.horizon_years, 1, &row, nullptr};
  b.all(run);
  return row;
}

ResultShape result_shape(const Scenario& s, const PricingPlan& plan, const RunPlan& run) {
  Results scratch;
  scratch.accounts = plan.accounts;
  Builder b{s, plan, nullptr, scratch, plan.accounts.size(), s.run.horizon_years, 0, nullptr, nullptr};
  b.counting = true;
  b.all(run);
  return {b.next_column, b.money_rows, b.outcome_rows};
}

Results build_results(const Scenario& s, const PricingPlan& plan, const RunPlan& run, ColumnStore& rows) {
  Results out;
  out.scenario = &s;
  out.accounts = plan.accounts;
  out.plan = run;
  out.index.shape(static_cast<int>(s.variants.size()), plan.accounts.size(), s.run.horizon_years,
                  BudgetCalendar(s.run).years(), static_cast<int>(s.indicators.size()));
  if (rows.rows() == 0) return out;
  Builder b{s, plan, nullptr, out, plan.accounts.size(), s.run.horizon_years, static_cast<int>(rows.rows()), nullptr, &rows};
  b.all(run);
  if (b.next_column != rows.columns()) throw std::logic_error("build_results: the rows do not match the scenario");
  return out;
}

} // namespace socinvest
