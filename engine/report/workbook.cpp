#include <socinvest/report/workbook.hpp>

#include <socinvest/ledger/budget_years.hpp>

#include "report/workbook_repricing.hpp"
#include "report/xlsx_parts.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/tables.hpp>

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace socinvest {

namespace {

using namespace xlsx_parts;

// ---------------------------------------------------------------------------------------

/// How a figure of this kind is written in a cell.
Unit unit_of(FigureKind kind) {
  switch (kind) {
  case FigureKind::money: return Unit::money;
  case FigureKind::ratio: return Unit::ratio;
  case FigureKind::probability: return Unit::share;
  case FigureKind::year: return Unit::year;
  case FigureKind::households: return Unit::decimal;
  case FigureKind::person_years: return Unit::decimal;
  }
  return Unit::general;
}

/// The Unit column of the Summary sheet.
const char* unit_text(FigureKind kind) {
  switch (kind) {
  case FigureKind::money: return "kr.";
  case FigureKind::ratio: return "ratio";
  case FigureKind::probability: return "probability";
  case FigureKind::year: return "project year";
  case FigureKind::households: return "households";
  case FigureKind::person_years: return "person-years";
  }
  return "";
}

/// What a headline figure is, in the Summary sheet.
const char* describe(Headline h) {
  switch (h) {
  case Headline::npv: return "Net present value, total (all parties)";
  case Headline::npv_public_sector: return "Net present value, public sector";
  case Headline::npv_municipality: return "Net present value, municipality";
  case Headline::investment_pv: return "Investment, present value";
  case Headline::savings_pv: return "Savings, present value";
  case Headline::roi: return "Return on investment (NPV / investment)";
  case Headline::benefit_cost_ratio: return "Benefit-cost ratio (savings / investment)";
  case Headline::p_break_even: return "Probability of breaking even within the horizon";
  case Headline::p_break_even_5y: return "Probability of breaking even within 5 years";
  case Headline::p_break_even_10y: return "Probability of breaking even within 10 years";
  case Headline::break_even_year: return "Break-even year, among iterations that break even";
  case Headline::median_break_even_year:
    return "Break-even year, median over all iterations (empty, with a note: not within the horizon)";
  case Headline::npv_per_household: return "Net present value per simulated household";
  case Headline::npv_per_participant: return "Net present value per participating household";
  case Headline::participants: return "Participating households";
  case Headline::eligible: return "Eligible households";
  case Headline::consenting: return "Consenting households";
  case Headline::count: break;
  }
  return "";
}

std::time_t parse_utc(const std::string& iso) {
  int Y = 0, M = 0, D = 0, h = 0, m = 0, s = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d", &Y, &M, &D, &h, &m, &s) != 6) return 0;
  std::tm tm{};
  tm.tm_year = Y - 1900;
  tm.tm_mon = M - 1;
  tm.tm_mday = D;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = s;
  return timegm(&tm);
}

std::string discount_text(const Scenario& s) {
  std::string d;
  for (const auto& seg : s.run.discount) {
    if (!d.empty()) d += "; ";
    d += exact_number(seg.rate) + " from year " + exact_number(seg.from_year);
  }
  return d;
}

void stat_cells(Sheet& sh, lxw_row_t row, lxw_col_t col, const Stat& st, Unit unit) {
  sh.number(row, col, st.mean, unit);
  sh.number(row, col + 1, st.se, unit);
  sh.number(row, col + 2, st.p5, unit);
  sh.number(row, col + 3, st.p50, unit);
  sh.number(row, col + 4, st.p95, unit);
}

// --- Summary -----------------------------------------------------------------------------
void summary_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet("Summary");
  sh.text(0, 0, s.title.empty() ? s.id : s.title, book.formats().title);
  char line[256];
  std::snprintf(line, sizeof line,
                "%d iterations, seed %llu; %d years from %s; %d prices; present values discounted to the start. "
                "Each variant is compared with the baseline.",
                r.plan.iterations, static_cast<unsigned long long>(r.plan.seed), s.run.horizon_years, s.run.start.text().c_str(),
                s.run.price_year);
  sh.text(1, 0, line, book.formats().note);
  const lxw_row_t head = 3;
  sh.header(head, {"Variant", "Measure", "Description", "Unit", "Mean", "Std. error (MC)", "P5", "Median", "P95"});
  lxw_row_t row = head + 1;
  auto put_row = [&](int v, const std::string& measure, const std::string& label, FigureKind kind, const Stat& st,
                     bool single) {
    sh.text(row, 0, s.variants[v].id);
    sh.text(row, 1, measure);
    sh.text(row, 2, label);
    sh.text(row, 3, unit_text(kind));
    if (single) sh.number(row, 4, st.mean, unit_of(kind)); // one number: no spread over iterations
    else stat_cells(sh, row, 4, st, unit_of(kind));
    ++row;
  };
  auto put = [&](const VariantSummary& vs, Headline h) {
    put_row(vs.variant, name(h), describe(h), info(h).kind, vs.headline(h), info(h).single);
  };
  for (const auto& vs : r.variants) {
    const int v = vs.variant;
    put(vs, Headline::npv);
    put(vs, Headline::npv_public_sector);
    put(vs, Headline::npv_municipality);
    for (int a = 0; a < r.accounts.size(); ++a)
      if (r.accounts.kind[a] == AccountKind::level)
        put_row(v, std::string(name(Measure::npv)) + ":" + r.accounts.id[a], "Net present value, " + r.accounts.name[a],
                FigureKind::money, r.money_at(v, a, -1, Measure::npv), false);
    for (Headline h : {Headline::investment_pv, Headline::savings_pv, Headline::roi, Headline::benefit_cost_ratio,
                       Headline::p_break_even_5y, Headline::p_break_even_10y, Headline::p_break_even,
                       Headline::median_break_even_year, Headline::break_even_year, Headline::npv_per_household,
                       Headline::npv_per_participant, Headline::participants, Headline::eligible, Headline::consenting})
      put(vs, h);
    // The municipality by expenditure type: the budget year's change (the servicerammen)
    // and the horizon's investment and savings.
    const int M = r.accounts.level(FinancingLevel::municipality), B = r.budget_year;
    for (const auto& entry : expenditure_type_names) {
      const BudgetRow& cell = r.budget_at(v, M, B, budget_line(entry.value));
      if (cell.months > 0)
        put_row(v, std::string("budget_") + std::to_string(B) + ":" + entry.name,
                std::string("Municipality, budget ") + std::to_string(B) + ": change in " + entry.name + " spending, nominal" +
                    (entry.value == ExpenditureType::service ? " (counts against the servicerammen)" : " (outside the servicerammen)"),
                FigureKind::money, cell.stat, false);
    }
    if (has_freed_capacity(s)) {
      put_row(v, name(Measure::freed_capacity_pv),
              "Municipality: freed capacity, present value (non-cashable share of state costs no longer used; not in the "
              "savings or the NPV)",
              FigureKind::money, r.money_at(v, M, -1, Measure::freed_capacity_pv), false);
      put_row(v, name(Measure::freed_places), "Municipality: freed capacity in place-years over the horizon",
              FigureKind::person_years, r.money_at(v, M, -1, Measure::freed_places), false);
    }
    for (const auto& entry : expenditure_type_names) {
      const ExpenditureRow& split = r.by_type_at(v, M, entry.value);
      put_row(v, std::string(name(Measure::investment_pv)) + ":" + entry.name,
              std::string("Municipality: investment of type ") + entry.name + ", present value", FigureKind::money,
              split.investment_pv, false);
      put_row(v, std::string(name(Measure::savings_pv)) + ":" + entry.name,
              std::string("Municipality: savings of type ") + entry.name + ", present value", FigureKind::money,
              split.savings_pv, false);
    }
  }
  const lxw_row_t last = row;
  ++row;
  for (const auto& text : budget_rules_text(r)) sh.text(row++, 0, text, book.formats().note);
  for (const auto& vs : r.variants) {
    const std::string text = freed_capacity_text(r, vs.variant);
    if (!text.empty()) sh.text(row++, 0, s.variants[vs.variant].id + ": " + text, book.formats().note);
  }
  for (const auto& vs : r.variants) {
    const std::string text = serviceramme_text(r, vs.variant);
    if (!text.empty()) sh.text(row++, 0, s.variants[vs.variant].id + ": " + text, book.formats().note);
  }
  sh.set_width(0, 18);
  sh.set_width(1, 24);
  sh.set_width(2, 56);
  sh.finish(head + 1, 0);
  sh.autofilter(head, 0, last - 1, 8);
}

// --- By department x year ----------------------------------------------------------------
/// One row per variant, account and year of `axis`, one column per measure. Built so that a
/// pivot table or a SUM over the data range cannot count a figure twice: the data range
/// (with the filter) holds the departments' years only; below it, each after a blank row
/// and a heading, the departments' whole horizon (budget-year sheet) and the subtotals
/// (financing levels, public sector, total: sums of the departments). A pivot table made
/// from the first cell takes the data range only (Excel's current region stops at a blank
/// row). The tidy sheet ("Pivot data") has the same per-year figures in long form.
void money_sheet(Book& book, const Results& r, YearAxis axis) {
  const Scenario& s = *r.scenario;
  const bool calendar_axis = axis == YearAxis::calendar;
  const BudgetCalendar calendar(s.run);
  Sheet sh = book.sheet(calendar_axis ? "By department \xc3\x97 budget year" : "By department \xc3\x97 project year");
  std::vector<const MoneyRow*> rows;
  if (calendar_axis)
    for (const auto& m : r.money_by_budget_year) rows.push_back(&m);
  for (const auto& m : r.money)
    if ((m.year < 0) == calendar_axis) rows.push_back(&m);
  // The measures the rows have, in the order they first appear; one column each.
  std::vector<Measure> measures;
  for (const MoneyRow* m : rows)
    if (std::find(measures.begin(), measures.end(), m->measure) == measures.end()) measures.push_back(m->measure);
  const std::vector<Measure> intervals{Measure::net_pv, Measure::cumulative_net_pv, Measure::npv};
  std::vector<std::string> head{"Variant", "Account", "Account name", "Kind", calendar_axis ? "Budget year" : "Project year",
                                "Months"};
  for (Measure m : measures) head.push_back(name(m));
  for (Measure m : intervals)
    if (std::find(measures.begin(), measures.end(), m) != measures.end()) {
      head.push_back(std::string(name(m)) + " p5");
      head.push_back(std::string(name(m)) + " p95");
    }
  sh.header(0, head);
  // (variant, account, year) -> measure -> stat, years ordered 0.. then the total (-1) last.
  using ByMeasure = std::array<const Stat*, static_cast<std::size_t>(Measure::count)>;
  using Key = std::tuple<int, int, int>;
  constexpr int horizon_key = 1 << 20;
  std::map<Key, ByMeasure> cells;
  for (const MoneyRow* m : rows) {
    auto [it, fresh] = cells.try_emplace({m->variant, m->account, m->year < 0 ? horizon_key : m->year});
    if (fresh) it->second.fill(nullptr);
    it->second[static_cast<std::size_t>(m->measure)] = &m->stat;
  }
  lxw_row_t row = 1;
  auto write = [&](const Key& key, const ByMeasure& by) {
    const auto [v, a, y] = key;
    sh.text(row, 0, s.variants[v].id);
    sh.text(row, 1, r.accounts.id[a]);
    sh.text(row, 2, r.accounts.name[a]);
    sh.text(row, 3, to_string(r.accounts.kind[a]));
    if (y == horizon_key) {
      sh.text(row, 4, "total");
      sh.text(row, 5, "whole horizon");
    } else if (calendar_axis) {
      // The calendar year, and how many of its months the run simulates (a part year: fewer).
      sh.number(row, 4, calendar.year_at(y), Unit::general); // 2024, not 2.024
      sh.number(row, 5, calendar.months_in(y), Unit::count);
    } else {
      sh.number(row, 4, y + 1, Unit::count);
      sh.text(row, 5, project_year_label(s, y));
    }
    lxw_col_t col = 6;
    // A measure without a row for this year (npv in a project year) leaves its cell empty.
    for (Measure m : measures) {
      if (const Stat* st = by[static_cast<std::size_t>(m)]) sh.number(row, col, st->mean, unit_of(info(m).kind));
      ++col;
    }
    for (Measure m : intervals) {
      if (std::find(measures.begin(), measures.end(), m) == measures.end()) continue;
      if (const Stat* st = by[static_cast<std::size_t>(m)]) {
        sh.number(row, col, st->p5, Unit::money);
        sh.number(row, col + 1, st->p95, Unit::money);
      }
      col += 2;
    }
    ++row;
  };
  auto is_department = [&](const Key& k) { return r.accounts.kind[std::get<1>(k)] == AccountKind::department; };
  auto is_horizon = [&](const Key& k) { return std::get<2>(k) == horizon_key; };
  // The data range: the departments' years.
  for (const auto& [key, by] : cells)
    if (is_department(key) && !is_horizon(key)) write(key, by);
  const lxw_row_t data_end = row;
  auto block = [&](const char* heading, auto&& belongs) {
    bool any = false;
    for (const auto& [key, by] : cells) any = any || belongs(key);
    if (!any) return;
    ++row; // a blank row ends the data range for a pivot table
    sh.text(row++, 0, heading, book.formats().note);
    for (const auto& [key, by] : cells)
      if (belongs(key)) write(key, by);
  };
  block("Whole horizon, per department (not part of the rows above: do not add them to the years)",
        [&](const Key& k) { return is_department(k) && is_horizon(k); });
  block("Subtotals: financing levels, the public sector and the total (sums of the departments above: do not add them)",
        [&](const Key& k) { return !is_department(k); });
  sh.finish(1, 2);
  sh.autofilter(0, 0, data_end - 1, static_cast<lxw_col_t>(head.size() - 1));
}

// --- Pivot data -----------------------------------------------------------------------------
/// The tidy sheet: one row per variant, department, budget year and measure, with the mean.
/// Only departments and only measures that add up (over departments and over years), so any
/// pivot table sums to the engine's totals: the sum over a variant's departments and years
/// of `savings_pv` is its savings_pv for all parties over the horizon. Levels come from the
/// department's financing level column, not from rows of their own.
void pivot_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  const BudgetCalendar calendar(s.run);
  Sheet sh = book.sheet("Pivot data");
  sh.header(0, {"Variant", "Variant description", "Department", "Department name", "Financing level", "Budget year", "Months",
                "Measure", "Value (mean)"});
  lxw_row_t row = 1;
  for (const MoneyRow& m : r.money_by_budget_year) {
    if (r.accounts.kind[m.account] != AccountKind::department || !adds_up(m.measure)) continue;
    const Department& d = s.departments[m.account];
    sh.text(row, 0, s.variants[m.variant].id);
    sh.text(row, 1, s.variants[m.variant].description);
    sh.text(row, 2, d.id);
    sh.text(row, 3, d.name);
    sh.text(row, 4, name_of(d.level));
    sh.number(row, 5, calendar.year_at(m.year), Unit::general);
    sh.number(row, 6, calendar.months_in(m.year), Unit::count);
    sh.text(row, 7, name(m.measure));
    sh.number(row, 8, m.stat.mean, unit_of(info(m.measure).kind));
    ++row;
  }
  sh.finish(1, 0);
  sh.autofilter(0, 0, row - 1, 8);
}

// --- Budget period -----------------------------------------------------------------------

/// The budget-period table as a finance department lays it out: one row per variant,
/// account and line, the budget year and its overslagsår across, 1.000 kr.
void budget_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  const int B = r.budget_year;
  Sheet sh = book.sheet("Budget");
  sh.text(0, 0, "Budget " + std::to_string(B) + " and overslagsår " + std::to_string(B + 1) + "-" +
                    std::to_string(B + overslag_years), book.formats().title);
  sh.text(1, 0, "Change against the baseline in 1,000 kr., " + budget_price_level(r) +
                    ", not discounted, calendar budget years; + merudgift (more spending), - mindreudgift (less "
                    "spending); means over the iterations. budget.csv has the intervals.",
          book.formats().note);
  std::vector<std::string> head{"Variant", "Account", "Account name", "Kind", "Line"};
  for (int k = 0; k <= overslag_years; ++k) {
    const int months = r.budget.empty() ? 12 : r.budget_at(r.budget.front().variant, 0, B + k, BudgetLine::net).months;
    head.push_back(std::to_string(B + k) + (months == 0 ? " (beyond the horizon)" : months < 12 ? " (part year)" : ""));
  }
  sh.header(3, head);
  lxw_row_t row = 4;
  for (const BudgetRow& first : r.budget) {
    // One block per (variant, account), at the price level shown.
    if (first.year != B || first.line != BudgetLine::investment || first.prices != r.budget_prices) continue;
    for (const auto& entry : budget_line_names) {
      sh.text(row, 0, s.variants[first.variant].id);
      sh.text(row, 1, r.accounts.id[first.account]);
      sh.text(row, 2, r.accounts.name[first.account]);
      sh.text(row, 3, to_string(r.accounts.kind[first.account]));
      sh.text(row, 4, entry.name);
      for (int k = 0; k <= overslag_years; ++k)
        sh.number(row, static_cast<lxw_col_t>(5 + k), r.budget_at(first.variant, first.account, B + k, entry.value).stat.mean / 1000.0,
                  Unit::count);
      ++row;
    }
  }
  sh.finish(4, 3);
  sh.autofilter(3, 0, row - 1, static_cast<lxw_col_t>(head.size() - 1));
}

// --- Flows -------------------------------------------------------------------------------
void flows_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet("Flows");
  sh.header(0, {"Variant", "Investor", "Investor name", "Harvester", "Harvester name", "Savings allocated, present value (mean)"});
  lxw_row_t row = 1;
  for (const auto& vs : r.variants)
    for (std::size_t i = 0; i < vs.flows.size(); ++i)
      for (std::size_t h = 0; h < vs.flows[i].size(); ++h) {
        sh.text(row, 0, s.variants[vs.variant].id);
        sh.text(row, 1, r.accounts.id[i]);
        sh.text(row, 2, r.accounts.name[i]);
        sh.text(row, 3, r.accounts.id[h]);
        sh.text(row, 4, r.accounts.name[h]);
        sh.number(row, 5, vs.flows[i][h], Unit::money);
        ++row;
      }
  sh.finish(1, 0);
  sh.autofilter(0, 0, row - 1, 5);
}

// --- Outcomes and targets ----------------------------------------------------------------
void outcomes_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet("Outcomes and targets");
  sh.header(0, {"Variant", "Target", "Indicator", "Group", "Year", "At least", "At most", "Probability reached",
                "Probability without the project", "Mean", "P5", "Median", "P95"});
  lxw_row_t row = 1;
  for (const auto& t : r.targets) {
    const Target& tg = s.targets[t.target];
    sh.text(row, 0, s.variants[t.variant].id);
    sh.text(row, 1, tg.text);
    sh.text(row, 2, s.indicators[tg.indicator].id);
    sh.text(row, 3, name_of(tg.among));
    if (tg.at_budget_year != 0) sh.text(row, 4, measured_when(tg.at_year, tg.at_budget_year)); // "end of 2026"
    else sh.number(row, 4, tg.at_year, Unit::count);                                        // project year
    if (std::isfinite(tg.at_least)) sh.number(row, 5, tg.at_least, Unit::share);
    if (std::isfinite(tg.at_most)) sh.number(row, 6, tg.at_most, Unit::share);
    sh.number(row, 7, t.probability, Unit::share);
    sh.number(row, 8, t.baseline_probability, Unit::share);
    sh.number(row, 9, t.value.mean, Unit::share);
    sh.number(row, 10, t.value.p5, Unit::share);
    sh.number(row, 11, t.value.p50, Unit::share);
    sh.number(row, 12, t.value.p95, Unit::share);
    ++row;
  }
  if (r.targets.empty()) sh.text(row++, 0, "(the scenario sets no targets)", book.formats().note);
  const lxw_row_t targets_end = row;
  row += 1;
  const lxw_row_t head = row;
  sh.header(head, {"Variant", "Kind", "Item", "Label", "Group", "Year", "Measure", "Mean", "Std. error (MC)", "P5", "Median", "P95"});
  row = head + 1;
  std::map<std::string, std::string> labels;
  for (const auto& ind : s.indicators) labels[ind.id] = ind.label;
  for (const auto& o : r.outcomes) {
    if (row >= max_rows) break;
    sh.text(row, 0, s.variants[o.variant].id);
    sh.text(row, 1, name(o.kind));
    sh.text(row, 2, o.item);
    if (o.kind == OutcomeKind::indicator) sh.text(row, 3, labels[o.item]);
    sh.text(row, 4, name_of(o.group));
    sh.number(row, 5, o.year + 1, Unit::count);
    sh.text(row, 6, name(o.measure));
    stat_cells(sh, row, 7, o.stat, o.kind == OutcomeKind::indicator ? Unit::share : Unit::decimal);
    ++row;
  }
  // Targets are few: keep them and the outcomes header in view; otherwise only the header.
  sh.finish(targets_end <= 12 ? head + 1 : 1, 0);
  sh.autofilter(head, 0, row - 1, 11);
}

// --- Per iteration -----------------------------------------------------------------------
void iterations_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet("Per iteration");
  std::vector<std::string> head{"Variant", "Iteration"};
  for (const auto& id : r.accounts.id) head.push_back("npv:" + id);
  sh.header(0, head);
  lxw_row_t row = 1;
  for (const auto& it : r.per_iteration) {
    if (row >= max_rows - 1) {
      sh.text(row, 0, "(more iterations than a sheet can hold: see per_iteration.csv)", book.formats().note);
      ++row;
      break;
    }
    sh.text(row, 0, s.variants[static_cast<int>(it[0])].id);
    sh.number(row, 1, it[1], Unit::count);
    for (std::size_t k = 2; k < it.size(); ++k) sh.number(row, static_cast<lxw_col_t>(k), it[k], Unit::money);
    ++row;
  }
  sh.finish(1, 2);
  sh.autofilter(0, 0, row - 1, static_cast<lxw_col_t>(head.size() - 1));
}

// --- Assumptions -------------------------------------------------------------------------
void assumptions_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet("Assumptions");
  sh.header(0, {"Parameter", "Distribution", "Kind", "Central value (median)", "Mean", "Source"});
  lxw_row_t row = 1;
  for (const Quantity* q : s.quantities()) {
    if (q->path.empty()) continue;
    sh.text(row, 0, q->path);
    if (q->dist.is_fixed())
      sh.number(row, 1, q->dist.a, Unit::general);
    else
      sh.text(row, 1, q->dist.describe());
    sh.text(row, 2, distribution_kind_name(q->dist.kind));
    sh.number(row, 3, q->dist.central(), Unit::general);
    sh.number(row, 4, q->dist.mean(), Unit::general);
    sh.text(row, 5, q->source);
    ++row;
  }
  // Dirichlet rows are drawn jointly and are not single quantities.
  for (const auto& d : s.domains)
    for (const auto& bands : d.transitions)
      for (const auto& b : bands) {
        const DirichletRow* dirichlet = b.dirichlet();
        if (!dirichlet) continue;
        std::string counts;
        for (std::size_t i = 0; i < dirichlet->alpha.size(); ++i) {
          if (i) counts += ", ";
          const int to = i < b.destinations.size() ? b.destinations[i] : -1;
          counts += (to >= 0 && to < static_cast<int>(d.states.size()) ? d.states[to] : std::string("stay")) + " " +
                    exact_number(dirichlet->alpha[i]);
        }
        sh.text(row, 0, dirichlet->path);
        sh.text(row, 1, "dirichlet(" + counts + ")");
        sh.text(row, 2, "dirichlet");
        ++row;
      }
  const lxw_row_t last = row - 1;
  row += 1;
  sh.header(row++, {"Setting", "Value"});
  sh.text(row, 0, "discount rate (rate from year)");
  sh.text(row++, 1, discount_text(s));
  sh.text(row, 0, "cycle (months)");
  sh.number(row++, 1, s.run.cycle_months, Unit::count);
  // The haircut on effects (EffectHaircut): the scenario's, then each intervention's own.
  if (s.run.effect_haircut.used()) {
    sh.text(row, 0, "effect haircut, share of each log hazard ratio (" + s.run.effect_haircut.source + ")");
    sh.number(row++, 1, s.run.effect_haircut.share, Unit::share);
  }
  for (const auto& v : s.variants)
    for (const auto& iv : v.interventions)
      if (iv.effect_haircut) {
        sh.text(row, 0, "effect haircut " + v.id + "." + iv.id + " (" + iv.effect_haircut->source + ")");
        sh.number(row++, 1, iv.effect_haircut->share, Unit::share);
      }
  for (const auto& rr : s.reimbursements) {
    std::string steps;
    for (std::size_t i = 0; i < rr.state_share.size(); ++i) {
      if (i) steps += "; ";
      steps += exact_number(rr.state_share[i]) + (i < rr.weeks.size() ? " to week " + exact_number(rr.weeks[i]) : " after");
    }
    sh.text(row, 0, "reimbursement " + rr.id + " (state share by weeks on benefit)");
    sh.text(row++, 1, steps);
  }
  for (const auto& d : s.departments) {
    sh.text(row, 0, "department " + d.id);
    sh.text(row++, 1, d.name + " (" + name_of(d.level) + ")");
  }
  sh.set_width(0, 60);
  sh.set_width(1, 44);
  sh.finish(1, 0);
  sh.autofilter(0, 0, last, 5);
}

// --- Manifest ----------------------------------------------------------------------------
void manifest_sheet(Book& book, const Results& r, const Manifest& m) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet("Manifest");
  sh.header(0, {"Item", "Value"});
  lxw_row_t row = 1;
  auto put = [&](const char* item, const std::string& value) {
    sh.text(row, 0, item);
    sh.text(row, 1, value);
    ++row;
  };
  auto put_number = [&](const char* item, double value, Unit unit) {
    sh.text(row, 0, item);
    sh.number(row, 1, value, unit);
    ++row;
  };
  put("scenario", s.id);
  put("title", s.title);
  put("description", s.description);
  put("scenario file", m.scenario_file);
  put("scenario hash", m.scenario_hash.empty() ? s.content_hash : m.scenario_hash);
  for (const auto& f : m.files) put("file read", f);
  put("start", s.run.start.text());
  put_number("horizon (years)", s.run.horizon_years, Unit::count);
  put_number("cycle (months)", s.run.cycle_months, Unit::count);
  put_number("price year", s.run.price_year, Unit::general);
  put("currency", s.run.currency);
  put("discount rate (rate from year)", discount_text(s));
  put("engine version", m.engine_version);
  put("engine commit", m.engine_commit);
  put("seed", std::to_string(m.seed));
  put("parameter uncertainty", m.central ? "off (--central): every parameter at its median" : "on: each iteration draws the parameters");
  std::string variants;
  for (const auto& v : m.variants) variants += (variants.empty() ? "" : ", ") + v;
  if (!variants.empty()) put("variants run", variants);
  if (!m.formats.empty()) put("formats", m.formats);
  if (!m.scenario_path.empty()) put("scenario path", m.scenario_path);
  put("transfers neutralised", r.neutralised() ? "on: the neutralised share of transfer savings is booked to the state"
                                                : "off: the municipality keeps its transfer savings");
  put("budget-period table", "budget year " + std::to_string(r.budget_year) + ", " + budget_price_level(r));
  put_number("iterations", m.iterations, Unit::count);
  put_number("threads", m.threads, Unit::count);
  put_number("seconds", m.seconds, Unit::decimal);
  put("started at (UTC)", m.started_at);
  put("command line", m.command_line);
  sh.set_width(0, 30);
  sh.set_width(1, 80);
  sh.finish(1, 0);
}

} // namespace

void write_workbook(const std::string& path, const Results& results, const Manifest& manifest) {
  if (!results.scenario) throw IoError("cannot write workbook '" + path + "': no results");
  const Scenario& s = *results.scenario;
  write_book(path, s.title.empty() ? s.id : s.title, "socinvest results", parse_utc(manifest.started_at), [&](Book& book) {
    summary_sheet(book, results);
    budget_sheet(book, results);
    money_sheet(book, results, YearAxis::calendar);
    money_sheet(book, results, YearAxis::project);
    pivot_sheet(book, results);
    flows_sheet(book, results);
    outcomes_sheet(book, results);
    iterations_sheet(book, results);
    assumptions_sheet(book, results);
    manifest_sheet(book, results, manifest);
    // Last, so the other sheets keep their places (sheet1..sheet10.xml).
    repricing_sheets(book, results, manifest.lang == "da" ? Language::da : Language::en);
  });
}

} // namespace socinvest
