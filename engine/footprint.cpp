#include <socinvest/footprint.hpp>

#include <socinvest/report/messages.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/ledger/pricing.hpp>
#include <socinvest/ledger/results.hpp>

#include <algorithm>
#include <cstdio>

namespace socinvest {

namespace {

constexpr double gib = 1024.0 * 1024 * 1024;
// Bytes per item, measured on the shipped cases' outputs (csv: a table row is five lines,
// one per statistic; xlsx keeps every cell in memory until it is closed).
constexpr double csv_bytes_per_row = 5 * 70.0;
constexpr double xlsx_memory_per_row = 12 * 120.0, xlsx_bytes_per_row = 12 * 12.0;
constexpr double column_store_memory = 64.0 * 1024 * 1024; // ColumnStore keeps this much in memory
constexpr double trace_bytes_per_line = 48.0;               // + 14 per domain
// Memory per row of the money and outcome tables: the rows as they were measured when their
// measure, kind and group were held as text (104 and 200 bytes on x86-64, plus the text
// that did not fit the string), so that the same run is refused or admitted as before. The
// rows are smaller now; re-measure when the limits are next revisited.
constexpr double money_row_memory = 104.0 + 24.0, outcome_row_memory = 200.0 + 64.0;

std::string gib_text(double bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / gib);
  return buf;
}

} // namespace

Footprint estimate_footprint(const Scenario& s, const RunOptions& options, int trace_households) {
  const PricingPlan pricing = make_pricing_plan(s);
  const RunPlan plan = plan_run(s, options);
  const ResultShape shape = result_shape(s, pricing, plan);
  const double iterations = plan.iterations, threads = std::max(1, plan.threads);
  const double variants = static_cast<double>(plan.variants.size());
  const double persons = s.expected_persons();
  const double table_rows = static_cast<double>(shape.money_rows + shape.outcome_rows);
  Footprint f;

  const double rows_bytes = static_cast<double>(shape.columns) * 8.0 * iterations;
  const double results_memory = static_cast<double>(shape.money_rows) * money_row_memory +
                                static_cast<double>(shape.outcome_rows) * outcome_row_memory;
  const double csv_bytes = table_rows * csv_bytes_per_row;
  const double xlsx_memory = table_rows * xlsx_memory_per_row;
  // Each thread holds an iteration's tallies and book (a few times a row) and its population.
  const double thread_memory = threads * (4.0 * static_cast<double>(shape.columns) * 8.0 + 2.0 * persons * 96.0 * variants);
  const double persons_per_household = s.population.households > 0 ? persons / s.population.households : 0.0;
  const double traced = std::min<double>(trace_households, s.population.households);
  const double trace_bytes = traced * persons_per_household * s.run.steps() * variants *
                             (trace_bytes_per_line + 14.0 * static_cast<double>(s.domains.size()));

  f.scratch_bytes = std::max(0.0, rows_bytes - column_store_memory);
  f.output_bytes = 1.1 * csv_bytes + table_rows * xlsx_bytes_per_row + trace_bytes; // + json, html: small
  f.memory_bytes = std::min(rows_bytes, column_store_memory) + results_memory + csv_bytes + xlsx_memory + thread_memory +
                   2.0 * trace_bytes + 64e6;

  // What drives it: the largest part, said with the key a user changes.
  struct Part {
    double bytes;
    std::string why;
  };
  std::vector<Part> parts;
  std::size_t largest_domain = 0, moves = 0;
  std::vector<std::size_t> per_domain(s.domains.size(), 0);
  for (const auto& r : pricing.routes) ++per_domain[static_cast<std::size_t>(r.domain)];
  for (std::size_t d = 0; d < per_domain.size(); ++d)
    if (per_domain[d] + s.domains[d].states.size() > per_domain[largest_domain] + s.domains[largest_domain].states.size())
      largest_domain = d;
  for (std::size_t m : per_domain) moves += m;
  if (!s.domains.empty()) {
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "the outcome tables: %.0f rows, one per variant, group, year (run.horizon_years: %d) and state or "
                  "possible move (%zu moves in all; domains.%s alone has %zu states and %zu moves)",
                  static_cast<double>(shape.outcome_rows), s.run.horizon_years, moves, s.domains[largest_domain].id.c_str(),
                  s.domains[largest_domain].states.size(), per_domain[largest_domain]);
    parts.push_back({static_cast<double>(shape.outcome_rows) * (csv_bytes_per_row + xlsx_memory_per_row), buf});
  }
  parts.push_back({static_cast<double>(shape.money_rows) * (csv_bytes_per_row + xlsx_memory_per_row),
                   "the money tables: " + std::to_string(shape.money_rows) + " rows (departments x years x variants)"});
  parts.push_back({3.0 * trace_bytes, "--trace " + std::to_string(trace_households) + ": the monthly paths of " +
                                          std::to_string(static_cast<long long>(traced)) + " households in trace.csv"});
  parts.push_back({rows_bytes, "the per-iteration rows: " + std::to_string(shape.columns) + " values x " +
                                   std::to_string(plan.iterations) + " iterations (run.iterations / --iterations)"});
  parts.push_back({thread_memory, "the threads' work: " + std::to_string(plan.threads) + " threads x the population (" +
                                      std::to_string(static_cast<long long>(persons)) + " persons)"});
  f.driver = std::max_element(parts.begin(), parts.end(), [](auto& a, auto& b) { return a.bytes < b.bytes; })->why;
  return f;
}

void check_footprint(const Scenario& s, const RunOptions& options, int trace_households, const FootprintLimits& limits) {
  const Footprint f = estimate_footprint(s, options, trace_households);
  // The driver (f.driver) names keys and counts; it stays English in both (a known gap).
  auto refuse = [&](Msg what, double need, double allowed) {
    throw Error(ExitCode::too_large,
                both_languages(Msg::footprint_too_large, {both_languages(what), gib_text(need), gib_text(allowed), f.driver}));
  };
  if (f.memory_bytes > limits.memory_bytes) refuse(Msg::footprint_memory, f.memory_bytes, limits.memory_bytes);
  if (f.output_bytes > limits.output_bytes) refuse(Msg::footprint_output, f.output_bytes, limits.output_bytes);
  if (f.scratch_bytes > limits.scratch_bytes) refuse(Msg::footprint_scratch, f.scratch_bytes, limits.scratch_bytes);
}

} // namespace socinvest
