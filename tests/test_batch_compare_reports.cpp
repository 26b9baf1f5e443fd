// The report formats of batch and compare: the HTML page (chart drawn, text escaped) and the
// workbook (its sheets, numbers as numbers, identical bytes when written twice), the batch
// ones built from the text of batch.csv alone.
#include "support.hpp"

#include <socinvest/decision/compare.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/report/batch_report.hpp>

#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// Two items: the first with two seeds and a label that is markup, the second with a label
// that looks like a formula (written by csv_text with its ' prefix) and quoted commas.
const char* batch_csv = R"(item,label,scenario,kind,seed,iterations,key,variant,measure,mean,se,p5,p50,p95
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,npv,-9200000,500000,-13200000,-9000000,-4400000
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,npv_public_sector,-8000000,400000,-12000000,-8100000,-3000000
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,npv_municipality,-6000000,300000,-9000000,-6100000,-2000000
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,investment_pv,12000000,100000,11000000,12000000,13000000
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,savings_pv,2800000,300000,900000,2700000,5000000
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,p_break_even,0.25,0.25,0.25,0.25,0.25
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,p_break_even_5y,0.125,0.125,0.125,0.125,0.125
1,<script>alert('label')</script>,tutorial.yaml,run,1,40,aaaa,family_team,p_break_even_10y,0.2,0.2,0.2,0.2,0.2
1,<script>alert('label')</script>,tutorial.yaml,run,2,40,bbbb,family_team,npv,-8800000,450000,-12800000,-8700000,-4000000
1,<script>alert('label')</script>,tutorial.yaml,run,2,40,bbbb,family_team,p_break_even,0.3,0.3,0.3,0.3,0.3
2,"'=SUM(1,2) project, short",tutorial.yaml,tornado,9,40,cccc,short_project,npv,1500000,200000,-400000,1400000,3900000
2,"'=SUM(1,2) project, short",tutorial.yaml,tornado,9,40,cccc,short_project,p_break_even,0.75,0.75,0.75,0.75,0.75
)";

const char* tiny = R"(
scenario: tiny
run: {start: 2024-01, horizon_years: 4, iterations: 6, seed: 3}
departments: {jobcenter: {name: J}, state: {name: S, level: state}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: {beta: {mean: 0.03, sd: 0.01}}}}
      job: {to: {unemployed: 0.01}}
population:
  households: 60
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed: [{department: jobcenter, amount: {gamma: {mean: 10000, sd: 500}}}]
variants:
  baseline: {}
  mentor_team:
    interventions:
      team:
        start: 2024-01
        duration_months: 24
        costs: [{department: jobcenter, fte: 1, monthly_cost_per_fte: {uniform: [40000, 60000]}}]
        effects: [{transition: work.unemployed->job, hazard_ratio: {lognormal: {median: 1.8, ci95: [1.2, 2.6]}}}]
  short_course:
    extends: mentor_team
    interventions:
      team: {duration_months: 6}
)";

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

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// Rectangles with a size, and lines of some length.
std::size_t drawn_rects(const std::string& svg) {
  static const std::regex rect(R"re(<rect [^>]*width="([0-9.]+)" height="([0-9.]+)")re");
  std::size_t n = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator(); ++it)
    n += std::stod((*it)[1]) > 0 && std::stod((*it)[2]) > 0 ? 1 : 0;
  return n;
}
std::size_t drawn_lines(const std::string& svg) {
  static const std::regex line(R"re(<line [^>]*x1="([-0-9.]+)" y1="([-0-9.]+)" x2="([-0-9.]+)" y2="([-0-9.]+)")re");
  std::size_t n = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), line); it != std::sregex_iterator(); ++it)
    n += std::stod((*it)[1]) != std::stod((*it)[3]) || std::stod((*it)[2]) != std::stod((*it)[4]) ? 1 : 0;
  return n;
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

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A comparison of the tiny scenario's two variants and the baseline.
struct Compared {
  socinvest::Scenario scenario;
  std::unique_ptr<socinvest::Analysis> analysis;
  socinvest::Comparison comparison;
  Compared() : scenario(test::scenario(tiny)) {
    analysis = test::analyse(scenario, 6, 1);
    comparison = socinvest::compare_options({{"tiny.yaml", &scenario, analysis.get(), {1, 2}}});
  }
};

const Compared& compared() {
  static const Compared c;
  return c;
}

} // namespace

TEST_CASE("batch report: a chart of every item and variant, tables, and escaped text, from batch.csv") {
  const std::string html = socinvest::batch_html(batch_csv, "Fund <application> 2025", socinvest::Language::en);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  // One chart, with a bar (rect), whiskers (lines) and a mean dot per item × variant.
  const auto found = charts(html, "batch-npv");
  REQUIRE(found.size() == 1);
  CHECK(count(html, "<svg") == 1);
  CHECK(drawn_rects(found[0]) >= 2);
  CHECK(drawn_lines(found[0]) >= 4);
  CHECK(count(found[0], "<circle") == 2);
  // Text from the manifest is escaped; nothing runs, nothing is fetched.
  CHECK(html.find("&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("Fund &lt;application&gt; 2025") != std::string::npos);
  CHECK(lower(html).find("<script") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  // The formula guard of batch.csv is undone for the page; quoted commas are one field.
  CHECK(html.find("=SUM(1,2) project, short") != std::string::npos);
  CHECK(html.find("&#39;=SUM") == std::string::npos);
  // Tables: every run (item, seed, variant) with its interval and break-even chances.
  CHECK(html.find("\u22129.2 m kr.") != std::string::npos);
  CHECK(html.find("90 %: \u221213.2 m kr. to \u22124.4 m kr.") != std::string::npos);
  CHECK(html.find("25 %") != std::string::npos);
  CHECK(html.find("20 %") != std::string::npos);
  CHECK(html.find("75 %") != std::string::npos);
  CHECK(html.find("tornado") != std::string::npos);
  // The chart pools item 1's two seeds: mean of the means.
  CHECK(found[0].find("\u22129.0 m kr.") != std::string::npos);
  // Danish.
  const std::string da = socinvest::batch_html(batch_csv, "Fond", socinvest::Language::da);
  CHECK(da.find("<html lang=\"da\">") != std::string::npos);
  CHECK(da.find("\u22129,2 mio. kr.") != std::string::npos);
  CHECK(da.find("Nettonutidsværdi") != std::string::npos);
  // Only the text matters: the same CSV gives the same page.
  CHECK(socinvest::batch_html(batch_csv, "Fund <application> 2025", socinvest::Language::en) == html);
  // Not a batch.csv.
  CHECK_THROWS_AS(socinvest::batch_html("a,b\n1,2\n", "x", socinvest::Language::en), socinvest::Error);
  const std::string empty = socinvest::batch_html(
      "item,label,scenario,kind,seed,iterations,key,variant,measure,mean,se,p5,p50,p95\n", "x", socinvest::Language::en);
  CHECK(empty.find("</html>") != std::string::npos);
}

TEST_CASE("batch workbook: the Evidence sheet shows the variant's title and its id last, in both languages") {
  // One run with evidence-share rows (batch.csv's measures, batch item evidence_shares: true):
  // NPV 10 m with every effect, 4 m without the randomised one: 60 % of it rests on that grade.
  const std::string csv = std::string(batch_csv) +
                          "3,evidence,tutorial.yaml,run,1,40,dddd,family_team,evidence_npv_all,10000000,,,,\n"
                          "3,evidence,tutorial.yaml,run,1,40,dddd,family_team,evidence_npv_none,0,,,,\n"
                          "3,evidence,tutorial.yaml,run,1,40,dddd,family_team,evidence_npv_without_randomised_trial,4000000,,,,\n"
                          "3,evidence,tutorial.yaml,run,1,40,dddd,family_team,evidence_share_randomised_trial,0.6,,,,\n";
  // Titles by "scenario file\nvariant id", as the batch collects them from its scenarios.
  const std::map<std::string, socinvest::Text> titles{{"tutorial.yaml\nfamily_team", socinvest::Text::of("Family team", "Familieteam")}};
  test::TempDir dir;
  for (const auto lang : {socinvest::Language::en, socinvest::Language::da}) {
    const bool da = lang == socinvest::Language::da;
    const auto file = dir.path / (da ? "da.xlsx" : "en.xlsx");
    socinvest::write_batch_workbook(file.string(), csv, lang, titles);
    const std::string workbook = shell("unzip -p '" + file.string() + "' xl/workbook.xml");
    const std::string sheet_name = da ? "Evidens" : "Evidence";
    CAPTURE(workbook);
    REQUIRE(workbook.find("<sheet name=\"" + sheet_name + "\"") != std::string::npos);
    const std::string strings = shell("unzip -p '" + file.string() + "' xl/sharedStrings.xml");
    // The sheet: its header in row 4, the run's one grade in row 5; the filter takes in column G.
    const std::string sheet = shell("unzip -p '" + file.string() + "' xl/worksheets/sheet3.xml");
    // The text of a cell of this sheet: its shared string (the <si> of the cell's index).
    const auto text_at = [&](const std::string& ref) {
      std::smatch m;
      if (!std::regex_search(sheet, m, std::regex("<c r=\"" + ref + "\"[^>]* t=\"s\"><v>([0-9]+)</v>"))) return std::string("?");
      std::size_t at = 0;
      for (int n = std::stoi(m[1]); n >= 0; --n) at = strings.find("<si>", at) + 4;
      const std::size_t from = strings.find("<t", at), text = strings.find('>', from) + 1;
      return strings.substr(text, strings.find("</t>", text) - text);
    };
    CHECK(text_at("C5") == (da ? "Familieteam" : "Family team"));
    CHECK(text_at("G4") == (da ? "Variant-id" : "Variant id"));
    CHECK(text_at("G5") == "family_team");
    CHECK(sheet.find("<autoFilter ref=\"A4:G5\"") != std::string::npos);
    CHECK(std::regex_search(sheet, std::regex(R"re(<c r="E5" s="[0-9]+"><v>0.6</v></c>)re")));
    CHECK(std::regex_search(sheet, std::regex(R"re(<c r="F5" s="[0-9]+"><v>6000000</v></c>)re")));
  }
}

TEST_CASE("batch workbook: Batch and Summary sheets, numbers as numbers, identical bytes when written twice") {
  test::TempDir dir;
  const auto first = dir.path / "first.xlsx", second = dir.path / "second.xlsx";
  socinvest::write_batch_workbook(first.string(), batch_csv);
  // The creation time is fixed: a second later the bytes are still the same.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  socinvest::write_batch_workbook(second.string(), batch_csv);
  REQUIRE(std::filesystem::exists(first));
  REQUIRE(std::filesystem::exists(second));
  CHECK(std::filesystem::file_size(first) > 1000);
  CHECK(read_bytes(first) == read_bytes(second));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path))
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);

  const std::string workbook = shell("unzip -p '" + first.string() + "' xl/workbook.xml");
  CHECK(workbook.find("<sheet name=\"Batch\"") != std::string::npos);
  CHECK(workbook.find("<sheet name=\"Summary\"") != std::string::npos);
  CHECK(workbook.find("<sheet name=\"Batch\"") < workbook.find("<sheet name=\"Summary\""));
  // Text: the formula-looking label keeps its ' prefix, markup stays text.
  const std::string strings = shell("unzip -p '" + first.string() + "' xl/sharedStrings.xml");
  CHECK(strings.find(">'=SUM(1,2) project, short<") != std::string::npos);
  CHECK(strings.find("&lt;script&gt;") != std::string::npos);
  CHECK(strings.find(">=SUM") == std::string::npos);
  // Batch: one row per CSV row plus the header, money as numbers, frozen header and a filter.
  const std::string batch = shell("unzip -p '" + first.string() + "' xl/worksheets/sheet1.xml");
  CHECK(batch.find("<row r=\"13\"") != std::string::npos);
  CHECK(batch.find("<row r=\"14\"") == std::string::npos);
  CHECK(std::regex_search(batch, std::regex(R"re(<c r="J2" s="[0-9]+"><v>-9200000</v></c>)re")));
  CHECK(std::regex_search(batch, std::regex(R"re(<c r="E10"( s="[0-9]+")?><v>2</v></c>)re")));
  CHECK(batch.find("state=\"frozen\"") != std::string::npos);
  // The filter takes in the last column, the variant's id (column O).
  CHECK(batch.find("<autoFilter ref=\"A1:O13\"") != std::string::npos);
  CHECK(batch.find("<f>") == std::string::npos);
  // Summary: per label × variant, the mean over seeds (-9.2 m and -8.8 m: -9.0 m).
  const std::string summary = shell("unzip -p '" + first.string() + "' xl/worksheets/sheet2.xml");
  CHECK(std::regex_search(summary, std::regex(R"re(<c r="C5" s="[0-9]+"><v>2</v></c>)re")));
  CHECK(std::regex_search(summary, std::regex(R"re(<c r="D5" s="[0-9]+"><v>-9000000</v></c>)re")));
  CHECK(std::regex_search(summary, std::regex(R"re(<c r="D6" s="[0-9]+"><v>1500000</v></c>)re")));
  CHECK(summary.find("<row r=\"7\"") == std::string::npos);
  const std::string styles = shell("unzip -p '" + first.string() + "' xl/styles.xml");
  CHECK(styles.find("kr.") != std::string::npos);
  // No folder: an IoError and nothing left behind.
  CHECK_THROWS_AS(socinvest::write_batch_workbook((dir.path / "missing" / "batch.xlsx").string(), batch_csv), socinvest::IoError);
  CHECK(!std::filesystem::exists(dir.path / "missing"));
}

TEST_CASE("compare report and workbook: every option, the ranking chart, paired differences and EVPI") {
  const auto& c = compared().comparison;
  REQUIRE(c.options.size() == 3);
  const std::string html = socinvest::compare_html(c, socinvest::Language::en);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  for (const auto& opt : c.options) {
    CAPTURE(opt.label);
    CHECK(html.find("<b>" + opt.label + "</b>") != std::string::npos);
  }
  const auto found = charts(html, "compare-npv");
  REQUIRE(found.size() == 1);
  CHECK(count(found[0], "<circle") == 3);
  CHECK(drawn_rects(found[0]) >= 3);
  CHECK(drawn_lines(found[0]) >= 4);
  // Rank order in the chart: the first row is the option ranked 1.
  const auto* best = &c.options[0];
  for (const auto& opt : c.options)
    if (opt.rank == 1) best = &opt;
  CHECK(found[0].find(">" + best->label + "<") < found[0].find(">" + (best == &c.options[0] ? c.options[1].label : c.options[0].label) + "<"));
  CHECK(html.find("Paired differences") != std::string::npos);
  CHECK(count(html, "Chance a is better") == 1);
  CHECK(html.find("Expected value of perfect information") != std::string::npos);
  CHECK(html.find(socinvest::money_short(c.evpi)) != std::string::npos);
  CHECK(lower(html).find("<script") == std::string::npos);
  const std::string da = socinvest::compare_html(c, socinvest::Language::da);
  CHECK(da.find("<html lang=\"da\">") != std::string::npos);
  CHECK(da.find("Parrede forskelle") != std::string::npos);

  test::TempDir dir;
  const auto file = dir.path / "compare.xlsx", again = dir.path / "again.xlsx";
  socinvest::write_compare_workbook(file.string(), c);
  socinvest::write_compare_workbook(again.string(), c);
  REQUIRE(std::filesystem::exists(file));
  CHECK(read_bytes(file) == read_bytes(again));
  const std::string workbook = shell("unzip -p '" + file.string() + "' xl/workbook.xml");
  for (std::string sheet : {"Ranking", "Paired differences", "Value of information"}) {
    CAPTURE(sheet);
    CHECK(workbook.find("<sheet name=\"" + sheet + "\"") != std::string::npos);
  }
  const std::string strings = shell("unzip -p '" + file.string() + "' xl/sharedStrings.xml");
  for (const auto& opt : c.options) {
    CAPTURE(opt.label);
    CHECK(strings.find(">" + opt.label + "<") != std::string::npos);
  }
  // Ranking: rank 1 first, with its mean as a number.
  const std::string ranking = shell("unzip -p '" + file.string() + "' xl/worksheets/sheet1.xml");
  CHECK(std::regex_search(ranking, std::regex(R"re(<c r="A5" s="[0-9]+"><v>1</v></c>)re")));
  CHECK(ranking.find("<row r=\"7\"") != std::string::npos);
  CHECK(ranking.find("<row r=\"8\"") == std::string::npos);
  // One row per pair.
  const std::string pairs = shell("unzip -p '" + file.string() + "' xl/worksheets/sheet2.xml");
  CHECK(pairs.find("<row r=\"4\"") != std::string::npos);
  CHECK(pairs.find("<row r=\"5\"") == std::string::npos);
}
