#include <socinvest/report/tables.hpp>

#include <socinvest/montecarlo/success_rate.hpp>

#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/report/messages.hpp>

#include "report/html_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace socinvest {

namespace {

const char* statistics[] = {"mean", "se", "p5", "p50", "p95"};

double stat_value(const Stat& s, int k) {
  switch (k) {
  case 0: return s.mean;
  case 1: return s.se;
  case 2: return s.p5;
  case 3: return s.p50;
  default: return s.p95;
  }
}

std::string variant_id(const Results& r, int v) { return csv_text(r.scenario->variants[v].id); }

/// `"name": ` of a figure in summary.json.
std::string key(Headline h) { return json_string(name(h)) + ": "; }
std::string key(Measure m) { return json_string(name(m)) + ": "; }

std::string stat_json(const Stat& s) {
  return "{\"mean\": " + json_number(s.mean) + ", \"se\": " + json_number(s.se) + ", \"p5\": " + json_number(s.p5) +
         ", \"p50\": " + json_number(s.p50) + ", \"p95\": " + json_number(s.p95) + ", \"n\": " + std::to_string(s.n) + "}";
}

} // namespace

MonthSpan project_year_months(const Scenario& s, int year) {
  const int first = s.run.start.index() + 12 * year, last = first + 11;
  return {{first / 12, first % 12 + 1}, {last / 12, last % 12 + 1}};
}

std::string project_year_label(const Scenario& s, int year, const char* between) {
  const MonthSpan span = project_year_months(s, year);
  return span.first.text() + between + span.last.text();
}

std::string money_csv(const Results& r) {
  // Calendar budget years first (the primary axis; a part year says how many months it
  // has), then the whole horizon ("total", all its months), per variant and account.
  std::string out = "variant,account,account_kind,year,months,measure,statistic,value\n";
  const BudgetCalendar calendar(r.scenario->run);
  auto line = [&](int v, int a, const std::string& year, int months, Measure m, const Stat& st) {
    const std::string prefix = variant_id(r, v) + "," + csv_text(r.accounts.id[a]) + "," + to_string(r.accounts.kind[a]) +
                               "," + year + "," + std::to_string(months) + "," + name(m) + ",";
    for (int k = 0; k < 5; ++k) out += prefix + statistics[k] + "," + exact_number(stat_value(st, k)) + "\n";
  };
  for (const auto& vs : r.variants)
    for (int a = 0; a < r.accounts.size(); ++a) {
      for (int c = 0; c < calendar.years(); ++c)
        for (const MeasureInfo& m : money_measures)
          if (m.per_year)
            line(vs.variant, a, std::to_string(calendar.year_at(c)), calendar.months_in(c), m.measure,
                 r.money_in_budget_year(vs.variant, a, calendar.year_at(c), m.measure));
      for (const MeasureInfo& m : money_measures)
        if (m.horizon) line(vs.variant, a, "total", calendar.months, m.measure, r.money_at(vs.variant, a, -1, m.measure));
    }
  return out;
}

std::string money_project_years_csv(const Results& r) {
  std::string out = "variant,account,account_kind,project_year,period,measure,statistic,value\n";
  for (const auto& row : r.money) {
    if (row.year < 0) continue; // the whole horizon: in money.csv
    const std::string prefix = variant_id(r, row.variant) + "," + csv_text(r.accounts.id[row.account]) + "," +
                               to_string(r.accounts.kind[row.account]) + "," + std::to_string(row.year + 1) + "," +
                               project_year_label(*r.scenario, row.year, " to ") + "," + name(row.measure) + ",";
    for (int k = 0; k < 5; ++k) out += prefix + statistics[k] + "," + exact_number(stat_value(row.stat, k)) + "\n";
  }
  return out;
}

std::string budget_csv(const Results& r, BudgetPrices prices) {
  std::string out = "variant,account,account_kind,budget_year,period,months,line,statistic,value_1000_kr\n";
  for (const auto& row : r.budget) {
    if (row.prices != prices) continue;
    const int k = row.year - r.budget_year;
    const std::string prefix = variant_id(r, row.variant) + "," + csv_text(r.accounts.id[row.account]) + "," +
                               to_string(r.accounts.kind[row.account]) + "," + std::to_string(row.year) + "," +
                               (k == 0 ? std::string("B") : "B+" + std::to_string(k)) + "," +
                               std::to_string(row.months) + "," + name_of(row.line) + ",";
    for (int st = 0; st < 5; ++st)
      out += prefix + statistics[st] + "," + exact_number(stat_value(row.stat, st) / 1000.0) + "\n";
  }
  return out;
}

namespace {
std::string wrapped(const std::string& raw, std::size_t width, const std::string& indent);
} // namespace

namespace {

/// A department's name for people (its `name`, else its id), printable; a name too long for
/// `width` columns loses its explanation in parentheses ("Staten (refusion, statsskat)":
/// "Staten") before it is cut.
std::string account_label(const Results& r, int a, std::size_t width, Language lang) {
  std::string name = printable(socinvest::account_label(r, a, lang)); // the named one below, in the reader's language
  const auto paren = name.find(" (");
  if (display_width(name) > width && paren != std::string::npos && paren > 0) name.resize(paren);
  return fit(name, width);
}

/// An expenditure type in the reader's words.
const char* expenditure_type_word(ExpenditureType t, Language lang) {
  switch (t) {
  case ExpenditureType::service: return T(lang, Msg::service);
  case ExpenditureType::transfer: return T(lang, Msg::transfer);
  case ExpenditureType::capital: return T(lang, Msg::capital);
  case ExpenditureType::tax: return T(lang, Msg::tax);
  case ExpenditureType::count: break;
  }
  return "";
}

/// Right-aligned in `width` characters (by characters, so æ, ø, å count as one).
std::string fit_right(std::string_view text, std::size_t width) {
  const std::size_t w = display_width(text);
  return w >= width ? fit(text, width) : std::string(width - w, ' ') + std::string(text);
}

} // namespace

std::string budget_price_level(const Results& r, Language lang) {
  const RunSettings& run = r.scenario->run;
  if (r.budget_prices == BudgetPrices::fixed)
    return format_message(lang, Msg::wb_fixed_prices, {std::to_string(run.price_year)});
  const std::string source = run.price_projection.source.empty() ? std::string() : ": " + run.price_projection.source;
  return format_message(lang, Msg::wb_current_prices, {source});
}

std::string account_label(const Results& r, int a, Language lang) {
  const Accounts& A = r.accounts;
  if (a == A.level(FinancingLevel::municipality)) return T(lang, Msg::municipality_3);
  if (a == A.level(FinancingLevel::region)) return T(lang, Msg::wb_region);
  if (a == A.level(FinancingLevel::state)) return T(lang, Msg::wb_state_2);
  if (a == A.level(FinancingLevel::external))
    return T(lang, Msg::wb_external_funds_housing_associations);
  if (a == A.public_sector())
    return T(lang, Msg::wb_public_sector_municipality_region_and_state);
  if (a == A.total()) return T(lang, Msg::wb_total_all_parties);
  const std::string& n = A.name[static_cast<std::size_t>(a)].in(lang);
  return n.empty() ? A.id[static_cast<std::size_t>(a)] : n;
}

std::string budget_table_text(const Results& r, int v, Language lang) {
  const int B = r.budget_year;
  std::ostringstream o;
  char line[256];
  o << wrapped(printable(T(lang, Msg::budget) + std::to_string(B) + T(lang, Msg::and_overslags_r) +
                         std::to_string(B + 1) + "-" + std::to_string(B + overslag_years) + T(lang, Msg::n1_000_kr) +
                         budget_price_level(r, lang) + T(lang, Msg::not_discounted)),
               78, "  ")
    << T(lang, Msg::more_spending_merudgift_less_spending_mindreudgift);
  o << "  " << fit(T(lang, Msg::account_net), 22);
  bool part = false, beyond = false;
  for (int k = 0; k <= overslag_years; ++k) {
    const int months = r.budget_at(v, 0, B + k, BudgetLine::net).months;
    part = part || (months > 0 && months < 12);
    beyond = beyond || months == 0;
    std::snprintf(line, sizeof line, " %12s", (std::to_string(B + k) + (months > 0 && months < 12 ? "*" : "")).c_str());
    o << line;
  }
  o << "\n";
  std::vector<int> rows;
  for (int a = 0; a < r.accounts.departments; ++a) rows.push_back(a);
  rows.push_back(r.accounts.level(FinancingLevel::municipality));
  rows.push_back(r.accounts.total());
  for (const int a : rows) {
    const std::string label = a == r.accounts.total() ? std::string(T(lang, Msg::total))
                              : a < r.accounts.departments ? account_label(r, a, 22, lang)
                                                           : std::string(T(lang, Msg::municipality));
    std::snprintf(line, sizeof line, "  %s", fit(label, 22).c_str());
    o << line;
    for (int k = 0; k <= overslag_years; ++k) {
      const BudgetRow& cell = r.budget_at(v, a, B + k, BudgetLine::net);
      std::snprintf(line, sizeof line, " %12s", cell.months == 0 ? "-" : grouped(cell.stat.mean / 1000.0, lang).c_str());
      o << line;
    }
    o << "\n";
  }
  // The municipality's change by expenditure type: service counts against the servicerammen.
  const int M = r.accounts.level(FinancingLevel::municipality);
  for (const auto& entry : expenditure_type_names) {
    const std::string label = std::string(T(lang, Msg::of_which)) + expenditure_type_word(entry.value, lang);
    std::snprintf(line, sizeof line, "  %s", fit(label, 22).c_str());
    o << line;
    for (int k = 0; k <= overslag_years; ++k) {
      const BudgetRow& cell = r.budget_at(v, M, B + k, budget_line(entry.value));
      std::snprintf(line, sizeof line, " %12s", cell.months == 0 ? "-" : grouped(cell.stat.mean / 1000.0, lang).c_str());
      o << line;
    }
    o << "\n";
  }
  o << wrapped(T(lang, Msg::of_which_the_municipality_by_expenditure_type),
               76, "  ");
  if (has_freed_capacity(*r.scenario)) {
    std::snprintf(line, sizeof line, "  %s", fit(T(lang, Msg::freed_capacity), 22).c_str());
    o << line;
    for (int k = 0; k <= overslag_years; ++k) {
      const BudgetRow& cell = r.budget_at(v, M, B + k, BudgetLine::freed_capacity);
      std::snprintf(line, sizeof line, " %12s", cell.months == 0 ? "-" : grouped(cell.stat.mean / 1000.0, lang).c_str());
      o << line;
    }
    o << "\n"
      << wrapped(T(lang, Msg::freed_capacity_the_municipality_s_places_and),
                 76, "  ");
  }
  if (part) o << T(lang, Msg::part_year_the_run_simulates_only_some);
  if (beyond) o << T(lang, Msg::beyond_the_horizon);
  return o.str();
}

std::vector<std::string> budget_rules_text(const Results& r, Language lang) {
  const Scenario& s = *r.scenario;
  std::vector<std::string> out;
  // Every cost line, state and transition costs alike.
  std::vector<const CostLine*> lines;
  for (const auto& c : s.state_costs)
    for (const auto& l : c.lines) lines.push_back(&l);
  for (const auto& c : s.transition_costs)
    for (const auto& l : c.lines) lines.push_back(&l);
  int tax = 0, equalised = 0, neutralisable = 0;
  std::vector<std::pair<double, int>> shares; // (equalisation share, department), distinct
  double lowest = 1.0, highest = 0.0;
  for (const CostLine* l : lines) {
    if (l->type == ExpenditureType::tax) ++tax;
    if (l->equalisation && l->equalisation->share > 0.0) {
      ++equalised;
      const std::pair<double, int> key{l->equalisation->share, l->equalisation->to};
      if (std::find(shares.begin(), shares.end(), key) == shares.end()) shares.push_back(key);
    }
    if (l->neutralised_share > 0.0) {
      ++neutralisable;
      lowest = std::min(lowest, l->neutralised_share);
      highest = std::max(highest, l->neutralised_share);
    }
  }
  auto dept = [&](int d) { return s.departments[d].name.empty() ? s.departments[d].id : s.departments[d].name.in(lang); };
  if (equalised > 0) {
    std::string list;
    for (std::size_t i = 0; i < shares.size(); ++i)
      list += (i ? "; " : "") + percent(shares[i].first, lang, 0) + T(lang, Msg::to) + dept(shares[i].second);
    out.push_back(format_message(lang, Msg::wb_rule_tax_equalised, {std::to_string(equalised), list}));
  } else if (tax > 0) {
    out.push_back(T(lang, Msg::wb_rule_tax_gross));
  }
  const std::string range = lowest == highest ? percent(lowest, lang, 0) : percent(lowest, lang, 0) + "–" + percent(highest, lang, 0);
  if (r.neutralised()) {
    if (neutralisable > 0)
      out.push_back(format_message(lang, Msg::wb_rule_neutralised, {range, std::to_string(neutralisable)}));
    else
      out.push_back(T(lang, Msg::wb_rule_neutralised_none));
  } else if (neutralisable > 0) {
    out.push_back(format_message(lang, Msg::wb_rule_not_neutralised, {std::to_string(neutralisable), range}));
  }
  // Capacity steps: the rule a reader must know to read a saving that comes late and in
  // whole units (scenarios/README.md § 11.1, `facility`).
  for (const auto& c : s.state_costs)
    for (const auto& l : c.lines) {
      if (!l.facility) continue;
      const Facility& f = *l.facility;
      const std::string state = s.domains[c.domain].id + "." + s.domains[c.domain].states[c.state];
      out.push_back(format_message(lang, Msg::wb_rule_capacity_steps,
                                   {state, dept(l.department), std::to_string(f.places), std::to_string(f.step),
                                    std::to_string(f.months_empty)}));
    }
  return out;
}

std::string serviceramme_text(const Results& r, int v, Language lang) {
  const int B = r.budget_year, M = r.accounts.level(FinancingLevel::municipality);
  const BudgetRow& service = r.budget_at(v, M, B, BudgetLine::service);
  if (service.months == 0) return "";
  auto amount = [&](BudgetLine line) {
    const double x = r.budget_at(v, M, B, line).stat.mean;
    return (x > 0 ? "+" : "") + money_short(x, lang);
  };
  std::string text = format_message(lang, Msg::wb_rule_serviceramme,
                                    {std::to_string(B), amount(BudgetLine::service), amount(BudgetLine::transfer),
                                     amount(BudgetLine::capital), amount(BudgetLine::tax)});
  const double s = service.stat.mean, t = r.budget_at(v, M, B, BudgetLine::transfer).stat.mean;
  if (s > 0 && t < 0)
    text += T(lang, Msg::wb_rule_serviceramme_no_room);
  return text;
}

bool has_freed_capacity(const Scenario& s) {
  for (const auto& c : s.state_costs)
    for (const auto& l : c.lines)
      if (l.cashable_share < 1.0 || l.facility) return true; // a facility's empty places are capacity too
  return false;
}

std::string freed_capacity_text(const Results& r, int v, Language lang) {
  if (!has_freed_capacity(*r.scenario)) return "";
  const bool da = lang == Language::da;
  const int M = r.accounts.level(FinancingLevel::municipality);
  const double kr = r.money_at(v, M, -1, Measure::freed_capacity).mean,
               pv = r.money_at(v, M, -1, Measure::freed_capacity_pv).mean,
               places = r.money_at(v, M, -1, Measure::freed_places).mean;
  char years[64];
  std::snprintf(years, sizeof years, "%.1f", places);
  std::string y = years;
  if (da) std::replace(y.begin(), y.end(), '.', ',');
  return format_message(lang, Msg::wb_rule_freed_capacity, {money_short(kr, lang), money_short(pv, lang), y});
}

std::string outcomes_csv(const Results& r) {
  // By calendar budget year (the primary axis): indicators at the end of the year (the
  // horizon's end in a last part year), person-years and moves within it.
  const BudgetCalendar calendar(r.scenario->run);
  std::string out = "variant,kind,item,group,year,months,measure,statistic,value\n";
  for (const auto& row : r.outcomes_by_budget_year) {
    const std::string prefix = variant_id(r, row.variant) + "," + name(row.kind) + "," + csv_text(row.item) + "," +
                               name_of(row.group) + "," + std::to_string(calendar.year_at(row.year)) + "," +
                               std::to_string(calendar.months_in(row.year)) + "," + name(row.measure) + ",";
    for (int k = 0; k < 5; ++k) out += prefix + statistics[k] + "," + exact_number(stat_value(row.stat, k)) + "\n";
  }
  return out;
}

std::string outcomes_project_years_csv(const Results& r) {
  std::string out = "variant,kind,item,group,project_year,period,measure,statistic,value\n";
  for (const auto& row : r.outcomes) {
    const std::string prefix = variant_id(r, row.variant) + "," + name(row.kind) + "," + csv_text(row.item) + "," +
                               name_of(row.group) + "," + std::to_string(row.year + 1) + "," +
                               project_year_label(*r.scenario, row.year, " to ") + "," + name(row.measure) + ",";
    for (int k = 0; k < 5; ++k) out += prefix + statistics[k] + "," + exact_number(stat_value(row.stat, k)) + "\n";
  }
  return out;
}

std::string by_attribute_csv(const Results& r) {
  const Scenario& s = *r.scenario;
  const BudgetCalendar calendar(s.run);
  std::string out = "variant,attribute,category,kind,item,year,months,measure,statistic,value\n";
  for (const auto& row : r.by_attribute) {
    const Attribute& attribute = s.attributes[static_cast<std::size_t>(row.attribute)];
    const bool total = row.year < 0;
    const std::string prefix =
        variant_id(r, row.variant) + "," + csv_text(attribute.id) + "," +
        csv_text(attribute.categories[static_cast<std::size_t>(row.category)]) + "," + name_of(row.kind) + "," +
        csv_text(row.item) + "," + (total ? std::string("total") : std::to_string(calendar.year_at(row.year))) + "," +
        (total ? std::to_string(calendar.months) : std::to_string(calendar.months_in(row.year))) + "," +
        row.measure + ",";
    for (int k = 0; k < 5; ++k) out += prefix + statistics[k] + "," + exact_number(stat_value(row.stat, k)) + "\n";
  }
  return out;
}

/// targets.csv's year: the project year (3: its end), or the December of an at_budget_year
/// ("2026-12": the end of calendar year 2026).
static std::string target_year_column(const Target& tg) {
  return tg.at_budget_year != 0 ? std::to_string(tg.at_budget_year) + "-12" : std::to_string(tg.at_year);
}

std::string targets_csv(const Results& r) {
  const Scenario& s = *r.scenario;
  std::string out = "variant,target,indicator,group,year,at_least,at_most,probability,baseline_probability,mean,p5,p50,p95\n";
  for (const auto& t : r.targets) {
    const Target& tg = s.targets[t.target];
    out += variant_id(r, t.variant) + "," + csv_text(tg.text.in(Language::en)) + "," + csv_text(s.indicators[tg.indicator].id) + "," +
           name_of(tg.among) + "," + target_year_column(tg) + "," +
           exact_number(tg.at_least) + "," + exact_number(tg.at_most) + "," + exact_number(t.probability) + "," +
           exact_number(t.baseline_probability) + "," + exact_number(t.value.mean) + "," + exact_number(t.value.p5) + "," +
           exact_number(t.value.p50) + "," + exact_number(t.value.p95) + "\n";
  }
  return out;
}

std::string contracts_csv(const Results& r) {
  const Scenario& s = *r.scenario;
  std::string out = "variant,contract,payer,payee,measure,statistic,value\n";
  for (const auto& c : r.contracts) {
    const Contract& k = s.variants[c.variant].contracts[c.contract];
    const std::string head = variant_id(r, c.variant) + "," + csv_text(k.id) + "," + csv_text(s.departments[k.payer].id) +
                             "," + csv_text(s.departments[k.payee].id) + ",";
    out += head + "probability_triggered,mean," + exact_number(c.probability_triggered) + "\n";
    const std::pair<const char*, const Stat*> measures[] = {
        {"payment", &c.payment}, {"payment_pv", &c.payment_pv}, {"payee_return", &c.payee_return}, {"payer_npv", &c.payer_npv}};
    for (auto [name, st] : measures)
      for (int k2 = 0; k2 < 5; ++k2)
        out += head + name + "," + statistics[k2] + "," + exact_number(stat_value(*st, k2)) + "\n";
  }
  return out;
}

std::string flows_csv(const Results& r) {
  std::string out = "variant,investor,harvester,savings_pv_allocated_mean\n";
  for (const auto& vs : r.variants)
    for (std::size_t i = 0; i < vs.flows.size(); ++i)
      for (std::size_t h = 0; h < vs.flows[i].size(); ++h)
        out += variant_id(r, vs.variant) + "," + csv_text(r.accounts.id[i]) + "," + csv_text(r.accounts.id[h]) + "," +
               exact_number(vs.flows[i][h]) + "\n";
  return out;
}

std::string per_iteration_csv(const Results& r) {
  std::string out = "variant,iteration";
  for (const auto& id : r.accounts.id) out += ",npv:" + csv_text(id);
  out += "\n";
  for (const auto& row : r.per_iteration) {
    out += variant_id(r, static_cast<int>(row[0])) + "," + exact_number(row[1]);
    for (std::size_t k = 2; k < row.size(); ++k) out += "," + exact_number(row[k]);
    out += "\n";
  }
  return out;
}

std::string tornado_csv(const Tornado& t) {
  std::string out = "parameter,distribution,low,high,npv_at_low,npv_at_high,npv_se_at_low,npv_se_at_high,swing,central_npv\n";
  for (const auto& r : t.rows)
    out += csv_text(r.path) + "," + csv_text(r.distribution) + "," + exact_number(r.low) + "," + exact_number(r.high) +
           "," + exact_number(r.at_low.npv.mean) + "," + exact_number(r.at_high.npv.mean) + "," +
           exact_number(r.at_low.npv.se) + "," + exact_number(r.at_high.npv.se) + "," + exact_number(r.swing) + "," +
           exact_number(t.central.npv.mean) + "\n";
  return out;
}

std::string trace_csv(const Scenario& s, const std::vector<std::string>& lines) {
  std::string csv = "variant,household,person,month,age,role";
  for (const auto& d : s.domains) csv += "," + d.id + "," + d.id + "_months";
  csv += "\n";
  for (const auto& line : lines) csv += line + "\n";
  return csv;
}

std::string summary_json(const Results& r, const Manifest& m) {
  const Scenario& s = *r.scenario;
  std::ostringstream o;
  // Texts for readers in English (else the scenario's Danish), whatever --lang says: the
  // summary is for programs, and the same run in either language writes the same file.
  o << "{\n  \"scenario\": {\"id\": " << json_string(s.id) << ", \"title\": " << json_string(s.title.in(Language::en))
    << ", \"start\": " << json_string(s.run.start.text()) << ", \"horizon_years\": " << s.run.horizon_years
    << ", \"price_year\": " << s.run.price_year << ", \"currency\": " << json_string(s.run.currency) << "},\n";
  o << "  \"variants\": [\n";
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    const auto& vs = r.variants[i];
    // The title beside the id, in both languages (what report.html and the workbook show;
    // the id where the variant has none): the summary is the same file in either language.
    const Variant& variant = s.variants[vs.variant];
    o << "    {\"id\": " << json_string(variant.id) << ", \"title\": {\"da\": " << json_string(variant.shown(Language::da))
      << ", \"en\": " << json_string(variant.shown(Language::en)) << "}"
      << ", \"description\": " << json_string(s.variants[vs.variant].description.in(Language::en)) << ",\n"
      << "     " << key(Headline::npv) << stat_json(vs.npv) << ",\n"
      << "     " << key(Headline::npv_public_sector) << stat_json(vs.npv_public_sector) << ",\n"
      << "     " << key(Headline::npv_municipality) << stat_json(vs.npv_municipality) << ",\n"
      << "     " << key(Headline::investment_pv) << stat_json(vs.investment_pv) << ",\n"
      << "     " << key(Headline::savings_pv) << stat_json(vs.savings_pv) << ",\n"
      << "     " << key(Headline::roi) << stat_json(vs.roi) << ",\n"
      << "     " << key(Headline::benefit_cost_ratio) << stat_json(vs.benefit_cost_ratio) << ",\n"
      << "     " << key(Headline::p_break_even) << json_number(vs.p_break_even) << ", " << key(Headline::p_break_even_5y)
      << json_number(vs.p_break_even_5y) << ", " << key(Headline::p_break_even_10y) << json_number(vs.p_break_even_10y) << ",\n"
      << "     " << key(Headline::break_even_year) << stat_json(vs.break_even_year) << ", "
      << key(Headline::median_break_even_year) << json_number(vs.median_break_even_year) << ",\n"
      << "     " << key(Headline::npv_per_household) << stat_json(vs.npv_per_household) << ",\n"
      << "     " << key(Headline::npv_per_participant) << stat_json(vs.npv_per_participant) << ",\n"
      << "     " << key(Headline::participants) << stat_json(vs.participants) << ", " << key(Headline::eligible)
      << stat_json(vs.eligible) << ", " << key(Headline::consenting) << stat_json(vs.consenting) << ",\n";
    // Success-rate effects and evidence shares: only when the scenario has them (or the run
    // asked for them), so that other summaries are as before.
    const auto rates = s.variants[vs.variant].success_rate_effects();
    if (!rates.empty()) {
      o << "     \"success_rate_effects\": [";
      for (std::size_t k = 0; k < rates.size(); ++k) {
        const SuccessRate& sr = *rates[k]->success_rate;
        o << (k ? ",\n" : "\n") << "       {\"effect\": " << json_string(sr.name)
          << ", \"indicator\": " << json_string(s.indicators[static_cast<std::size_t>(sr.indicator)].id)
          << ", \"at_month\": " << sr.at_month << ", \"via\": " << json_string(success_rate_via(s, sr))
          << ", \"difference\": " << json_string(rates[k]->value.dist.describe())
          << ", \"solved_hazard_ratio\": " << stat_json(vs.solved_hazard_ratios.at(k)) << "}";
      }
      o << "],\n";
    }
    for (const auto& e : r.evidence_shares) {
      if (e.variant != vs.variant) continue;
      o << "     \"evidence_shares\": " << evidence_share_json(e) << ",\n";
    }
    o << "     \"expenditure_types\": [";
    {
      const int M = r.accounts.level(FinancingLevel::municipality);
      bool first_type = true;
      for (const auto& row : r.by_type) {
        if (row.variant != vs.variant || row.account != M) continue;
        o << (first_type ? "\n" : ",\n") << "       {\"account\": " << json_string(r.accounts.id[M])
          << ", \"type\": " << json_string(name_of(row.type)) << ", \"investment_pv\": " << stat_json(row.investment_pv)
          << ", \"savings_pv\": " << stat_json(row.savings_pv) << ", \"investment\": " << stat_json(row.investment)
          << ", \"savings\": " << stat_json(row.savings) << ", \"spending\": " << stat_json(row.spending) << "}";
        first_type = false;
      }
    }
    o << "],\n"
      << "     \"departments\": [";
    for (int a = 0; a < r.accounts.size(); ++a)
      o << (a ? ",\n" : "\n") << "       {\"account\": " << json_string(r.accounts.id[a])
        << ", \"name\": " << json_string(r.accounts.name[a].in(Language::en)) << ", \"kind\": " << json_string(to_string(r.accounts.kind[a]))
        << ", " << key(Measure::npv) << stat_json(r.money_at(vs.variant, a, -1, Measure::npv)) << "}";
    o << "]}" << (i + 1 < r.variants.size() ? "," : "") << "\n";
  }
  o << "  ],\n  \"targets\": [";
  for (std::size_t i = 0; i < r.targets.size(); ++i) {
    const auto& t = r.targets[i];
    o << (i ? ",\n" : "\n") << "    {\"variant\": " << json_string(s.variants[t.variant].id)
      << ", \"target\": " << json_string(s.targets[t.target].text.in(Language::en));
    // (Measured at the end of a calendar year: said; a project year's target has no key, as before.)
    if (s.targets[t.target].at_budget_year != 0) o << ", \"at_budget_year\": " << s.targets[t.target].at_budget_year;
    o << ", \"probability\": " << json_number(t.probability)
      << ", \"baseline_probability\": " << json_number(t.baseline_probability) << ", \"value\": " << stat_json(t.value) << "}";
  }
  o << "],\n  \"contracts\": [";
  for (std::size_t i = 0; i < r.contracts.size(); ++i) {
    const auto& c = r.contracts[i];
    o << (i ? ",\n" : "\n") << "    {\"variant\": " << json_string(s.variants[c.variant].id)
      << ", \"contract\": " << json_string(s.variants[c.variant].contracts[c.contract].id);
    if (const int by = s.variants[c.variant].contracts[c.contract].at_budget_year; by != 0) o << ", \"at_budget_year\": " << by;
    o      << ", \"probability_triggered\": " << json_number(c.probability_triggered) << ", \"payment\": " << stat_json(c.payment)
      << ", \"payee_return\": " << stat_json(c.payee_return) << ", \"payer_npv\": " << stat_json(c.payer_npv) << "}";
  }
  // The budget-period table's net lines (budget.csv has every line and statistic).
  o << "],\n  \"budget\": {\"budget_year\": " << r.budget_year << ", \"unit\": \"kr.\", \"prices\": " << s.run.price_year
    << ", \"sign\": \"merudgift +, mindreudgift -\", \"net\": [";
  bool first_row = true;
  for (const auto& row : r.budget) {
    if (row.line != BudgetLine::net || row.prices != r.budget_prices) continue;
    o << (first_row ? "\n" : ",\n") << "    {\"variant\": " << json_string(s.variants[row.variant].id)
      << ", \"account\": " << json_string(r.accounts.id[row.account]) << ", \"year\": " << row.year
      << ", \"months\": " << row.months << ", \"value\": " << stat_json(row.stat) << "}";
    first_row = false;
  }
  // The municipality's change by expenditure type: service against the servicerammen.
  o << "],\n    \"municipality_by_type\": [";
  first_row = true;
  const int municipality = r.accounts.level(FinancingLevel::municipality);
  for (const auto& row : r.budget) {
    if (row.account != municipality || row.line < BudgetLine::service || row.line > BudgetLine::tax ||
        row.prices != r.budget_prices)
      continue;
    o << (first_row ? "\n" : ",\n") << "    {\"variant\": " << json_string(s.variants[row.variant].id)
      << ", \"line\": " << json_string(name_of(row.line)) << ", \"year\": " << row.year << ", \"months\": " << row.months
      << ", \"value\": " << stat_json(row.stat) << "}";
    first_row = false;
  }
  // Freed capacity (not in net): the municipality's line, − is capacity freed.
  o << "],\n    \"municipality_freed_capacity\": [";
  first_row = true;
  for (const auto& row : r.budget) {
    if (row.account != municipality || row.line != BudgetLine::freed_capacity || row.prices != r.budget_prices) continue;
    o << (first_row ? "\n" : ",\n") << "    {\"variant\": " << json_string(s.variants[row.variant].id)
      << ", \"year\": " << row.year << ", \"months\": " << row.months << ", \"value\": " << stat_json(row.stat) << "}";
    first_row = false;
  }
  o << "]},\n  \"budget_rules\": {\"neutralise_transfers\": " << (r.neutralised() ? "true" : "false") << ", \"text\": [";
  {
    const auto rules = budget_rules_text(r);
    for (std::size_t i = 0; i < rules.size(); ++i) o << (i ? ", " : "") << json_string(rules[i]);
  }
  o << "]},\n  \"manifest\": {\"engine_version\": " << json_string(m.engine_version)
    << ", \"engine_commit\": " << json_string(m.engine_commit) << ", \"scenario_file\": " << json_string(m.scenario_file)
    << ", \"scenario_hash\": " << json_string(m.scenario_hash) << ", \"seed\": " << m.seed
    << ", \"iterations\": " << m.iterations << ", \"threads\": " << m.threads << ", \"seconds\": " << json_number(m.seconds)
    << ", \"started_at\": " << json_string(m.started_at) << ", \"command_line\": " << json_string(m.command_line)
    << ", \"scenario_path\": " << json_string(m.scenario_path) << ", \"central\": " << (m.central ? "true" : "false")
    << ", \"kernel\": " << json_string(m.kernel)
    << ", \"formats\": " << json_string(m.formats) << ", \"lang\": " << json_string(m.lang)
    << ", \"trace_households\": " << m.trace_households << ", \"budget_year\": " << m.budget_year << ", \"budget_prices\": " << json_string(m.budget_prices) << ", \"csv\": " << json_string(m.csv)
    << ", \"neutralise_transfers\": " << (m.neutralise_transfers ? "true" : "false");
  if (m.evidence_shares) o << ", \"evidence_shares\": true"; // (absent: not asked for, as before)
  o << ", \"variants\": [";
  for (std::size_t i = 0; i < m.variants.size(); ++i) o << (i ? ", " : "") << json_string(m.variants[i]);
  o << "], \"files\": [";
  for (std::size_t i = 0; i < m.files.size(); ++i) o << (i ? ", " : "") << json_string(m.files[i]);
  o << "]}\n}\n";
  return o.str();
}

namespace {

/// Wraps text to `width` columns, each line indented by `indent`.
std::string wrapped(const std::string& raw, std::size_t width, const std::string& indent) {
  // "15 %" stays on one line: the space before % is held while wrapping.
  std::string text = raw;
  for (std::size_t at = text.find(" %"); at != std::string::npos; at = text.find(" %", at)) text[at] = '\x01';
  std::string out, line;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  for (auto& ch : out) ch = ch == '\x01' ? ' ' : ch;
  return out;
}

} // namespace

std::string terminal_summary(const Results& r, Language lang) {
  // Fits an 80-column terminal: labels 28 wide, means 14, intervals after.
  const Scenario& s = *r.scenario;
  std::ostringstream o;
  char line[512];
  o << wrapped(printable(s.title.in(lang)), 78, "");
  std::snprintf(line, sizeof line,
                T(lang, Msg::d_iterations_seed_llu_d_years_from),
                r.plan.iterations, static_cast<unsigned long long>(r.plan.seed), s.run.horizon_years,
                s.run.start.text().c_str(), s.run.price_year);
  o << line;
  if (s.uses_effect_haircut()) {
    std::string cut = T(lang, Msg::effects_cut_for_optimism_bias_and_deadweight);
    if (s.run.effect_haircut.used())
      cut += " " + percent(s.run.effect_haircut.share, lang) + T(lang, Msg::of_each_log_hazard_ratio);
    for (const auto& v : s.variants)
      for (const auto& iv : v.interventions)
        if (iv.effect_haircut && !iv.effects.empty())
          cut += " " + v.id + "." + iv.id + " " + percent(iv.effect_haircut->share, lang) + ";";
    o << wrapped(printable(cut), 78, "");
  }
  for (const auto& text : budget_rules_text(r, lang)) o << wrapped(printable(text), 78, "");
  for (const auto& vs : r.variants) {
    const Variant& var = s.variants[vs.variant];
    o << "\n" << printable(var.shown(lang)) << T(lang, Msg::vs_baseline);
    if (!var.description.empty()) o << wrapped(printable(var.description.in(lang)), 76, "  ");
    o << "  " << fit("", 26) << " " << fit(T(lang, Msg::mean), 14) << "   "
      << T(lang, Msg::n90_interval) << "\n";
    const std::pair<const char*, const Stat*> rows[] = {
        {T(lang, Msg::net_present_value_total), &vs.npv},
        {T(lang, Msg::public_sector), &vs.npv_public_sector},
        {T(lang, Msg::municipality_2), &vs.npv_municipality}};
    for (auto [label, st] : rows) {
      // fit(): by characters, so æ, ø, å keep the columns straight.
      std::snprintf(line, sizeof line, "  %s %14s   %s\n", fit(label, 26).c_str(), money_short(st->mean, lang).c_str(),
                    money_interval(st->p5, st->p95, lang).c_str());
      o << line;
    }
    // A probability from one iteration is 0 or 100 %: not an estimate.
    auto chance_of = [&](double p) { return r.plan.iterations < 2 ? std::string(T(lang, Msg::n_a)) : percent(p, lang); };
    std::string chance = T(lang, Msg::chance_of_breaking_even);
    const std::string within = T(lang, Msg::within), years = T(lang, Msg::years);
    if (s.run.horizon_years > 5) chance += chance_of(vs.p_break_even_5y) + within + "5" + years + ", ";
    if (s.run.horizon_years > 10) chance += chance_of(vs.p_break_even_10y) + within + "10" + years + ", ";
    chance += chance_of(vs.p_break_even) + within + std::to_string(s.run.horizon_years) + years;
    o << wrapped(chance.substr(2), 76, "  ");
    const bool never = std::isinf(vs.median_break_even_year) || std::isnan(vs.median_break_even_year);
    o << T(lang, Msg::break_even_year_median)
      << (never ? std::string(T(lang, Msg::not_within_the_horizon))
                : std::string(T(lang, Msg::project_year)) + std::to_string(static_cast<int>(vs.median_break_even_year)))
      << "\n";
    // Means over iterations, with a decimal: 0.3 households on average is not "0 households".
    o << wrapped(T(lang, Msg::participants) + decimal(vs.participants.mean, 1, lang) +
                     T(lang, Msg::households_eligible) + decimal(vs.eligible.mean, 1, lang) +
                     T(lang, Msg::consenting) + decimal(vs.consenting.mean, 1, lang) +
                     T(lang, Msg::mean_2),
                 76, "  ");
    // Success-rate effects: the hazard ratio solved for each, across iterations.
    const auto rates = s.variants[vs.variant].success_rate_effects();
    for (std::size_t k = 0; k < rates.size(); ++k) {
      const SuccessRate& sr = *rates[k]->success_rate;
      const Stat& hr = vs.solved_hazard_ratios.at(k);
      o << wrapped(format_message(lang, Msg::success_rate_solved,
                                  {printable(sr.name), decimal(hr.mean, 3, lang), decimal(hr.p5, 3, lang),
                                   decimal(hr.p95, 3, lang), printable(success_rate_via(s, sr)),
                                   printable(rates[k]->value.dist.describe()),
                                   printable(s.indicators[static_cast<std::size_t>(sr.indicator)].id),
                                   std::to_string(sr.at_month)}),
                   76, "  ");
    }
    // How much of the result rests on each evidence grade (run --evidence-shares).
    for (const auto& share : r.evidence_shares)
      if (share.variant == vs.variant) o << evidence_share_lines(share, lang);
    // 2 + 26 + 3 x (1 + 15) = 76 columns.
    auto header = [&](const char* first, const char* a, const char* b, const char* c) {
      o << "  " << fit(first, 26) << " " << fit_right(a, 15) << " " << fit_right(b, 15) << " " << fit_right(c, 15) << "\n";
    };
    header(T(lang, Msg::department_pv), T(lang, Msg::invested), T(lang, Msg::harvested),
           T(lang, Msg::net));
    for (int a = 0; a < r.accounts.departments; ++a) {
      const double inv = r.money_at(vs.variant, a, -1, Measure::investment_pv).mean,
                   sav = r.money_at(vs.variant, a, -1, Measure::savings_pv).mean,
                   npv = r.money_at(vs.variant, a, -1, Measure::npv).mean;
      const std::string name = account_label(r, a, 26, lang); // by characters: æ, ø, å stay whole
      std::snprintf(line, sizeof line, "  %s %15s %15s %15s\n", name.c_str(), money_short(inv, lang).c_str(),
                    money_short(sav, lang).c_str(), money_short(npv, lang).c_str());
      o << line;
    }
    header(T(lang, Msg::municipality_by_type), T(lang, Msg::invested), T(lang, Msg::saved),
           T(lang, Msg::net));
    for (const auto& entry : expenditure_type_names) {
      const ExpenditureRow& row = r.by_type_at(vs.variant, r.accounts.level(FinancingLevel::municipality), entry.value);
      std::snprintf(line, sizeof line, "  %s %15s %15s %15s\n", fit(expenditure_type_word(entry.value, lang), 26).c_str(),
                    money_short(row.investment_pv.mean, lang).c_str(),
                    money_short(row.savings_pv.mean, lang).c_str(),
                    money_short(row.savings_pv.mean - row.investment_pv.mean, lang).c_str());
      o << line;
    }
    if (has_freed_capacity(s)) {
      header(T(lang, Msg::freed_capacity_2), T(lang, Msg::nominal), T(lang, Msg::pv),
             T(lang, Msg::place_years));
      for (int a = 0; a < r.accounts.departments; ++a) {
        const double places = r.money_at(vs.variant, a, -1, Measure::freed_places).mean;
        if (places == 0.0 && r.money_at(vs.variant, a, -1, Measure::freed_capacity).mean == 0.0) continue;
        char py[32];
        std::snprintf(py, sizeof py, "%.1f", places);
        std::snprintf(line, sizeof line, "  %s %15s %15s %15s\n", account_label(r, a, 26, lang).c_str(),
                      money_short(r.money_at(vs.variant, a, -1, Measure::freed_capacity).mean, lang).c_str(),
                      money_short(r.money_at(vs.variant, a, -1, Measure::freed_capacity_pv).mean, lang).c_str(), py);
        o << line;
      }
      o << wrapped(freed_capacity_text(r, vs.variant, lang), 76, "  ");
    }
    o << wrapped(serviceramme_text(r, vs.variant, lang), 76, "  ");
    o << budget_table_text(r, vs.variant, lang);
    for (const auto& t : r.targets) {
      if (t.variant != vs.variant) continue;
      const Target& tg = s.targets[t.target];
      // A calendar year's target says so, unless its text names the year already (the default does).
      const bool say = tg.at_budget_year != 0 && tg.text.in(lang).find(std::to_string(tg.at_budget_year)) == std::string::npos;
      const std::string when =
          !say ? std::string()
               : " (" + std::string(T(lang, Msg::end_of)) + std::to_string(tg.at_budget_year) + ")";
      o << wrapped(T(lang, Msg::target) + printable(tg.text.in(lang)) + when + T(lang, Msg::reached_in) +
                       chance_of(t.probability) + T(lang, Msg::of_iterations) +
                       chance_of(t.baseline_probability) + T(lang, Msg::without_the_project),
                   76, "  ");
    }
  }
  return o.str();
}

std::string evidence_share_json(const EvidenceShare& e, std::string_view variant) {
  std::string o = "{" + (variant.empty() ? std::string() : "\"variant\": " + json_string(variant) + ", ") +
                  "\"npv_all\": " + json_number(e.npv_all) + ", \"npv_none\": " + json_number(e.npv_none) + ", \"grades\": [";
  bool first = true;
  for (int g = 0; g < evidence_grade_count; ++g) {
    if (std::isnan(e.npv_without[static_cast<std::size_t>(g)])) continue;
    o += std::string(first ? "" : ", ") + "{\"grade\": " + json_string(name_of(static_cast<EvidenceGrade>(g))) +
         ", \"npv_without\": " + json_number(e.npv_without[static_cast<std::size_t>(g)]) +
         ", \"share\": " + json_number(e.share(g)) + "}";
    first = false;
  }
  return o + "]}";
}

Msg grade_message(EvidenceGrade grade) {
  static constexpr Msg text[] = {Msg::grade_randomised_trial, Msg::grade_quasi_experimental, Msg::grade_before_after,
                                 Msg::grade_expert_guess};
  static_assert(std::size(text) == evidence_grade_count, "a text for every evidence grade");
  return text[static_cast<std::size_t>(grade)];
}

std::string evidence_share_text(const EvidenceShare& share, Language lang, bool typographic_minus) {
  auto part_text = [&](double part) {
    if (std::isnan(part)) return std::string(T(lang, Msg::n_a));
    return typographic_minus ? html_parts::display_minus(percent(part, lang)) : percent(part, lang);
  };
  std::string text =
      format_message(lang, Msg::evidence_share_intro, {money_short(share.npv_all, lang), money_short(share.npv_none, lang)});
  bool first_grade = true;
  for (int g = 0; g < evidence_grade_count; ++g) {
    const double without = share.npv_without[static_cast<std::size_t>(g)];
    if (std::isnan(without)) continue; // the variant has no effect of that grade
    text += std::string(first_grade ? " " : "; ") +
            format_message(lang, Msg::evidence_share_item,
                           {T(lang, grade_message(static_cast<EvidenceGrade>(g))), part_text(share.share(g)),
                            money_short(share.npv_all - without, lang)});
    first_grade = false;
  }
  return text;
}

std::string evidence_share_lines(const EvidenceShare& share, Language lang, const std::string& label) {
  return wrapped((label.empty() ? std::string() : label + ": ") + evidence_share_text(share, lang), 76, "  ");
}

} // namespace socinvest
