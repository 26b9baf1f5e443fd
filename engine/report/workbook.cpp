#include <socinvest/report/workbook.hpp>

#include "report/xlsx_parts.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/report/format.hpp>

#include <xlsxwriter.h>

#include <algorithm>
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

Unit money_unit(const std::string& measure) {
  if (measure == "roi" || measure == "benefit_cost_ratio") return Unit::ratio;
  if (measure == "p_break_even") return Unit::share;
  if (measure == "break_even_year") return Unit::year;
  return Unit::money;
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
  auto put = [&](int v, const std::string& measure, const std::string& label, Unit unit, const char* unit_text, const Stat& st) {
    sh.text(row, 0, s.variants[v].id);
    sh.text(row, 1, measure);
    sh.text(row, 2, label);
    sh.text(row, 3, unit_text);
    stat_cells(sh, row, 4, st, unit);
    ++row;
  };
  auto put_value = [&](int v, const std::string& measure, const std::string& label, Unit unit, const char* unit_text, double value) {
    sh.text(row, 0, s.variants[v].id);
    sh.text(row, 1, measure);
    sh.text(row, 2, label);
    sh.text(row, 3, unit_text);
    sh.number(row, 4, value, unit);
    ++row;
  };
  for (const auto& vs : r.variants) {
    const int v = vs.variant;
    put(v, "npv", "Net present value, total (all parties)", Unit::money, "kr.", vs.npv);
    put(v, "npv_public_sector", "Net present value, public sector", Unit::money, "kr.", vs.npv_public_sector);
    put(v, "npv_municipality", "Net present value, municipality", Unit::money, "kr.", vs.npv_municipality);
    for (const auto& m : r.money)
      if (m.variant == v && m.year == -1 && m.measure == "npv" && r.accounts.kind[m.account] == "level")
        put(v, "npv:" + r.accounts.id[m.account], "Net present value, " + r.accounts.name[m.account], Unit::money, "kr.", m.stat);
    put(v, "investment_pv", "Investment, present value", Unit::money, "kr.", vs.investment_pv);
    put(v, "savings_pv", "Savings, present value", Unit::money, "kr.", vs.savings_pv);
    put(v, "roi", "Return on investment (NPV / investment)", Unit::ratio, "ratio", vs.roi);
    put(v, "benefit_cost_ratio", "Benefit-cost ratio (savings / investment)", Unit::ratio, "ratio", vs.benefit_cost_ratio);
    put_value(v, "p_break_even_5y", "Probability of breaking even within 5 years", Unit::share, "probability", vs.p_break_even_5y);
    put_value(v, "p_break_even_10y", "Probability of breaking even within 10 years", Unit::share, "probability", vs.p_break_even_10y);
    put_value(v, "p_break_even", "Probability of breaking even within the horizon", Unit::share, "probability", vs.p_break_even);
    put_value(v, "median_break_even_year", "Break-even year, median over all iterations (Inf: not within the horizon)",
              Unit::year, "budget year", vs.median_break_even_year);
    put(v, "break_even_year", "Break-even year, among iterations that break even", Unit::year, "budget year", vs.break_even_year);
    put(v, "npv_per_household", "Net present value per simulated household", Unit::money, "kr.", vs.npv_per_household);
    put(v, "npv_per_participant", "Net present value per participating household", Unit::money, "kr.", vs.npv_per_participant);
    put(v, "participants", "Participating households", Unit::decimal, "households", vs.participants);
    put(v, "eligible", "Eligible households", Unit::decimal, "households", vs.eligible);
    put(v, "consenting", "Consenting households", Unit::decimal, "households", vs.consenting);
  }
  sh.set_width(0, 18);
  sh.set_width(1, 24);
  sh.set_width(2, 56);
  sh.finish(head + 1, 0);
  sh.autofilter(head, 0, row - 1, 8);
}

// --- By department x year ----------------------------------------------------------------
void money_sheet(Book& book, const Results& r) {
  const Scenario& s = *r.scenario;
  Sheet sh = book.sheet("By department \xc3\x97 year");
  std::vector<std::string> measures;
  for (const auto& m : r.money)
    if (std::find(measures.begin(), measures.end(), m.measure) == measures.end()) measures.push_back(m.measure);
  const std::vector<std::string> intervals{"net_pv", "cumulative_net_pv", "npv"};
  std::vector<std::string> head{"Variant", "Account", "Account name", "Kind", "Year", "Budget year"};
  for (const auto& m : measures) head.push_back(m);
  for (const auto& m : intervals)
    if (std::find(measures.begin(), measures.end(), m) != measures.end()) {
      head.push_back(m + " p5");
      head.push_back(m + " p95");
    }
  sh.header(0, head);
  // (variant, account, year) -> measure -> stat, years ordered 0.. then the total (-1) last.
  std::map<std::tuple<int, int, int>, std::map<std::string, const Stat*>> cells;
  for (const auto& m : r.money) cells[{m.variant, m.account, m.year < 0 ? 1 << 20 : m.year}][m.measure] = &m.stat;
  lxw_row_t row = 1;
  for (const auto& [key, by] : cells) {
    const auto [v, a, y] = key;
    const bool total = y == 1 << 20;
    sh.text(row, 0, s.variants[v].id);
    sh.text(row, 1, r.accounts.id[a]);
    sh.text(row, 2, r.accounts.name[a]);
    sh.text(row, 3, r.accounts.kind[a]);
    if (total) {
      sh.text(row, 4, "total");
      sh.text(row, 5, "whole horizon");
    } else {
      sh.number(row, 4, y + 1, Unit::count);
      sh.text(row, 5, budget_year_label(s, y));
    }
    lxw_col_t col = 6;
    for (const auto& m : measures) {
      if (auto it = by.find(m); it != by.end()) sh.number(row, col, it->second->mean, money_unit(m));
      ++col;
    }
    for (const auto& m : intervals) {
      if (std::find(measures.begin(), measures.end(), m) == measures.end()) continue;
      if (auto it = by.find(m); it != by.end()) {
        sh.number(row, col, it->second->p5, Unit::money);
        sh.number(row, col + 1, it->second->p95, Unit::money);
      }
      col += 2;
    }
    ++row;
  }
  sh.finish(1, 2);
  sh.autofilter(0, 0, row - 1, static_cast<lxw_col_t>(head.size() - 1));
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
    sh.number(row, 4, tg.at_year, Unit::count);
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
    sh.text(row, 1, o.kind);
    sh.text(row, 2, o.item);
    if (o.kind == "indicator") sh.text(row, 3, labels[o.item]);
    sh.text(row, 4, o.group);
    sh.number(row, 5, o.year + 1, Unit::count);
    sh.text(row, 6, o.measure);
    stat_cells(sh, row, 7, o.stat, o.kind == "indicator" ? Unit::share : Unit::decimal);
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
    money_sheet(book, results);
    flows_sheet(book, results);
    outcomes_sheet(book, results);
    iterations_sheet(book, results);
    assumptions_sheet(book, results);
    manifest_sheet(book, results, manifest);
  });
}

} // namespace socinvest
