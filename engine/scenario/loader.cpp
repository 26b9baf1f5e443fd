// The scenario loader: files and includes, section merging, and the parse of every section
// into the Scenario model with full validation. Reads, never runs.
#include <socinvest/scenario/loader.hpp>

#include "scenario/distribution_kinds.hpp"
#include "scenario/yaml_reader.hpp"

#include <socinvest/files.hpp>
#include <socinvest/hash.hpp>
#include <socinvest/scenario/names.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace socinvest {

using detail::join;
using detail::Range;
using detail::YNode;
using detail::Reader;

namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_file_bytes = 8 * 1024 * 1024;
constexpr int max_include_depth = 16;
constexpr std::size_t max_departments = 64;

const std::vector<std::string> top_level_keys = {
    "scenario", "title",  "description", "include", "run",      "departments", "domains", "population",
    "exits",    "costs",  "reimbursement", "price_index", "variants", "indicators", "targets"};

/// Named entries of a section, in first-seen order; a later file's entry replaces an earlier one.
using Entries = std::vector<std::pair<std::string, YNode>>;

void merge_entries(Entries& into, const YNode& section) {
  for (auto& [key, child] : section.entries()) {
    const std::string& name = key; // (clang 14 cannot capture structured bindings)
    auto it = std::find_if(into.begin(), into.end(), [&](const auto& e) { return e.first == name; });
    if (it != into.end())
      it->second = child;
    else
      into.emplace_back(key, child);
  }
}

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

/// The byte offset of a NUL byte or invalid UTF-8, if any.
std::optional<std::size_t> binary_position(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return i;
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= text.size() + (extra ? 0 : 1)) return i;
    for (int k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return i;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return std::nullopt;
}

/// Where YAML text nests deeper than `limit`, if it does: yaml-cpp parses nested
/// collections recursively, so 10,000-deep nesting would overflow the stack.
std::optional<std::pair<int, int>> nesting_too_deep(const std::string& text, int limit) {
  int depth = 0, line = 1;
  bool in_single = false, in_double = false, in_comment = false;
  std::size_t line_start = 0;
  auto deep_indent = [&](std::size_t start) {
    // Block nesting: an indentation (spaces and "- ") deeper than twice the limit.
    std::size_t j = start;
    while (j < text.size() && (text[j] == ' ' || text[j] == '-')) ++j;
    return static_cast<int>(j - start) > 2 * limit;
  };
  if (deep_indent(0)) return std::pair{1, 1};
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\n') {
      in_comment = false;
      line_start = i + 1;
      ++line;
      if (deep_indent(line_start)) return std::pair{line, 1};
      continue;
    }
    if (in_comment) continue;
    if (in_double) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_double = false;
      continue;
    }
    if (in_single) {
      if (ch == '\'') in_single = false;
      continue;
    }
    if (ch == '#') in_comment = true;
    else if (ch == '"') in_double = true;
    else if (ch == '\'') in_single = (i == 0 || text[i - 1] == ' ' || text[i - 1] == '[' || text[i - 1] == '{' ||
                                      text[i - 1] == ',' || text[i - 1] == ':');
    else if (ch == '[' || ch == '{') {
      if (++depth > limit) return std::pair{line, static_cast<int>(i - line_start) + 1};
    } else if (ch == ']' || ch == '}') {
      depth = std::max(0, depth - 1);
    }
  }
  return std::nullopt;
}

/// Limits on the tree the loader walks once YAML aliases (*name) are resolved. An alias
/// repeats its anchor's whole tree without repeating its text, so a 2 KB file can stand for
/// billions of values; the text limits above cannot see that.
constexpr std::size_t max_expanded_values = 200'000;
constexpr int max_expanded_depth = 128;

/// The first top-level entry whose expanded tree breaks the limits, with what it broke.
/// Walks at most max_expanded_values nodes, so it is fast whatever the file.
std::optional<std::pair<YAML::Node, std::string>> expansion_too_large(const YAML::Node& root) {
  std::size_t seen = 0;
  for (auto top = root.begin(); top != root.end(); ++top) {
    std::vector<std::pair<YAML::Node, int>> stack{{top->second, 1}};
    while (!stack.empty()) {
      auto [n, depth] = stack.back();
      stack.pop_back();
      if (++seen > max_expanded_values)
        return std::pair{top->first, "expands to more than " + std::to_string(max_expanded_values) +
                                         " values once YAML aliases (*name) are resolved"};
      if (depth > max_expanded_depth)
        return std::pair{top->first, "nests deeper than " + std::to_string(max_expanded_depth) +
                                         " levels once YAML aliases (*name) are resolved"};
      if (n.IsMap())
        for (auto it = n.begin(); it != n.end(); ++it) stack.emplace_back(it->second, depth + 1);
      else if (n.IsSequence())
        for (auto it = n.begin(); it != n.end(); ++it) stack.emplace_back(*it, depth + 1);
    }
  }
  return std::nullopt;
}

class Loader {
public:
  Loader(const LoadOptions& options) : options_(options), r_(diags_) {}

  Scenario load(const std::string& main_path, const std::string* text) {
    std::vector<std::string> chain;
    load_file(main_path, text, chain, nullptr);
    Scenario s;
    // Unreadable, empty or unparsable files stop here; anything else (an unknown key, say)
    // is reported together with every problem the sections have.
    if (fatal_) throw InvalidInput(diags_);
    s.files = files_;
    parse(s);
    if (!diags_.empty()) throw InvalidInput(diags_);
    std::uint64_t h = fnv1a_basis;
    for (const auto& c : contents_) h = fnv1a(c, h);
    if (!s.population.csv_path.empty()) {
      std::ifstream in(s.population.csv_path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      h = fnv1a(ss.str(), h);
    }
    s.content_hash = hex16(h);
    return s;
  }

private:
  // ----- files and includes ------------------------------------------------------------
  const std::string* name_of(const std::string& path) {
    names_.push_back(path);
    return &names_.back();
  }

  void file_error(const std::string& file, int line, int column, const std::string& path, const std::string& msg) {
    diags_.add(Diagnostic{file, line, column, path, msg});
  }
  void fatal_error(const std::string& file, int line, int column, const std::string& msg) {
    file_error(file, line, column, "", msg);
    fatal_ = true;
  }

  void load_file(const std::string& path, const std::string* given_text, std::vector<std::string>& chain,
                 const YNode* included_from) {
    std::string text;
    if (given_text) {
      text = *given_text;
    } else {
      // Refused by type before opening: a FIFO would block open() for ever.
      if (auto why = not_a_regular_file(path)) {
        if (included_from) {
          r_.error(*included_from, "included file '" + path + "' cannot be read (include chain: " + join(chain, " -> ") +
                                       " -> " + path + "): " + *why);
          fatal_ = true;
          return;
        }
        throw IoError("cannot read file '" + path + "': " + *why);
      }
      try {
        text = read_file(path, "scenario file", max_file_bytes);
      } catch (const IoError& e) {
        fatal_error(path, 0, 0, e.what());
        return;
      }
    }
    files_.push_back(path);
    contents_.push_back(text);
    const std::string* file = name_of(path);
    r_.set_text(file, text);
    if (text.size() > max_file_bytes) {
      fatal_error(path, 0, 0, "file is too large (at most " + std::to_string(max_file_bytes) + " bytes)");
      return;
    }
    if (auto bad = binary_position(text)) {
      fatal_error(path, 0, 0, "this is not a text file (a NUL byte or invalid UTF-8 at byte " +
                                  std::to_string(*bad + 1) + "); a scenario is YAML text in UTF-8");
      return;
    }
    if (auto deep = nesting_too_deep(text, 64)) {
      fatal_error(path, deep->first, deep->second, "nesting is too deep (at most 64 levels of lists and maps)");
      return;
    }
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      fatal_error(path, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column >= 0 ? e.mark.column + 1 : 0,
                  "YAML syntax error: " + e.msg + " (check the brackets, quotes and indentation on this line or the one before)");
      return;
    }
    YNode top{root, file, ""};
    if (!root.IsDefined() || root.IsNull()) {
      fatal_error(path, 1, 1, "the file is empty (expected a scenario: a map with keys such as scenario, run, "
                              "departments, domains, population, costs, variants)");
      return;
    }
    if (!root.IsMap()) {
      r_.error(top, std::string("the top level must be a map with keys such as scenario, run, departments, domains, "
                                "population, costs, variants (got ") +
                        (root.IsSequence() ? "a list" : "a single value") + ")");
      fatal_ = true;
      return;
    }
    if (auto big = expansion_too_large(root)) {
      const YAML::Mark m = big->first.Mark();
      const std::string key = big->first.IsScalar() ? big->first.Scalar() : std::string();
      file_error(path, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0, key,
                 big->second + " (at most " + std::to_string(max_expanded_values) + " values and " +
                     std::to_string(max_expanded_depth) + " levels; write the entries out or use fewer aliases)");
      fatal_ = true;
      return;
    }
    r_.map(top, top_level_keys);
    chain.push_back(path);
    YNode includes = top["include"];
    if (includes.defined()) {
      std::vector<YNode> items;
      if (includes.is_scalar())
        items.push_back(includes);
      else if (r_.seq(includes))
        for (std::size_t i = 0; i < includes.size(); ++i) items.push_back(includes.at(i));
      for (const auto& item : items) {
        auto name = r_.string(item);
        if (!name) continue;
        fs::path resolved = fs::path(path).parent_path() / *name;
        std::string resolved_text = resolved.lexically_normal().string();
        // The same file under another name (a symbolic link, "dir/../") is a cycle too.
        auto same = std::find_if(chain.begin(), chain.end(), [&](const std::string& earlier) {
          std::error_code ec;
          return earlier == resolved_text || fs::equivalent(earlier, resolved_text, ec);
        });
        if (same != chain.end()) {
          r_.error(item, "include cycle: " + join(chain, " -> ") + " -> " + resolved_text +
                             (*same == resolved_text ? std::string() : " (the same file as " + *same + ")"));
          continue;
        }
        if (static_cast<int>(chain.size()) >= max_include_depth) {
          r_.error(item, "includes nest too deep (at most " + std::to_string(max_include_depth) + ")");
          continue;
        }
        load_file(resolved_text, nullptr, chain, &item);
      }
    }
    chain.pop_back();
    merge(top);
  }

  void merge(const YNode& top) {
    for (const char* key : {"scenario", "title", "description", "population", "exits", "targets"}) {
      YNode n = top[key];
      if (n.defined()) whole_[key] = n;
    }
    auto section = [&](const char* key, Entries& into) {
      YNode n = top[key];
      if (!n.defined()) return;
      if (!n.is_map()) {
        r_.error(n, "expected a map of named entries");
        return;
      }
      merge_entries(into, n);
    };
    section("run", run_);
    section("departments", departments_);
    section("domains", domains_);
    section("reimbursement", reimbursement_);
    section("price_index", price_index_);
    section("variants", variants_);
    section("indicators", indicators_);
    YNode costs = top["costs"];
    if (costs.defined()) {
      if (!costs.is_map()) {
        r_.error(costs, "expected a map from domain.state (or 'transitions') to cost lines");
      } else {
        for (auto& [key, child] : costs.entries()) {
          if (key == "transitions") {
            if (child.is_map())
              merge_entries(transition_costs_, child);
            else
              r_.error(child, "expected a map from 'domain.from->domain.to' to cost lines");
          } else {
            const std::string& name = key;
            auto it = std::find_if(state_costs_.begin(), state_costs_.end(), [&](auto& e) { return e.first == name; });
            if (it != state_costs_.end())
              it->second = child;
            else
              state_costs_.emplace_back(key, child);
          }
        }
      }
    }
  }

  // ----- sections ----------------------------------------------------------------------
  void parse(Scenario& s) {
    auto text_of = [&](const char* key) -> std::string {
      auto it = whole_.find(key);
      if (it == whole_.end()) return {};
      auto v = r_.string(it->second);
      return v ? *v : std::string{};
    };
    s.id = text_of("scenario");
    if (!s.id.empty()) check_name(whole_.at("scenario"), s.id, "scenario");
    // Names become folders, columns and cells: check every one where it is defined.
    for (auto* section : {&departments_, &reimbursement_, &domains_, &indicators_, &variants_})
      for (auto& [name, n] : *section) check_name(Reader::key_node(n), name, section_what(section));
    s.title = text_of("title");
    s.description = text_of("description");
    if (s.id.empty() && diags_.empty())
      file_error(files_.front(), 1, 1, "scenario", "is required: a short identifier for the scenario");
    if (s.title.empty()) s.title = s.id;

    parse_departments(s);
    parse_reimbursement(s);
    parse_run(s);
    parse_price_index(s);
    parse_domains(s);
    parse_population(s);
    parse_exits(s);
    parse_costs(s);
    parse_indicators(s);
    parse_variants(s);
    parse_targets(s);
    if (diags_.empty()) check_size(s);
  }

  YNode root_node() { return YNode{YAML::Node(), &names_.front(), ""}; }

  void check_name(const YNode& at, const std::string& name, const char* what) {
    if (!is_valid_name(name))
      r_.error(at, "'" + visible(name) + "' is not a valid " + what + " name: " + name_rule);
  }
  const char* section_what(const Entries* section) const {
    if (section == &departments_) return "department";
    if (section == &reimbursement_) return "reimbursement rule";
    if (section == &domains_) return "domain";
    if (section == &indicators_) return "indicator";
    return "variant";
  }

  void parse_departments(Scenario& s) {
    if (departments_.empty()) {
      file_error(files_.front(), 0, 0, "departments", "is required: at least one department (budget holder)");
      return;
    }
    for (auto& [id, n] : departments_) {
      // Open cases are kept per household as a 64-bit set of departments (enrolment.cpp).
      if (department_names_.size() == max_departments)
        r_.error(Reader::key_node(n), "at most " + std::to_string(max_departments) + " departments (this is number " +
                                          std::to_string(max_departments + 1) + ")");
      Department d;
      d.id = id;
      d.name = id;
      if (n.is_scalar()) {
        d.name = n.scalar();
      } else if (r_.map(n, {"name", "level"})) {
        if (n["name"].defined())
          if (auto v = r_.string(n["name"])) d.name = *v;
        if (n["level"].defined())
          if (auto v = r_.choice(n["level"], {"municipality", "region", "state", "external"}))
            d.level = static_cast<FinancingLevel>(*v);
      }
      s.departments.push_back(d);
      department_names_.push_back(id);
    }
  }

  void parse_reimbursement(Scenario& s) {
    for (auto& [id, n] : reimbursement_) {
      if (!r_.map(n, {"weeks", "state_share", "to", "source"})) continue;
      ReimbursementRule rule;
      rule.id = id;
      YNode weeks = n["weeks"], shares = n["state_share"];
      if (!weeks.defined()) r_.error_at(n, weeks.path, "is required: the week boundaries of the staircase");
      if (!shares.defined()) r_.error_at(n, shares.path, "is required: the state's share on each step");
      if (weeks.defined() && r_.seq(weeks)) {
        for (std::size_t i = 0; i < weeks.size(); ++i)
          if (auto w = r_.number(weeks.at(i), Range{0, 1e4, true, "a number of weeks above 0"})) {
            if (!rule.weeks.empty() && *w <= rule.weeks.back())
              r_.error(weeks.at(i), "week boundaries must increase");
            rule.weeks.push_back(*w);
          }
      }
      if (shares.defined() && r_.seq(shares)) {
        for (std::size_t i = 0; i < shares.size(); ++i)
          if (auto v = r_.number(shares.at(i), detail::probability)) rule.state_share.push_back(*v);
        if (rule.state_share.size() != rule.weeks.size() + 1 && weeks.defined())
          r_.error(shares, "needs one share more than there are week boundaries (" +
                               std::to_string(rule.weeks.size() + 1) + ", got " +
                               std::to_string(rule.state_share.size()) + ")");
      }
      YNode to = n["to"];
      if (to.defined()) {
        if (auto d = r_.reference(to, department_names_, "department")) rule.to_department = *d;
      } else {
        rule.to_department = s.department_index("state");
        if (rule.to_department < 0)
          r_.error_at(n, to.path, "is required when no department is called 'state' (who pays the reimbursed share)");
      }
      s.reimbursements.push_back(rule);
      reimbursement_names_.push_back(id);
    }
  }

  void parse_run(Scenario& s) {
    auto& run = s.run;
    if (run_.empty()) {
      file_error(files_.front(), 0, 0, "run", "is required: start, horizon_years, iterations, seed, ...");
      return;
    }
    const std::vector<std::string> keys = {"start", "horizon_years", "cycle", "iterations", "seed",
                                           "price_year", "currency", "discount"};
    bool have_start = false;
    for (auto& [key, n] : run_) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string msg = "unknown key '" + key + "'";
        std::string guess = did_you_mean(key, keys);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        r_.error(r_.key_node(n), msg + " (allowed: " + join(keys) + ")");
        continue;
      }
      if (key == "start") {
        have_start = true;
        if (auto ym = r_.year_month(n)) {
          run.start = {ym->first, ym->second};
          start_given_ = true;
        }
      } else if (key == "horizon_years") {
        if (auto v = r_.integer(n, 1, 70)) run.horizon_years = static_cast<int>(*v);
      } else if (key == "cycle") {
        if (auto v = r_.choice(n, {"month", "quarter", "year"})) run.cycle_months = std::array{1, 3, 12}[*v];
      } else if (key == "iterations") {
        iterations_node_ = n;
        if (auto v = r_.integer(n, 1, 10'000'000)) run.iterations = static_cast<int>(*v);
      } else if (key == "seed") {
        if (auto v = r_.seed(n)) run.seed = *v;
      } else if (key == "price_year") {
        if (auto v = r_.integer(n, 1900, 2200)) run.price_year = static_cast<int>(*v);
      } else if (key == "currency") {
        if (auto v = r_.string(n)) run.currency = *v;
      } else if (key == "discount") {
        parse_discount(n, run);
      }
    }
    if (!have_start) file_error(files_.front(), 0, 0, "run.start", "is required: the first month, as YYYY-MM");
  }

  void parse_discount(const YNode& n, RunSettings& run) {
    if (!r_.map(n, {"rate", "schedule", "source"})) return;
    run.discount.clear();
    if (n["rate"].defined() && n["schedule"].defined()) r_.error(n, "give rate or schedule, not both");
    if (n["rate"].defined()) {
      if (auto v = r_.number(n["rate"], Range{-0.5, 1.0, false, "a yearly rate from -0.5 to 1 (0.035 is 3.5 %)"}))
        run.discount.push_back({0.0, *v});
    } else if (n["schedule"].defined() && r_.seq(n["schedule"])) {
      YNode sched = n["schedule"];
      for (std::size_t i = 0; i < sched.size(); ++i) {
        YNode seg = sched.at(i);
        if (!r_.map(seg, {"from_year", "rate"})) continue;
        auto from = r_.number(seg["from_year"], detail::non_negative);
        auto rate = r_.number(seg["rate"], Range{-0.5, 1.0, false, "a yearly rate from -0.5 to 1"});
        if (!from || !rate) continue;
        if (run.discount.empty() && *from != 0.0) r_.error(seg["from_year"], "the first segment must start at year 0");
        if (!run.discount.empty() && *from <= run.discount.back().from_year)
          r_.error(seg["from_year"], "segments must be in increasing from_year");
        run.discount.push_back({*from, *rate});
      }
    } else {
      r_.error(n, "give rate: 0.035 or schedule: [{from_year: 0, rate: 0.035}, ...]");
    }
    if (run.discount.empty()) run.discount.push_back({0.0, 0.035});
  }

  void parse_price_index(Scenario&) {
    for (auto& [year, n] : price_index_) {
      int y = 0;
      auto [ptr, ec] = std::from_chars(year.data(), year.data() + year.size(), y);
      if (ec != std::errc() || ptr != year.data() + year.size() || y < 1900 || y > 2200) {
        r_.error(n, "price_index keys must be years (e.g. 2023: 100.0)");
        continue;
      }
      if (auto v = r_.number(n, detail::positive)) price_index_values_[y] = *v;
    }
  }

  // ----- domains -------------------------------------------------------------------------
  void parse_domains(Scenario& s) {
    if (domains_.empty()) {
      file_error(files_.front(), 0, 0, "domains", "is required: at least one domain with states");
      return;
    }
    // Pass 1: names and states, so links and ageing rules can refer to any domain.
    std::size_t count = 0;
    for (auto& [id, n] : domains_) {
      // The simulation keeps a person's domains in a 16-bit set.
      if (++count == 17) r_.error(n, "at most 16 domains (this is the 17th)");
      Domain d;
      d.id = id;
      domain_names_.push_back(id);
      if (r_.map(n, {"applies_to", "states", "entry", "on_leaving", "transitions", "links", "description"})) {
        YNode states = n["states"];
        if (!states.defined())
          r_.error_at(n, states.path, "is required: the list of states of this domain");
        else if (r_.seq(states)) {
          for (std::size_t i = 0; i < states.size(); ++i) {
            auto name = r_.string(states.at(i));
            if (!name) continue;
            if (*name == "none")
              r_.error(states.at(i), "'none' cannot be a state name (it is reserved for 'in no state')");
            else if (!is_valid_name(*name))
              check_name(states.at(i), *name, "state");
            else if (d.state_index(*name) >= 0)
              r_.error(states.at(i), "state '" + *name + "' is listed twice");
            else
              d.states.push_back(*name);
          }
          if (d.states.size() > 60) r_.error(states, "at most 60 states per domain");
        }
      }
      s.domains.push_back(std::move(d));
    }
    // Pass 2: everything else.
    for (std::size_t k = 0; k < domains_.size(); ++k) {
      auto& [id, n] = domains_[k];
      Domain& d = s.domains[k];
      if (!n.is_map()) continue;
      d.transitions.resize(d.states.size());
      YNode applies = n["applies_to"];
      if (applies.defined() && r_.map(applies, {"role", "age"})) {
        if (applies["role"].defined())
          if (auto v = r_.choice(applies["role"], {"adult", "child", "any"})) d.role = static_cast<Role>(*v);
        YNode age = applies["age"];
        if (age.defined()) {
          if (!age.is_seq() || age.size() != 2) {
            r_.error(age, "expected [min, max] in years (max may be null for no upper limit)");
          } else {
            auto lo = r_.number(age.at(0), Range{0, 120, false, "an age in years from 0 to 120"});
            std::optional<double> hi = 200.0;
            if (age.at(1).defined()) hi = r_.number(age.at(1), Range{0, 200, false, "an age in years"});
            if (lo && hi) {
              if (*hi <= *lo) r_.error(age, "the age range must have min < max");
              d.min_age = *lo;
              d.max_age = *hi;
            }
          }
        }
      }
      if (n["entry"].defined()) d.entry = state_distribution(n["entry"], s, static_cast<int>(k), false);
      parse_transitions(n["transitions"], d);
      parse_links(n["links"], s, d);
    }
    // Pass 3: ageing rules, which need every domain's entry distribution.
    for (std::size_t k = 0; k < domains_.size(); ++k) {
      auto& [id, n] = domains_[k];
      if (n.is_map() && n["on_leaving"].defined()) parse_on_leaving(n["on_leaving"], s, static_cast<int>(k));
    }
  }

  /// {state: probability, ...} summing to 1; 'none' allowed when allow_none.
  StateDistribution state_distribution(const YNode& n, const Scenario& s, int domain, bool allow_none) {
    StateDistribution out;
    if (!n.is_map()) {
      r_.error(n, "expected a map from state to probability, e.g. {regular: 0.9, high_absence: 0.1}");
      return out;
    }
    std::vector<std::string> names = s.domains[domain].states;
    if (allow_none) names.push_back("none");
    double sum = 0.0;
    for (auto& [state, p] : n.entries()) {
      YNode key = Reader::key_node(p);
      key.node = YAML::Node(state);
      auto idx = r_.reference(key, names, "state");
      if (!idx) continue;
      auto v = r_.number(p, detail::probability);
      if (!v) continue;
      out.states.push_back(*idx == static_cast<int>(s.domains[domain].states.size()) ? -1 : *idx);
      out.probabilities.push_back(*v);
      sum += *v;
    }
    if (!out.states.empty() && std::abs(sum - 1.0) > 1e-6) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", sum);
      r_.error(n, std::string("probabilities must sum to 1 (they sum to ") + buf + ")");
    }
    return out;
  }

  void parse_transitions(const YNode& n, Domain& d) {
    if (!n.defined()) return;
    if (!n.is_map()) {
      r_.error(n, "expected a map from state to its monthly exit probabilities");
      return;
    }
    for (auto& [state, rows] : n.entries()) {
      int from = d.state_index(state);
      if (from < 0) {
        std::string msg = "unknown state '" + state + "' in domain '" + d.id + "'";
        std::string guess = did_you_mean(state, d.states);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        r_.error(Reader::key_node(rows), msg + " (states: " + join(d.states) + ")");
        continue;
      }
      std::vector<TransitionBand> bands;
      const std::size_t problems_before = diags_.size();
      if (rows.is_map()) {
        if (auto b = band(rows, d, from, true)) {
          if (b->from_month != 0 || b->to_month != std::numeric_limits<int>::max())
            r_.error(rows["months_in_state"], "a single row must cover every duration: [0, null] (or give a list of bands)");
          bands.push_back(std::move(*b));
        }
      } else if (r_.seq(rows)) {
        for (std::size_t i = 0; i < rows.size(); ++i)
          if (auto b = band(rows.at(i), d, from, false)) bands.push_back(std::move(*b));
        // Bands must tile [0, infinity) in order.
        int expected = 0;
        for (std::size_t i = 0; i < bands.size(); ++i) {
          if (bands[i].from_month != expected) {
            r_.error(rows.at(i), "duration bands must follow on without gaps or overlaps: this band starts at " +
                                     std::to_string(bands[i].from_month) + " months, expected " +
                                     std::to_string(expected));
            break;
          }
          expected = bands[i].to_month;
        }
        if (!bands.empty() && bands.back().to_month != std::numeric_limits<int>::max())
          r_.error(rows.at(bands.size() - 1), "the last duration band must be open-ended ([from, null])");
      }
      if (diags_.size() > problems_before) doubtful_rows_.insert(d.id + "." + state);
      d.transitions[from] = std::move(bands);
    }
  }

  std::optional<TransitionBand> band(const YNode& n, const Domain& d, int from, bool single) {
    if (!r_.map(n, {"months_in_state", "to", "source"})) return std::nullopt;
    TransitionBand b;
    YNode months = n["months_in_state"];
    if (months.defined()) {
      if (!months.is_seq() || months.size() != 2) {
        r_.error(months, "expected [from, to] in months already in the state (to may be null: no upper limit)");
        return std::nullopt;
      }
      auto lo = r_.integer(months.at(0), 0, 100000);
      if (!lo) return std::nullopt;
      b.from_month = static_cast<int>(*lo);
      if (months.at(1).defined()) {
        auto hi = r_.integer(months.at(1), 1, 100000);
        if (!hi) return std::nullopt;
        if (*hi <= *lo) {
          r_.error(months, "a band needs from < to");
          return std::nullopt;
        }
        b.to_month = static_cast<int>(*hi);
      }
    } else if (!single) {
      r_.error_at(n, months.path, "is required in a list of duration bands");
    }
    YNode to = n["to"];
    if (!to.defined()) {
      r_.error_at(n, to.path, "is required: the monthly probabilities of moving to each state");
      return std::nullopt;
    }
    if (!to.is_map()) {
      r_.error(to, "expected a map from destination state to monthly probability");
      return std::nullopt;
    }
    const std::vector<std::string>& states = d.states;
    auto destination = [&](const std::string& name, const YNode& at) -> int {
      int idx = d.state_index(name);
      if (idx < 0) {
        std::string msg = "unknown state '" + name + "' in domain '" + d.id + "'";
        std::string guess = did_you_mean(name, states);
        if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
        r_.error(at, msg + " (states: " + join(states) + ")");
      } else if (idx == from) {
        r_.error(at, "a state cannot move to itself; staying is what is left over");
        idx = -1;
      }
      return idx;
    };
    double sum = 0.0;
    bool exact_sum = true;
    if (to["dirichlet"].defined()) {
      YNode dir = to["dirichlet"];
      r_.map(to, {"dirichlet"});
      if (!dir.is_map()) {
        r_.error(dir, "expected a map from destination (and 'stay') to a positive count");
        return std::nullopt;
      }
      double stay = -1.0;
      for (auto& [name, alpha] : dir.entries()) {
        auto a = r_.number(alpha, detail::positive);
        if (!a) continue;
        if (name == "stay") {
          stay = *a;
          continue;
        }
        int idx = destination(name, Reader::key_node(alpha));
        if (idx < 0) continue;
        b.destinations.push_back(idx);
        b.dirichlet_alpha.push_back(*a);
      }
      if (stay <= 0) r_.error_at(dir, dir.path + ".stay", "is required: the count for staying in the state");
      b.dirichlet_alpha.push_back(stay);
      b.dirichlet_path = dir.path;
      b.dirichlet_key = path_key(dir.path);
      return b;
    }
    for (auto& [name, p] : to.entries()) {
      int idx = destination(name, Reader::key_node(p));
      auto q = r_.quantity(p, detail::probability);
      if (idx < 0 || !q) continue;
      b.destinations.push_back(idx);
      sum += q->dist.mean();
      exact_sum = exact_sum && q->dist.is_fixed();
      b.probabilities.push_back(std::move(*q));
    }
    if (sum > 1.0 + 1e-9) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "%.6g", sum);
      r_.error(to, std::string("outgoing probabilities of '") + states[from] + "' sum to " + buf +
                       (exact_sum ? "" : " (by their means)") + ", above 1 (allowed: at most 1; staying is 1 minus the sum)");
    }
    return b;
  }

  StateCondition condition(const YNode& n, const Scenario& s) {
    StateCondition c;
    if (!r_.map(n, {"self", "household_any", "household_other"})) return c;
    auto entries = n.entries();
    if (entries.size() != 1) {
      r_.error(n, "give exactly one of self, household_any, household_other");
      return c;
    }
    auto& [scope, body] = entries.front();
    c.scope = scope == "self" ? StateCondition::Scope::self
              : scope == "household_any" ? StateCondition::Scope::household_any
                                         : StateCondition::Scope::household_other;
    if (!body.is_map() || body.size() != 1) {
      r_.error(body, "expected {domain: state} or {domain: [states]}");
      return c;
    }
    auto [domain_name, states] = body.entries().front();
    YNode key = Reader::key_node(states);
    key.node = YAML::Node(domain_name);
    auto dom = r_.reference(key, domain_names_, "domain");
    if (!dom) return c;
    c.domain = *dom;
    auto add = [&](const YNode& st) {
      if (auto idx = r_.reference(st, s.domains[*dom].states, "state")) c.states.push_back(*idx);
    };
    if (states.is_seq())
      for (std::size_t i = 0; i < states.size(); ++i) add(states.at(i));
    else
      add(states);
    return c;
  }

  /// A hazard ratio multiplies a hazard, so the route must have a probability to multiply.
  void require_route(const YNode& at, const Domain& d, int from, int to, const char* what) {
    if (from < 0 || to < 0 || doubtful_rows_.count(d.id + "." + d.states[from])) return;
    if (from == to) {
      r_.error(at, std::string(what) + " needs two different states");
      return;
    }
    for (const auto& band : d.transitions[from])
      for (int dest : band.destinations)
        if (dest == to) return;
    std::vector<std::string> routes;
    for (const auto& band : d.transitions[from])
      for (int dest : band.destinations)
        if (std::find(routes.begin(), routes.end(), d.states[dest]) == routes.end()) routes.push_back(d.states[dest]);
    r_.error(at, std::string(what) + " on " + d.id + "." + d.states[from] + "->" + d.states[to] +
                     " would do nothing: that move has no monthly probability in transitions (moves from '" +
                     d.states[from] + "': " + (routes.empty() ? std::string("none") : join(routes)) +
                     "); add it there, or use risk_difference");
  }

  /// "from->to" within one domain.
  bool transition_names(const YNode& n, const Domain& d, int& from, int& to) {
    auto text = r_.string(n);
    if (!text) return false;
    auto arrow = text->find("->");
    if (arrow == std::string::npos) {
      r_.error(n, "expected 'from->to' (states of domain '" + d.id + "')");
      return false;
    }
    YNode a = Reader::key_node(n), b = Reader::key_node(n);
    a.node = YAML::Node(text->substr(0, arrow));
    b.node = YAML::Node(text->substr(arrow + 2));
    auto f = r_.reference(a, d.states, "state");
    auto t = r_.reference(b, d.states, "state");
    if (!f || !t) return false;
    from = *f;
    to = *t;
    return true;
  }

  void parse_links(const YNode& n, const Scenario& s, Domain& d) {
    if (!n.defined() || !r_.seq(n)) return;
    for (std::size_t i = 0; i < n.size(); ++i) {
      YNode item = n.at(i);
      if (!r_.map(item, {"when", "transition", "hazard_ratio", "source"})) continue;
      Link link;
      if (!item["when"].defined()) r_.error_at(item, item["when"].path, "is required");
      else link.when = condition(item["when"], s);
      if (!item["transition"].defined()) r_.error_at(item, item["transition"].path, "is required: 'from->to'");
      else if (transition_names(item["transition"], d, link.from, link.to))
        require_route(item["transition"], d, link.from, link.to, "a link");
      if (!item["hazard_ratio"].defined()) r_.error_at(item, item["hazard_ratio"].path, "is required");
      else if (auto q = r_.quantity(item["hazard_ratio"], detail::positive)) link.hazard_ratio = *q;
      d.links.push_back(std::move(link));
    }
    if (d.links.size() > 6) r_.error(n, "at most 6 links per domain");
  }

  void parse_on_leaving(const YNode& n, Scenario& s, int k) {
    Domain& d = s.domains[k];
    if (!r_.map(n, {"at_age", "to_domain", "map"})) return;
    AgeingRule rule;
    rule.at_age = d.max_age;
    if (n["at_age"].defined()) {
      if (auto v = r_.number(n["at_age"], Range{0, 120, false, "an age in years"})) {
        if (d.max_age < 200.0 && std::abs(*v - d.max_age) > 1e-9)
          r_.error(n["at_age"], "at_age must equal the upper end of applies_to.age (" + std::to_string(d.max_age) + ")");
        d.max_age = *v;
        rule.at_age = *v;
      }
    }
    if (n["to_domain"].defined()) {
      auto target = r_.reference(n["to_domain"], domain_names_, "domain");
      if (target) {
        rule.to_domain = *target;
        if (*target == k) r_.error(n["to_domain"], "a domain cannot age into itself");
        const Domain& t = s.domains[*target];
        rule.map.resize(d.states.size(), t.entry);
        YNode map = n["map"];
        if (map.defined() && map.is_map()) {
          for (auto& [state, dist] : map.entries()) {
            int idx = d.state_index(state);
            if (idx < 0) {
              r_.error(dist, "unknown state '" + state + "' in domain '" + d.id + "' (states: " + join(d.states) + ")");
              continue;
            }
            rule.map[idx] = state_distribution(dist, s, *target, true);
          }
        } else if (map.defined()) {
          r_.error(map, "expected a map from each state of '" + d.id + "' to a distribution over '" + t.id + "'");
        }
        for (std::size_t i = 0; i < d.states.size(); ++i)
          if (rule.map[i].empty())
            r_.error(n, "no entry into '" + t.id + "' for state '" + d.states[i] + "': give map." + d.states[i] +
                            " or an entry distribution in domain '" + t.id + "'");
      }
    }
    d.on_leaving = std::move(rule);
  }

  // ----- population and exits --------------------------------------------------------
  CountDistribution count_distribution(const YNode& n) {
    CountDistribution c;
    if (n.is_scalar()) {
      if (auto v = r_.integer(n, 0, 20)) {
        c.kind = CountDistribution::Kind::fixed;
        c.values = {static_cast<int>(*v)};
        c.probabilities = {1.0};
      }
      return c;
    }
    if (!r_.map(n, {"categorical", "poisson", "max"})) return c;
    if (n["categorical"].defined()) {
      YNode cat = n["categorical"];
      c.kind = CountDistribution::Kind::categorical;
      double sum = 0;
      for (auto& [k, p] : cat.entries()) {
        auto v = r_.integer(YNode{YAML::Node(k), p.file, p.path, p.fallback_line, p.fallback_column}, 0, 20);
        auto pr = r_.number(p, detail::probability);
        if (!v || !pr) continue;
        c.values.push_back(static_cast<int>(*v));
        c.probabilities.push_back(*pr);
        sum += *pr;
      }
      if (c.values.empty()) r_.error(cat, "expected a map from count to probability, e.g. {1: 0.55, 2: 0.45}");
      else if (std::abs(sum - 1.0) > 1e-6) r_.error(cat, "probabilities must sum to 1 (they sum to " + std::to_string(sum) + ")");
    } else if (n["poisson"].defined()) {
      c.kind = CountDistribution::Kind::poisson;
      if (auto v = r_.number(n["poisson"], Range{0, 20, false, "a mean from 0 to 20"})) c.lambda = *v;
      c.max = 20;
      if (n["max"].defined())
        if (auto v = r_.integer(n["max"], 0, 20)) c.max = static_cast<int>(*v);
    } else {
      r_.error(n, "expected a count, {categorical: {...}} or {poisson: mean, max: n}");
    }
    return c;
  }

  Distribution age_distribution(const YNode& n, Distribution fallback) {
    if (!n.defined()) return fallback;
    auto q = r_.quantity(n, Range{0, 120, false, "an age in years from 0 to 120"});
    return q ? q->dist : fallback;
  }

  void parse_population(Scenario& s) {
    auto it = whole_.find("population");
    if (it == whole_.end()) {
      file_error(files_.front(), 0, 0, "population", "is required: households with synthetic: {...} or csv: file");
      return;
    }
    const YNode& n = it->second;
    if (!r_.map(n, {"households", "synthetic", "csv"})) return;
    bool syn = n["synthetic"].defined(), csv = n["csv"].defined();
    if (syn == csv) {
      r_.error(n, "give exactly one of synthetic (distributions) or csv (a file with one row per person)");
      return;
    }
    if (csv) {
      if (auto f = r_.string(n["csv"])) {
        fs::path p = fs::path(*n.file).parent_path() / *f;
        s.population.csv_path = p.lexically_normal().string();
        std::error_code ec;
        if (!fs::is_regular_file(s.population.csv_path, ec))
          r_.error(n["csv"], "cannot read population file '" + s.population.csv_path + "'");
      }
      if (n["households"].defined()) r_.error(n["households"], "households is taken from the CSV file; remove it");
      return;
    }
    if (!n["households"].defined()) r_.error_at(n, "population.households", "is required: how many households");
    else if (auto v = r_.integer(n["households"], 1, 10'000'000)) s.population.households = static_cast<int>(*v);
    YNode syn_n = n["synthetic"];
    if (!r_.map(syn_n, {"adults_per_household", "children_per_household", "adult_age", "child_age", "start_state",
                        "months_in_start_state"}))
      return;
    SyntheticPopulation sp;
    if (syn_n["adults_per_household"].defined()) {
      sp.adults = count_distribution(syn_n["adults_per_household"]);
      bool zero = false;
      for (std::size_t i = 0; i < sp.adults.values.size(); ++i) zero = zero || (sp.adults.values[i] == 0 && sp.adults.probabilities[i] > 0);
      if (zero || (sp.adults.kind == CountDistribution::Kind::poisson))
        r_.error(syn_n["adults_per_household"], "every household needs at least one adult (give counts of 1 or more)");
    }
    else sp.adults = {CountDistribution::Kind::fixed, {1}, {1.0}, 0, 0};
    if (syn_n["children_per_household"].defined()) sp.children = count_distribution(syn_n["children_per_household"]);
    else sp.children = {CountDistribution::Kind::fixed, {0}, {1.0}, 0, 0};
    sp.adult_age = age_distribution(syn_n["adult_age"], sp.adult_age);
    sp.child_age = age_distribution(syn_n["child_age"], sp.child_age);
    sp.start_state.resize(s.domains.size());
    YNode start = syn_n["start_state"];
    if (start.defined() && start.is_map()) {
      for (auto& [dom, dist] : start.entries()) {
        YNode key = Reader::key_node(dist);
        key.node = YAML::Node(dom);
        auto k = r_.reference(key, domain_names_, "domain");
        if (k) sp.start_state[*k] = state_distribution(dist, s, *k, true);
      }
    } else if (start.defined()) {
      r_.error(start, "expected a map from domain to a distribution over its states");
    }
    YNode months = syn_n["months_in_start_state"];
    if (months.defined() && months.is_map()) {
      for (auto& [key, dist] : months.entries()) {
        int dom = -1, st = -1;
        if (!domain_state(key, dist, s, dom, st)) continue;
        if (auto q = r_.quantity(dist, Range{0, detail::unbounded, false, "a number of months of at least 0"}))
          sp.months_in_start_state.push_back({dom, st, q->dist});
      }
    } else if (months.defined()) {
      r_.error(months, "expected a map from domain.state to a distribution of months");
    }
    s.population.synthetic = std::move(sp);
  }

  /// "domain.state" -> indices, with errors at `at`.
  bool domain_state(const std::string& key, const YNode& value, const Scenario& s, int& dom, int& st) {
    const YNode at = value.key_line ? Reader::key_node(value) : value;
    auto dot = key.find('.');
    if (dot == std::string::npos) {
      r_.error(at, "expected domain.state (e.g. employment.cash_benefit), got '" + key + "'");
      return false;
    }
    YNode dn{YAML::Node(key.substr(0, dot)), at.file, at.path, at.fallback_line, at.fallback_column};
    YNode sn{YAML::Node(key.substr(dot + 1)), at.file, at.path, at.fallback_line, at.fallback_column};
    if (auto m = at.node.Mark(); at.node.IsDefined() && m.line >= 0) {
      dn.fallback_line = sn.fallback_line = m.line + 1;
      dn.fallback_column = sn.fallback_column = m.column + 1;
    }
    auto d = r_.reference(dn, domain_names_, "domain");
    if (!d) return false;
    auto t = r_.reference(sn, s.domains[*d].states, "state");
    if (!t) return false;
    dom = *d;
    st = *t;
    return true;
  }

  void parse_exits(Scenario& s) {
    auto it = whole_.find("exits");
    if (it == whole_.end()) return;
    const YNode& n = it->second;
    if (!r_.map(n, {"mortality", "moving_away"})) return;
    YNode mort = n["mortality"];
    if (mort.defined() && r_.map(mort, {"adult", "child"})) {
      s.exits.mortality_adult = r_.quantity_or(mort["adult"], 0.0, detail::probability);
      s.exits.mortality_child = r_.quantity_or(mort["child"], 0.0, detail::probability);
    }
    s.exits.moving_away = r_.quantity_or(n["moving_away"], 0.0, detail::probability);
  }

  // ----- costs -----------------------------------------------------------------------------
  std::vector<CostLine> cost_lines(const YNode& n, const Scenario& s) {
    std::vector<CostLine> lines;
    std::vector<YNode> items;
    if (n.is_map()) items.push_back(n);
    else if (r_.seq(n))
      for (std::size_t i = 0; i < n.size(); ++i) items.push_back(n.at(i));
    for (const auto& item : items) {
      if (!r_.map(item, {"department", "amount", "reimbursement", "price_year", "note", "source"})) continue;
      CostLine line;
      if (!item["department"].defined()) r_.error_at(item, item["department"].path, "is required");
      else if (auto d = r_.reference(item["department"], department_names_, "department")) line.department = *d;
      if (!item["amount"].defined()) r_.error_at(item, item["amount"].path, "is required: kr. per person-month (negative for a gain such as tax)");
      else if (auto q = r_.quantity(item["amount"], detail::amount)) line.amount = *q;
      if (item["reimbursement"].defined())
        if (auto rr = r_.reference(item["reimbursement"], reimbursement_names_, "reimbursement rule")) line.reimbursement = *rr;
      if (item["note"].defined())
        if (auto t = r_.string(item["note"])) line.note = *t;
      if (item["source"].defined())
        if (auto t = r_.string(item["source"])) line.amount.source = *t;
      if (item["price_year"].defined()) {
        if (auto y = r_.integer(item["price_year"], 1900, 2200)) {
          line.amount.dist = rescale(item["price_year"], line.amount.dist, static_cast<int>(*y), s.run.price_year);
        }
      }
      lines.push_back(std::move(line));
    }
    return lines;
  }

  /// Moves an amount from its own price year to the scenario's, by the price index.
  Distribution rescale(const YNode& at, Distribution d, int from_year, int to_year) {
    if (from_year == to_year) return d;
    auto a = price_index_values_.find(from_year), b = price_index_values_.find(to_year);
    if (a == price_index_values_.end() || b == price_index_values_.end()) {
      r_.error(at, "price_index has no value for " + std::to_string(a == price_index_values_.end() ? from_year : to_year) +
                       " (needed to move this amount from " + std::to_string(from_year) + " to " +
                       std::to_string(to_year) + " prices)");
      return d;
    }
    double f = b->second / a->second;
    if (!detail::rules_of(d.kind).rescale(d, f))
      r_.error(at, std::string("a ") + distribution_kind_name(d.kind) + "-distributed amount cannot be price-indexed");
    return d;
  }

  void parse_costs(Scenario& s) {
    for (auto& [key, n] : state_costs_) {
      int dom = -1, st = -1;
      if (!domain_state(key, n, s, dom, st)) continue;
      s.state_costs.push_back({dom, st, cost_lines(n, s)});
    }
    for (auto& [key, n] : transition_costs_) {
      auto arrow = key.find("->");
      if (arrow == std::string::npos) {
        r_.error(n, "expected 'domain.from->domain.to', got '" + key + "'");
        continue;
      }
      int d1 = -1, s1 = -1, d2 = -1, s2 = -1;
      if (!domain_state(key.substr(0, arrow), n, s, d1, s1) || !domain_state(key.substr(arrow + 2), n, s, d2, s2)) continue;
      if (d1 != d2) {
        r_.error(n, "a transition cost must stay within one domain ('" + s.domains[d1].id + "' vs '" + s.domains[d2].id + "')");
        continue;
      }
      s.transition_costs.push_back({d1, s1, s2, cost_lines(n, s)});
    }
  }

  // ----- indicators and targets ------------------------------------------------------------
  void parse_indicators(Scenario& s) {
    for (auto& [id, n] : indicators_) {
      Indicator ind;
      ind.id = id;
      ind.label = id;
      indicator_names_.push_back(id);
      if (!r_.map(n, {"label", "domain", "states", "min_months", "improved", "role"})) {
        s.indicators.push_back(ind);
        continue;
      }
      if (n["label"].defined())
        if (auto t = r_.string(n["label"])) ind.label = *t;
      if (n["role"].defined())
        if (auto v = r_.choice(n["role"], {"adult", "child", "any"})) ind.role = static_cast<Role>(*v);
      if (!n["domain"].defined()) r_.error_at(n, n["domain"].path, "is required");
      else if (auto d = r_.reference(n["domain"], domain_names_, "domain")) ind.domain = *d;
      if (ind.domain >= 0) {
        const auto& states = s.domains[ind.domain].states;
        auto state_list = [&](const YNode& list, std::vector<int>& out) {
          if (!r_.seq(list)) return;
          for (std::size_t i = 0; i < list.size(); ++i)
            if (auto st = r_.reference(list.at(i), states, "state")) out.push_back(*st);
        };
        if (n["improved"].defined()) {
          ind.kind = Indicator::Kind::share_improved;
          std::vector<int> order;
          state_list(n["improved"], order);
          ind.rank.assign(states.size(), -1);
          for (std::size_t i = 0; i < order.size(); ++i) ind.rank[order[i]] = static_cast<int>(i);
          if (n["states"].defined()) r_.error(n["states"], "give either states or improved, not both");
          if (n["min_months"].defined()) r_.error(n["min_months"], "min_months applies to states, not to improved");
        } else if (n["states"].defined()) {
          state_list(n["states"], ind.states);
        } else {
          r_.error_at(n, n["states"].path, "is required (or improved: [best, ..., worst])");
        }
        if (n["min_months"].defined())
          if (auto v = r_.integer(n["min_months"], 0, 600)) ind.min_months = static_cast<int>(*v);
      }
      s.indicators.push_back(std::move(ind));
    }
  }

  /// {indicator, among, at_year} common to targets and contracts.
  void indicator_condition(const YNode& n, const Scenario& s, int& indicator, Group& among, int& at_year) {
    if (!n["indicator"].defined()) r_.error_at(n, n["indicator"].path, "is required");
    else if (auto i = r_.reference(n["indicator"], indicator_names_, "indicator")) indicator = *i;
    if (n["among"].defined())
      if (auto v = r_.choice(n["among"], {"all", "participants"})) among = static_cast<Group>(*v);
    if (!n["at_year"].defined()) r_.error_at(n, n["at_year"].path, "is required: the year (1 = first) at whose end it is measured");
    else if (auto y = r_.integer(n["at_year"], 1, s.run.horizon_years)) at_year = static_cast<int>(*y);
  }

  void parse_targets(Scenario& s) {
    auto it = whole_.find("targets");
    if (it == whole_.end()) return;
    const YNode& n = it->second;
    if (!r_.seq(n)) return;
    for (std::size_t i = 0; i < n.size(); ++i) {
      YNode item = n.at(i);
      if (!r_.map(item, {"indicator", "among", "at_year", "at_least", "at_most", "label"})) continue;
      Target t;
      indicator_condition(item, s, t.indicator, t.among, t.at_year);
      if (item["at_least"].defined())
        if (auto v = r_.number(item["at_least"], detail::probability)) t.at_least = *v;
      if (item["at_most"].defined())
        if (auto v = r_.number(item["at_most"], detail::probability)) t.at_most = *v;
      if (!item["at_least"].defined() && !item["at_most"].defined())
        r_.error(item, "give at_least or at_most (a share from 0 to 1)");
      if (item["label"].defined())
        if (auto v = r_.string(item["label"])) t.text = *v;
      if (t.text.empty() && t.indicator >= 0) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s %s %.0f %% by year %d", s.indicators[t.indicator].label.c_str(),
                      std::isfinite(t.at_least) ? "at least" : "at most",
                      100.0 * (std::isfinite(t.at_least) ? t.at_least : t.at_most), t.at_year);
        t.text = buf;
      }
      s.targets.push_back(std::move(t));
    }
  }

  // ----- variants and interventions ------------------------------------------------------
  /// A map node whose keys are the union of layers; later layers (the child) win. Unknown
  /// keys are checked on each layer, so marks point into the right file.
  YNode overlay(const std::vector<YNode>& layers, const std::vector<std::string>& allowed, const std::string& path) {
    YAML::Node merged(YAML::NodeType::Map);
    YNode out{merged, layers.back().file, path};
    auto mark = layers.back().node.Mark();
    out.fallback_line = mark.line >= 0 ? mark.line + 1 : layers.back().fallback_line;
    out.fallback_column = mark.line >= 0 ? mark.column + 1 : layers.back().fallback_column;
    for (const auto& layer : layers) {
      if (!r_.map(layer, allowed)) continue;
      for (auto it = layer.node.begin(); it != layer.node.end(); ++it) merged[it->first.Scalar()] = it->second;
    }
    out.node = merged;
    return out;
  }

  void parse_variants(Scenario& s) {
    if (variants_.empty()) {
      file_error(files_.front(), 0, 0, "variants", "is required: at least 'baseline: {}'");
      return;
    }
    std::vector<std::string> names;
    for (auto& [id, n] : variants_) names.push_back(id);
    auto base = std::find(names.begin(), names.end(), "baseline");
    if (base == names.end()) {
      file_error(*variants_.front().second.file, 0, 0, "variants",
                 "a variant named 'baseline' is required: what happens without the project, usually 'baseline: {}' "
                 "(variants found: " + join(names) + ")");
      return;
    }
    // Baseline first; the others in file order.
    std::vector<std::size_t> order{static_cast<std::size_t>(base - names.begin())};
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] != "baseline") order.push_back(i);
    const std::vector<std::string> variant_keys = {"description", "extends", "interventions", "contracts"};
    for (std::size_t i : order) {
      auto& [id, n] = variants_[i];
      Variant v;
      v.id = id;
      if (n.defined() && !r_.map(n, variant_keys)) {
        s.variants.push_back(v);
        continue;
      }
      // Resolve the extends chain: root first.
      std::vector<YNode> chain{n};
      std::vector<std::string> seen{id};
      while (chain.front().defined() && chain.front()["extends"].defined()) {
        YNode ext = chain.front()["extends"];
        auto parent = r_.reference(ext, names, "variant");
        if (!parent) break;
        if (std::find(seen.begin(), seen.end(), names[*parent]) != seen.end()) {
          r_.error(ext, "extends cycle: " + join(seen, " -> ") + " -> " + names[*parent]);
          break;
        }
        seen.push_back(names[*parent]);
        chain.insert(chain.begin(), variants_[*parent].second);
      }
      if (id == "baseline" && n.defined() && (n["interventions"].defined() || n["extends"].defined()))
        r_.error(n, "the baseline has no interventions and extends nothing: it is what happens without the project");
      if (n.defined() && n["description"].defined())
        if (auto t = r_.string(n["description"])) v.description = *t;
      // Interventions: merged by name across the chain, keys of the child winning.
      std::vector<std::pair<std::string, std::vector<YNode>>> interventions;
      std::map<std::string, std::map<std::string, std::string>> origin; // intervention -> key -> variant
      YNode contracts;
      for (std::size_t li = 0; li < chain.size(); ++li) {
        const YNode& layer = chain[li];
        const std::string& layer_variant = seen[chain.size() - 1 - li];
        if (!layer.defined() || !layer.is_map()) continue;
        if (layer["contracts"].defined()) contracts = layer["contracts"];
        YNode ivs = layer["interventions"];
        if (!ivs.defined()) continue;
        if (!ivs.is_map()) {
          r_.error(ivs, "expected a map of named interventions");
          continue;
        }
        for (auto& [name, body] : ivs.entries()) {
          if (li + 1 == chain.size()) check_name(Reader::key_node(body), name, "intervention");
          if (body.is_map())
            for (auto& [key, value] : body.entries()) origin[name][key] = layer_variant;
          const std::string& intervention_name = name;
          auto it = std::find_if(interventions.begin(), interventions.end(), [&](auto& e) { return e.first == intervention_name; });
          if (it == interventions.end()) interventions.push_back({name, {body}});
          else it->second.push_back(body);
        }
      }
      for (auto& [name, layers] : interventions) {
        Intervention iv = parse_intervention(name, layers, s, "variants." + id + ".interventions." + name);
        rebase_inherited(iv, id, origin[name]);
        v.interventions.push_back(std::move(iv));
      }
      if (contracts.defined()) parse_contracts(contracts, s, v, "variants." + id + ".contracts");
      s.variants.push_back(std::move(v));
    }
  }

  /// An inherited parameter keeps the key path of the variant that wrote it, so a variant
  /// and the one it extends draw the same value in each iteration (common random numbers).
  static void rebase_inherited(Intervention& iv, const std::string& variant, const std::map<std::string, std::string>& origin) {
    const std::string prefix = "variants." + variant + ".interventions." + iv.id + ".";
    auto rebase = [&](Quantity& q) {
      if (q.path.rfind(prefix, 0) != 0) return;
      const std::string rest = q.path.substr(prefix.size());
      const std::string key = rest.substr(0, rest.find_first_of(".["));
      auto it = origin.find(key);
      if (it == origin.end() || it->second == variant) return;
      q.path = "variants." + it->second + ".interventions." + iv.id + "." + rest;
      q.key = path_key(q.path);
    };
    // The same list as the assumptions table and sweeps: a parameter missing here would be
    // drawn independently by a variant and the one it extends.
    iv.for_each_quantity(rebase);
  }

  EligibilityRule eligibility(const YNode& n, const Scenario& s) {
    EligibilityRule rule;
    const std::vector<std::string> keys = {"all_of", "any_of", "departments_with_cases", "any_member", "has_children"};
    if (!r_.map(n, keys)) return rule;
    std::vector<EligibilityRule> parts;
    for (auto& [key, body] : n.entries()) {
      EligibilityRule part;
      if (key == "all_of" || key == "any_of") {
        part.kind = key == "all_of" ? EligibilityRule::Kind::all_of : EligibilityRule::Kind::any_of;
        if (r_.seq(body))
          for (std::size_t i = 0; i < body.size(); ++i) part.children.push_back(eligibility(body.at(i), s));
      } else if (key == "departments_with_cases") {
        part.kind = EligibilityRule::Kind::departments_with_cases;
        if (r_.map(body, {"at_least", "including"})) {
          if (body["at_least"].defined())
            if (auto v = r_.integer(body["at_least"], 0, 100)) part.at_least = static_cast<int>(*v);
          YNode inc = body["including"];
          if (inc.defined() && r_.seq(inc))
            for (std::size_t i = 0; i < inc.size(); ++i)
              if (auto d = r_.reference(inc.at(i), department_names_, "department")) part.including.push_back(*d);
        }
      } else if (key == "any_member") {
        part.kind = EligibilityRule::Kind::any_member;
        if (r_.map(body, {"role", "state", "months_in_state"})) {
          if (body["role"].defined())
            if (auto v = r_.choice(body["role"], {"adult", "child", "any"})) part.role = static_cast<Role>(*v);
          YNode st = body["state"];
          std::vector<YNode> items;
          if (st.is_seq())
            for (std::size_t i = 0; i < st.size(); ++i) items.push_back(st.at(i));
          else if (st.defined())
            items.push_back(st);
          else
            r_.error_at(body, st.path, "is required: domain.state or a list of them (one domain)");
          for (auto& item : items) {
            auto text = r_.string(item);
            int d = -1, t = -1;
            if (!text || !domain_state(*text, item, s, d, t)) continue;
            if (part.domain >= 0 && d != part.domain) r_.error(item, "all states must be of one domain");
            part.domain = d;
            part.states.push_back(t);
          }
          YNode mis = body["months_in_state"];
          if (mis.defined()) {
            if (!mis.is_seq() || mis.size() != 2) r_.error(mis, "expected [min, max] months (max may be null)");
            else {
              if (auto lo = r_.integer(mis.at(0), 0, 100000)) part.min_months = static_cast<int>(*lo);
              if (mis.at(1).defined())
                if (auto hi = r_.integer(mis.at(1), 0, 100000)) part.max_months = static_cast<int>(*hi);
            }
          }
        }
      } else if (key == "has_children") {
        part.kind = EligibilityRule::Kind::has_children;
        if (auto b = r_.boolean(body)) part.at_least = *b ? 1 : 0; // 1: with children, 0: without
      }
      parts.push_back(std::move(part));
    }
    if (parts.size() == 1) return parts.front();
    rule.kind = EligibilityRule::Kind::all_of;
    rule.children = std::move(parts);
    return rule;
  }

  Intervention parse_intervention(const std::string& name, const std::vector<YNode>& layers, const Scenario& s,
                                  const std::string& path) {
    Intervention iv;
    iv.id = name;
    const std::vector<std::string> keys = {"eligible", "uptake", "capacity", "intake_per_month", "start",
                                           "duration_months", "stay_months", "costs", "effects", "description"};
    YNode n = overlay(layers, keys, path);
    if (n["eligible"].defined()) iv.eligible = eligibility(n["eligible"], s);
    iv.uptake = r_.quantity_or(n["uptake"], 1.0, detail::probability);
    iv.uptake.path = path + ".uptake";
    iv.uptake.key = path_key(iv.uptake.path);
    iv.households_per_staff_pair = Quantity::fixed(0.0, path + ".capacity.households_per_staff_pair");
    iv.staff = Quantity::fixed(0.0, path + ".capacity.staff");
    iv.capacity_households = Quantity::fixed(0.0, path + ".capacity.households");
    for (Quantity* q : {&iv.households_per_staff_pair, &iv.staff, &iv.capacity_households}) q->range = detail::household_count;
    YNode cap = n["capacity"];
    if (cap.defined() && r_.map(cap, {"households_per_staff_pair", "staff", "households"})) {
      if (cap["households"].defined() && (cap["staff"].defined() || cap["households_per_staff_pair"].defined()))
        r_.error(cap, "give households, or households_per_staff_pair and staff, not both");
      if (cap["households"].defined()) {
        iv.capacity_households = r_.quantity_or(cap["households"], 0.0, detail::household_count);
      } else {
        if (!cap["households_per_staff_pair"].defined() || !cap["staff"].defined())
          r_.error(cap, "give households, or both households_per_staff_pair and staff");
        iv.households_per_staff_pair = r_.quantity_or(cap["households_per_staff_pair"], 0.0, detail::household_count);
        iv.staff = r_.quantity_or(cap["staff"], 0.0, detail::household_count);
      }
    }
    // Absent: no limit. Given: households a month, above 0 (may be fractional).
    iv.intake_per_month = r_.quantity_or(n["intake_per_month"], 0.0, detail::household_count);
    if (n["start"].defined()) {
      if (auto ym = r_.year_month(n["start"])) {
        iv.start_month = YearMonth{ym->first, ym->second}.index() - s.run.start.index();
        if (start_given_ && (iv.start_month < 0 || iv.start_month >= s.run.horizon_months()))
          r_.error(n["start"], "the intervention must start within the run (" + s.run.start.text() + " plus " +
                                   std::to_string(s.run.horizon_years) + " years)");
      }
    }
    if (n["duration_months"].defined())
      if (auto v = r_.integer(n["duration_months"], 1, 1200)) iv.duration_months = static_cast<int>(*v);
    if (n["stay_months"].defined())
      if (auto v = r_.integer(n["stay_months"], 1, 1200)) iv.stay_months = static_cast<int>(*v);
    YNode costs = n["costs"];
    if (costs.defined() && r_.seq(costs))
      for (std::size_t i = 0; i < costs.size(); ++i) {
        YNode c = costs.at(i);
        if (auto ic = intervention_cost(c, s)) iv.costs.push_back(std::move(*ic));
      }
    YNode effects = n["effects"];
    if (effects.defined() && r_.seq(effects))
      for (std::size_t i = 0; i < effects.size(); ++i) {
        YNode e = effects.at(i);
        if (!r_.map(e, {"transition", "hazard_ratio", "risk_difference", "ramp_up_months", "decay_half_life_months", "source"})) continue;
        Effect ef;
        YNode tr = e["transition"];
        auto text = tr.defined() ? r_.string(tr) : std::nullopt;
        if (!tr.defined()) r_.error_at(e, tr.path, "is required: 'domain.from->to'");
        if (text) {
          auto dot = text->find('.');
          if (dot == std::string::npos) {
            r_.error(tr, "expected 'domain.from->to', e.g. employment.cash_benefit->job");
          } else {
            YNode dn = Reader::key_node(tr);
            dn.node = YAML::Node(text->substr(0, dot));
            if (auto d = r_.reference(dn, domain_names_, "domain")) {
              ef.domain = *d;
              YNode rest = Reader::key_node(tr);
              rest.node = YAML::Node(text->substr(dot + 1));
              if (transition_names(rest, s.domains[*d], ef.from, ef.to)) {
                if (ef.from == ef.to) r_.error(tr, "an effect needs two different states");
                else if (e["hazard_ratio"].defined()) require_route(tr, s.domains[*d], ef.from, ef.to, "a hazard ratio");
              }
            }
          }
        }
        bool hr = e["hazard_ratio"].defined(), rd = e["risk_difference"].defined();
        if (hr == rd) r_.error(e, "give exactly one of hazard_ratio or risk_difference");
        else if (hr) ef.value = r_.quantity_or(e["hazard_ratio"], 1.0, detail::positive);
        else {
          ef.is_hazard_ratio = false;
          ef.value = r_.quantity_or(e["risk_difference"], 0.0, Range{-1, 1, false, "a difference in monthly probability from -1 to 1"});
        }
        if (e["ramp_up_months"].defined())
          if (auto v = r_.integer(e["ramp_up_months"], 0, 600)) ef.ramp_up_months = static_cast<int>(*v);
        if (e["decay_half_life_months"].defined()) {
          YNode dh = e["decay_half_life_months"];
          if (dh.scalar() == "never") ef.decay_half_life_months = std::numeric_limits<double>::infinity();
          else if (auto v = r_.number(dh, Range{0, 1e6, true, "months above 0, or never"})) ef.decay_half_life_months = *v;
        }
        iv.effects.push_back(std::move(ef));
      }
    return iv;
  }

  std::optional<InterventionCost> intervention_cost(const YNode& c, const Scenario& s) {
    if (!r_.map(c, {"department", "fte", "monthly_cost_per_fte", "total", "spread", "finances", "amount", "per",
                    "when", "note", "source", "price_year"}))
      return std::nullopt;
    InterventionCost ic;
    if (!c["department"].defined()) r_.error_at(c, c["department"].path, "is required");
    else if (auto d = r_.reference(c["department"], department_names_, "department")) ic.department = *d;
    if (c["note"].defined())
      if (auto t = r_.string(c["note"])) ic.note = *t;
    int kinds = c["fte"].defined() + c["total"].defined() + c["amount"].defined();
    if (kinds != 1) {
      r_.error(c, "give exactly one of fte (staff, with monthly_cost_per_fte), total (a grant) or amount (a measure)");
      return std::nullopt;
    }
    auto price = [&](Quantity q) {
      if (c["price_year"].defined())
        if (auto y = r_.integer(c["price_year"], 1900, 2200))
          q.dist = rescale(c["price_year"], q.dist, static_cast<int>(*y), s.run.price_year);
      if (c["source"].defined())
        if (auto t = r_.string(c["source"])) q.source = *t;
      return q;
    };
    if (c["fte"].defined()) {
      ic.kind = InterventionCost::Kind::staff;
      ic.fte = r_.quantity_or(c["fte"], 0.0, Range{0.0, 1e5, false, "a number of full-time staff from 0 to 100,000", true});
      if (!c["monthly_cost_per_fte"].defined()) r_.error_at(c, c["monthly_cost_per_fte"].path, "is required with fte");
      ic.monthly_cost_per_fte = price(r_.quantity_or(c["monthly_cost_per_fte"], 0.0, detail::non_negative_amount));
    } else if (c["total"].defined()) {
      ic.kind = InterventionCost::Kind::grant;
      ic.total = price(r_.quantity_or(c["total"], 0.0, detail::non_negative_amount));
      if (c["spread"].defined()) r_.choice(c["spread"], {"even"});
      YNode fin = c["finances"];
      if (fin.defined() && r_.seq(fin))
        for (std::size_t i = 0; i < fin.size(); ++i)
          if (auto d = r_.reference(fin.at(i), department_names_, "department")) ic.finances.push_back(*d);
    } else {
      ic.kind = InterventionCost::Kind::measure;
      ic.amount = price(r_.quantity_or(c["amount"], 0.0, detail::amount));
      if (c["per"].defined())
        if (auto v = r_.choice(c["per"], {"household", "adult", "child", "person"}))
          ic.per = static_cast<InterventionCost::Per>(*v);
      if (c["when"].defined())
        if (auto v = r_.choice(c["when"], {"enrolment", "month"})) ic.when = static_cast<InterventionCost::When>(*v);
    }
    return ic;
  }

  void parse_contracts(const YNode& n, const Scenario& s, Variant& v, const std::string&) {
    if (!r_.seq(n)) return;
    for (std::size_t i = 0; i < n.size(); ++i) {
      YNode c = n.at(i);
      if (!r_.map(c, {"name", "payer", "payee", "when", "amount", "amount_per_person", "note"})) continue;
      Contract k;
      k.id = "contract" + std::to_string(i + 1);
      if (c["name"].defined())
        if (auto t = r_.string(c["name"])) k.id = *t;
      if (!c["payer"].defined()) r_.error_at(c, c["payer"].path, "is required");
      else if (auto d = r_.reference(c["payer"], department_names_, "department")) k.payer = *d;
      if (!c["payee"].defined()) r_.error_at(c, c["payee"].path, "is required");
      else if (auto d = r_.reference(c["payee"], department_names_, "department")) k.payee = *d;
      YNode when = c["when"];
      if (!when.defined()) r_.error_at(c, when.path, "is required: {indicator, among, at_year, at_least}");
      else if (r_.map(when, {"indicator", "among", "at_year", "at_least"})) {
        indicator_condition(when, s, k.indicator, k.among, k.at_year);
        if (!when["at_least"].defined())
          r_.error_at(when, when["at_least"].path, "is required: the share (0 to 1) that triggers the payment");
        else if (auto x = r_.number(when["at_least"], detail::probability))
          k.at_least = *x;
      }
      bool fixed = c["amount"].defined(), per = c["amount_per_person"].defined();
      if (fixed == per) r_.error(c, "give exactly one of amount or amount_per_person");
      k.amount = r_.quantity_or(c["amount"], 0.0, detail::non_negative_amount);
      k.amount_per_person = r_.quantity_or(c["amount_per_person"], 0.0, detail::non_negative_amount);
      v.contracts.push_back(std::move(k));
    }
  }

  // ----- size of the run -----------------------------------------------------------------------
  void check_size(const Scenario& s) {
    const double persons = s.expected_persons();
    double months = s.run.horizon_months();
    double iterations = s.run.iterations;
    double variants = static_cast<double>(s.variants.size());
    double person_months = persons * months * iterations * variants;
    // What a run keeps: per-iteration results (accounts x years x measures) for intervals, and
    // per thread one population and its tallies.
    double accounts = static_cast<double>(s.departments.size()) + financing_level_count + 2;
    double per_iteration = variants * (accounts * (s.run.horizon_years + 1) * 8.0 * 8.0 +
                                       static_cast<double>(s.indicators.size()) * s.run.horizon_years * 4 * 8.0);
    double memory = iterations * per_iteration + 2.0 * persons * 64.0 * variants + 64e6;
    char buf[400];
    if (memory > options_.memory_limit_bytes || person_months > options_.max_person_months) {
      std::snprintf(buf, sizeof buf,
                    "the run is too large: %.0f persons x %.0f months x %.0f iterations x %.0f variants = %.3g "
                    "person-months, needing about %.1f GiB of memory (allowed: at most %.3g person-months and %.1f GiB)",
                    persons, months, iterations, variants, person_months, memory / (1024.0 * 1024 * 1024),
                    options_.max_person_months, options_.memory_limit_bytes / (1024.0 * 1024 * 1024));
      if (iterations_node_.defined()) r_.error(iterations_node_, buf);
      else file_error(files_.front(), 0, 0, "run.iterations", buf);
    }
  }

  LoadOptions options_;
  bool fatal_ = false;
  std::set<std::string> doubtful_rows_; ///< domain.state rows that had errors (no follow-on errors)
  bool start_given_ = false;
  YNode iterations_node_;
  Diagnostics diags_;
  detail::Reader r_;
  std::deque<std::string> names_;
  std::vector<std::string> files_;
  std::vector<std::string> contents_;
  std::map<std::string, YNode> whole_;
  Entries run_, departments_, domains_, reimbursement_, price_index_, variants_, indicators_, state_costs_, transition_costs_;
  std::map<int, double> price_index_values_;
  std::vector<std::string> department_names_, domain_names_, reimbursement_names_, indicator_names_;
};

} // namespace

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  Loader loader(options);
  return loader.load(fs::path(path).lexically_normal().string(), nullptr);
}

Scenario load_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir,
                            const LoadOptions& options) {
  Loader loader(options);
  return loader.load((fs::path(base_dir) / name).lexically_normal().string(), &text);
}


} // namespace socinvest
