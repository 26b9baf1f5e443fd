// The files a run writes: text from a scenario cannot run as a spreadsheet formula or break
// a CSV, and only the manifest may differ between thread counts.
#include "support.hpp"

#include <socinvest/csv.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/tables.hpp>

#include <doctest/doctest.h>

#include <cmath>

TEST_CASE("scenario text is written so spreadsheets do not evaluate it") {
  CHECK(socinvest::csv_text("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(socinvest::csv_text("+1") == "'+1");
  CHECK(socinvest::csv_text("-cmd") == "'-cmd");
  CHECK(socinvest::csv_text("@SUM(A1)") == "'@SUM(A1)");
  CHECK(socinvest::csv_text("plain, with comma") == "\"plain, with comma\"");
  CHECK(socinvest::csv_text("Beskæftigelse") == "Beskæftigelse");
  CHECK(socinvest::json_string("a\"b\\c\n<script>") == "\"a\\\"b\\\\c\\n\\u003cscript\\u003e\"");
  CHECK(socinvest::exact_number(0.1) == "0.1");
  CHECK(socinvest::grouped(1234567.0, socinvest::Language::da) == "1.234.567");
  CHECK(socinvest::grouped(-1234567.0, socinvest::Language::en) == "-1,234,567");
}

TEST_CASE("amounts for people: whole kroner, or millions with one decimal, in the language's words") {
  using socinvest::Language;
  CHECK(socinvest::money_short(-6.44e6, Language::en) == "-6.4 m kr.");
  CHECK(socinvest::money_short(-6.44e6, Language::da) == "-6,4 mio. kr.");
  CHECK(socinvest::money_short(999999.0, Language::da) == "999.999 kr.");
  CHECK(socinvest::money_interval(-36e6, 12e5, Language::en) == "-36.0 to 1.2 m kr.");
  CHECK(socinvest::money_interval(-36e6, 12e5, Language::da) == "-36,0 til 1,2 mio. kr.");
  CHECK(socinvest::money_interval(-1234, 5678, Language::en) == "-1,234 to 5,678 kr.");
  CHECK(socinvest::money_interval(std::nan(""), 1, Language::en) == "n/a");
}

TEST_CASE("what csv_text writes, the CSV reader reads back") {
  const std::vector<std::string> texts{"plain", "with, comma", "a \"quote\"", "two\nlines", "=1+1", "-x", "", "æøå"};
  std::string line;
  for (const auto& t : texts) line += (line.empty() ? "" : ",") + socinvest::csv_text(t);
  const auto rows = socinvest::parse_csv(line + "\r\n\n" + line);
  REQUIRE(rows.size() == 2); // the blank line is no record
  for (const auto& row : rows) {
    REQUIRE(row.size() == texts.size());
    for (std::size_t k = 0; k < texts.size(); ++k) CHECK(socinvest::original_text(row[k]) == texts[k]);
  }
  // Line by line (the population extract): a quote left open is reported, columns located.
  std::size_t pos = 0;
  const auto r = socinvest::read_csv_record("æ,\"b\nc\",d", pos, false);
  CHECK(!r.closed);
  CHECK(r.fields == std::vector<std::string>{"æ", "b"});
  CHECK(r.starts == std::vector<int>{1, 3});
  CHECK(pos == 6); // past the line end (æ is two bytes)
}

TEST_CASE("--csv da: semicolons, decimal commas and a byte order mark, text fields untouched") {
  using socinvest::CsvDialect;
  const std::string international = "variant,item,year,value\n"
                                    "project,\"Jobcenter, Viborg\",2024,-1234.5\n"
                                    "project,a;b,total,1e-05\n"
                                    "project,'=SUM(1),2023-06 to 2024-05,\n"
                                    ",\"say \"\"hi\"\"\",12,0.25\n";
  CHECK(socinvest::in_dialect(international, CsvDialect::international) == international);
  const std::string da = socinvest::in_dialect(international, CsvDialect::da);
  CHECK(da == "\xEF\xBB\xBF"
              "variant;item;year;value\r\n"
              "project;\"Jobcenter, Viborg\";2024;-1234,5\r\n"
              "project;\"a;b\";total;1e-05\r\n" // a ';' in text is quoted; "1e-05" has no point to change
              "project;'=SUM(1);2023-06 to 2024-05;\r\n"
              ";\"say \"\"hi\"\"\";12;0,25\r\n");
  CHECK(socinvest::csv_dialect_named("da") == CsvDialect::da);
  CHECK(!socinvest::csv_dialect_named("excel"));
}

TEST_CASE("names that look like formulas or paths are refused where they are defined") {
  // Names become CSV columns, cells and folder names (out/<scenario>): plain words only.
  const std::string base = R"(
run: {start: 2024-01, horizon_years: 2, iterations: 3, seed: 1}
departments: {jobcenter: {name: "=1+1"}}
domains:
  work:
    applies_to: {role: adult, age: [18, 67]}
    states: [benefit, job]
    transitions: {benefit: {to: {job: 0.05}}}
population: {households: 20, synthetic: {start_state: {work: {benefit: 1.0}}}}
costs: {work.benefit: [{department: jobcenter, amount: 1000}]}
variants:
  baseline: {}
)";
  auto refused = [&](const std::string& text) {
    try {
      (void)test::scenario(text);
    } catch (const socinvest::InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK(refused("scenario: \"../../victim\"" + base).find("'../../victim' is not a valid scenario name") != std::string::npos);
  CHECK(refused("scenario: ok" + base + "  \"=cmd|' /C calc'!A0\": {}\n").find("is not a valid variant name") !=
        std::string::npos);
  CHECK(refused("scenario: ok" + base + "  \"a/b\": {}\n").find("'a/b' is not a valid variant name") != std::string::npos);
  // A zero-width space is shown, not hidden.
  CHECK(refused("scenario: \"job\u200bcenter\"" + base).find("'job<U+200B>center'") != std::string::npos);
  CHECK(refused("scenario: h\u00f8je-taastrup_2" + base) == "(accepted)"); // Danish letters, '-', '_'
  // Text that is not a name (a department's display name) may look like a formula: every
  // CSV and sheet escapes it.
  CHECK(socinvest::csv_text("=1+1") == "'=1+1");
}

namespace {

/// summary.json split into everything before its manifest, and the manifest (the last
/// member: nothing may follow it, so the first part is everything else).
std::pair<std::string, std::string> split_manifest(const std::string& json) {
  const std::size_t at = json.find("\"manifest\": {");
  REQUIRE(at != std::string::npos);
  const std::string manifest = json.substr(at);
  CHECK(manifest.find('{') == manifest.rfind('{')); // one object: no other member after it
  CHECK(manifest.ends_with("]}\n}\n"));
  return {json.substr(0, at), manifest};
}

} // namespace

TEST_CASE("only the manifest differs between thread counts") {
  const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/tutorial.yaml");
  socinvest::Manifest m1, m2;
  m1.threads = 1;
  m1.seed = 42;
  m1.iterations = 4;
  m2 = m1;
  m2.threads = 2;
  m2.seconds = 3.5;
  auto one = test::analyse(s, 4, 1), two = test::analyse(s, 4, 2);
  // With the same manifest, every byte is the same.
  CHECK(socinvest::summary_json(one->results, m1) == socinvest::summary_json(two->results, m1));
  // With each run's own manifest, the results are the same and the manifest says what differed.
  const auto [results1, manifest1] = split_manifest(socinvest::summary_json(one->results, m1));
  const auto [results2, manifest2] = split_manifest(socinvest::summary_json(two->results, m2));
  CHECK(results1.size() > 1000);
  CHECK(results1 == results2);
  CHECK(manifest1.find("\"seed\": 42, \"iterations\": 4, \"threads\": 1, \"seconds\": 0,") != std::string::npos);
  CHECK(manifest2.find("\"seed\": 42, \"iterations\": 4, \"threads\": 2, \"seconds\": 3.5,") != std::string::npos);
}
