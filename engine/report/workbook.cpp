#include <socinvest/report/workbook.hpp>

#include <socinvest/ledger/budget_years.hpp>

#include "report/workbook_repricing.hpp"
#include "report/xlsx_parts.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/report/assumptions.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/montecarlo/success_rate.hpp>

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
const char* unit_text(FigureKind kind, Language lang) {
  switch (kind) {
  case FigureKind::money: return "kr.";
  case FigureKind::ratio: return T(lang, Msg::wb_ratio);
  case FigureKind::probability: return T(lang, Msg::wb_probability);
  case FigureKind::year: return T(lang, Msg::wb_project_year);
  case FigureKind::households: return T(lang, Msg::wb_households);
  case FigureKind::person_years: return T(lang, Msg::wb_person_years);
  }
  return "";
}

/// What a headline figure is, in the Summary sheet.
const char* describe(Headline h, Language lang) {
  switch (h) {
  case Headline::npv: return T(lang, Msg::wb_net_present_value_total_all_parties);
  case Headline::npv_public_sector: return T(lang, Msg::wb_net_present_value_public_sector);
  case Headline::npv_municipality: return T(lang, Msg::wb_net_present_value_municipality);
  case Headline::investment_pv: return T(lang, Msg::wb_investment_present_value);
  case Headline::savings_pv: return T(lang, Msg::wb_savings_present_value);
  case Headline::roi: return T(lang, Msg::wb_return_on_investment_npv_investment);
  case Headline::benefit_cost_ratio:
    return T(lang, Msg::wb_benefit_cost_ratio_savings_investment);
  case Headline::p_break_even:
    return T(lang, Msg::wb_probability_of_breaking_even_within_the);
  case Headline::p_break_even_5y:
    return T(lang, Msg::wb_probability_of_breaking_even_within_5);
  case Headline::p_break_even_10y:
    return T(lang, Msg::wb_probability_of_breaking_even_within_10);
  case Headline::break_even_year:
    return T(lang, Msg::wb_break_even_year_among_iterations_that);
  case Headline::median_break_even_year:
    return T(lang, Msg::wb_break_even_year_median_over_all);
  case Headline::npv_per_household: return T(lang, Msg::wb_net_present_value_per_simulated_household);
  case Headline::npv_per_participant:
    return T(lang, Msg::wb_net_present_value_per_participating_household);
  case Headline::participants: return T(lang, Msg::wb_participating_households);
  case Headline::eligible: return T(lang, Msg::wb_eligible_households);
  case Headline::consenting: return T(lang, Msg::wb_consenting_households);
  case Headline::count: break;
  }
  return "";
}

/// The Kind column: the account's kind (its identifier in English).
const char* kind_text(AccountKind kind, Language lang) {
  switch (kind) {
  case AccountKind::department: return T(lang, Msg::wb_department);
  case AccountKind::level: return T(lang, Msg::wb_level);
  case AccountKind::public_sector: return T(lang, Msg::wb_public_sector);
  case AccountKind::total: return T(lang, Msg::wb_total);
  }
  return "?";
}

/// A measure as a column header or a row label: its identifier (money.csv's) in English, a
/// word in Danish.
const char* measure_text(Measure m, Language lang) {
  switch (m) {
  case Measure::investment: return T(lang, Msg::wb_investment);
  case Measure::investment_pv: return T(lang, Msg::wb_investment_pv);
  case Measure::gross_cost: return T(lang, Msg::wb_gross_cost);
  case Measure::gross_cost_baseline: return T(lang, Msg::wb_gross_cost_baseline);
  case Measure::savings: return T(lang, Msg::wb_savings);
  case Measure::savings_pv: return T(lang, Msg::wb_savings_pv);
  case Measure::contract_net: return T(lang, Msg::wb_contract_net);
  case Measure::net: return T(lang, Msg::net);
  case Measure::net_pv: return T(lang, Msg::wb_net_pv);
  case Measure::cumulative_net_pv: return T(lang, Msg::wb_cumulative_net_pv);
  case Measure::contract_net_pv: return T(lang, Msg::wb_contract_net_pv);
  case Measure::npv: return T(lang, Msg::wb_npv);
  case Measure::roi: return T(lang, Msg::wb_roi);
  case Measure::benefit_cost_ratio: return T(lang, Msg::wb_benefit_cost_ratio);
  case Measure::break_even_year: return T(lang, Msg::wb_break_even_year);
  case Measure::p_break_even: return T(lang, Msg::wb_p_break_even);
  case Measure::freed_capacity: return T(lang, Msg::wb_freed_capacity);
  case Measure::freed_capacity_pv: return T(lang, Msg::wb_freed_capacity_pv);
  case Measure::freed_places: return T(lang, Msg::wb_freed_places);
  case Measure::count: break;
  }
  return "?";
}

/// A line of the budget-period table (its identifier in English).
const char* line_text(BudgetLine line, Language lang) {
  switch (line) {
  case BudgetLine::investment: return T(lang, Msg::wb_investment);
  case BudgetLine::derived: return T(lang, Msg::wb_derived);
  case BudgetLine::contracts: return T(lang, Msg::wb_contracts);
  case BudgetLine::net: return T(lang, Msg::net);
  case BudgetLine::service: return T(lang, Msg::service);
  case BudgetLine::transfer: return T(lang, Msg::transfer);
  case BudgetLine::capital: return T(lang, Msg::capital);
  case BudgetLine::tax: return T(lang, Msg::tax);
  case BudgetLine::freed_capacity: return T(lang, Msg::wb_freed_capacity);
  case BudgetLine::count: break;
  }
  return "?";
}

/// An expenditure type (its identifier in English).
const char* type_text(ExpenditureType t, Language lang) {
  return line_text(budget_line(t), lang);
}

/// A financing level (its identifier in English).
const char* level_text(FinancingLevel l, Language lang) {
  switch (l) {
  case FinancingLevel::municipality: return T(lang, Msg::level_municipality);
  case FinancingLevel::region: return T(lang, Msg::level_region);
  case FinancingLevel::state: return T(lang, Msg::level_state);
  case FinancingLevel::external: return T(lang, Msg::level_external);
  case FinancingLevel::count: break;
  }
  return "?";
}

/// An outcome row's kind, measure and group (their identifiers in English).
const char* outcome_kind_text(OutcomeKind k, Language lang) {
  switch (k) {
  case OutcomeKind::indicator: return T(lang, Msg::wb_outcome_indicator);
  case OutcomeKind::person_years: return T(lang, Msg::wb_outcome_person_years);
  case OutcomeKind::transitions: return T(lang, Msg::wb_outcome_transitions);
  case OutcomeKind::count: break;
  }
  return "?";
}
const char* outcome_measure_text(OutcomeMeasure m, Language lang) {
  switch (m) {
  case OutcomeMeasure::value: return T(lang, Msg::wb_outcome_value);
  case OutcomeMeasure::baseline: return T(lang, Msg::wb_outcome_baseline);
  case OutcomeMeasure::difference: return T(lang, Msg::wb_outcome_difference);
  case OutcomeMeasure::count: break;
  }
  return "?";
}
const char* group_text(Group g, Language lang) {
  return g == Group::participants ? T(lang, Msg::wb_group_participants) : T(lang, Msg::wb_group_all);
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

std::string discount_text(const Scenario& s, Language lang) {
  std::string d;
  for (const auto& seg : s.run.discount) {
    if (!d.empty()) d += "; ";
    d += exact_number(seg.rate) + T(lang, Msg::from_year) + exact_number(seg.from_year);
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
void summary_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet(T(lang, Msg::wb_summary));
  sh.text(0, 0, s.title.empty() ? s.id : s.title.in(lang), book.formats().title);
  sh.text(1, 0,
          format_message(lang, Msg::wb_summary_line,
                         {std::to_string(r.plan.iterations), std::to_string(r.plan.seed), std::to_string(s.run.horizon_years),
                          s.run.start.text(), std::to_string(s.run.price_year)}),
          book.formats().note);
  const lxw_row_t head = 3;
  sh.header(head, {T(lang, Msg::variant), T(lang, Msg::measure), T(lang, Msg::wb_description),
                   T(lang, Msg::wb_unit), T(lang, Msg::wb_mean), T(lang, Msg::wb_std_error_mc),
                   "P5", T(lang, Msg::median), "P95", T(lang, Msg::wb_variant_id)});
  constexpr lxw_col_t summary_id_col = 9;
  lxw_row_t row = head + 1;
  auto put_row = [&](int v, const std::string& measure, const std::string& label, FigureKind kind, const Stat& st,
                     bool single) {
    sh.variant(row, summary_id_col, s.variants[v].shown(lang), s.variants[v].id);
    sh.text(row, 1, measure);
    sh.text(row, 2, label);
    sh.text(row, 3, unit_text(kind, lang));
    if (single) sh.number(row, 4, st.mean, unit_of(kind)); // one number: no spread over iterations
    else stat_cells(sh, row, 4, st, unit_of(kind));
    ++row;
  };
  auto put = [&](const VariantSummary& vs, Headline h) {
    put_row(vs.variant, name(h), describe(h, lang), info(h).kind, vs.headline(h), info(h).single);
  };
  for (const auto& vs : r.variants) {
    const int v = vs.variant;
    put(vs, Headline::npv);
    put(vs, Headline::npv_public_sector);
    put(vs, Headline::npv_municipality);
    for (int a = 0; a < r.accounts.size(); ++a)
      if (r.accounts.kind[a] == AccountKind::level)
        put_row(v, std::string(name(Measure::npv)) + ":" + r.accounts.id[a],
                T(lang, Msg::net_present_value) + account_label(r, a, lang),
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
                format_message(lang, entry.value == ExpenditureType::service ? Msg::wb_budget_change_service : Msg::wb_budget_change_other,
                               {std::to_string(B), type_text(entry.value, lang)}),
                FigureKind::money, cell.stat, false);
    }
    if (has_freed_capacity(s)) {
      put_row(v, name(Measure::freed_capacity_pv),
              T(lang, Msg::wb_municipality_freed_capacity_present_value_non),
              FigureKind::money, r.money_at(v, M, -1, Measure::freed_capacity_pv), false);
      put_row(v, name(Measure::freed_places),
              T(lang, Msg::wb_municipality_freed_capacity_in_place_years),
              FigureKind::person_years, r.money_at(v, M, -1, Measure::freed_places), false);
    }
    for (const auto& entry : expenditure_type_names) {
      const ExpenditureRow& split = r.by_type_at(v, M, entry.value);
      put_row(v, std::string(name(Measure::investment_pv)) + ":" + entry.name,
              format_message(lang, Msg::wb_investment_of_type, {type_text(entry.value, lang)}), FigureKind::money,
              split.investment_pv, false);
      put_row(v, std::string(name(Measure::savings_pv)) + ":" + entry.name,
              format_message(lang, Msg::wb_savings_of_type, {type_text(entry.value, lang)}), FigureKind::money,
              split.savings_pv, false);
    }
  }
  const lxw_row_t last = row;
  ++row;
  for (const auto& text : budget_rules_text(r, lang)) sh.text(row++, 0, text, book.formats().note);
  for (const auto& vs : r.variants) {
    const std::string text = freed_capacity_text(r, vs.variant, lang);
    if (!text.empty()) sh.text(row++, 0, s.variants[vs.variant].shown(lang) + ": " + text, book.formats().note);
  }
  for (const auto& vs : r.variants) {
    const std::string text = serviceramme_text(r, vs.variant, lang);
    if (!text.empty()) sh.text(row++, 0, s.variants[vs.variant].shown(lang) + ": " + text, book.formats().note);
  }
  sh.set_width(0, 18);
  sh.set_width(1, 24);
  sh.set_width(2, 56);
  sh.finish(head + 1, 0);
  sh.autofilter(head, 0, last - 1, summary_id_col);
}

// --- By department x year ----------------------------------------------------------------
/// One row per variant, account and year of `axis`, one column per measure. Built so that a
/// pivot table or a SUM over the data range cannot count a figure twice: the data range
/// (with the filter) holds the departments' years only; below it, each after a blank row
/// and a heading, the departments' whole horizon (budget-year sheet) and the subtotals
/// (financing levels, public sector, total: sums of the departments). A pivot table made
/// from the first cell takes the data range only (Excel's current region stops at a blank
/// row). The tidy sheet ("Pivot data") has the same per-year figures in long form.
void money_sheet(Book& book, const Results& r, YearAxis axis, Language lang) {
  const Scenario& s = *r.scenario;
  const bool calendar_axis = axis == YearAxis::calendar;
  const BudgetCalendar calendar(s.run);
  Sheet sh = book.sheet(calendar_axis ? T(lang, Msg::wb_by_department_budget_year)
                                      : T(lang, Msg::wb_by_department_project_year));
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
  std::vector<std::string> head{T(lang, Msg::variant), T(lang, Msg::account),
                                T(lang, Msg::wb_account_name), T(lang, Msg::wb_kind),
                                calendar_axis ? T(lang, Msg::wb_budget_year) : T(lang, Msg::wb_project_year_2),
                                T(lang, Msg::wb_months)};
  for (Measure m : measures) head.push_back(measure_text(m, lang));
  for (Measure m : intervals)
    if (std::find(measures.begin(), measures.end(), m) != measures.end()) {
      head.push_back(std::string(measure_text(m, lang)) + " p5");
      head.push_back(std::string(measure_text(m, lang)) + " p95");
    }
  const auto id_col = static_cast<lxw_col_t>(head.size());
  head.push_back(T(lang, Msg::wb_variant_id));
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
    sh.variant(row, id_col, s.variants[v].shown(lang), s.variants[v].id);
    sh.text(row, 1, r.accounts.id[a]);
    sh.text(row, 2, account_label(r, a, lang));
    sh.text(row, 3, kind_text(r.accounts.kind[a], lang));
    if (y == horizon_key) {
      sh.text(row, 4, T(lang, Msg::wb_total));
      sh.text(row, 5, T(lang, Msg::wb_whole_horizon));
    } else if (calendar_axis) {
      // The calendar year, and how many of its months the run simulates (a part year: fewer).
      sh.number(row, 4, calendar.year_at(y), Unit::general); // 2024, not 2.024
      sh.number(row, 5, calendar.months_in(y), Unit::count);
    } else {
      sh.number(row, 4, y + 1, Unit::count);
      sh.text(row, 5, project_year_label(s, y, lang == Language::da ? " \u2013 " : " to "));
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
  block(T(lang, Msg::wb_whole_horizon_per_department_not_part),
        [&](const Key& k) { return is_department(k) && is_horizon(k); });
  block(T(lang, Msg::wb_subtotals_financing_levels_the_public_sector),
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
void pivot_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  const BudgetCalendar calendar(s.run);
  Sheet sh = book.sheet(T(lang, Msg::wb_pivot_data));
  sh.header(0, {T(lang, Msg::variant), T(lang, Msg::wb_variant_description),
                T(lang, Msg::department), T(lang, Msg::wb_department_name),
                T(lang, Msg::wb_financing_level), T(lang, Msg::wb_budget_year), T(lang, Msg::wb_months),
                T(lang, Msg::measure), T(lang, Msg::wb_value_mean), T(lang, Msg::wb_variant_id)});
  constexpr lxw_col_t pivot_id_col = 9;
  lxw_row_t row = 1;
  for (const MoneyRow& m : r.money_by_budget_year) {
    if (r.accounts.kind[m.account] != AccountKind::department || !adds_up(m.measure)) continue;
    const Department& d = s.departments[m.account];
    sh.variant(row, pivot_id_col, s.variants[m.variant].shown(lang), s.variants[m.variant].id);
    sh.text(row, 1, s.variants[m.variant].description.in(lang));
    sh.text(row, 2, d.id);
    sh.text(row, 3, d.name.in(lang));
    sh.text(row, 4, level_text(d.level, lang));
    sh.number(row, 5, calendar.year_at(m.year), Unit::general);
    sh.number(row, 6, calendar.months_in(m.year), Unit::count);
    sh.text(row, 7, name(m.measure));
    sh.number(row, 8, m.stat.mean, unit_of(info(m.measure).kind));
    ++row;
  }
  sh.finish(1, 0);
  sh.autofilter(0, 0, row - 1, pivot_id_col);
}

// --- Budget period -----------------------------------------------------------------------

/// The budget-period table as a finance department lays it out: one row per variant,
/// account and line, the budget year and its overslagsår across, 1.000 kr.
void budget_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  const int B = r.budget_year;
  Sheet sh = book.sheet("Budget");
  sh.text(0, 0, format_message(lang, Msg::wb_budget_title,
                               {std::to_string(B), std::to_string(B + 1), std::to_string(B + overslag_years)}),
          book.formats().title);
  sh.text(1, 0, format_message(lang, Msg::wb_budget_note, {budget_price_level(r, lang)}), book.formats().note);
  std::vector<std::string> head{T(lang, Msg::variant), T(lang, Msg::account),
                                T(lang, Msg::wb_account_name), T(lang, Msg::wb_kind), T(lang, Msg::wb_line)};
  for (int k = 0; k <= overslag_years; ++k) {
    const int months = r.budget.empty() ? 12 : r.budget_at(r.budget.front().variant, 0, B + k, BudgetLine::net).months;
    head.push_back(std::to_string(B + k) + (months == 0   ? T(lang, Msg::wb_beyond_the_horizon)
                                            : months < 12 ? T(lang, Msg::wb_part_year)
                                                          : ""));
  }
  const auto id_col = static_cast<lxw_col_t>(head.size());
  head.push_back(T(lang, Msg::wb_variant_id));
  sh.header(3, head);
  lxw_row_t row = 4;
  for (const BudgetRow& first : r.budget) {
    // One block per (variant, account), at the price level shown.
    if (first.year != B || first.line != BudgetLine::investment || first.prices != r.budget_prices) continue;
    for (const auto& entry : budget_line_names) {
      sh.variant(row, id_col, s.variants[first.variant].shown(lang), s.variants[first.variant].id);
      sh.text(row, 1, r.accounts.id[first.account]);
      sh.text(row, 2, account_label(r, first.account, lang));
      sh.text(row, 3, kind_text(r.accounts.kind[first.account], lang));
      sh.text(row, 4, line_text(entry.value, lang));
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
void flows_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet(T(lang, Msg::wb_flows));
  sh.header(0, {T(lang, Msg::variant), T(lang, Msg::wb_investor), T(lang, Msg::wb_investor_name),
                T(lang, Msg::wb_harvester), T(lang, Msg::wb_harvester_name),
                T(lang, Msg::wb_savings_allocated_present_value_mean), T(lang, Msg::wb_variant_id)});
  constexpr lxw_col_t flows_id_col = 6;
  lxw_row_t row = 1;
  for (const auto& vs : r.variants)
    for (std::size_t i = 0; i < vs.flows.size(); ++i)
      for (std::size_t h = 0; h < vs.flows[i].size(); ++h) {
        sh.variant(row, flows_id_col, s.variants[vs.variant].shown(lang), s.variants[vs.variant].id);
        sh.text(row, 1, r.accounts.id[i]);
        sh.text(row, 2, account_label(r, static_cast<int>(i), lang));
        sh.text(row, 3, r.accounts.id[h]);
        sh.text(row, 4, account_label(r, static_cast<int>(h), lang));
        sh.number(row, 5, vs.flows[i][h], Unit::money);
        ++row;
      }
  sh.finish(1, 0);
  sh.autofilter(0, 0, row - 1, flows_id_col);
}

// --- Outcomes and targets ----------------------------------------------------------------
void outcomes_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet(T(lang, Msg::wb_outcomes_and_targets));
  sh.header(0, {T(lang, Msg::variant), T(lang, Msg::target_3), T(lang, Msg::wb_indicator),
                T(lang, Msg::group), T(lang, Msg::wb_year), T(lang, Msg::wb_at_least), T(lang, Msg::wb_at_most),
                T(lang, Msg::wb_probability_reached),
                T(lang, Msg::wb_probability_without_the_project), T(lang, Msg::wb_mean), "P5",
                T(lang, Msg::median), "P95", T(lang, Msg::wb_variant_id)});
  constexpr lxw_col_t targets_id_col = 13, outcomes_id_col = 12;
  lxw_row_t row = 1;
  for (const auto& t : r.targets) {
    const Target& tg = s.targets[t.target];
    sh.variant(row, targets_id_col, s.variants[t.variant].shown(lang), s.variants[t.variant].id);
    sh.text(row, 1, tg.text.in(lang));
    sh.text(row, 2, s.indicators[tg.indicator].id);
    sh.text(row, 3, group_text(tg.among, lang));
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
  if (r.targets.empty()) sh.text(row++, 0, T(lang, Msg::wb_the_scenario_sets_no_targets), book.formats().note);
  const lxw_row_t targets_end = row;
  row += 1;
  const lxw_row_t head = row;
  sh.header(head, {T(lang, Msg::variant), T(lang, Msg::wb_kind), T(lang, Msg::wb_item), T(lang, Msg::wb_label),
                   T(lang, Msg::group), T(lang, Msg::wb_year), T(lang, Msg::measure), T(lang, Msg::wb_mean),
                   T(lang, Msg::wb_std_error_mc), "P5", T(lang, Msg::median), "P95", T(lang, Msg::wb_variant_id)});
  row = head + 1;
  std::map<std::string, std::string> labels;
  for (const auto& ind : s.indicators) labels[ind.id] = ind.label.in(lang);
  for (const auto& o : r.outcomes) {
    if (row >= max_rows) break;
    sh.variant(row, outcomes_id_col, s.variants[o.variant].shown(lang), s.variants[o.variant].id);
    sh.text(row, 1, outcome_kind_text(o.kind, lang));
    sh.text(row, 2, o.item);
    if (o.kind == OutcomeKind::indicator) sh.text(row, 3, labels[o.item]);
    sh.text(row, 4, group_text(o.group, lang));
    sh.number(row, 5, o.year + 1, Unit::count);
    sh.text(row, 6, outcome_measure_text(o.measure, lang));
    stat_cells(sh, row, 7, o.stat, o.kind == OutcomeKind::indicator ? Unit::share : Unit::decimal);
    ++row;
  }
  // Targets are few: keep them and the outcomes header in view; otherwise only the header.
  sh.finish(targets_end <= 12 ? head + 1 : 1, 0);
  sh.autofilter(head, 0, row - 1, outcomes_id_col);
}

// --- Per iteration -----------------------------------------------------------------------
void iterations_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet(T(lang, Msg::wb_per_iteration));
  std::vector<std::string> head{T(lang, Msg::variant), T(lang, Msg::wb_iteration)};
  for (const auto& id : r.accounts.id) head.push_back("npv:" + id);
  const auto id_col = static_cast<lxw_col_t>(head.size());
  head.push_back(T(lang, Msg::wb_variant_id));
  sh.header(0, head);
  lxw_row_t row = 1;
  for (const auto& it : r.per_iteration) {
    if (row >= max_rows - 1) {
      sh.text(row, 0, T(lang, Msg::wb_more_iterations_than_a_sheet_can),
              book.formats().note);
      ++row;
      break;
    }
    const Variant& v = s.variants[static_cast<int>(it[0])];
    sh.variant(row, id_col, v.shown(lang), v.id);
    sh.number(row, 1, it[1], Unit::count);
    for (std::size_t k = 2; k < it.size(); ++k) sh.number(row, static_cast<lxw_col_t>(k), it[k], Unit::money);
    ++row;
  }
  sh.finish(1, 2);
  sh.autofilter(0, 0, row - 1, static_cast<lxw_col_t>(head.size() - 1));
}

// --- Assumptions -------------------------------------------------------------------------
void assumptions_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet(T(lang, Msg::wb_assumptions));
  // The rows and their words from report/assumptions.hpp (as report.html's); the key path
  // last, the technical column.
  sh.header(0, {T(lang, Msg::as_col_what), T(lang, Msg::wb_distribution), T(lang, Msg::as_col_unit),
                T(lang, Msg::as_col_price_year), T(lang, Msg::wb_kind), T(lang, Msg::wb_central_value_median),
                T(lang, Msg::wb_mean), T(lang, Msg::source), T(lang, Msg::as_col_backing), T(lang, Msg::as_col_key_path)});
  constexpr Msg backing_word[] = {Msg::as_backing_source, Msg::as_backing_guess, Msg::as_backing_none};
  lxw_row_t row = 1;
  for (const AssumptionRow& a : assumption_rows(s, lang)) {
    sh.text(row, 0, a.label);
    if (a.quantity) {
      const Distribution& d = a.quantity->dist;
      if (d.is_fixed())
        sh.number(row, 1, d.a, Unit::general);
      else
        sh.text(row, 1, d.describe());
      sh.text(row, 4, distribution_kind_name(d.kind));
      sh.number(row, 5, d.central(), Unit::general);
      sh.number(row, 6, d.mean(), Unit::general);
    } else if (a.dirichlet) {
      std::string counts;
      const Domain& dom = s.domains[static_cast<std::size_t>(a.domain)];
      for (std::size_t i = 0; i < a.dirichlet->alpha.size(); ++i) {
        if (i) counts += ", ";
        const int to = i < a.band->destinations.size() ? a.band->destinations[i] : -1;
        counts += (to >= 0 && to < static_cast<int>(dom.states.size()) ? dom.states[static_cast<std::size_t>(to)]
                                                                        : std::string(T(lang, Msg::stay))) +
                  " " + exact_number(a.dirichlet->alpha[i]);
      }
      sh.text(row, 1, "dirichlet(" + counts + ")");
      sh.text(row, 4, "dirichlet");
    }
    sh.text(row, 2, a.unit);
    if (a.price_year) sh.number(row, 3, a.price_year, Unit::general);
    sh.text(row, 7, a.source);
    sh.text(row, 8, T(lang, backing_word[static_cast<int>(a.backing)]));
    sh.text(row, 9, a.path);
    ++row;
  }
  const lxw_row_t last = row - 1;
  row += 1;
  sh.header(row++, {T(lang, Msg::setting), T(lang, Msg::value)});
  sh.text(row, 0, T(lang, Msg::wb_discount_rate_rate_from_year));
  sh.text(row++, 1, discount_text(s, lang));
  sh.text(row, 0, T(lang, Msg::wb_cycle_months));
  sh.number(row++, 1, s.run.cycle_months, Unit::count);
  // The haircut on effects (EffectHaircut): the scenario's, then each intervention's own.
  if (s.run.effect_haircut.used()) {
    sh.text(row, 0, T(lang, Msg::wb_effect_haircut_share_of_each_log) +
                        s.run.effect_haircut.source + ")");
    sh.number(row++, 1, s.run.effect_haircut.share, Unit::share);
  }
  for (const auto& v : s.variants)
    for (const auto& iv : v.interventions)
      if (iv.effect_haircut) {
        sh.text(row, 0, T(lang, Msg::wb_effect_haircut) + v.id + "." + iv.id + " (" +
                            iv.effect_haircut->source + ")");
        sh.number(row++, 1, iv.effect_haircut->share, Unit::share);
      }
  for (const auto& rr : s.reimbursements) {
    std::string steps;
    for (std::size_t i = 0; i < rr.state_share.size(); ++i) {
      if (i) steps += "; ";
      steps += exact_number(rr.state_share[i]) +
               (i < rr.weeks.size() ? T(lang, Msg::wb_to_week) + exact_number(rr.weeks[i]) : T(lang, Msg::wb_after));
    }
    sh.text(row, 0, format_message(lang, Msg::wb_reimbursement_setting, {rr.id}));
    sh.text(row++, 1, steps);
  }
  for (const auto& d : s.departments) {
    sh.text(row, 0, T(lang, Msg::wb_department_2) + d.id);
    sh.text(row++, 1, d.name.in(lang) + " (" + level_text(d.level, lang) + ")");
  }
  sh.set_width(0, 60);
  sh.set_width(1, 44);
  sh.finish(1, 0);
  sh.autofilter(0, 0, last, 9);
}

// --- Manifest ----------------------------------------------------------------------------
// --- Evidence ----------------------------------------------------------------------------
/// The hazard ratios solved for net-success-rate effects (mean and 90 % interval over the
/// iterations, as summary.json has them) and, with run --evidence-shares, how much of each
/// variant's net present value rests on each evidence grade. Only when there is one of them.
bool has_evidence(const Results& r) {
  if (!r.evidence_shares.empty()) return true;
  for (const auto& vs : r.variants)
    if (!vs.solved_hazard_ratios.empty()) return true;
  return false;
}

void evidence_sheet(Book& book, const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  static constexpr Msg grade_text[] = {Msg::grade_randomised_trial, Msg::grade_quasi_experimental, Msg::grade_before_after,
                                       Msg::grade_expert_guess};
  static_assert(std::size(grade_text) == evidence_grade_count, "a text for every evidence grade");
  Sheet sh = book.sheet(T(lang, Msg::wb_sheet_evidence));
  sh.text(0, 0, T(lang, Msg::wb_evidence_title), book.formats().note);
  sh.header(1, {T(lang, Msg::variant), T(lang, Msg::wb_evidence_effect), T(lang, Msg::wb_indicator), T(lang, Msg::wb_year),
                T(lang, Msg::wb_evidence_target), T(lang, Msg::wb_evidence_hr_mean), T(lang, Msg::wb_evidence_hr_p5),
                T(lang, Msg::wb_evidence_hr_p95), T(lang, Msg::wb_evidence_grade), T(lang, Msg::source),
                T(lang, Msg::wb_variant_id)});
  constexpr lxw_col_t rates_id_col = 10, shares_id_col = 4;
  lxw_row_t row = 2;
  for (const auto& vs : r.variants) {
    const auto rates = s.variants[vs.variant].success_rate_effects();
    for (std::size_t k = 0; k < rates.size() && k < vs.solved_hazard_ratios.size(); ++k) {
      const Effect& e = *rates[k];
      const SuccessRate& sr = *e.success_rate;
      const Stat& hr = vs.solved_hazard_ratios[k];
      sh.variant(row, rates_id_col, s.variants[vs.variant].shown(lang), s.variants[vs.variant].id);
      sh.text(row, 1, sr.name + " (" + success_rate_via(s, sr) + ")");
      sh.text(row, 2, s.indicators[static_cast<std::size_t>(sr.indicator)].id);
      sh.number(row, 3, sr.at_month / 12, Unit::count); // the project year it is measured at the end of
      sh.number(row, 4, e.value.dist.mean(), Unit::share);
      sh.number(row, 5, hr.mean, Unit::ratio);
      sh.number(row, 6, hr.p5, Unit::ratio);
      sh.number(row, 7, hr.p95, Unit::ratio);
      sh.text(row, 8, T(lang, grade_text[static_cast<int>(e.grade)]));
      sh.text(row, 9, e.evidence_source);
      ++row;
    }
  }
  if (!r.evidence_shares.empty()) {
    row += 1;
    sh.text(row++, 0, T(lang, Msg::wb_evidence_shares_title), book.formats().note);
    sh.header(row++, {T(lang, Msg::variant), T(lang, Msg::wb_evidence_grade), T(lang, Msg::wb_evidence_share),
                      T(lang, Msg::wb_evidence_lost), T(lang, Msg::wb_variant_id)});
    for (const auto& share : r.evidence_shares)
      for (int g = 0; g < evidence_grade_count; ++g) {
        const double without = share.npv_without[static_cast<std::size_t>(g)];
        if (std::isnan(without)) continue; // no effect of that grade
        sh.variant(row, shares_id_col, s.variants[share.variant].shown(lang), s.variants[share.variant].id);
        sh.text(row, 1, T(lang, grade_text[g]));
        sh.number(row, 2, share.share(g), Unit::share);
        sh.number(row, 3, share.npv_all - without, Unit::money);
        ++row;
      }
  }
  sh.set_width(1, 40);
  sh.set_width(9, 50);
  sh.finish(2, 0); // the first table's header stays in view
}

void manifest_sheet(Book& book, const Results& r, const Manifest& m, Language lang) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet(T(lang, Msg::manifest)); // "Kørselsdata", as the report calls it
  sh.header(0, {T(lang, Msg::wb_item), T(lang, Msg::value)});
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
  put(T(lang, Msg::wb_scenario), s.id);
  put(T(lang, Msg::wb_title), s.title.in(lang));
  put(T(lang, Msg::wb_description_2), s.description.in(lang));
  put(T(lang, Msg::wb_scenario_file), m.scenario_file);
  put(T(lang, Msg::wb_scenario_hash), m.scenario_hash.empty() ? s.content_hash : m.scenario_hash);
  for (const auto& f : m.files) put(T(lang, Msg::wb_file_read), f);
  put(T(lang, Msg::start), s.run.start.text());
  put_number(T(lang, Msg::wb_horizon_years), s.run.horizon_years, Unit::count);
  put_number(T(lang, Msg::wb_cycle_months), s.run.cycle_months, Unit::count);
  put_number(T(lang, Msg::wb_price_year), s.run.price_year, Unit::general);
  put(T(lang, Msg::wb_currency), s.run.currency);
  put(T(lang, Msg::wb_discount_rate_rate_from_year), discount_text(s, lang));
  put(T(lang, Msg::wb_engine_version), m.engine_version);
  put(T(lang, Msg::wb_engine_commit), m.engine_commit);
  put(T(lang, Msg::wb_seed), std::to_string(m.seed));
  put(T(lang, Msg::wb_parameter_uncertainty),
      m.central ? T(lang, Msg::wb_off_central_every_parameter_at_its)
                : T(lang, Msg::wb_on_each_iteration_draws_the_parameters));
  std::string variants;
  for (const auto& v : m.variants) variants += (variants.empty() ? "" : ", ") + v;
  if (!variants.empty()) put(T(lang, Msg::wb_variants_run), variants);
  if (!m.formats.empty()) put(T(lang, Msg::wb_formats), m.formats);
  if (!m.scenario_path.empty()) put(T(lang, Msg::wb_scenario_path), m.scenario_path);
  put(T(lang, Msg::wb_transfers_neutralised),
      r.neutralised() ? T(lang, Msg::wb_on_the_neutralised_share_of_transfer)
                      : T(lang, Msg::wb_off_the_municipality_keeps_its_transfer));
  put(T(lang, Msg::wb_budget_period_table),
      T(lang, Msg::wb_budget_year_2) + std::to_string(r.budget_year) + ", " + budget_price_level(r, lang));
  put_number(T(lang, Msg::iterations_2), m.iterations, Unit::count);
  put_number(T(lang, Msg::wb_threads), m.threads, Unit::count);
  put_number(T(lang, Msg::wb_seconds), m.seconds, Unit::decimal);
  put(T(lang, Msg::wb_started_at_utc), m.started_at);
  put(T(lang, Msg::wb_command_line), m.command_line);
  sh.set_width(0, 30);
  sh.set_width(1, 80);
  sh.finish(1, 0);
}

} // namespace

void write_workbook(const std::string& path, const Results& results, const Manifest& manifest) {
  if (!results.scenario) throw IoError("cannot write workbook '" + path + "': no results");
  const Scenario& s = *results.scenario;
  const Language lang = manifest.lang == "da" ? Language::da : Language::en;
  write_book(path, s.title.empty() ? s.id : s.title.in(lang), T(lang, Msg::wb_socinvest_results),
             parse_utc(manifest.started_at), lang, [&](Book& book) {
    summary_sheet(book, results, lang);
    budget_sheet(book, results, lang);
    money_sheet(book, results, YearAxis::calendar, lang);
    money_sheet(book, results, YearAxis::project, lang);
    pivot_sheet(book, results, lang);
    flows_sheet(book, results, lang);
    outcomes_sheet(book, results, lang);
    iterations_sheet(book, results, lang);
    assumptions_sheet(book, results, lang);
    manifest_sheet(book, results, manifest, lang);
    // Last, so the other sheets keep their places (sheet1..sheet10.xml).
    repricing_sheets(book, results, lang);
    // After them, only when a net success rate or evidence shares are there: the workbooks of
    // runs without keep their sheets as they were.
    if (has_evidence(results)) evidence_sheet(book, results, lang);
  });
}

} // namespace socinvest
