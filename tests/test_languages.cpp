// Every command in both languages (issue 14): runs run, compare, sweep, batch and validate
// with --lang en and --lang da (and SOCINVEST_LANG) on the tutorial at a few iterations, and
// fails on any text of the other language's message catalogue in what the command said or
// wrote.
//
// The rule, so that it can fail but not on chance: a catalogue text is cut into fragments at
// placeholders ({0}, %d, %s, ...), line breaks and HTML tags, and each fragment trimmed of
// spaces and punctuation. A fragment of the other language is looked for when
//   - its entry differs between the languages (en != da),
//   - it has at least 8 bytes (shorter tokens such as "netto", "NV", "år" are too common),
//   - it is not part of any text of the output's own language (so "break-even", "Monte Carlo"
//     or "Budget" that Danish borrows do not count),
// and it counts as found only as a whole word or phrase (no letter right before or after it)
// and with the same case. Outputs searched: the terminal (stdout and stderr), the text of
// every .html the command wrote (tags, <style> and <script> removed, entities decoded), and
// the shared strings and sheet names of every .xlsx (via `unzip -p`).
// The workbooks' sheet names, headers and notes are in the catalogue too, so a Danish
// workbook is checked like every other output; its sheet names must also be names Excel
// takes (at most 31 characters, none of []:*?/\). `explain` and `power` are run in both
// languages as well.
#include "support.hpp"

#include <socinvest/ledger/accounts.hpp>
#include <socinvest/ledger/results.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/loader.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#ifndef SOCINVEST_EXE
#error "SOCINVEST_EXE: the path of the socinvest program (tests/CMakeLists.txt)"
#endif

namespace fs = std::filesystem;
using namespace socinvest;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}

std::string trimmed(const std::string& s) {
  const char* junk = " \t,.;:()[]*-/+=%'\"";
  const auto a = s.find_first_not_of(junk);
  if (a == std::string::npos) return {};
  // A trailing "–" (U+2013, 3 bytes) or "·" is punctuation too.
  std::string t = s.substr(a, s.find_last_not_of(junk) - a + 1);
  for (const std::string dash : {"\u2013", "\u00b7", "\u2212"}) {
    while (t.size() >= dash.size() && t.compare(t.size() - dash.size(), dash.size(), dash) == 0) {
      t.resize(t.size() - dash.size());
      t = trimmed(t);
    }
    while (t.compare(0, dash.size(), dash) == 0) t = trimmed(t.substr(dash.size()));
  }
  return t;
}

/// The fragments of a catalogue text, as the rule above cuts them.
std::vector<std::string> fragments(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto cut = [&] {
    const std::string t = trimmed(cur);
    if (t.size() >= 8) out.push_back(t);
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 2 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
      cut();
      i = text.find('}', i);
      if (i == std::string::npos) break;
    } else if (c == '%' && i + 1 < text.size() && text[i + 1] != ' ') {
      cut();
      ++i;
      while (i < text.size() && std::string_view("0123456789.-lhu").find(text[i]) != std::string_view::npos) ++i;
    } else if (c == '<') {
      cut();
      i = text.find('>', i);
      if (i == std::string::npos) break;
    } else if (c == '\n') {
      cut();
    } else {
      cur += c;
    }
  }
  cut();
  return out;
}

// A match inside an identifier, a key path or an option (variants.family_team, --iterations,
// households_per_staff_pair) is not text: '.', '_' and '-' next to it count as part of a word.
bool has_phrase(const std::string& hay, const std::string& needle) {
  auto joins = [](char c) { return is_word_byte(c) || c == '_' || c == '.' || c == '-'; };
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) {
    const bool left = at == 0 || !joins(hay[at - 1]);
    const std::size_t end = at + needle.size();
    const bool right = end >= hay.size() || !(is_word_byte(hay[end]) || hay[end] == '_' ||
                                              (hay[end] == '.' && end + 1 < hay.size() && is_word_byte(hay[end + 1])));
    if (left && right) return true;
  }
  return false;
}

/// Fragments of the other language's catalogue that an output in `lang` must not hold.
std::vector<std::pair<std::string, std::string>> foreign_fragments(Language lang) {
  std::vector<std::pair<std::string, std::string>> out; // (fragment, key)
  const auto catalogue = message_catalogue();
  for (const Message& m : catalogue) {
    if (std::string(m.en) == m.da) continue;
    const std::string other = lang == Language::da ? m.en : m.da;
    for (const auto& f : fragments(other)) {
      bool own = false;
      for (const Message& n : catalogue)
        if (std::string(lang == Language::da ? n.da : n.en).find(f) != std::string::npos) own = true;
      if (!own) out.emplace_back(f, m.name);
    }
  }
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

std::string without_tags(std::string html) {
  for (const char* tag : {"style", "script"}) {
    const std::string open = std::string("<") + tag, close = std::string("</") + tag + ">";
    for (auto a = html.find(open); a != std::string::npos; a = html.find(open, a)) {
      const auto b = html.find(close, a);
      html.erase(a, b == std::string::npos ? std::string::npos : b + close.size() - a);
    }
  }
  std::string text;
  bool in_tag = false;
  for (const char c : html) {
    if (c == '<') in_tag = true;
    else if (c == '>') { in_tag = false; text += ' '; }
    else if (!in_tag) text += c;
  }
  replace_all(text, "&nbsp;", " ");
  replace_all(text, "&lt;", "<");
  replace_all(text, "&gt;", ">");
  replace_all(text, "&quot;", "\"");
  replace_all(text, "&#39;", "'");
  replace_all(text, "&amp;", "&");
  return text;
}

struct Output {
  std::string where;
  std::string text;
};

/// `text` without the tutorial's own words (its title, description, variant descriptions,
/// department names and indicator labels: the author's text, in whatever language the author
/// wrote it). Warnings are checked like any text: calibrate's start with the catalogue's
/// "warning: " / "advarsel: ", a scenario's with their place.
std::string without_scenario_text(std::string text) {
  // The scenarios the commands below read: the tutorial, and the register-panel example's
  // model (calibrate and panel print its title).
  static const std::vector<Scenario> scenarios = [] {
    std::vector<Scenario> v;
    v.push_back(load_scenario(test::source_dir() + "/scenarios/tutorial.yaml"));
    v.push_back(load_scenario(test::source_dir() + "/scenarios/examples/register-panel/model.yaml"));
    return v;
  }();
  // (Both languages of each: which one an output shows is checked by the bilingual test.)
  std::vector<std::string> own;
  auto add = [&](const Text& t) {
    own.push_back(t.en);
    own.push_back(t.da);
  };
  for (const Scenario& s : scenarios) {
    add(s.title);
    add(s.description);
    for (const auto& v : s.variants) {
      add(v.title);
      add(v.description);
    }
    for (const auto& d : s.departments) add(d.name);
    for (const auto& i : s.indicators) add(i.label);
    for (const auto& t : s.targets) add(t.text);
    // The author's notes and sources beside numbers (the assumptions table and the
    // re-pricing sheets show them as written, in whichever language: "kontanthjælp").
    for (const Quantity* q : s.quantities()) own.push_back(q->source);
    for (const auto& c : s.state_costs)
      for (const auto& l : c.lines) {
        add(l.note);
        for (const auto& ch : l.changes) add(ch.note);
      }
    for (const auto& c : s.transition_costs)
      for (const auto& l : c.lines) add(l.note);
    for (const auto& v : s.variants) {
      for (const auto& iv : v.interventions)
        for (const auto& c : iv.costs) add(c.note);
      for (const auto& k : v.contracts) add(k.note);
    }
  }
  // Longest first, so that a note is not cut by a shorter one inside it.
  std::sort(own.begin(), own.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  const Scenario& s = scenarios.front();
  for (const auto& o : own)
    if (!o.empty())
      for (auto at = text.find(o); at != std::string::npos; at = text.find(o, at)) text.erase(at, o.size());
  // The author's identifiers too (variant, department, indicator and domain ids: "baseline",
  // "family_team"), as whole words of 5 letters or more.
  std::vector<std::string> ids;
  for (const auto& v : s.variants) ids.push_back(v.id);
  for (const auto& d : s.departments) ids.push_back(d.id);
  for (const auto& i : s.indicators) ids.push_back(i.id);
  for (const auto& d : s.domains) ids.push_back(d.id);
  for (const auto& id : ids)
    if (id.size() >= 5)
      for (auto at = text.find(id); at != std::string::npos; at = text.find(id, at + 1)) {
        const std::size_t end = at + id.size();
        if ((at == 0 || !is_word_byte(text[at - 1])) && (end >= text.size() || !is_word_byte(text[end]))) {
          text.erase(at, id.size());
          if (at > 0) --at;
        }
      }
  return text;
}

/// Whether a workbook cell is an engine identifier of a technical column (the keys that the
/// CSV files use): a measure or headline name, an account id, or such names joined by ':'
/// ("npv:level:municipality", "investment_pv:service", "budget_2026:tax").
bool is_identifier_cell(const std::string& cell) {
  static const std::vector<std::string> known = [] {
    std::vector<std::string> k{"level", "public_sector", "total"};
    for (int m = 0; m < static_cast<int>(Measure::count); ++m) k.emplace_back(name(static_cast<Measure>(m)));
    for (int h = 0; h < static_cast<int>(Headline::count); ++h) k.emplace_back(name(static_cast<Headline>(h)));
    for (const auto& e : financing_level_names) k.emplace_back(e.name);
    for (const auto& e : expenditure_type_names) k.emplace_back(e.name);
    return k;
  }();
  if (cell.empty()) return false;
  std::size_t from = 0;
  while (true) {
    const std::size_t colon = cell.find(':', from);
    const std::string part = cell.substr(from, colon == std::string::npos ? std::string::npos : colon - from);
    const bool budget_year = part.size() == 11 && part.rfind("budget_", 0) == 0;
    if (!budget_year && std::find(known.begin(), known.end(), part) == known.end()) return false;
    if (colon == std::string::npos) return true;
    from = colon + 1;
  }
}

/// The text of a workbook's shared strings and sheet names, without the identifier cells.
std::string without_identifier_cells(const std::string& xml) {
  std::string out;
  for (auto at = xml.find("<si>"); at != std::string::npos; at = xml.find("<si>", at + 1)) {
    const auto end = xml.find("</si>", at);
    const std::string cell = without_tags(xml.substr(at, end - at));
    std::string trimmed_cell;
    for (const char c : cell)
      if (c != ' ') trimmed_cell += c;
    if (!is_identifier_cell(trimmed_cell)) out += cell + "\n";
  }
  // workbook.xml (the sheet names), wherever unzip put it.
  const auto book = xml.find("<workbook"), book_end = xml.find("</workbook>");
  if (book != std::string::npos && book_end != std::string::npos) out += without_tags(xml.substr(book, book_end - book));
  return out;
}

/// One member of a zip file (an .xlsx), via `unzip -p`.
std::string slurp_zip(const fs::path& zip, const std::string& member, const fs::path& scratch) {
  const fs::path file = scratch / "member.xml";
  const std::string unzip = "unzip -p '" + zip.string() + "' " + member + " > '" + file.string() + "'";
  REQUIRE(std::system(unzip.c_str()) == 0);
  return slurp(file);
}

/// The sheet names of the workbooks the last run_command() read.
std::vector<std::string> sheets;

/// Runs `socinvest ARGS` in `dir` (with SOCINVEST_LANG=`env` when given); the terminal and
/// the text of every .html and .xlsx below `dir/out`, without the tutorial's own words unless
/// `keep_scenario_text`.
std::vector<Output> run_command(const fs::path& dir, const std::string& args, const std::string& env = {},
                                bool keep_scenario_text = false) {
  const auto readable = [&](std::string text) { return keep_scenario_text ? text : without_scenario_text(std::move(text)); };
  sheets.clear();
  fs::create_directories(dir);
  const fs::path term = dir / "terminal.txt";
  const std::string cmd = "cd '" + dir.string() + "' && " + (env.empty() ? "" : "SOCINVEST_LANG=" + env + " ") + "'" +
                          SOCINVEST_EXE + "' " + args + " > terminal.txt 2>&1";
  const int rc = std::system(cmd.c_str());
  INFO(cmd, "\n", slurp(term));
  REQUIRE(rc == 0);
  std::vector<Output> out{{"terminal", readable(slurp(term))}};
  if (fs::exists(dir / "out"))
    for (const auto& e : fs::recursive_directory_iterator(dir / "out")) {
      if (e.path().extension() == ".html") out.push_back({e.path().string(), readable(without_tags(slurp(e.path())))});
      // A README.txt (panel's), and the comment lines of a CSV file (panel's note on the
      // simulated persons): words for people. A CSV's data are identifiers and numbers.
      if (e.path().extension() == ".txt") out.push_back({e.path().string(), readable(slurp(e.path()))});
      if (e.path().extension() == ".csv") {
        std::istringstream lines(slurp(e.path()));
        std::string comments;
        for (std::string line; std::getline(lines, line);)
          if (line.rfind("# ", 0) == 0) comments += line.substr(2) + "\n";
        if (!comments.empty()) out.push_back({e.path().string(), readable(comments)});
      }
      if (e.path().extension() == ".xlsx") {
        const fs::path strings = dir / "strings.xml";
        const std::string unzip = "unzip -p '" + e.path().string() + "' xl/sharedStrings.xml xl/workbook.xml > '" +
                                  strings.string() + "'";
        REQUIRE(std::system(unzip.c_str()) == 0);
        out.push_back({e.path().string(), readable(without_identifier_cells(slurp(strings)))});
        // Every sheet name is one Excel takes: at most 31 characters, none of []:*?/\.
        const std::string book = slurp_zip(e.path(), "xl/workbook.xml", dir);
        for (auto at = book.find("<sheet name=\""); at != std::string::npos; at = book.find("<sheet name=\"", at + 1)) {
          const auto from = at + 13, to = book.find('"', from);
          std::string name = book.substr(from, to - from);
          replace_all(name, "&amp;", "&");
          INFO(e.path().string(), ": sheet '", name, "'");
          std::size_t chars = 0;
          for (const char c : name) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
          CHECK(chars <= 31);
          CHECK(name.find_first_of("[]:*?/\\") == std::string::npos);
          sheets.push_back(name);
        }
      }
    }
  return out;
}

/// The foreign fragments found in `outputs` ("file: fragment (key)" lines); `skip_xlsx`
/// leaves the workbooks out (the known gap above).
std::string foreign_in(const std::vector<Output>& outputs, Language lang, bool skip_xlsx = false) {
  std::string found;
  const auto foreign = foreign_fragments(lang);
  for (const auto& o : outputs) {
    if (skip_xlsx && o.where.size() > 5 && o.where.compare(o.where.size() - 5, 5, ".xlsx") == 0) continue;
    for (const auto& [f, key] : foreign)
      if (has_phrase(o.text, f)) found += o.where + ": \"" + f + "\" (Msg::" + key + ")\n";
  }
  return found;
}

struct Scratch {
  fs::path path = fs::temp_directory_path() / ("socinvest-lang-" + std::to_string(::getpid()) + "-" +
                                               std::to_string(std::rand()));
  ~Scratch() {
    std::error_code e;
    fs::remove_all(path, e);
  }
};

const std::string tutorial = "'" + test::source_dir() + "/scenarios/tutorial.yaml'";

void check_both(const std::string& name, const std::string& args, bool skip_xlsx_da = false) {
  Scratch s;
  for (const Language lang : {Language::en, Language::da}) {
    const std::string code = lang == Language::da ? "da" : "en";
    const auto outputs = run_command(s.path / code, args + " --lang " + code);
    const std::string found = foreign_in(outputs, lang, skip_xlsx_da && lang == Language::da);
    INFO(name, " --lang ", code, ": texts of the other language:\n", found);
    CHECK(found.empty());
  }
}

} // namespace

TEST_CASE("languages: the rule finds a foreign text and passes the own language") {
  // The check itself can fail: an English catalogue text in a Danish output is found, a
  // Danish one is not, and a fragment inside a longer word does not count.
  const std::vector<Output> english{{"terminal", std::string("x ") + T(Language::en, Msg::chance_of_breaking_even) + " 45 %"}};
  CHECK(!foreign_in(english, Language::da).empty());
  CHECK(foreign_in(english, Language::en).empty());
  const std::vector<Output> danish{{"terminal", std::string(T(Language::da, Msg::chance_of_breaking_even)) + " 45 %"}};
  CHECK(!foreign_in(danish, Language::en).empty());
  CHECK(foreign_in(danish, Language::da).empty());
  CHECK(!has_phrase("Investeretx", "Investeret"));
  CHECK(has_phrase("(Investeret)", "Investeret"));
  // Every catalogue key is in order and has both forms.
  const auto catalogue = message_catalogue();
  REQUIRE(catalogue.size() == static_cast<std::size_t>(Msg::count));
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    CHECK(static_cast<std::size_t>(catalogue[i].key) == i);
    CHECK(std::string(catalogue[i].en).size() > 0);
    CHECK(std::string(catalogue[i].da).size() > 0);
  }
  CHECK(format_message(Language::da, Msg::results_in_folder, {"ud"}) == "Resultater i ud/");
}

TEST_CASE("languages: run in English and Danish") {
  check_both("run", "run " + tutorial + " --iterations 3 --out out");
  // The Danish workbook's sheets have Danish names (and the English one keeps its own).
  Scratch s;
  const auto da_out = run_command(s.path / "da", "run " + tutorial + " --iterations 3 --out out --format xlsx --lang da");
  const std::vector<std::string> da = sheets;
  // Accounts by their names, in the run's language (ids only in the Account column): the
  // tutorial's jobcenter is "Beskæftigelse (jobcenter)", the levels and totals are named.
  auto xlsx_cells = [&](const std::vector<Output>& outputs) { // results.xlsx's strings, unfiltered
    return slurp_zip(outputs.back().where, "xl/sharedStrings.xml", s.path);
  };
  const std::string da_cells = xlsx_cells(da_out);
  CHECK(da_cells.find("Den offentlige sektor (kommune, region og stat)") != std::string::npos);
  CHECK(da_cells.find("I alt (alle parter)") != std::string::npos);
  CHECK(da_cells.find("Total (all parties)") == std::string::npos);
  CHECK(std::find(da.begin(), da.end(), "Oversigt") != da.end());
  CHECK(std::find(da.begin(), da.end(), "Antagelser") != da.end());
  CHECK(std::find(da.begin(), da.end(), "Summary") == da.end());
  const auto en_out = run_command(s.path / "en", "run " + tutorial + " --iterations 3 --out out --format xlsx --lang en");
  const std::string en_cells = xlsx_cells(en_out);
  CHECK(en_cells.find("Public sector (municipality, region and state)") != std::string::npos);
  CHECK(en_cells.find("Den offentlige sektor") == std::string::npos);
  // The department's own name stands beside its id, in both languages (the author's text).
  CHECK(da_cells.find("Besk\xc3\xa6" "ftigelse (jobcenter)") != std::string::npos);
  CHECK(en_cells.find("Besk\xc3\xa6" "ftigelse (jobcenter)") != std::string::npos);
  CHECK(std::find(sheets.begin(), sheets.end(), "Summary") != sheets.end());
  CHECK(sheets.size() == da.size());
}

TEST_CASE("languages: compare in English and Danish") {
  check_both("compare", "compare " + tutorial + " --iterations 3 --out out");
  // Two files (here the same twice): the line saying what was simulated and re-priced.
  check_both("compare", "compare " + tutorial + " " + tutorial + " --iterations 3 --out out");
}

TEST_CASE("languages: sweep in English and Danish") {
  check_both("sweep",
             "sweep " + tutorial + " --iterations 3 --parameter variants.family_team.interventions.team.uptake --out out");
}

TEST_CASE("languages: batch in English and Danish") {
  Scratch s;
  fs::create_directories(s.path);
  std::ofstream(s.path / "b.yaml") << "batch: lang\noutput: out\niterations: 3\nitems:\n  - {scenario: " << tutorial
                                    << ", seeds: [1], label: \"T\"}\n";
  check_both("batch", "batch '" + (s.path / "b.yaml").string() + "' --out out");
}

TEST_CASE("languages: explain and power in English and Danish") {
  check_both("explain", "explain " + tutorial);
  check_both("power", "power '" + test::source_dir() +
                          "/tests/fixtures/power.yaml' --variant project --indicator in_b --at-month 12 --households 40 "
                          "--trials 5 --max-households 80 --out out");
}

TEST_CASE("languages: validate, and SOCINVEST_LANG when --lang is not given") {
  Scratch s;
  auto da = run_command(s.path / "da", "validate " + tutorial, "da");
  CHECK(da.front().text.find("forvaltninger") != std::string::npos);
  CHECK(foreign_in(da, Language::da).empty());
  auto en = run_command(s.path / "en", "validate " + tutorial + " --lang en", "da"); // the flag wins
  CHECK(en.front().text.find("departments") != std::string::npos);
  CHECK(foreign_in(en, Language::en).empty());
  // A language the tool does not have: a usage error naming the variable.
  const std::string cmd = "SOCINVEST_LANG=de '" + std::string(SOCINVEST_EXE) + "' run " + tutorial +
                          " --iterations 1 --out '" + (s.path / "x").string() + "' > '" + (s.path / "x.txt").string() +
                          "' 2>&1";
  const int rc = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(rc) == 2);
  CHECK(slurp(s.path / "x.txt").find("SOCINVEST_LANG") != std::string::npos);
  CHECK(!fs::exists(s.path / "x"));
}

TEST_CASE("languages: panel and calibrate in English and Danish") {
  const std::string example = "'" + test::source_dir() + "/scenarios/examples/register-panel/";
  check_both("calibrate", "calibrate " + example + "panel.csv' --scenario " + example + "model.yaml' --out out");
  check_both("panel", "panel " + example + "model.yaml' --persons 20 --months 6 --out out");
  // Rows by group (wip-calib): the split tables and verdicts of calibration.html.
  check_both("calibrate --by", "calibrate " + example + "panel.csv' --scenario " + example +
                                   "model.yaml' --by household_type --min-count 5 --out out");
}

TEST_CASE("languages: the panel difference-in-differences and the workbook's Evidence sheet in English and Danish") {
  const std::string fixture = "'" + test::source_dir() + "/tests/fixtures/success-rate.yaml'";
  check_both("power --design panel-did", "power " + fixture +
                                             " --variant project --indicator in_b --at-month 24 --pre-month 12 --design "
                                             "panel-did --households 40 --trials 5 --max-households 80 --out out");
  check_both("run --evidence-shares", "run " + fixture + " --variant project --evidence-shares --iterations 2 --out out");
}

TEST_CASE("languages: a scenario's own texts in the reader's language, and none of the other's") {
  // tests/fixtures/bilingual.yaml gives its title, description, variants' titles and
  // descriptions, departments' names, indicators' labels and a target's label in both
  // languages, each different. An output in one language must hold none of them in the
  // other (the terminal, report.html, compare_report.html, the workbooks, explain), and the
  // scenario's own words in its language stand where a reader looks for them.
  const std::string path = test::source_dir() + "/tests/fixtures/bilingual.yaml";
  const Scenario sc = load_scenario(path);
  std::vector<Text> texts{sc.title, sc.description};
  for (const auto& v : sc.variants) {
    texts.push_back(v.title);
    texts.push_back(v.description);
  }
  for (const auto& d : sc.departments) texts.push_back(d.name);
  for (const auto& i : sc.indicators) texts.push_back(i.label);
  for (const auto& t : sc.targets) texts.push_back(t.text);
  // The notes of cost lines, their changes, intervention costs and contracts.
  for (const auto& c : sc.state_costs)
    for (const auto& l : c.lines) {
      texts.push_back(l.note);
      for (const auto& ch : l.changes) texts.push_back(ch.note);
    }
  for (const auto& c : sc.transition_costs)
    for (const auto& l : c.lines) texts.push_back(l.note);
  for (const auto& v : sc.variants) {
    for (const auto& iv : v.interventions)
      for (const auto& c : iv.costs) texts.push_back(c.note);
    for (const auto& k : v.contracts) texts.push_back(k.note);
  }
  std::size_t bilingual = 0;
  for (const auto& t : texts) bilingual += !t.en.empty() && !t.da.empty() && t.en != t.da ? 1 : 0;
  // The texts that differ between the languages, counted by hand: the title and description
  // (2), the baseline's and titled_team's titles and descriptions and the tutorial's two
  // other titles (6), six departments, two indicators and two targets (the engine's words
  // around a bilingual label, and a bilingual label): 18; and six notes: the tutorial's
  // casework line, the fixture's early retirement line and its change, the youth line, the
  // titled team's leisure pass and its contract: 24.
  REQUIRE(bilingual == 24);
  // The fixture's early retirement line: a note, and a change with a note.
  const CostLine& pension = [&]() -> const CostLine& {
    for (const auto& c : sc.state_costs)
      if (sc.domains[static_cast<std::size_t>(c.domain)].states[static_cast<std::size_t>(c.state)] == "early_retirement")
        return c.lines.at(0);
    FAIL("no early_retirement line");
    return sc.state_costs.at(0).lines.at(0);
  }();
  const std::string file = "'" + path + "'";
  Scratch s;
  for (const Language lang : {Language::en, Language::da}) {
    const Language other = lang == Language::da ? Language::en : Language::da;
    const std::string code = name_of(lang);
    int k = 0;
    for (const std::string& args : {"run " + file + " --iterations 3 --out out", "compare " + file + " --iterations 3 --out out",
                                    "explain " + file}) {
      const auto outputs = run_command(s.path / (code + std::to_string(k++)), args + " --lang " + code, {}, true);
      std::string found;
      for (const auto& o : outputs)
        for (const auto& t : texts)
          if (!t.en.empty() && !t.da.empty() && t.en != t.da && o.text.find(t.in(other)) != std::string::npos)
            found += o.where + ": \"" + t.in(other) + "\"\n";
      INFO(args, " --lang ", code, ": the scenario's texts in the other language:\n", found);
      CHECK(found.empty());
      // The own language's words are there: the title in the terminal (or explain's first line),
      // the titled variant and a department's name.
      const std::string& terminal = outputs.front().text;
      if (args.rfind("compare", 0) != 0) CHECK(terminal.find(sc.title.in(lang)) != std::string::npos);
      const Variant& titled = sc.variants[static_cast<std::size_t>(sc.variant_index("titled_team"))];
      CHECK(terminal.find(titled.title.in(lang)) != std::string::npos);
      if (args.rfind("run", 0) == 0) {
        CHECK(terminal.find(sc.departments[0].name.in(lang)) != std::string::npos);
        bool in_report = false;
        for (const auto& o : outputs)
          if (o.where.size() > 11 && o.where.compare(o.where.size() - 11, 11, "report.html") == 0)
            in_report = o.text.find(titled.title.in(lang)) != std::string::npos &&
                        o.text.find(sc.indicators[0].label.in(lang)) != std::string::npos;
        CHECK(in_report);
        // The notes where a reader sees them: the contract's under its condition in
        // report.html; a cost line's, its change's and an intervention cost's beside their
        // amounts in the assumptions of report.html and results.xlsx.
        REQUIRE(!pension.changes.empty());
        const std::string notes[] = {pension.note.in(lang), pension.changes[0].note.in(lang),
                                     titled.interventions[0].costs[4].note.in(lang)};
        bool report_notes = false, workbook_notes = false;
        for (const auto& o : outputs) {
          bool all = true;
          for (const auto& n : notes) all = all && o.text.find(n) != std::string::npos;
          if (o.where.ends_with("report.html"))
            report_notes = all && o.text.find(titled.contracts.at(0).note.in(lang)) != std::string::npos;
          if (o.where.ends_with("results.xlsx")) workbook_notes = all;
        }
        CHECK(report_notes);
        CHECK(workbook_notes);
      }
      if (args.rfind("explain", 0) == 0) {
        // explain: a line's note under it, a change's beside its amount.
        CHECK(terminal.find("      " + pension.note.in(lang) + "\n") != std::string::npos);
        CHECK(terminal.find(" (" + pension.changes[0].note.in(lang) + ")\n") != std::string::npos);
      }
    }
  }
}

namespace {

/// Runs `socinvest ARGS` from the source folder (so that messages name tests/invalid/...),
/// with SOCINVEST_LANG=`env` when given; checks the exit code and returns what it said
/// (stdout and stderr).
std::string said(const std::string& args, int expected_rc, const std::string& env = {}) {
  Scratch s;
  fs::create_directories(s.path);
  const fs::path term = s.path / "terminal.txt";
  const std::string cmd = "cd '" + test::source_dir() + "' && " + (env.empty() ? "" : "SOCINVEST_LANG=" + env + " ") +
                          "'" + SOCINVEST_EXE + "' " + args + " > '" + term.string() + "' 2>&1";
  const int rc = std::system(cmd.c_str());
  const std::string text = slurp(term);
  INFO(cmd, "\n", text);
  REQUIRE(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == expected_rc);
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// "file:line:column: key.path: " of a diagnostic line (the machine text, the same in both
/// languages): the place, and the key path when the text after the place starts with a word
/// without spaces followed by ": ".
std::string machine_prefix(const std::string& line) {
  std::size_t at = line.find(": ");
  if (at == std::string::npos) return line;
  std::string prefix = line.substr(0, at + 2);
  const std::string rest = line.substr(at + 2);
  const std::size_t key_end = rest.find(": ");
  if (key_end != std::string::npos && rest.substr(0, key_end).find(' ') == std::string::npos)
    prefix += rest.substr(0, key_end + 2);
  return prefix;
}

} // namespace

TEST_CASE("languages: invalid scenarios in Danish, with the same places and key paths") {
  // The most common mistakes first: unknown keys and references, wrong types, numbers out
  // of range, Danish number habits, a tab, include problems, a missing baseline, a beta
  // that cannot be, a run too large for the machine.
  for (const std::string name :
       {"several-problems", "danish-thousands-separators", "danish-decimal-comma", "tab-indentation",
        "undefined-department-in-cost", "undefined-state-in-transition", "undefined-variant-in-extends",
        "include-missing-file", "include-cycle", "missing-baseline", "probability-above-1", "impossible-beta",
        "outgoing-sum-above-1", "month-13", "empty-file", "root-is-a-list", "run-too-large"}) {
    INFO(name);
    const std::string file = "tests/invalid/" + name + ".yaml";
    const std::string en = said("validate " + file + " --lang en", 3);
    const std::string da = said("validate " + file + " --lang da", 3);
    // English is as it was (tests/invalid/NAME.expected, checked line for line by cli.invalid.*).
    CHECK(en == slurp(fs::path(test::source_dir()) / "tests/invalid" / (name + ".expected")));
    CHECK(da != en);
    // The words after the place and key path (machine text: a file named
    // probability-above-1.yaml is no English in a Danish message).
    auto words = [](const std::string& text) {
      std::string out;
      for (const auto& line : lines_of(text)) out += line.substr(machine_prefix(line).size()) + "\n";
      return out;
    };
    CHECK(foreign_in({{"validate " + name, words(da)}}, Language::da).empty());
    CHECK(foreign_in({{"validate " + name, words(en)}}, Language::en).empty());
    const auto en_lines = lines_of(en), da_lines = lines_of(da);
    REQUIRE(en_lines.size() == da_lines.size());
    for (std::size_t i = 0; i < en_lines.size(); ++i) {
      const std::string prefix = machine_prefix(en_lines[i]);
      INFO(en_lines[i], "\n", da_lines[i]);
      CHECK(da_lines[i].rfind(prefix, 0) == 0);
    }
  }
  // The words themselves, against the wording (hand-written here, not the program's).
  const std::string numbers = said("validate tests/invalid/danish-thousands-separators.yaml --lang da", 3);
  CHECK(numbers.find("skriv 1333333 (uden tusindtalsseparatorer)") != std::string::npos);
  CHECK(numbers.find("ukendt nøgle '000'") != std::string::npos);
  const std::string comma = said("validate tests/invalid/danish-decimal-comma.yaml", 3, "da");
  CHECK(comma.find("brug decimalpunktum: 0.6") != std::string::npos);
  const std::string tab = said("validate tests/invalid/tab-indentation.yaml --lang da", 3);
  CHECK(tab.find("YAML indrykker med mellemrum") != std::string::npos);
  const std::string refs = said("validate tests/invalid/several-problems.yaml --lang da", 3);
  CHECK(refs.find("ukendt forvaltning 'jobcentre'; mente du 'jobcenter'? (defineret: jobcenter, state)") !=
        std::string::npos);
}

TEST_CASE("languages: --help and usage errors in English and Danish") {
  for (const std::string args : {"--help", "run --help", "batch --help", "sweep --help"}) {
    INFO(args);
    const std::string en = said(args + " --lang en", 0), da = said(args + " --lang da", 0);
    const std::string da_env = said(args, 0, "da");
    CHECK(en.find("Usage:") != std::string::npos);
    CHECK(da.find("Brug:") != std::string::npos);
    CHECK(da.find("Usage:") == std::string::npos);
    CHECK(da_env == da);
    CHECK(foreign_in({{args, da}}, Language::da).empty());
    CHECK(foreign_in({{args, en}}, Language::en).empty());
  }
  // Option names stay English in both.
  const std::string run_da = said("run --help --lang da", 0);
  CHECK(run_da.find("--iterations") != std::string::npos);
  CHECK(run_da.find("Monte Carlo-gentagelser") != std::string::npos);
  // Usage errors: an unknown option, a missing value, a bad value, an unknown command.
  const std::string tut = "scenarios/tutorial.yaml";
  struct Case {
    std::string args, danish;
  };
  for (const Case& c : std::vector<Case>{{"run " + tut + " --bogus", "Dette argument var ikke forventet: --bogus"},
                                         {"run " + tut + " --iterations", "--iterations: mangler 1 værdi"},
                                         {"run " + tut + " --iterations 0", "--iterations: værdien 0 er ikke i intervallet 1 til 10000000"},
                                         {"run " + tut + " --lang de", "--lang: de er ikke en af"},
                                         {"run", "file er påkrævet"},
                                         {"runn " + tut, "ukendt kommando 'runn'"}}) {
    INFO(c.args);
    const std::string da = said(c.args, 2, "da"); // SOCINVEST_LANG: --lang de is not a language
    CHECK(da.find(c.danish) != std::string::npos);
    CHECK(foreign_in({{c.args, da}}, Language::da).empty());
    const std::string en = said(c.args, 2);
    CHECK(foreign_in({{c.args, en}}, Language::en).empty());
  }
  // A bad SOCINVEST_LANG is a usage error in English (the language is unknown), naming it.
  CHECK(said("validate " + tut, 2, "de").find("SOCINVEST_LANG: 'de' is not a language") != std::string::npos);
}

// ----- the rarer messages (issue 14, wip-msgs2) -------------------------------------------
// The loader's cost-line, refusion-clock and effect messages, the panel reader's, the batch
// manifest's, file-write errors and the usage errors and --help of calibrate, panel and
// power: each provoked in both languages. Besides the rule above (no text of the other
// language's catalogue), every line of a Danish message must differ from its English line
// (a message that is not in the catalogue prints the same English in both, and so fails
// here), with the same place and key path.

namespace {

/// What `args` said in English and in Danish (both with exit `rc`), checked line for line:
/// the same number of lines, each Danish line other than its English one, the same machine
/// prefix ("file:line:column: key.path: ") when `places`, and no text of the other language.
/// The Danish output is returned for checks of its words.
std::string check_translated(const std::string& args, int rc, bool places = true) {
  const std::string en = said(args + " --lang en", rc), da = said(args + " --lang da", rc);
  INFO(args, "\n--- en:\n", en, "--- da:\n", da);
  CHECK(!en.empty());
  const auto en_lines = lines_of(en), da_lines = lines_of(da);
  REQUIRE(en_lines.size() == da_lines.size());
  auto words = [&](const std::string& text) {
    std::string out;
    for (const auto& line : lines_of(text)) out += (places ? line.substr(machine_prefix(line).size()) : line) + "\n";
    return out;
  };
  for (std::size_t i = 0; i < en_lines.size(); ++i) {
    INFO(en_lines[i], "\n", da_lines[i]);
    CHECK(da_lines[i] != en_lines[i]);
    if (places) CHECK(da_lines[i].rfind(machine_prefix(en_lines[i]), 0) == 0);
  }
  CHECK(foreign_in({{args, words(da)}}, Language::da).empty());
  CHECK(foreign_in({{args, words(en)}}, Language::en).empty());
  return da;
}

} // namespace

TEST_CASE("languages: every catalogue text has a Danish form of its own") {
  // A Danish text identical to the English is allowed only where Danish uses the same word
  // (a loanword, a unit, a name); each is listed here with why, and must still be the same
  // (so that the list does not outlive its entries).
  const std::vector<std::string> same_in_both{
      "service", "budget", "variant", "start", // Danish words spelt alike ("Budget 2026", "Variant")
      "break_even_median", "break_even", "break_even_2", // "break-even": the term Danish budget staff use
      "median", "n5", "n95", "interval", "interval_2", "note", "parameter", // the same word, or a percentage
      "seeds", "seed", // the engine's random seed, shown beside its number (also "frø" in prose)
      "service_servicerammen", // "Service (servicerammen)": the Danish term already
      "level_region", "calib_panel", "wb_investor", "wb_variant", "tornado_parameter", "power_variant",
      "explain_person", "as_per_person", "as_state_job", // region, panel, investor, person, job: Danish words too
      "explain_hazard_ratio", // "hazard ratio": the term Danish evaluations use
      "calib_by_reference", "ref_variant", // "reference", "variant": the same in Danish
  };
  std::vector<std::string> found_same;
  for (const Message& m : message_catalogue()) {
    INFO("Msg::", m.name);
    CHECK(std::string(m.da).size() > 0);
    CHECK(std::string(m.en).size() > 0);
    const bool listed = std::find(same_in_both.begin(), same_in_both.end(), m.name) != same_in_both.end();
    if (std::string(m.en) == m.da) found_same.emplace_back(m.name);
    CHECK((std::string(m.en) == m.da) == listed);
  }
  CHECK(found_same.size() == same_in_both.size());
}

TEST_CASE("languages: rarer cost-line, refusion-clock and effect messages in Danish") {
  for (const std::string file :
       {"tests/fixtures/lang-invalid/cost-line-problems.yaml", "tests/fixtures/lang-invalid/effect-problems.yaml",
        "tests/invalid/rate-changes-problems.yaml", "tests/invalid/refusion-clock-problems.yaml",
        "tests/invalid/library-not-included.yaml", "tests/invalid/library-unknown-and-unmapped.yaml"}) {
    check_translated("validate " + file, 3);
  }
  // Each of the cost lines' mistakes is found (in English: the fixture's comment, by hand),
  // and said in Danish in the words written for it.
  const std::string en = said("validate tests/fixtures/lang-invalid/cost-line-problems.yaml --lang en", 3);
  for (const char* expected :
       {"costs.employment.cash_benefit[0].neutralised_share: only a transfer line can be neutralised (this line's "
        "expenditure_type is service",
        "costs.employment.cash_benefit[1].equalisation: only a tax line can be equalised",
        "costs.employment.cash_benefit[2].cashable_share: only a service or capital line has a cashable share",
        "costs.employment.cash_benefit[3].facility: only a service or capital line can be tied to a facility",
        "costs.employment.job[0].facility.step: 30 is more than the facility's 20 places",
        "costs.employment.job[1].facility.months_empty: is required: how many consecutive months",
        "reimbursement.staircase.state_share: needs one share more than there are week boundaries (4, got 3)",
        "price_index has no value for 2019 (needed to move this amount from 2019 to 2024 prices)",
        "a transition cost must stay within one domain ('employment' vs 'care')"}) {
    INFO(expected);
    CHECK(en.find(expected) != std::string::npos);
  }
  const std::string da = said("validate tests/fixtures/lang-invalid/cost-line-problems.yaml --lang da", 3);
  CHECK(da.find("kun en overførselslinje kan neutraliseres") != std::string::npos);
  CHECK(da.find("30 er flere end tilbuddets 20 pladser") != std::string::npos);
  CHECK(da.find("price_index har ingen værdi for 2019") != std::string::npos);
  const std::string eff = said("validate tests/fixtures/lang-invalid/effect-problems.yaml --lang da", 3);
  CHECK(eff.find("indikatorer måles ved udgangen af et projektår: 12, 24, ... op til periodens 36 måneder") !=
        std::string::npos);
  CHECK(eff.find("har ingen effekter") != std::string::npos);
}

TEST_CASE("languages: the panel reader's messages in Danish") {
  // Every invalid panel of tests/invalid-panels (its English is NAME.expected, checked by
  // cli.invalid_panel.NAME), and a header of no panel form.
  Scratch s;
  fs::create_directories(s.path);
  for (const auto& e : fs::directory_iterator(fs::path(test::source_dir()) / "tests/invalid-panels")) {
    if (e.path().extension() != ".csv") continue;
    check_translated("calibrate tests/invalid-panels/" + e.path().filename().string() +
                         " --scenario tests/fixtures/calibrate.yaml --out '" + (s.path / "out").string() + "'",
                     3);
  }
  std::ofstream(s.path / "odd.csv") << "who,when\np1,2024-01\n";
  const std::string da = check_translated("calibrate '" + (s.path / "odd.csv").string() +
                                              "' --scenario tests/fixtures/calibrate.yaml --out '" +
                                              (s.path / "out").string() + "'",
                                          3, false);
  CHECK(da.find("overskriftsrækken er ikke nogen af panelformerne") != std::string::npos);
  CHECK(!fs::exists(s.path / "out"));
}

TEST_CASE("languages: a bad batch manifest and an unwritable output folder in Danish") {
  Scratch s;
  fs::create_directories(s.path);
  std::ofstream(s.path / "bad.yaml") << "batch: bad\nitems:\n  - {label: no scenario}\n  - {scenario: missing.yaml}\n";
  const std::string da = check_translated("batch '" + (s.path / "bad.yaml").string() + "' --out '" +
                                              (s.path / "out").string() + "'",
                                          3);
  CHECK(da.find("er påkrævet: en scenariefil") != std::string::npos);
  CHECK(da.find("kan ikke læse scenariet") != std::string::npos);
  std::ofstream(s.path / "empty.yaml") << "batch: empty\n";
  CHECK(check_translated("batch '" + (s.path / "empty.yaml").string() + "'", 3).find("er påkrævet: en liste af") !=
        std::string::npos);
  // An output folder whose parent is a file: it cannot be created (exit 4), nothing written.
  std::ofstream(s.path / "a-file") << "not a folder\n";
  const std::string io = check_translated("run scenarios/tutorial.yaml --iterations 1 --out '" +
                                              (s.path / "a-file" / "out").string() + "'",
                                          4, false);
  CHECK(io.find("kan ikke oprette") != std::string::npos);
  // A panel file that is a folder.
  const std::string folder = check_translated("calibrate '" + s.path.string() +
                                                  "' --scenario tests/fixtures/calibrate.yaml",
                                              4, false);
  CHECK(folder.find("er en mappe, ikke en fil") != std::string::npos);
}

TEST_CASE("languages: usage errors and --help of calibrate, panel and power in Danish") {
  for (const std::string args : {"calibrate --help", "panel --help", "power --help"}) {
    INFO(args);
    const std::string en = said(args + " --lang en", 0), da = said(args + " --lang da", 0);
    CHECK(foreign_in({{args, da}}, Language::da).empty());
    CHECK(foreign_in({{args, en}}, Language::en).empty());
  }
  CHECK(said("calibrate --help --lang da", 0).find("Rækker pr. gruppe, hvor data understøtter dem") != std::string::npos);
  CHECK(said("calibrate --help --lang da", 0).find("Med --by age_group: alder i år") != std::string::npos);
  CHECK(said("panel --help --lang da", 0).find("Også hver persons attributter") != std::string::npos);
  CHECK(said("power --help --lang da", 0).find("Med --pre-month: cross-sections") != std::string::npos);
  Scratch s; // every --out below is refused before it is written: the folder must stay absent
  const std::string out = " --out '" + (s.path / "out").string() + "'";
  const std::string panel = "scenarios/examples/register-panel/";
  const std::string cal = "calibrate " + panel + "panel.csv --scenario " + panel + "model.yaml" + out;
  CHECK(check_translated(cal + " --bands 6,12", 2, false).find("det første bånd begynder ved 0") != std::string::npos);
  CHECK(check_translated(cal + " --bands 0,12,6", 2, false).find("stigende fra 0") != std::string::npos);
  CHECK(check_translated(cal + " --age-groups 30,50", 2, false).find("kun sammen med --by age_group") !=
        std::string::npos);
  CHECK(check_translated(cal + " --by age_group --age-groups 50,30", 2, false).find("alder i hele år") !=
        std::string::npos);
  CHECK(check_translated(cal + " --by shoe_size", 2, false).find("panelet har ingen sådan kolonne") != std::string::npos);
  CHECK(check_translated("power tests/fixtures/success-rate.yaml --variant project --indicator in_b --at-month 24 "
                         "--design panel-did --households 40" + out,
                         2, false)
            .find("kræver --pre-month") != std::string::npos);
  CHECK(check_translated("panel " + panel + "model.yaml --persons 10000000 --months 840" + out, 2, false)
            .find("simulér en stikprøve") != std::string::npos);
  CHECK(check_translated("run scenarios/tutorial.yaml --iterations 1 --format pdf" + out, 2, false)
            .find("ukendt format 'pdf'") != std::string::npos);
  CHECK(!fs::exists(s.path / "out"));
}

// ----- the last English messages (issue 14, wip-msgs3) ------------------------------------
// Person attributes and costs by attribute, compare's usage errors and a budget year the
// run does not simulate: each provoked in both languages, checked line for line as above.

TEST_CASE("languages: attribute, compare and --budget-year messages in Danish") {
  const std::string da = check_translated("validate tests/fixtures/lang-invalid/attribute-problems.yaml", 3);
  // Each mistake of the fixture (its comment lists them, by hand) is said in Danish.
  for (const char* expected :
       {"andelene skal summere til 1", "er påkrævet: hver kategoris andel", "forventede {attribute: {category: amount",
        "forventede en tabel fra kategori af 'area' til beløb (tilladte kategorier: north, south), f.eks. {north: 61000}",
        "ukendt kategori af 'area' 'nord'", "er påkrævet: linjens beløb varierer efter 'area'",
        "linjens beløb varierer ikke efter attribut", "denne ændring varierer efter 'size', dens linje efter 'area'",
        "linjerne for 'employment.cash_benefit' varierer efter to attributter",
        "en tilbudslinje har én pris pr. plads", "overgangsudgifterne i domænet 'employment' varierer efter to attributter"}) {
    INFO(expected);
    CHECK(da.find(expected) != std::string::npos);
  }
  check_translated("validate tests/invalid/attribute-shares-not-one.yaml", 3);
  Scratch s;
  const std::string out = " --out '" + (s.path / "out").string() + "'";
  CHECK(check_translated("compare scenarios/tutorial.yaml --iterations 1 --variants nosuch" + out, 2, false)
            .find("ingen variant 'nosuch' i de angivne filer") != std::string::npos);
  CHECK(check_translated("run scenarios/tutorial.yaml --iterations 1 --budget-year 1990" + out, 2, false)
            .find("budgetåret 1990 simuleres ikke") != std::string::npos);
  CHECK(!fs::exists(s.path / "out"));
}
