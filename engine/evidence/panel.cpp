// Register panels (evidence/panel.hpp): simulated from the model through the run's trace, written
// in the three forms, and read back from any of them with errors by line and column.
#include <socinvest/evidence/panel.hpp>

#include <socinvest/csv.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/population/population.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <unordered_map>

namespace socinvest {

std::string_view panel_form_name(PanelForm form) {
  for (const auto& [f, name] : panel_form_names)
    if (f == form) return name;
  return "?";
}

std::string_view household_type_of(int adults, int children) {
  return household_type_names[(adults >= 2 ? 2 : 0) + (children > 0 ? 1 : 0)];
}

std::optional<PanelForm> panel_form_named(std::string_view name) {
  for (const auto& [f, n] : panel_form_names)
    if (n == name) return f;
  return std::nullopt;
}

namespace {

// --- periods ----------------------------------------------------------------------------

/// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// The Monday of ISO week 1 of `year` (the week with the year's first Thursday), in days.
long iso_week1_monday(int year) {
  const long jan4 = days_from_civil(year, 1, 4);
  const long weekday = ((jan4 + 3) % 7 + 7) % 7; // Monday 0 (1970-01-01 was a Thursday)
  return jan4 - weekday;
}

/// A period: a month (YYYY-MM) or an ISO week (YYYY-Www), as a running number of its kind.
struct Period {
  bool week = false;
  long unit = 0; ///< months since year 0, or weeks since the Monday 1969-12-29
};

bool whole(std::string_view t, int& v) {
  if (t.empty()) return false;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

std::optional<Period> parse_period(std::string_view t) {
  int year = 0, n = 0;
  if (t.size() == 7 && t[4] == '-' && whole(t.substr(0, 4), year) && whole(t.substr(5, 2), n)) {
    if (year < 1900 || year > 2200 || n < 1 || n > 12) return std::nullopt;
    return Period{false, year * 12L + n - 1};
  }
  if (t.size() == 8 && t[4] == '-' && (t[5] == 'W' || t[5] == 'w') && whole(t.substr(0, 4), year) &&
      whole(t.substr(6, 2), n)) {
    if (year < 1900 || year > 2200 || n < 1) return std::nullopt;
    const long weeks_in_year = (iso_week1_monday(year + 1) - iso_week1_monday(year)) / 7;
    if (n > weeks_in_year) return std::nullopt;
    const long monday = iso_week1_monday(year) + 7L * (n - 1);
    return Period{true, (monday + 3) / 7}; // Mondays are 4 mod 7: exact
  }
  return std::nullopt;
}

/// The month a week's Thursday falls in (the ISO rule for which year a week belongs to).
YearMonth month_of_week(long unit) {
  long z = unit * 7 - 3 + 3 + 719468; // the Thursday: Monday + 3
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  return YearMonth{y, m};
}

std::string month_text(int index) { return YearMonth{index / 12, index % 12 + 1}.text(); }

/// What a period may be, for the messages that refuse one.
Bilingual period_rule() { return both_languages(Msg::panel_period_rule); }

/// " (did you mean 'x'?)" when a close candidate is found.
Bilingual did_you_mean_note(const std::string& guess) {
  return guess.empty() ? Bilingual() : both_languages(Msg::panel_did_you_mean, {guess});
}

// --- reading ----------------------------------------------------------------------------

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? ", " : "") + words[i];
  return out;
}

/// The records of a CSV text with their line numbers, comment lines before the header skipped.
struct Line {
  int number = 0;
  CsvRecord record;
};

std::vector<Line> csv_lines(std::string_view text) {
  // A UTF-8 byte order mark (what a spreadsheet program may save) is not part of the header.
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  std::vector<Line> out;
  std::size_t pos = 0;
  int number = 0;
  bool header_seen = false;
  while (pos < text.size()) {
    ++number;
    if (!header_seen && text[pos] == '#') {
      const std::size_t end = text.find('\n', pos);
      pos = end == std::string_view::npos ? text.size() : end + 1;
      continue;
    }
    CsvRecord r = read_csv_record(text, pos, false);
    if (r.blank) continue;
    header_seen = true;
    out.push_back({number, std::move(r)});
  }
  return out;
}

class PanelReader {
public:
  PanelReader(const Scenario& s, std::string name, bool allow_gaps)
      : s_(s), name_(std::move(name)), allow_gaps_(allow_gaps) {}

  Panel read(PanelForm form, std::string_view text) {
    lines_ = csv_lines(text);
    if (lines_.empty()) fail(0, 0, "", both_languages(Msg::panel_file_empty));
    const CsvRecord& header = lines_.front().record;
    for (std::size_t c = 0; c < header.fields.size(); ++c) column_[header.fields[c]] = static_cast<int>(c);
    switch (form) {
    case PanelForm::long_form: read_long(); break;
    case PanelForm::wide: read_wide(); break;
    case PanelForm::spells: read_spells(); break;
    }
    if (!diagnostics_.empty()) throw InvalidInput(std::move(diagnostics_));
    return build();
  }

private:
  struct Cell {
    int person, k, state;
    long from, to; ///< units, both included
  };

  void error(int line, int column, const std::string& key, const Bilingual& message) {
    diagnostics_.add(diagnostic(name_, line, column, key, message));
  }
  [[noreturn]] void fail(int line, int column, const std::string& key, const Bilingual& message) {
    error(line, column, key, message);
    throw InvalidInput(std::move(diagnostics_));
  }

  int header_line() const { return lines_.front().number; }
  int column_of(const std::string& name) const {
    const auto it = column_.find(name);
    return it == column_.end() ? -1 : it->second;
  }
  int header_column(int c) const { return lines_.front().record.starts[static_cast<std::size_t>(c)]; }

  /// Required and optional columns; every other column is checked by `other` (true: known).
  void check_header(const std::vector<std::string>& required, const std::vector<std::string>& optional,
                    const std::function<bool(const std::string&, int)>& other, const Bilingual& allowed) {
    for (const auto& r : required)
      if (column_of(r) < 0) error(header_line(), 1, r, both_languages(Msg::panel_missing_column, {r, allowed}));
    const auto& fields = lines_.front().record.fields;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const std::string& f = fields[c];
      if (std::count(fields.begin(), fields.end(), f) > 1 && column_of(f) != static_cast<int>(c)) {
        error(header_line(), header_column(static_cast<int>(c)), f, both_languages(Msg::panel_column_twice, {printable(f)}));
        continue;
      }
      if (std::find(required.begin(), required.end(), f) != required.end()) continue;
      if (std::find(optional.begin(), optional.end(), f) != optional.end()) continue;
      if (f == "household_type" || s_.attribute_index(f) >= 0) {
        attribute_columns_.emplace_back(static_cast<int>(c), f);
        continue;
      }
      if (other(f, static_cast<int>(c))) continue;
      std::vector<std::string> candidates = required;
      candidates.insert(candidates.end(), optional.begin(), optional.end());
      for (const auto& d : s_.domains) candidates.push_back(d.id);
      const std::string guess = did_you_mean(f, candidates);
      error(header_line(), header_column(static_cast<int>(c)), printable(f),
            both_languages(Msg::panel_unknown_column) + did_you_mean_note(guess) +
                both_languages(Msg::panel_columns_list, {allowed, attribute_list()}));
    }
    if (!diagnostics_.empty()) throw InvalidInput(std::move(diagnostics_));
  }

  std::string field(const Line& l, int c) const {
    return c >= 0 && c < static_cast<int>(l.record.fields.size()) ? l.record.fields[static_cast<std::size_t>(c)] : "";
  }
  int col(const Line& l, int c) const {
    return c >= 0 && c < static_cast<int>(l.record.starts.size()) ? l.record.starts[static_cast<std::size_t>(c)] : 1;
  }

  bool row_shape(const Line& l) {
    const std::size_t n = lines_.front().record.fields.size();
    if (!l.record.closed) {
      error(l.number, 1, "", both_languages(Msg::panel_quote_not_closed));
      return false;
    }
    if (l.record.fields.size() != n) {
      error(l.number, 1, "", both_languages(Msg::panel_field_count, {std::to_string(l.record.fields.size()), std::to_string(n)}));
      return false;
    }
    for (std::size_t c = 0; c < n; ++c)
      if (printable(l.record.fields[c]) != l.record.fields[c]) {
        error(l.number, l.record.starts[c], lines_.front().record.fields[c], both_languages(Msg::panel_control_character));
        return false;
      }
    return true;
  }

  /// The person of a row (its id, household and age), -1 when a field is bad.
  int person(const Line& l) {
    const std::string id = field(l, column_of("person_id"));
    if (id.empty()) {
      error(l.number, col(l, column_of("person_id")), "person_id", both_languages(Msg::panel_person_id_empty));
      return -1;
    }
    const int hc = column_of("household_id"), ac = column_of("age_months");
    std::string household = hc >= 0 ? field(l, hc) : id;
    if (household.empty()) household = id;
    int age = -1;
    if (ac >= 0 && !field(l, ac).empty() && (!whole(field(l, ac), age) || age < 0 || age > 2400)) {
      error(l.number, col(l, ac), "age_months",
            both_languages(Msg::panel_bad_age, {printable(field(l, ac))}));
      return -1;
    }
    auto [it, added] = person_index_.try_emplace(id, static_cast<int>(persons_.size()));
    if (added) {
      persons_.push_back({id, household, -1});
      person_line_.push_back(l.number);
      age_given_.push_back({-1, 0});
    } else if (persons_[it->second].household != household) {
      error(l.number, col(l, hc), "household_id",
            both_languages(Msg::panel_two_households, {printable(id), printable(persons_[it->second].household),
                                                       std::to_string(person_line_[it->second])}));
    }
    if (age >= 0 && age_given_[it->second].first < 0) age_given_[it->second] = {age, 0};
    if (!attribute_columns_.empty()) attributes_of(l, it->second);
    return it->second;
  }

  std::string attribute_list() const {
    std::string out;
    for (const auto& a : s_.attributes) out += ", " + a.id;
    return out;
  }

  /// A row's attribute values: a scenario attribute's one of its categories, household_type
  /// any name; the same in every row of the person.
  void attributes_of(const Line& l, int p) {
    const std::size_t A = attribute_columns_.size();
    if (attribute_values_.size() < (static_cast<std::size_t>(p) + 1) * A)
      attribute_values_.resize((static_cast<std::size_t>(p) + 1) * A);
    for (std::size_t a = 0; a < A; ++a) {
      const auto& [c, name] = attribute_columns_[a];
      const std::string value = field(l, c);
      if (value.empty()) continue;
      const int ai = s_.attribute_index(name);
      if (ai >= 0 && s_.attributes[ai].category_index(value) < 0) {
        error(l.number, col(l, c), name,
              both_languages(Msg::panel_not_a_category, {printable(value), name, join(s_.attributes[ai].categories)}));
        continue;
      }
      std::string& mine = attribute_values_[static_cast<std::size_t>(p) * A + a];
      if (!mine.empty() && mine != value) {
        error(l.number, col(l, c), name,
              both_languages(Msg::panel_attribute_changes, {printable(persons_[p].id), name, printable(mine)}));
        continue;
      }
      mine = value;
    }
  }

  std::optional<Period> period(const Line& l, int c, const std::string& key) {
    const std::string text = field(l, c);
    const auto p = parse_period(text);
    if (!p) {
      error(l.number, col(l, c), key, both_languages(Msg::panel_not_a_period, {printable(text), period_rule()}));
      return std::nullopt;
    }
    return unit_kind(*p, l.number, col(l, c), key) ? p : std::nullopt;
  }

  bool unit_kind(const Period& p, int line, int column, const std::string& key) {
    if (kind_ < 0) kind_ = p.week ? 1 : 0;
    if ((kind_ == 1) != p.week) {
      error(line, column, key, both_languages(p.week ? Msg::panel_week_in_months : Msg::panel_month_in_weeks, {period_rule()}));
      return false;
    }
    return true;
  }

  int state(const Line& l, int c, int k, const std::string& key) {
    const std::string text = field(l, c);
    if (text.empty()) return -1;
    const Domain& d = s_.domains[domains_[k]];
    const int st = d.state_index(text);
    if (st < 0) {
      const std::string guess = did_you_mean(text, d.states);
      error(l.number, col(l, c), key,
            both_languages(Msg::panel_unknown_state, {printable(text), d.id}) + did_you_mean_note(guess) +
                both_languages(Msg::panel_states_list, {join(d.states)}));
      return -2;
    }
    return st;
  }

  int panel_domain(int scenario_domain) {
    for (std::size_t k = 0; k < domains_.size(); ++k)
      if (domains_[k] == scenario_domain) return static_cast<int>(k);
    domains_.push_back(scenario_domain);
    return static_cast<int>(domains_.size()) - 1;
  }

  std::string domain_list() const {
    std::vector<std::string> ids;
    for (const auto& d : s_.domains) ids.push_back(d.id);
    return join(ids);
  }

  void read_long() {
    std::map<int, int> domain_columns; // column -> panel domain
    std::vector<std::pair<int, std::string>> months_columns; // column, domain id
    check_header({"person_id", "period"}, {"household_id", "age_months"},
                 [&](const std::string& f, int c) {
                   if (f.size() > 7 && f.ends_with("_months") && s_.domain_index(f.substr(0, f.size() - 7)) >= 0) {
                     months_columns.emplace_back(c, f.substr(0, f.size() - 7));
                     return true;
                   }
                   const int d = s_.domain_index(f);
                   if (d < 0) return false;
                   domain_columns[c] = panel_domain(d);
                   return true;
                 },
                 both_languages(Msg::panel_long_columns, {domain_list()}));
    if (domain_columns.empty())
      fail(header_line(), 1, "", both_languages(Msg::panel_no_domain_column, {domain_list()}));
    const int pc = column_of("period");
    struct Seen {
      long unit;
      int line;
    };
    std::vector<std::vector<Seen>> rows;
    for (std::size_t i = 1; i < lines_.size(); ++i) {
      const Line& l = lines_[i];
      if (!row_shape(l)) continue;
      const int p = person(l);
      const auto per = period(l, pc, "period");
      if (p < 0 || !per) continue;
      if (rows.size() <= static_cast<std::size_t>(p)) rows.resize(static_cast<std::size_t>(p) + 1);
      auto& mine = rows[static_cast<std::size_t>(p)];
      if (!mine.empty() && per->unit == mine.back().unit) {
        error(l.number, col(l, pc), "period",
              both_languages(Msg::panel_second_row_period,
                             {printable(persons_[p].id), field(l, pc), std::to_string(mine.back().line)}));
        continue;
      }
      if (!mine.empty() && per->unit < mine.back().unit) {
        error(l.number, col(l, pc), "period",
              both_languages(Msg::panel_period_order, {field(l, pc), printable(persons_[p].id), std::to_string(mine.back().line)}));
        continue;
      }
      if (!mine.empty() && per->unit > mine.back().unit + 1) {
        const long missing = per->unit - mine.back().unit - 1;
        ++gap_persons_[p];
        missing_ += static_cast<int>(missing);
        if (!allow_gaps_)
          error(l.number, col(l, pc), "period",
                both_languages(Msg::panel_gap, {printable(persons_[p].id), std::to_string(missing), field(l, pc),
                                                std::to_string(mine.back().line)}));
      }
      mine.push_back({per->unit, l.number});
      observed_.push_back({p, per->unit});
      if (age_given_[p].first >= 0 && age_given_[p].second == 0) age_given_[p] = {age_given_[p].first, per->unit + 1};
      for (const auto& [c, k] : domain_columns) {
        const int st = state(l, c, k, s_.domains[domains_[k]].id);
        if (st >= 0) cells_.push_back({p, k, st, per->unit, per->unit});
      }
      for (const auto& [c, dom] : months_columns) {
        const int k = panel_domain(s_.domain_index(dom));
        months_given(l, c, p, k, per->unit, lines_.front().record.fields[static_cast<std::size_t>(c)]);
      }
    }
  }

  /// The months already in the state, when the row gives them.
  void months_given(const Line& l, int c, int p, int k, long unit, const std::string& key) {
    const std::string text = field(l, c);
    if (text.empty() || p < 0) return;
    int m = -1;
    if (!whole(text, m) || m < 0 || m > 65535) {
      error(l.number, col(l, c), key, both_languages(Msg::panel_bad_months_in_state, {printable(text)}));
      return;
    }
    months_.push_back({p, k, m, unit, unit});
  }

  void read_wide() {
    std::vector<std::pair<int, long>> period_columns;
    check_header({"person_id", "domain"}, {"household_id", "age_months", "months_in_state"},
                 [&](const std::string& f, int c) {
                   const auto p = parse_period(f);
                   if (!p) return false;
                   if (!unit_kind(*p, header_line(), header_column(c), f)) return true;
                   if (!period_columns.empty() && p->unit <= period_columns.back().second)
                     error(header_line(), header_column(c), f,
                           both_languages(Msg::panel_period_columns_order, {f}));
                   period_columns.emplace_back(c, p->unit);
                   return true;
                 },
                 both_languages(Msg::panel_wide_columns, {period_rule()}));
    if (period_columns.empty()) fail(header_line(), 1, "", both_languages(Msg::panel_no_period_column, {period_rule()}));
    const int dc = column_of("domain");
    std::map<std::pair<int, int>, int> seen; // (person, k) -> line
    for (std::size_t i = 1; i < lines_.size(); ++i) {
      const Line& l = lines_[i];
      if (!row_shape(l)) continue;
      const int p = person(l);
      const std::string dom = field(l, dc);
      const int d = s_.domain_index(dom);
      if (d < 0) {
        error(l.number, col(l, dc), "domain", both_languages(Msg::panel_unknown_domain, {printable(dom), domain_list()}));
        continue;
      }
      if (p < 0) continue;
      const int k = panel_domain(d);
      if (auto [it, added] = seen.try_emplace({p, k}, l.number); !added) {
        error(l.number, col(l, dc), "domain",
              both_languages(Msg::panel_second_row_domain, {printable(persons_[p].id), dom, std::to_string(it->second)}));
        continue;
      }
      for (const auto& [c, unit] : period_columns) {
        const int st = state(l, c, k, lines_.front().record.fields[static_cast<std::size_t>(c)]);
        if (st >= 0) cells_.push_back({p, k, st, unit, unit});
      }
      if (column_of("months_in_state") >= 0)
        months_given(l, column_of("months_in_state"), p, k, period_columns.front().second, "months_in_state");
      if (age_given_[p].first >= 0 && age_given_[p].second == 0) age_given_[p].second = period_columns.front().second + 1;
    }
    window_from_ = period_columns.front().second;
    window_to_ = period_columns.back().second;
    everyone_observed_ = true;
  }

  void read_spells() {
    check_header({"person_id", "domain", "state", "from", "to"}, {"household_id", "age_months", "months_in_state"},
                 [](const std::string&, int) { return false; },
                 "person_id, domain, state, from, to, household_id, age_months");
    const int dc = column_of("domain"), sc = column_of("state"), fc = column_of("from"), tc = column_of("to");
    struct Spell {
      long from, to;
      int line;
    };
    std::map<std::pair<int, int>, std::vector<Spell>> spells;
    for (std::size_t i = 1; i < lines_.size(); ++i) {
      const Line& l = lines_[i];
      if (!row_shape(l)) continue;
      const int p = person(l);
      const std::string dom = field(l, dc);
      const int d = s_.domain_index(dom);
      if (d < 0) {
        error(l.number, col(l, dc), "domain", both_languages(Msg::panel_unknown_domain, {printable(dom), domain_list()}));
        continue;
      }
      const int k = panel_domain(d);
      const int st = state(l, sc, k, "state");
      if (st == -1) error(l.number, col(l, sc), "state", both_languages(Msg::panel_spell_state_empty, {dom}));
      const auto from = period(l, fc, "from");
      const auto to = period(l, tc, "to");
      if (p < 0 || st < 0 || !from || !to) continue;
      if (to->unit < from->unit) {
        error(l.number, col(l, tc), "to",
              both_languages(Msg::panel_spell_backwards, {field(l, tc), field(l, fc)}));
        continue;
      }
      auto& mine = spells[{p, k}];
      bool overlaps = false;
      for (const Spell& o : mine)
        if (from->unit <= o.to && o.from <= to->unit) {
          error(l.number, col(l, fc), "from",
                both_languages(Msg::panel_spells_overlap, {printable(persons_[p].id), std::to_string(o.line), dom}));
          overlaps = true;
          break;
        }
      if (overlaps) continue;
      mine.push_back({from->unit, to->unit, l.number});
      cells_.push_back({p, k, st, from->unit, to->unit});
      if (column_of("months_in_state") >= 0) months_given(l, column_of("months_in_state"), p, k, from->unit, "months_in_state");
      window_from_ = std::min(window_from_, from->unit);
      window_to_ = std::max(window_to_, to->unit);
    }
    for (std::size_t p = 0; p < age_given_.size(); ++p)
      if (age_given_[p].first >= 0) age_given_[p].second = window_from_ + 1;
    everyone_observed_ = true;
  }

  Panel build() {
    Panel panel;
    panel.domains = domains_;
    panel.persons = persons_;
    panel.weekly = kind_ == 1;
    if (!everyone_observed_) {
      for (const auto& [p, unit] : observed_) {
        window_from_ = std::min(window_from_, unit);
        window_to_ = std::max(window_to_, unit);
      }
    }
    if (persons_.empty() || window_to_ < window_from_) {
      diagnostics_.add(diagnostic(name_, header_line(), 1, "", "no rows: the panel is empty"));
      throw InvalidInput(std::move(diagnostics_));
    }
    const long units = window_to_ - window_from_ + 1;
    // Month m of the panel: unit first_unit[m] (for weeks: the first week that falls in it).
    std::vector<long> first_unit;
    auto month_of_unit = [&](long u) { return panel.weekly ? refusion_months_of_weeks(static_cast<double>(u)) : static_cast<int>(u); };
    for (long u = 0; u < units; ++u)
      if (month_of_unit(u) == static_cast<int>(first_unit.size())) first_unit.push_back(u);
    panel.months = static_cast<int>(first_unit.size());
    if (panel.months > 1200) {
      diagnostics_.add(diagnostic(name_, header_line(), 1, "", both_languages(Msg::panel_too_long, {std::to_string(panel.months)})));
      throw InvalidInput(std::move(diagnostics_));
    }
    if (panel.weekly) {
      panel.start = month_of_week(window_from_);
      panel.first_period = week_text(window_from_);
      panel.last_period = week_text(window_to_);
    } else {
      panel.start = YearMonth{static_cast<int>(window_from_ / 12), static_cast<int>(window_from_ % 12) + 1};
      panel.first_period = month_text(static_cast<int>(window_from_));
      panel.last_period = month_text(static_cast<int>(window_to_));
    }
    const std::size_t P = persons_.size(), K = domains_.size();
    // Unit level first, then each month takes its first unit.
    std::vector<std::int8_t> unit_state(P * units * K, -1);
    std::vector<std::uint8_t> unit_observed(P * units, everyone_observed_ ? 1 : 0);
    for (const auto& [p, unit] : observed_) unit_observed[static_cast<std::size_t>(p) * units + (unit - window_from_)] = 1;
    for (const Cell& c : cells_)
      for (long u = c.from; u <= c.to; ++u)
        unit_state[(static_cast<std::size_t>(c.person) * units + (u - window_from_)) * K + c.k] =
            static_cast<std::int8_t>(c.state);
    std::vector<int> unit_months;
    if (!months_.empty()) {
      unit_months.assign(P * units * K, -1);
      for (const Cell& c : months_)
        unit_months[(static_cast<std::size_t>(c.person) * units + (c.from - window_from_)) * K + c.k] = c.state;
      panel.months_in_state.assign(P * panel.months * K, -1);
    }
    panel.state.assign(P * panel.months * K, -1);
    panel.observed.assign(P * panel.months, 0);
    for (std::size_t p = 0; p < P; ++p)
      for (int m = 0; m < panel.months; ++m) {
        const long u = first_unit[static_cast<std::size_t>(m)];
        panel.observed[p * panel.months + m] = unit_observed[p * units + u];
        for (std::size_t k = 0; k < K; ++k) {
          panel.state[(p * panel.months + m) * K + k] = unit_state[(p * units + u) * K + k];
          if (!unit_months.empty()) panel.months_in_state[(p * panel.months + m) * K + k] = unit_months[(p * units + u) * K + k];
        }
      }
    for (std::size_t p = 0; p < P; ++p)
      if (age_given_[p].first >= 0)
        panel.persons[p].age_months_at_start = age_given_[p].first - month_of_unit(age_given_[p].second - 1 - window_from_);
    panel.persons_with_gaps = static_cast<int>(gap_persons_.size());
    panel.missing_periods = missing_;
    for (const auto& [c, name] : attribute_columns_) panel.attributes.push_back(name);
    attribute_values_.resize(P * attribute_columns_.size());
    panel.attribute_values = std::move(attribute_values_);
    return panel;
  }

  static std::string week_text(long unit) {
    // The ISO year of a week is the year of its Thursday.
    const YearMonth ym = month_of_week(unit);
    int year = ym.year;
    if (iso_week1_monday(year) > unit * 7 - 3) --year;
    if (iso_week1_monday(year + 1) <= unit * 7 - 3) ++year;
    const long n = (unit * 7 - 3 - iso_week1_monday(year)) / 7 + 1;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", year, static_cast<int>(n));
    return buf;
  }

  const Scenario& s_;
  std::string name_;
  bool allow_gaps_;
  Diagnostics diagnostics_;
  std::vector<Line> lines_;
  std::map<std::string, int> column_;
  std::unordered_map<std::string, int> person_index_;
  std::vector<Panel::Person> persons_;
  std::vector<int> person_line_;
  std::vector<std::pair<int, long>> age_given_; ///< (age, unit + 1 of the row it was given at; 0: none yet)
  std::vector<int> domains_;
  std::vector<Cell> cells_;
  std::vector<Cell> months_; ///< months already in the state where given (in `state`)
  std::vector<std::pair<int, long>> observed_; ///< (person, unit) with a row (long form)
  std::vector<std::pair<int, std::string>> attribute_columns_; ///< (column, attribute or household_type)
  std::vector<std::string> attribute_values_;                  ///< [person * columns + a]
  std::map<int, int> gap_persons_;
  int missing_ = 0;
  int kind_ = -1; ///< 0 months, 1 weeks
  long window_from_ = std::numeric_limits<long>::max(), window_to_ = std::numeric_limits<long>::min();
  bool everyone_observed_ = false;
};

} // namespace

std::optional<PanelForm> detect_panel_form(std::string_view text) {
  const auto lines = csv_lines(text);
  if (lines.empty()) return std::nullopt;
  const auto& f = lines.front().record.fields;
  auto has = [&](const char* c) { return std::find(f.begin(), f.end(), c) != f.end(); };
  if (has("from") && has("to") && has("state")) return PanelForm::spells;
  if (has("period")) return PanelForm::long_form;
  if (has("domain")) return PanelForm::wide;
  return std::nullopt;
}

Panel read_panel(const Scenario& scenario, PanelForm form, std::string_view text, const std::string& name,
                 bool allow_gaps) {
  return PanelReader(scenario, name, allow_gaps).read(form, text);
}

// --- simulating -------------------------------------------------------------------------

Panel simulate_panel(const Scenario& original, const PanelRequest& r) {
  if (original.run.cycle_months != 1)
    throw Error(ExitCode::usage, both_languages(Msg::panel_not_monthly, {std::to_string(original.run.cycle_months)}));
  if (r.persons < 1 || r.months < 1) throw Error(ExitCode::usage, both_languages(Msg::panel_at_least_one));
  // The panel is kept in memory as text before it is written: a sample, not a population.
  constexpr double max_person_months = 20e6;
  if (static_cast<double>(r.persons) * r.months > max_person_months)
    throw Error(ExitCode::usage, both_languages(Msg::panel_too_large, {std::to_string(r.persons), std::to_string(r.months)}));
  if (r.variant < 0 || r.variant >= static_cast<int>(original.variants.size()))
    throw Error(ExitCode::usage, both_languages(Msg::panel_no_variant, {std::to_string(r.variant)}));
  Scenario s = original;
  const bool from_csv = !s.population.csv_path.empty();
  if (!from_csv) s.population.households = r.persons; // every household has a person at least
  s.run.horizon_years = std::max(s.run.horizon_years, (r.months + 11) / 12);
  RunOptions o = r.run;
  o.iterations = 1;
  o.variants.clear();
  if (r.variant > 0) o.variants.push_back(r.variant);
  const Streams streams(o.has_seed ? o.seed : s.run.seed);
  Population extract;
  if (from_csv) extract = read_population_csv(s);
  const Population pop = population_for_iteration(s, from_csv ? &extract : nullptr, streams, 0);
  int households = 0, persons = 0;
  while (households < pop.households() && persons < r.persons) persons += pop.household_size[households++];
  Trace trace;
  trace.households = households;
  run_monte_carlo(s, o, [](const IterationData&) {}, &trace);

  Panel panel;
  for (int d = 0; d < static_cast<int>(s.domains.size()); ++d) panel.domains.push_back(d);
  panel.start = s.run.start;
  panel.months = r.months;
  panel.first_period = month_text(s.run.start.index());
  panel.last_period = month_text(s.run.start.index() + r.months - 1);
  std::unordered_map<std::string, int> by_label;
  for (int p = 0; p < persons; ++p) {
    Panel::Person person;
    const int h = static_cast<int>(std::upper_bound(pop.household_first.begin(), pop.household_first.begin() + households,
                                                    static_cast<std::uint32_t>(p)) -
                                   pop.household_first.begin()) - 1;
    person.id = pop.person_label.empty() ? std::to_string(p) : pop.person_label[p];
    person.household = pop.household_label.empty() ? std::to_string(h) : pop.household_label[h];
    person.age_months_at_start = pop.age_months[p];
    panel.persons.push_back(person);
    by_label[person.id] = p;
  }
  // Attributes: the scenario's, as the population drew them, and the household type from the
  // household's make-up at the start.
  for (const auto& a : s.attributes) panel.attributes.push_back(a.id);
  panel.attributes.emplace_back("household_type");
  for (int h = 0; h < households; ++h) {
    int adults = 0, children = 0;
    for (int i = 0; i < pop.household_size[h]; ++i)
      (pop.role[pop.household_first[h] + i] == static_cast<std::uint8_t>(Role::adult) ? adults : children) += 1;
    const std::string type(household_type_of(adults, children));
    for (int i = 0; i < pop.household_size[h]; ++i) {
      const std::uint32_t q = pop.household_first[h] + i;
      if (static_cast<int>(q) >= persons) break;
      for (std::size_t a = 0; a < s.attributes.size(); ++a) {
        const int code = pop.attributes > 0 ? pop.attribute_of(q, static_cast<int>(a)) : -1;
        panel.attribute_values.push_back(code >= 0 ? s.attributes[a].categories[static_cast<std::size_t>(code)] : "");
      }
      panel.attribute_values.push_back(type);
    }
  }
  const std::size_t K = panel.domains.size();
  panel.state.assign(static_cast<std::size_t>(persons) * r.months * K, -1);
  panel.months_in_state.assign(panel.state.size(), 0);
  panel.observed.assign(static_cast<std::size_t>(persons) * r.months, 0);
  const std::string& variant = s.variants[r.variant].id;
  for (const std::string& line : trace.lines) {
    // The trace line (kernel_common.hpp): variant, household, person, YYYY-MM, age in years,
    // role, then each domain's state and months in it.
    std::size_t pos = 0;
    const CsvRecord rec = read_csv_record(line, pos, false);
    if (rec.fields.size() < 6 + 2 * K || rec.fields[0] != variant) continue;
    const auto at = parse_period(rec.fields[3]);
    const auto who = by_label.find(rec.fields[2]);
    if (!at || who == by_label.end()) throw Error(ExitCode::failure, "panel: an unreadable trace line: " + line);
    const long month = at->unit - s.run.start.index();
    if (month < 0 || month >= r.months) continue;
    const int p = who->second;
    panel.observed[static_cast<std::size_t>(p) * r.months + month] = 1;
    for (std::size_t k = 0; k < K; ++k) {
      const std::string& st = rec.fields[6 + 2 * k];
      if (st.empty()) continue;
      const std::size_t i = panel.index(p, static_cast<int>(month), static_cast<int>(k));
      panel.state[i] = static_cast<std::int8_t>(s.domains[k].state_index(st));
      panel.months_in_state[i] = std::stoi(rec.fields[7 + 2 * k]);
    }
  }
  return panel;
}

// --- writing ----------------------------------------------------------------------------

std::string panel_csv(const Scenario& s, const Panel& panel, PanelForm form, const std::string& comment, bool durations,
                      bool attributes) {
  durations = durations && !panel.months_in_state.empty();
  attributes = attributes && !panel.attributes.empty();
  std::string attribute_header;
  if (attributes)
    for (const auto& a : panel.attributes) attribute_header += "," + a;
  std::string out;
  if (!comment.empty()) {
    std::size_t pos = 0;
    while (pos < comment.size()) {
      std::size_t end = comment.find('\n', pos);
      if (end == std::string::npos) end = comment.size();
      out += "# " + comment.substr(pos, end - pos) + "\n";
      pos = end + 1;
    }
  }
  const int K = static_cast<int>(panel.domains.size());
  auto period = [&](int m) { return month_text(panel.start.index() + m); };
  auto state_name = [&](int p, int m, int k) {
    const int st = panel.state_at(p, m, k);
    return st < 0 ? std::string() : s.domains[panel.domains[k]].states[st];
  };
  const int P = static_cast<int>(panel.persons.size());
  auto person_fields = [&](int p) {
    const auto& person = panel.persons[p];
    std::string fields = csv_text(person.id) + "," + csv_text(person.household);
    if (attributes)
      for (std::size_t a = 0; a < panel.attributes.size(); ++a) fields += "," + csv_text(panel.attribute_value(p, a));
    return fields;
  };
  auto months = [&](int p, int m, int k) {
    const int v = panel.state_at(p, m, k) >= 0 ? panel.months_in_state[panel.index(p, m, k)] : -1;
    return v < 0 ? std::string() : std::to_string(v);
  };
  auto age = [&](int p, int m) {
    const int a = panel.persons[p].age_months_at_start;
    return a < 0 ? std::string() : std::to_string(a + m);
  };
  switch (form) {
  case PanelForm::long_form: {
    out += "person_id,household_id" + attribute_header + ",period,age_months";
    for (int k = 0; k < K; ++k)
      out += "," + s.domains[panel.domains[k]].id + (durations ? "," + s.domains[panel.domains[k]].id + "_months" : "");
    out += "\n";
    for (int p = 0; p < P; ++p)
      for (int m = 0; m < panel.months; ++m) {
        if (!panel.is_observed(p, m)) continue;
        out += person_fields(p) + "," + period(m) + "," + age(p, m);
        for (int k = 0; k < K; ++k) out += "," + state_name(p, m, k) + (durations ? "," + months(p, m, k) : "");
        out += "\n";
      }
    break;
  }
  case PanelForm::wide: {
    out += "person_id,household_id" + attribute_header + ",age_months,domain" + (durations ? ",months_in_state" : "");
    for (int m = 0; m < panel.months; ++m) out += "," + period(m);
    out += "\n";
    for (int p = 0; p < P; ++p)
      for (int k = 0; k < K; ++k) {
        bool any = false;
        for (int m = 0; m < panel.months && !any; ++m) any = panel.state_at(p, m, k) >= 0;
        if (!any) continue;
        out += person_fields(p) + "," + age(p, 0) + "," + s.domains[panel.domains[k]].id +
               (durations ? "," + (panel.is_observed(p, 0) ? months(p, 0, k) : std::string()) : "");
        for (int m = 0; m < panel.months; ++m) out += "," + (panel.is_observed(p, m) ? state_name(p, m, k) : std::string());
        out += "\n";
      }
    break;
  }
  case PanelForm::spells: {
    out += "person_id,household_id" + attribute_header + ",age_months,domain,state,from,to" +
           (durations ? ",months_in_state" : "") + "\n";
    for (int p = 0; p < P; ++p)
      for (int k = 0; k < K; ++k)
        for (int m = 0; m < panel.months;) {
          const int st = panel.is_observed(p, m) ? panel.state_at(p, m, k) : -1;
          int end = m + 1;
          while (end < panel.months && panel.is_observed(p, end) && panel.state_at(p, end, k) == st) ++end;
          if (st >= 0)
            out += person_fields(p) + "," + age(p, 0) + "," + s.domains[panel.domains[k]].id + "," +
                   s.domains[panel.domains[k]].states[st] + "," + period(m) + "," + period(end - 1) +
                   (durations ? "," + months(p, m, k) : "") + "\n";
          m = end;
        }
    break;
  }
  }
  return out;
}

} // namespace socinvest
