// The population CSV extract: one row per person, the way a municipality would feed the
// engine from its registers (pseudonymous ids; no personal identity numbers needed).
// Columns: household_id, person_id, role (adult|child), age (years), and per domain
// `<domain>` (state name, or empty when the person is not in it) and `<domain>_months`
// (months already in that state; empty = 0); with a refusion clock (ReimbursementRule::Clock)
// also `refusion_weeks` (weeks on public support at the start; empty = the months in the
// start state) and `legacy_refusion` (1: an award under the old rules); and one column per
// declared attribute (Scenario::attributes), named as it, holding one of its categories.
#include <socinvest/csv.hpp>
#include <socinvest/files.hpp>
#include <socinvest/population/population.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include "scenario/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

namespace socinvest {

namespace {

/// The fields of one line of the extract; `starts` gets each field's column (1-based, in
/// characters). A quoted field cannot span lines here: `ok` is false when one is left open.
std::vector<std::string> split_csv_line(const std::string& line, bool& ok, std::vector<int>* starts = nullptr) {
  std::size_t pos = 0;
  CsvRecord r = read_csv_record(line, pos, false);
  ok = r.closed;
  if (starts) *starts = std::move(r.starts);
  return std::move(r.fields);
}

std::string detail_join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? ", " : "") + words[i];
  return out;
}

std::string trim(const std::string& s) {
  std::size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string{} : s.substr(a, b - a + 1);
}

/// Majority age (myndighedsalderen) in Denmark: 18 years (værgemålsloven § 1). A "child"
/// of 18 or more is a data error; an "adult" under 15 is too (15 is the youngest age at
/// which the job centre's target groups begin, e.g. the youth guidance from 15).
constexpr double adult_years = adult_age_months / 12.0, youngest_adult_years = 15.0;
/// As in a synthetic household (scenarios/README.md, limits): at most 20 adults and 20 children.
constexpr int max_adults = 20, max_children = 20;

Population read_population(const Scenario& scenario, std::istream& in, const std::string& file) {
  Diagnostics diags;
  std::vector<int> starts; // the columns of the current line's fields
  auto fail_at = [&](int line, int col, const std::string& column, const Bilingual& msg) {
    if (diags.size() < 200) diags.add(diagnostic(file, line, col, column, msg));
  };
  auto fail = [&](int line, const std::string& column, const Bilingual& msg) { fail_at(line, 0, column, msg); };
  const int D = static_cast<int>(scenario.domains.size());
  std::vector<std::string> expected = {"household_id", "person_id", "role", "age"};
  for (const auto& d : scenario.domains) {
    expected.push_back(d.id);
    expected.push_back(d.id + "_months");
  }
  // The refusion clock's count at the start, with a clock only (ReimbursementRule::Clock).
  const int rule = scenario.refusion_rule();
  const ReimbursementRule::Clock* clock = rule >= 0 ? &scenario.reimbursements[static_cast<std::size_t>(rule)].clock : nullptr;
  if (clock) {
    expected.push_back("refusion_weeks");
    expected.push_back("legacy_refusion");
  }
  // One column per attribute (Scenario::attributes), named as the attribute.
  const int A = static_cast<int>(scenario.attributes.size());
  for (const auto& a : scenario.attributes) expected.push_back(a.id);

  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  // Read the header.
  while (std::getline(in, line)) {
    ++line_no;
    if (!trim(line).empty()) break;
  }
  bool ok = true;
  header = split_csv_line(line, ok);
  if (line_no == 0 || trim(line).empty()) {
    fail(1, "", both_languages(Msg::csv_empty, {detail_join(expected)}));
    throw InvalidInput(diags);
  }
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0] = header[0].substr(3); // UTF-8 BOM
  std::map<std::string, int> column;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = trim(header[i]);
    if (std::find(expected.begin(), expected.end(), h) == expected.end()) {
      fail(line_no, h, both_languages(Msg::csv_unknown_column, {h}) + detail::did_you_mean_text(h, expected) +
                           both_languages(Msg::diag_allowed, {detail_join(expected)}));
    } else if (column.count(h)) {
      fail(line_no, h, both_languages(Msg::csv_column_twice, {h}));
    } else {
      column[h] = static_cast<int>(i);
    }
  }
  for (const char* required : {"household_id", "person_id", "role", "age"})
    if (!column.count(required)) fail(line_no, required, both_languages(Msg::csv_column_missing));
  for (const auto& a : scenario.attributes)
    if (!column.count(a.id))
      fail(line_no, a.id, both_languages(Msg::csv_attribute_column_missing, {a.id, detail_join(a.categories)}));
  bool any_domain = false;
  for (const auto& d : scenario.domains) any_domain = any_domain || column.count(d.id) > 0;
  if (!any_domain && !scenario.domains.empty()) {
    std::vector<std::string> ids;
    for (const auto& d : scenario.domains) ids.push_back(d.id);
    fail(line_no, "", both_languages(Msg::csv_no_domain_column, {detail_join(ids), ids.front()}));
  }
  if (!diags.empty()) throw InvalidInput(diags);

  struct Row {
    std::string household, person;
    Role role = Role::any; // until the role column is read
    int age_months;
    std::vector<int> state;
    std::vector<int> months;
    int line;
    int refusion_months = -1; ///< -1: the months in the start state (when a support state)
    bool legacy = false;
    std::vector<std::uint8_t> attribute; ///< per attribute, its category code
  };
  std::vector<Row> rows;
  std::set<std::string> person_ids;
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    auto fields = split_csv_line(line, ok, &starts);
    if (!ok) {
      fail(line_no, "", both_languages(Msg::csv_unterminated_quote));
      continue;
    }
    if (fields.size() != header.size()) {
      fail(line_no, "", both_languages(fields.size() < header.size() ? Msg::csv_fields_missing : Msg::csv_fields_extra,
                                       {std::to_string(header.size()), std::to_string(fields.size())}));
      continue;
    }
    auto get = [&](const std::string& name) { return trim(fields[static_cast<std::size_t>(column.at(name))]); };
    bool controls = false;
    for (std::size_t k = 0; k < fields.size(); ++k)
      for (unsigned char c : fields[k])
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "%02X", c);
          fail_at(line_no, starts[k], trim(header[k]),
                  both_languages(Msg::csv_control_character, {std::string(buf)}));
          controls = true;
          break;
        }
    if (controls) continue;
    Row r;
    r.line = line_no;
    r.household = get("household_id");
    r.person = get("person_id");
    bool row_ok = true;
    if (r.household.empty()) fail(line_no, "household_id", both_languages(Msg::csv_is_empty)), row_ok = false;
    if (r.person.empty()) fail(line_no, "person_id", both_languages(Msg::csv_is_empty)), row_ok = false;
    else if (!person_ids.insert(r.person).second) fail(line_no, "person_id", both_languages(Msg::csv_duplicate_person, {r.person})), row_ok = false;
    std::string role = get("role");
    // A person is an adult or a child; Role::any is for rules about persons.
    const auto named = value_named<Role>(role);
    if (named && *named != Role::any) r.role = *named;
    else fail(line_no, "role", both_languages(Msg::csv_not_a_role, {role, std::string(name_of(Role::adult)) + ", " + name_of(Role::child)})), row_ok = false;
    std::string age = get("age");
    double age_years = 0;
    auto [ptr, ec] = std::from_chars(age.data(), age.data() + age.size(), age_years);
    if (ec != std::errc() || ptr != age.data() + age.size() || !std::isfinite(age_years) || age_years < 0 || age_years > 120) {
      fail(line_no, "age", both_languages(Msg::csv_not_an_age, {age}));
      row_ok = false;
      age_years = 0; // not converted to months below: out of int range that is undefined
    }
    else if (r.role == Role::adult && age_years < youngest_adult_years) {
      fail(line_no, "age", "an adult aged " + age + " (an adult is at least " + std::to_string(int(youngest_adult_years)) +
                               "; is the role or the age wrong?)");
      row_ok = false;
    } else if (r.role == Role::child && age_years >= adult_years) {
      fail(line_no, "age", "a child aged " + age + " (a child is under 18, the Danish majority age; give role adult)");
      row_ok = false;
    }
    r.age_months = static_cast<int>(std::floor(age_years * 12.0));
    r.state.assign(D, -1);
    r.months.assign(D, 0);
    for (int d = 0; d < D && row_ok; ++d) {
      const Domain& dom = scenario.domains[d];
      if (!column.count(dom.id)) continue;
      std::string st = get(dom.id);
      if (st.empty()) continue;
      int idx = dom.state_index(st);
      if (idx < 0) {
        fail(line_no, dom.id, both_languages(Msg::csv_unknown_state, {st, dom.id}) + detail::did_you_mean_text(st, dom.states) +
                                  both_languages(Msg::csv_states, {detail_join(dom.states)}));
        continue;
      }
      if (!dom.scope().covers(r.role, r.age_months)) {
        fail(line_no, dom.id, both_languages(Msg::csv_domain_not_applicable, {dom.id, role, age}));
        continue;
      }
      r.state[d] = idx;
      if (column.count(dom.id + "_months")) {
        std::string m = get(dom.id + "_months");
        if (!m.empty()) {
          int months = 0;
          auto [p2, e2] = std::from_chars(m.data(), m.data() + m.size(), months);
          if (e2 != std::errc() || p2 != m.data() + m.size() || months < 0 || months > 65535)
            fail(line_no, dom.id + "_months", both_languages(Msg::csv_not_months, {m}));
          else
            r.months[d] = months;
        }
      }
    }
    r.attribute.assign(static_cast<std::size_t>(A), 0);
    for (int a = 0; a < A && row_ok; ++a) {
      const Attribute& attr = scenario.attributes[static_cast<std::size_t>(a)];
      const std::string value = get(attr.id);
      const int col = starts[static_cast<std::size_t>(column.at(attr.id))];
      const int code = attr.category_index(value);
      if (code < 0) {
        const Bilingual msg = value.empty() ? both_languages(Msg::csv_is_empty)
                                            : both_languages(Msg::csv_unknown_category, {value, attr.id}) +
                                                  detail::did_you_mean_text(value, attr.categories);
        fail_at(line_no, col, attr.id, msg + both_languages(Msg::diag_allowed, {detail_join(attr.categories)}));
        row_ok = false;
      } else {
        r.attribute[static_cast<std::size_t>(a)] = static_cast<std::uint8_t>(code);
      }
    }
    if (row_ok && clock) {
      const Domain& dom = scenario.domains[static_cast<std::size_t>(clock->domain)];
      const int st = r.state[static_cast<std::size_t>(clock->domain)];
      std::vector<std::string> support, legacy_states;
      for (std::size_t k = 0; k < dom.states.size(); ++k) {
        if (clock->counts(static_cast<int>(k))) support.push_back(dom.states[k]);
        if (clock->has_legacy(static_cast<int>(k))) legacy_states.push_back(dom.states[k]);
      }
      const std::string weeks = column.count("refusion_weeks") ? get("refusion_weeks") : std::string{};
      if (!weeks.empty()) {
        double w = 0;
        auto [p3, e3] = std::from_chars(weeks.data(), weeks.data() + weeks.size(), w);
        if (e3 != std::errc() || p3 != weeks.data() + weeks.size() || !std::isfinite(w) || w < 0 || w > 280000)
          fail_at(line_no, starts[static_cast<std::size_t>(column.at("refusion_weeks"))], "refusion_weeks",
                  "'" + weeks + "' is not a number of weeks (allowed: 0 to 280000, or empty for the months in the start state)");
        else if (!clock->counts(st))
          fail_at(line_no, starts[static_cast<std::size_t>(column.at("refusion_weeks"))], "refusion_weeks",
                  "weeks on public support for a person who does not start on it (allowed only in " + dom.id +
                      " states " + detail_join(support) + "; leave it empty otherwise)");
        else
          r.refusion_months = refusion_months_of_weeks(w);
      }
      const std::string legacy = column.count("legacy_refusion") ? get("legacy_refusion") : std::string{};
      if (!legacy.empty()) {
        if (legacy != "0" && legacy != "1")
          fail_at(line_no, starts[static_cast<std::size_t>(column.at("legacy_refusion"))], "legacy_refusion",
                  "'" + legacy + "' is not allowed (allowed: 1 for an award under the old refusion rules, 0 or empty otherwise)");
        else if (legacy == "1" && !clock->has_legacy(st))
          fail_at(line_no, starts[static_cast<std::size_t>(column.at("legacy_refusion"))], "legacy_refusion",
                  "the old refusion for a person who does not start in a state that has one (allowed only in " +
                      dom.id + " states " + (legacy_states.empty() ? std::string("(none: the rule has no legacy_state_share)") : detail_join(legacy_states)) + ")");
        else
          r.legacy = legacy == "1";
      }
    }
    if (row_ok) rows.push_back(std::move(r));
  }
  if (rows.empty() && diags.empty()) fail(line_no, "", both_languages(Msg::csv_no_persons));
  // Group by household in order of first appearance; each needs an adult.
  std::vector<std::string> order;
  std::unordered_map<std::string, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto [it, inserted] = members.try_emplace(rows[i].household);
    if (inserted) order.push_back(rows[i].household);
    it->second.push_back(i);
  }
  for (const auto& h : order) {
    const auto& m = members[h];
    int adults = 0, children = 0;
    for (auto i : m) (rows[i].role == Role::adult ? adults : children) += 1;
    if (adults == 0) fail(rows[m.front()].line, "household_id", both_languages(Msg::csv_no_adult, {h}));
    // A household attribute has one value for the whole household.
    for (int a = 0; a < A; ++a) {
      const Attribute& attr = scenario.attributes[static_cast<std::size_t>(a)];
      if (attr.level != Attribute::Level::household) continue;
      for (auto i : m)
        if (rows[i].attribute[static_cast<std::size_t>(a)] != rows[m.front()].attribute[static_cast<std::size_t>(a)]) {
          fail(rows[i].line, attr.id,
               "household '" + h + "' has " + attr.id + " '" + attr.categories[rows[i].attribute[static_cast<std::size_t>(a)]] +
                   "' here but '" + attr.categories[rows[m.front()].attribute[static_cast<std::size_t>(a)]] + "' on line " +
                   std::to_string(rows[m.front()].line) + " (a household attribute has one value per household; declare it level: person if it differs)");
          break;
        }
    }
    if (adults > max_adults || children > max_children)
      fail(rows[m.front()].line, "household_id",
           "household '" + h + "' has " + std::to_string(adults) + " adults and " + std::to_string(children) +
               " children (at most " + std::to_string(max_adults) + " adults and " + std::to_string(max_children) +
               " children)");
  }
  if (!diags.empty()) throw InvalidInput(diags);

  Population pop;
  pop.domains = D;
  pop.attributes = A;
  for (const auto& h : order) {
    const auto& m = members[h];
    pop.household_first.push_back(static_cast<std::uint32_t>(pop.persons()));
    pop.household_size.push_back(static_cast<std::uint16_t>(m.size()));
    pop.household_label.push_back(h);
    // Adults first, as in synthetic households.
    std::vector<std::size_t> sorted = m;
    std::stable_sort(sorted.begin(), sorted.end(), [&](auto a, auto b) { return rows[a].role < rows[b].role; });
    for (auto i : sorted) {
      const Row& r = rows[i];
      pop.add_person(r.role, r.age_months);
      pop.person_label.push_back(r.person);
      std::size_t p = static_cast<std::size_t>(pop.persons() - 1);
      for (int d = 0; d < D; ++d) {
        pop.state[p * D + d] = static_cast<std::int8_t>(r.state[d]);
        pop.months_in_state[p * D + d] = static_cast<std::uint16_t>(r.months[d]);
      }
      if (clock && clock->counts(r.state[static_cast<std::size_t>(clock->domain)])) {
        pop.refusion_months[p] = static_cast<std::uint16_t>(
            r.refusion_months >= 0 ? r.refusion_months : r.months[static_cast<std::size_t>(clock->domain)]);
        pop.refusion_legacy[p] = r.legacy ? 1 : 0;
      }
      for (int a = 0; a < A; ++a) pop.attribute[p * A + a] = r.attribute[static_cast<std::size_t>(a)];
    }
  }
  return pop;
}

} // namespace

Population read_population_csv(const Scenario& scenario) {
  const std::string& file = scenario.population.csv_path;
  if (auto why = not_a_regular_file(file)) throw IoError(both_languages(Msg::file_cannot_read, {both_languages(Msg::file_what_population), file, *why}));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(both_languages(Msg::diag_population_unreadable, {file}));
  return read_population(scenario, in, file);
}

Population read_population_csv_text(const Scenario& scenario, const std::string& text, const std::string& name) {
  std::istringstream in(text);
  return read_population(scenario, in, name);
}

} // namespace socinvest
