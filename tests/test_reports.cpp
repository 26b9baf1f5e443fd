// The reports people look at: the self-contained HTML page (every chart drawn, scenario text
// escaped, numbers in the reader's language) and the Excel workbook (eight sheets, numbers
// as numbers, scenario text that looks like a formula stored as plain text).
#include "support.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/decision/evidence.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/ledger/budget_years.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/report/workbook.hpp>
#include <socinvest/scenario/loader.hpp>

#include <doctest/doctest.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace {

// Scenario text in every place a report shows it carries markup or a formula.
const char* hostile = R"(
scenario: reports
title: "Team <script>alert('title')</script> & co"
description: "=HYPERLINK(\"http://example.invalid\",\"click\") and <b>bold</b>"
run: {start: 2024-01, horizon_years: 6, iterations: 20, seed: 11, discount: {rate: 0.035}}
departments:
  jobcenter: {name: "=SUM(1,2) Jobcenter"}
  social: {name: "Social <script>alert('dept')</script>"}
  state: {name: Staten, level: state}
  fund: {name: "Fonden", level: external}
reimbursement:
  staircase: {weeks: [4, 26, 52], state_share: [0.8, 0.4, 0.3, 0.2], to: state}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: {beta: {mean: 0.02, sd: 0.005}, source: "<script>alert('source')</script>"}}}
      job: {to: {unemployed: 0.01}}
population:
  households: 200
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed:
    - {department: jobcenter, amount: 12000, reimbursement: staircase}
    - {department: social, amount: 3000}
  work.job:
    - {department: state, amount: -5000}
indicators:
  in_work: {label: "In work <i>now</i>", domain: work, states: [job], role: adult}
targets:
  - {indicator: in_work, among: participants, at_year: 2, at_least: 0.4, label: "=1+1 <b>target</b>"}
variants:
  baseline: {}
  project:
    description: "Project <script>alert('variant')</script>"
    interventions:
      team:
        uptake: 0.8
        start: 2024-01
        duration_months: 24
        costs:
          - {department: jobcenter, fte: 1, monthly_cost_per_fte: 50000}
          - {department: social, fte: 1, monthly_cost_per_fte: 45000}
          - {department: fund, total: 600000, finances: [jobcenter, social]}
        effects:
          - transition: work.unemployed->job
            hazard_ratio: {lognormal: {median: 1.8, ci95: [1.3, 2.5]}}
    contracts:
      - name: repayment
        payer: jobcenter
        payee: fund
        when: {indicator: in_work, among: participants, at_year: 2, at_least: 0.3}
        amount: 250000
)";

/// The analysis of `hostile`, run once. Built in place: the results point into the scenario.
struct Run {
  socinvest::Scenario scenario;
  std::unique_ptr<socinvest::Analysis> analysis;
  socinvest::Manifest manifest;

  Run() : scenario(socinvest::load_scenario_text(hostile, "t.yaml")) {
    socinvest::RunOptions options;
    options.iterations = 20;
    options.threads = 1;
    analysis = socinvest::analyse(scenario, options);
    manifest.engine_version = "test";
    manifest.scenario_file = "=cmd|' /C calc'!A0 <script>.yaml";
    manifest.scenario_hash = scenario.content_hash;
    manifest.command_line = "socinvest run t.yaml";
    manifest.started_at = "2025-01-02T03:04:05Z";
    manifest.seed = analysis->plan.seed;
    manifest.iterations = analysis->plan.iterations;
    manifest.threads = 1;
  }
};

const Run& run() {
  static const Run r;
  return r;
}

/// Every chart element <svg class="chart" data-chart="name" ...>...</svg>.
std::vector<std::string> charts(const std::string& html, const std::string& name) {
  std::vector<std::string> out;
  const std::string key = "<svg class=\"chart\" data-chart=\"" + name + "\"";
  for (std::size_t at = html.find(key); at != std::string::npos; at = html.find(key, at + 1)) {
    const std::size_t close = html.find("</svg>", at);
    REQUIRE(close != std::string::npos);
    out.push_back(html.substr(at, close - at));
  }
  return out;
}

/// Drawn content: a rectangle with a size, or a path with at least one line segment.
bool drawn(const std::string& svg) {
  static const std::regex rect(R"re(<rect [^>]*width="([0-9.]+)" height="([0-9.]+)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator(); ++it)
    if (std::stod((*it)[1]) > 0 && std::stod((*it)[2]) > 0) return true;
  static const std::regex path(R"re(<path d="M[-0-9.,]+[LCZ])re");
  return std::regex_search(svg, path);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string typographic(std::string s) {
  if (!s.empty() && s[0] == '-') s = "\u2212" + s.substr(1);
  return s;
}

} // namespace

TEST_CASE("html report: every chart is there and has drawn content") {
  const auto& r = run();
  const std::string html = socinvest::html_report(r.analysis->results, r.manifest, socinvest::Language::en);
  for (std::string name : {"cumulative", "invested-harvested", "flows", "npv-distribution", "outcomes", "contracts"}) {
    CAPTURE(name);
    const auto found = charts(html, name);
    REQUIRE(!found.empty());
    for (const auto& svg : found) CHECK(drawn(svg));
  }
  // Every chart in the page is one of these, with drawn content.
  std::size_t all = 0;
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++all;
  std::size_t named = 0;
  for (std::string name : {"cumulative", "invested-harvested", "flows", "npv-distribution", "outcomes", "contracts"})
    named += charts(html, name).size();
  CHECK(all == named);
  // One page that stands alone: no scripts, no external resources.
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(lower(html).find("<script") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
}

TEST_CASE("html report: text from the scenario is escaped, never markup") {
  const auto& r = run();
  for (auto lang : {socinvest::Language::en, socinvest::Language::da}) {
    const std::string html = socinvest::html_report(r.analysis->results, r.manifest, lang);
    CHECK(html.find("Team &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; co") != std::string::npos);
    CHECK(html.find("Social &lt;script&gt;alert(&#39;dept&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("Project &lt;script&gt;alert(&#39;variant&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&#39;source&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("In work &lt;i&gt;now&lt;/i&gt;") != std::string::npos);
    CHECK(html.find("&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
    CHECK(lower(html).find("<script") == std::string::npos);
    CHECK(html.find("<b>bold</b>") == std::string::npos);
    CHECK(html.find("<i>now</i>") == std::string::npos);
  }
}

TEST_CASE("html report: numbers and labels in the reader's language") {
  const auto& r = run();
  const auto& res = r.analysis->results;
  const std::string da = socinvest::html_report(res, r.manifest, socinvest::Language::da);
  const std::string en = socinvest::html_report(res, r.manifest, socinvest::Language::en);
  CHECK(da.find("<html lang=\"da\">") != std::string::npos);
  CHECK(en.find("<html lang=\"en\">") != std::string::npos);
  // Whole kroner with the Danish thousands separator, and the total's net present value exactly.
  CHECK(std::regex_search(da, std::regex(R"(\d{1,3}(\.\d{3})+ kr\.)")));
  CHECK(std::regex_search(en, std::regex(R"(\d{1,3}(,\d{3})+ kr\.)")));
  const double total = [&] {
    for (const auto& row : res.money)
      if (row.account == res.accounts.total() && row.year == -1 && row.measure == socinvest::Measure::npv) return row.stat.mean;
    FAIL("no total npv");
    return 0.0;
  }();
  CHECK(da.find(typographic(socinvest::grouped(total, socinvest::Language::da)) + " kr.") != std::string::npos);
  CHECK(en.find(typographic(socinvest::grouped(total, socinvest::Language::en)) + " kr.") != std::string::npos);
  CHECK(da.find("mio. kr.") != std::string::npos);
  CHECK(da.find("Nettonutidsværdi") != std::string::npos);
  CHECK(en.find("Net present value") != std::string::npos);
  CHECK(da.find("Net present value") == std::string::npos);
  // The charts run along calendar budget years (the primary axis), not project years.
  CHECK(en.find("End of budget year") != std::string::npos);
  CHECK(da.find("Udgangen af budgetåret") != std::string::npos);
  CHECK(en.find("End of project year") == std::string::npos);
  CHECK(en.find("Project year (end)") == std::string::npos);
}

TEST_CASE("terminal summary: Danish with --lang da, English without, in 80 columns") {
  const auto& r = run();
  const auto& res = r.analysis->results;
  const std::string da = socinvest::terminal_summary(res, socinvest::Language::da);
  const std::string en = socinvest::terminal_summary(res, socinvest::Language::en);
  for (const char* english : {"Net present value", "public sector", "Chance of breaking even", "Break-even year",
                              "Participants", "Department (PV)", "invested", "harvested", "Municipality by type",
                              "Account (net)", "of which", "Target: ", "reached in", " to ", "not discounted",
                              " iterations, seed", "vs baseline"}) {
    CAPTURE(english);
    CHECK(da.find(english) == std::string::npos);
    CHECK(en.find(english) != std::string::npos);
  }
  for (const char* danish : {"Nettonutidsværdi", "Sandsynlighed for break-even", "Forvaltning (NV)", "Konto (netto)",
                             "heraf overførsler", " til ", "mod basisforløbet"}) {
    CAPTURE(danish);
    CHECK(da.find(danish) != std::string::npos);
    CHECK(en.find(danish) == std::string::npos);
  }
  for (const std::string* text : {&da, &en}) {
    std::size_t from = 0;
    while (from < text->size()) {
      const std::size_t end = std::min(text->find('\n', from), text->size());
      const std::string line = text->substr(from, end - from);
      CAPTURE(line);
      CHECK(socinvest::display_width(line) <= 80);
      from = end + 1;
    }
  }
}

TEST_CASE("workbook: eight sheets, numbers as numbers, formula-like text stored as text") {
  const auto& r = run();
  test::TempDir dir;
  const std::string file = (dir.path / "results.xlsx").string();
  socinvest::write_workbook(file, r.analysis->results, r.manifest);
  REQUIRE(std::filesystem::exists(file));
  CHECK(std::filesystem::file_size(file) > 1000);

  const std::string workbook = shell("unzip -p '" + file + "' xl/workbook.xml");
  for (std::string sheet : {"Summary", "Budget", "By department \xc3\x97 budget year", "By department \xc3\x97 project year",
                            "Pivot data", "Flows", "Outcomes and targets", "Per iteration", "Assumptions", "Manifest",
                            "Re-priced costs", "Re-pricing inputs", "Re-pricing quantities"}) {
    CAPTURE(sheet);
    CHECK(workbook.find("<sheet name=\"" + sheet + "\"") != std::string::npos);
  }
  // Every sheet prints on A4 landscape, one page wide, with its header row on every page.
  CHECK(workbook.find("_xlnm.Print_Titles") != std::string::npos);
  for (int k = 1; k <= 13; ++k) {
    CAPTURE(k);
    const std::string xml = shell("unzip -p '" + file + "' xl/worksheets/sheet" + std::to_string(k) + ".xml");
    CHECK(xml.find("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>") != std::string::npos);
    CHECK(xml.find("<pageSetUpPr fitToPage=\"1\"/>") != std::string::npos);
  }
  const std::string listing = shell("unzip -l '" + file + "'");
  CHECK(listing.find("xl/worksheets/sheet13.xml") != std::string::npos);
  CHECK(listing.find("xl/worksheets/sheet14.xml") == std::string::npos);

  // Scenario text beginning with "=" is a shared string with the ' prefix, never a formula.
  const std::string strings = shell("unzip -p '" + file + "' xl/sharedStrings.xml");
  CHECK(strings.find(">'=SUM(1,2) Jobcenter<") != std::string::npos);
  CHECK(strings.find(">'=1+1 &lt;b&gt;target&lt;/b&gt;<") != std::string::npos);
  CHECK(strings.find(">'=HYPERLINK(") != std::string::npos);
  CHECK(strings.find(">'=cmd|") != std::string::npos);
  CHECK(strings.find(">=SUM") == std::string::npos);
  CHECK(strings.find(">Inf<") == std::string::npos); // an infinite figure is an empty cell with a note
  // Formulas only on the re-pricing sheets (sheet11..13, written by the engine), never elsewhere.
  for (int k = 1; k <= 10; ++k) {
    CAPTURE(k);
    const std::string xml = shell("unzip -p '" + file + "' xl/worksheets/sheet" + std::to_string(k) + ".xml");
    CHECK(xml.find("<f>") == std::string::npos);
    CHECK(xml.find("<f ") == std::string::npos);
  }
  const std::string repriced = shell("unzip -p '" + file + "' xl/worksheets/sheet11.xml");
  CHECK(repriced.find("<f>SUMPRODUCT(") != std::string::npos);
  CHECK(repriced.find("=SUM(1,2)") == std::string::npos);

  // Money is a number with a "kr." format; the header row is frozen.
  const std::string summary = shell("unzip -p '" + file + "' xl/worksheets/sheet1.xml");
  CHECK(std::regex_search(summary, std::regex(R"re(<c r="E5" s="[0-9]+"><v>-?[0-9][0-9.eE+-]*</v></c>)re")));
  CHECK(summary.find("<pane ") != std::string::npos);
  CHECK(summary.find("state=\"frozen\"") != std::string::npos);
  const std::string styles = shell("unzip -p '" + file + "' xl/styles.xml");
  CHECK(styles.find("kr.") != std::string::npos);
  // One row per iteration and variant on the per-iteration sheet, plus the header.
  // The budget sheet: the budget year and its overslagsår across, numbers in 1.000 kr.
  const std::string budget = shell("unzip -p '" + file + "' xl/worksheets/sheet2.xml");
  CHECK(std::regex_search(budget, std::regex(R"re(<c r="F5" s="[0-9]+"><v>-?[0-9][0-9.eE+-]*</v></c>)re")));
  CHECK(budget.find("<c r=\"I5\"") != std::string::npos); // B+3
  const std::string per = shell("unzip -p '" + file + "' xl/worksheets/sheet8.xml");
  CHECK(per.find("<row r=\"21\"") != std::string::npos);
  CHECK(per.find("<row r=\"22\"") == std::string::npos);
}

namespace {

/// The cells of one worksheet of an .xlsx as text (shared strings resolved), by row and
/// column letters: enough to read back what a pivot table would see.
std::map<int, std::map<std::string, std::string>> sheet_cells(const std::string& file, int sheet) {
  const std::string strings_xml = shell("unzip -p '" + file + "' xl/sharedStrings.xml");
  std::vector<std::string> strings;
  const std::regex si(R"re(<si>(.*?)</si>)re"), tag(R"re(<[^>]*>)re");
  for (auto it = std::sregex_iterator(strings_xml.begin(), strings_xml.end(), si); it != std::sregex_iterator(); ++it)
    strings.push_back(std::regex_replace((*it)[1].str(), tag, ""));
  const std::string xml = shell("unzip -p '" + file + "' xl/worksheets/sheet" + std::to_string(sheet) + ".xml");
  std::map<int, std::map<std::string, std::string>> cells;
  const std::regex cell(R"re(<c r="([A-Z]+)([0-9]+)"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>)?</c>))re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), cell); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    std::string value = m[4].str();
    if (m[3].str().find("t=\"s\"") != std::string::npos && !value.empty()) value = strings.at(std::stoul(value));
    cells[std::stoi(m[2].str())][m[1].str()] = value;
  }
  return cells;
}

} // namespace

TEST_CASE("workbook: the pivot sheet adds up to the engine's totals, and the wide tables cannot double-count") {
  const auto& r = run();
  const auto& res = r.analysis->results;
  test::TempDir dir;
  const std::string file = (dir.path / "results.xlsx").string();
  socinvest::write_workbook(file, res, r.manifest);
  // Pivot data (sheet 5): sum every row of a measure, as a pivot table would, per variant.
  const auto pivot = sheet_cells(file, 5);
  REQUIRE(pivot.at(1).at("H") == "Measure");
  // The variant's title in column A (what a reader sees), its id in the last column J, the
  // key a pivot table or formula uses (wip-notes).
  REQUIRE(pivot.at(1).at("A") == "Variant");
  REQUIRE(pivot.at(1).at("J") == "Variant id");
  std::map<std::string, double> savings_pv, investment;
  std::size_t rows = 0;
  for (const auto& [n, row] : pivot) {
    if (n == 1) continue;
    ++rows;
    CHECK(row.at("E") != ""); // every row says its financing level
    const std::string& id = row.at("J");
    CHECK(row.at("A") == res.scenario->variants[static_cast<std::size_t>(res.scenario->variant_index(id))].shown(socinvest::Language::en));
    if (row.at("H") == "savings_pv") savings_pv[id] += std::stod(row.at("I"));
    if (row.at("H") == "investment") investment[id] += std::stod(row.at("I"));
    CHECK(row.at("H") != "cumulative_net_pv"); // does not add up over years
  }
  CHECK(rows > 0);
  const int T = res.accounts.total();
  for (const auto& vs : res.variants) {
    const std::string id = res.scenario->variants[static_cast<std::size_t>(vs.variant)].id;
    CAPTURE(id);
    const double want = res.money_at(vs.variant, T, -1, socinvest::Measure::savings_pv).mean;
    CHECK(savings_pv[id] == doctest::Approx(want).epsilon(1e-9));
    CHECK(investment[id] == doctest::Approx(res.money_at(vs.variant, T, -1, socinvest::Measure::investment).mean).epsilon(1e-9));
  }
  // By department x budget year (sheet 3): the filtered data range holds the departments'
  // years only; the whole horizon and the subtotals come after a blank row.
  const std::string wide = shell("unzip -p '" + file + "' xl/worksheets/sheet3.xml");
  std::smatch ref;
  REQUIRE(std::regex_search(wide, ref, std::regex(R"re(<autoFilter ref="A1:[A-Z]+([0-9]+)")re")));
  const socinvest::BudgetCalendar calendar(res.scenario->run);
  const int data_rows = static_cast<int>(res.variants.size()) * res.accounts.departments * calendar.years();
  CHECK(std::stoi(ref[1].str()) == 1 + data_rows);
  const auto cells = sheet_cells(file, 3);
  for (int n = 2; n <= 1 + data_rows; ++n) {
    CAPTURE(n);
    CHECK(cells.at(n).at("D") == "department");
    CHECK(cells.at(n).at("E") != "total");
  }
  CHECK(cells.count(2 + data_rows) == 0); // the blank row that ends the data range
}

TEST_CASE("workbook: a file that cannot be written is an IoError and leaves nothing behind") {
  const auto& r = run();
  test::TempDir dir;
  const std::string file = (dir.path / "missing-folder" / "results.xlsx").string();
  CHECK_THROWS_AS(socinvest::write_workbook(file, r.analysis->results, r.manifest), socinvest::IoError);
  CHECK(!std::filesystem::exists(dir.path / "missing-folder"));
}

TEST_CASE("workbook: the Evidence sheet has the solved hazard ratios and the evidence shares, only when there are any") {
  // The success-rate fixture: +10 points in b at month 12 via a->b (0.05 a month), hand value of
  // the hazard ratio ln(0.95^12 - 0.1) / (12 ln 0.95) = 1.332 (tests/test_success_rate.cpp).
  const auto s = socinvest::load_scenario(test::source_dir() + "/tests/fixtures/success-rate.yaml");
  socinvest::RunOptions o;
  o.iterations = 4;
  o.threads = 2;
  o.variants = {s.variant_index("project")};
  auto a = socinvest::analyse(s, o);
  a->results.evidence_shares = socinvest::evidence_shares(s, o, a->results);
  socinvest::Manifest m;
  m.started_at = "2026-01-01T00:00:00Z";
  test::TempDir dir;
  const std::string file = (dir.path / "results.xlsx").string();
  socinvest::write_workbook(file, a->results, m);
  const std::string book = shell("unzip -p '" + file + "' xl/workbook.xml");
  REQUIRE(book.find("name=\"Evidence\"") != std::string::npos);
  int sheet = 0;
  for (std::size_t at = book.find("<sheet "); at != std::string::npos && at < book.find("name=\"Evidence\""); at = book.find("<sheet ", at + 1))
    ++sheet;
  const auto cells = sheet_cells(file, sheet);
  REQUIRE(cells.count(3));
  CHECK(cells.at(2).at("F") == "Hazard ratio, mean");
  CHECK(cells.at(3).at("A") == "project");
  CHECK(cells.at(3).at("C") == "in_b");
  CHECK(std::stod(cells.at(3).at("E")) == doctest::Approx(0.10));
  const double hand = std::log(std::pow(0.95, 12) - 0.1) / (12 * std::log(0.95));
  CHECK(std::stod(cells.at(3).at("F")) == doctest::Approx(hand).epsilon(0.05)); // solved on a few hundred households
  CHECK(std::stod(cells.at(3).at("G")) <= std::stod(cells.at(3).at("F")));
  CHECK(std::stod(cells.at(3).at("H")) >= std::stod(cells.at(3).at("F")));
  CHECK(cells.at(3).at("I") == "randomised trial");
  CHECK(cells.at(3).at("J") == "a hand calculation");
  // The shares by grade: two grades, each with a share and the NPV lost without it.
  int grades = 0;
  for (const auto& [row, c] : cells)
    if (row > 4 && c.count("B") && (c.at("B") == "randomised trial" || c.at("B") == "expert guess")) ++grades;
  CHECK(grades == 2);
  // Without a success rate or shares, the workbook has the sheets it had.
  const auto& r = run();
  const std::string other = (dir.path / "plain.xlsx").string();
  socinvest::write_workbook(other, r.analysis->results, r.manifest);
  CHECK(shell("unzip -p '" + other + "' xl/workbook.xml").find("Evidence") == std::string::npos);
}
