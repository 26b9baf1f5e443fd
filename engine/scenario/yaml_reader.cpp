#include "scenario/yaml_reader.hpp"

#include "scenario/distribution_kinds.hpp"

#include <socinvest/report/messages.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <regex>

namespace socinvest::detail {

std::string join(const std::vector<std::string>& words, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += separator;
    out += words[i];
  }
  return out;
}

Bilingual did_you_mean_text(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string guess = did_you_mean(word, candidates);
  return guess.empty() ? Bilingual() : both_languages(Msg::diag_did_you_mean, {guess});
}

Bilingual danish_number_hint(const std::string& text, bool whole) {
  // Digits in groups of three after a separator: "1.333.333", "1,333,333", "1 333 333", with
  // an optional decimal part in the other notation ("1.333.333,50", "1,333,333.50").
  static const std::regex dots(R"(([+-]?)(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?)");
  static const std::regex commas(R"(([+-]?)(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?)");
  static const std::regex spaces(R"(([+-]?)(\d{1,3}(?: \d{3})+)(?:[.,](\d+))?)");
  static const std::regex decimal_comma(R"(([+-]?)(\d+),(\d+))");
  auto digits_of = [](const std::string& grouped) {
    std::string out;
    for (char c : grouped)
      if (c >= '0' && c <= '9') out += c;
    return out;
  };
  std::smatch m;
  // One group after a comma ("12,326", "500,5"): a decimal comma, or (three digits) perhaps
  // an English thousands separator; for a whole number, only the latter.
  if (std::regex_match(text, m, decimal_comma)) {
    const std::string sign = m[1].str() == "-" ? "-" : "", a = m[2].str(), b = m[3].str();
    if (whole) return b.size() == 3 && a.size() <= 3 ? both_languages(Msg::hint_no_separators, {sign + a + b}) : Bilingual();
    Bilingual hint = both_languages(Msg::hint_decimal_point, {sign + a + "." + b});
    if (b.size() == 3 && a.size() <= 3) hint += both_languages(Msg::hint_or_thousands, {sign + a + b});
    return hint;
  }
  for (const std::regex* form : {&dots, &commas, &spaces}) {
    if (!std::regex_match(text, m, *form)) continue;
    const std::string sign = m[1].str() == "-" ? "-" : "", grouped = m[2].str();
    // "1.333" (one group after a dot) is the number 1.333 unless a whole number is expected.
    if (form == &dots && !whole && !m[3].matched && grouped.find('.') == grouped.rfind('.')) return {};
    if (m[3].matched) {
      if (whole) return {};
      return both_languages(Msg::hint_no_separators_decimal, {sign + digits_of(grouped) + "." + m[3].str()});
    }
    return both_languages(Msg::hint_no_separators, {sign + digits_of(grouped)});
  }
  return {};
}

namespace {
std::pair<int, int> own_mark(const YAML::Node& n) {
  if (!n.IsDefined()) return {0, 0};
  YAML::Mark m = n.Mark();
  if (m.line < 0) return {0, 0};
  return {m.line + 1, m.column + 1};
}
// A child points at its parent when it has no mark of its own.
void inherit_mark(const YNode& parent, YNode& child) {
  auto [line, column] = own_mark(parent.node);
  if (line == 0) {
    line = parent.fallback_line;
    column = parent.fallback_column;
  }
  child.fallback_line = line;
  child.fallback_column = column;
}
} // namespace

// Children are copy-constructed from the parent's node, never assigned into a new one:
// yaml-cpp's Node::operator= merges the two documents' memory (a copy of every node it
// holds), which made reading a file with 50,000 entries take minutes.
YNode YNode::operator[](const std::string& key) const {
  const std::string child_path = path.empty() ? key : path + "." + key;
  const YAML::Node& self = node;
  YNode child = node.IsMap() && self[key].IsDefined()
                    ? YNode{self[key], file, child_path}
                    : YNode{YAML::Node(YAML::NodeType::Undefined), file, child_path};
  inherit_mark(*this, child);
  return child;
}

YNode YNode::at(std::size_t i) const {
  const std::string child_path = path + "[" + std::to_string(i) + "]";
  const YAML::Node& self = node;
  YNode child = node.IsSequence() && i < node.size() ? YNode{self[i], file, child_path}
                                                     : YNode{YAML::Node(YAML::NodeType::Undefined), file, child_path};
  inherit_mark(*this, child);
  return child;
}

std::vector<std::pair<std::string, YNode>> YNode::entries() const {
  std::vector<std::pair<std::string, YNode>> out;
  if (!node.IsMap()) return out;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
    YNode child{it->second, file, path.empty() ? key : path + "." + key};
    inherit_mark(*this, child);
    auto [kl, kc] = own_mark(it->first);
    child.key_line = kl;
    child.key_column = kc;
    out.emplace_back(key, std::move(child));
  }
  return out;
}

namespace {
// A mark for a node, or its parent's when the node itself has none (missing keys carry no
// mark in yaml-cpp).
std::pair<int, int> mark_of(const YNode& n) {
  auto mark = own_mark(n.node);
  if (mark.first == 0) return {n.fallback_line, n.fallback_column};
  return mark;
}

Bilingual type_name(const YAML::Node& n) {
  switch (n.Type()) {
  case YAML::NodeType::Map: return both_languages(Msg::diag_type_map);
  case YAML::NodeType::Sequence: return both_languages(Msg::diag_type_list);
  case YAML::NodeType::Scalar: return "'" + n.Scalar().substr(0, 40) + "'";
  default: return both_languages(Msg::diag_type_nothing);
  }
}


bool parse_double(const std::string& text, double& out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}
} // namespace

YNode Reader::key_node(const YNode& value) {
  YNode k{YAML::Node(YAML::NodeType::Undefined), value.file, value.path};
  k.fallback_line = value.key_line ? value.key_line : value.fallback_line;
  k.fallback_column = value.key_line ? value.key_column : value.fallback_column;
  if (!value.key_line) {
    auto m = own_mark(value.node);
    if (m.first) {
      k.fallback_line = m.first;
      k.fallback_column = m.second;
    }
  }
  return k;
}

void Reader::error(const YNode& at, const Bilingual& message) { error_at(at, at.path, message); }

Diagnostic Reader::located(const YNode& at, const std::string& path, const Bilingual& message) const {
  Diagnostic d;
  d.file = at.file ? *at.file : std::string("<scenario>");
  auto [line, column] = mark_of(at);
  // yaml-cpp counts columns in bytes; editors count characters (æ, ø, å are two bytes).
  if (auto it = texts_.find(at.file); it != texts_.end() && line > 0 && column > 1) {
    const std::string& text = it->second;
    std::size_t pos = 0;
    for (int l = 1; l < line && pos != std::string::npos; ++l) {
      pos = text.find('\n', pos);
      if (pos != std::string::npos) ++pos;
    }
    if (pos != std::string::npos) {
      int chars = 0;
      for (std::size_t b = 0; b + 1 < static_cast<std::size_t>(column) && pos + b < text.size(); ++b)
        if ((static_cast<unsigned char>(text[pos + b]) & 0xC0) != 0x80) ++chars;
      column = chars + 1;
    }
  }
  d.line = line;
  d.column = column;
  d.key_path = path;
  d.set_message(message);
  return d;
}

void Reader::error_at(const YNode& at, const std::string& path, const Bilingual& message) {
  if (diagnostics_.size() > max_diagnostics) return;
  Diagnostic d = located(at, path, message);
  if (diagnostics_.size() == max_diagnostics) {
    d.set_message(both_languages(Msg::diag_too_many, {std::to_string(max_diagnostics)}));
    d.key_path.clear();
  }
  diagnostics_.add(std::move(d));
}

void Reader::warning_at(const YNode& at, const std::string& path, const Bilingual& message) {
  if (!warnings_ || warnings_->size() >= max_diagnostics) return;
  warnings_->add(located(at, path, message));
}

bool Reader::map(const YNode& n, const std::vector<std::string>& allowed) {
  if (!n.is_map()) {
    error(n, both_languages(Msg::diag_expected_map, {join(allowed), type_name(n.node)}));
    return false;
  }
  for (auto it = n.node.begin(); it != n.node.end(); ++it) {
    if (!it->first.IsScalar()) {
      error(YNode{it->first, n.file, n.path, n.fallback_line, n.fallback_column}, both_languages(Msg::diag_keys_plain));
      continue;
    }
    const std::string& key = it->first.Scalar();
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (known) continue;
    Bilingual msg = both_languages(Msg::diag_unknown_key, {key}) + did_you_mean_text(key, allowed) +
                    both_languages(Msg::diag_allowed, {join(allowed)});
    // {amount: 100,000,000} reads as amount: 100 and the keys 000, 000: a comma separates
    // the entries of {...} and [...].
    if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos)
      msg += both_languages(Msg::diag_comma_in_flow);
    error_at(YNode{it->first, n.file, {}, n.fallback_line, n.fallback_column}, n.path.empty() ? key : n.path + "." + key, msg);
  }
  return true;
}

bool Reader::required_map(const YNode& parent, const std::string& key, const std::vector<std::string>& allowed) {
  YNode n = parent[key];
  if (!n.defined()) {
    error_at(parent, n.path, both_languages(Msg::diag_required_map, {join(allowed)}));
    return false;
  }
  return map(n, allowed);
}

bool Reader::seq(const YNode& n) {
  if (n.is_seq()) return true;
  error(n, both_languages(Msg::diag_expected_list, {type_name(n.node)}));
  return false;
}

std::optional<double> Reader::number(const YNode& n, Range range) {
  double v = 0;
  if (!n.is_scalar() || !parse_double(n.scalar(), v)) {
    const Bilingual hint = n.is_scalar() ? danish_number_hint(n.scalar(), false) : Bilingual();
    error(n, both_languages(Msg::diag_expected_got, {catalogue_text(range.what), type_name(n.node)}) +
                 (hint.empty() ? Bilingual() : "; " + hint));
    return std::nullopt;
  }
  bool below = range.min_exclusive ? v <= range.min : v < range.min;
  if (below || v > range.max) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    error(n, both_languages(Msg::diag_out_of_range, {std::string(buf), catalogue_text(range.what)}));
    return std::nullopt;
  }
  return v;
}

std::optional<long long> Reader::integer(const YNode& n, long long min, long long max) {
  long long v = 0;
  const std::string text = n.scalar();
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const Bilingual allowed = both_languages(Msg::diag_whole_number_range, {std::to_string(min), std::to_string(max)});
  if (!n.is_scalar() || ec != std::errc() || ptr != text.data() + text.size()) {
    const Bilingual hint = n.is_scalar() ? danish_number_hint(text, true) : Bilingual();
    error(n, both_languages(Msg::diag_expected_got, {allowed, type_name(n.node)}) + (hint.empty() ? Bilingual() : "; " + hint));
    return std::nullopt;
  }
  if (v < min || v > max) {
    error(n, both_languages(Msg::diag_out_of_range, {std::to_string(v), allowed}));
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> Reader::seed(const YNode& n) {
  std::uint64_t v = 0;
  const std::string text = n.scalar();
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!n.is_scalar() || text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    error(n, both_languages(Msg::diag_expected_seed, {type_name(n.node)}));
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> Reader::string(const YNode& n) {
  if (!n.is_scalar()) {
    error(n, both_languages(Msg::diag_expected_text, {type_name(n.node)}));
    return std::nullopt;
  }
  // Text reaches terminals, XML and HTML: a control character (ESC starts terminal commands,
  // XML forbids most) is refused here, and stripped again on every output path.
  const std::string& text = n.scalar();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%02X", c);
      error(n, both_languages(Msg::diag_control_character, {std::string(buf), std::to_string(i + 1)}));
      return std::nullopt;
    }
  }
  return text;
}

std::optional<Text> Reader::text(const YNode& n) {
  if (n.is_scalar()) {
    auto plain = string(n);
    return plain ? std::optional<Text>(Text(*plain)) : std::nullopt;
  }
  if (!n.is_map()) {
    error(n, both_languages(Msg::text_expected, {type_name(n.node)}));
    return std::nullopt;
  }
  if (!map(n, language_choices())) return std::nullopt;
  Text t;
  bool ok = true;
  for (const auto& [key, value] : n.entries()) {
    if (key != "da" && key != "en") {
      ok = false; // reported by map()
      continue;
    }
    if (auto each = string(value)) (key == "da" ? t.da : t.en) = *each;
    else ok = false;
  }
  if (ok && t.empty()) {
    error(n, both_languages(Msg::text_no_language));
    return std::nullopt;
  }
  return ok ? std::optional<Text>(std::move(t)) : std::nullopt;
}

std::optional<bool> Reader::boolean(const YNode& n) {
  const std::string t = n.scalar();
  if (n.is_scalar() && (t == "true" || t == "yes")) return true;
  if (n.is_scalar() && (t == "false" || t == "no")) return false;
  error(n, both_languages(Msg::diag_expected_boolean, {type_name(n.node)}));
  return std::nullopt;
}

std::optional<std::pair<int, int>> Reader::year_month(const YNode& n) {
  const std::string t = n.scalar();
  int y = 0, m = 0;
  bool ok = n.is_scalar() && t.size() == 7 && t[4] == '-';
  if (ok) {
    auto r1 = std::from_chars(t.data(), t.data() + 4, y);
    auto r2 = std::from_chars(t.data() + 5, t.data() + 7, m);
    ok = r1.ec == std::errc() && r2.ec == std::errc() && r1.ptr == t.data() + 4 && r2.ptr == t.data() + 7 &&
         y >= 1900 && y <= 2200 && m >= 1 && m <= 12;
  }
  if (!ok) {
    error(n, both_languages(Msg::diag_expected_month, {type_name(n.node)}));
    return std::nullopt;
  }
  return std::pair{y, m};
}

std::optional<int> Reader::choice(const YNode& n, const std::vector<std::string>& allowed) {
  if (n.is_scalar()) {
    for (std::size_t i = 0; i < allowed.size(); ++i)
      if (allowed[i] == n.scalar()) return static_cast<int>(i);
  }
  Bilingual msg = both_languages(Msg::diag_expected_one_of, {join(allowed), type_name(n.node)});
  if (n.is_scalar()) msg += did_you_mean_text(n.scalar(), allowed);
  error(n, msg);
  return std::nullopt;
}

std::optional<int> Reader::reference(const YNode& n, const std::vector<std::string>& names, const char* what) {
  return reference(n, names, catalogue_text(what));
}

std::optional<int> Reader::reference(const YNode& n, const std::vector<std::string>& names, const Bilingual& what) {
  if (!n.is_scalar()) {
    error(n, both_languages(Msg::diag_expected_name_of, {what, type_name(n.node)}));
    return std::nullopt;
  }
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == n.scalar()) return static_cast<int>(i);
  const Bilingual msg = both_languages(Msg::diag_unknown_reference, {what, n.scalar()}) +
                        did_you_mean_text(n.scalar(), names) +
                        both_languages(Msg::diag_defined, {names.empty() ? both_languages(Msg::diag_none) : Bilingual(join(names))});
  error(n, msg);
  return std::nullopt;
}

std::string place_of(const YNode& n) {
  int line = n.key_line;
  if (!line) {
    auto m = n.node.IsDefined() ? n.node.Mark() : YAML::Mark::null_mark();
    line = m.line >= 0 ? m.line + 1 : n.fallback_line;
  }
  return (n.file ? *n.file : std::string("<scenario>")) + (line > 0 ? ":" + std::to_string(line) : std::string());
}

Quantity Reader::quantity_or(const YNode& n, double fallback, Range range) {
  if (!n.defined()) {
    Quantity q = Quantity::fixed(fallback, n.path);
    q.range = range;
    return q;
  }
  auto q = quantity(n, range);
  return q ? *q : Quantity::fixed(fallback, n.path);
}

namespace {
// The names a quantity's map may use for its distribution, in the table's order.
const std::vector<std::string> kind_names = [] {
  std::vector<std::string> names;
  for (const KindRules& k : distribution_kinds()) names.emplace_back(k.name);
  return names;
}();
}

std::optional<Quantity> Reader::quantity(const YNode& n, Range range) {
  Quantity q;
  q.range = range;
  q.path = n.path;
  q.origin = place_of(n);
  q.key = path_key(n.path);
  if (n.is_scalar()) {
    auto v = number(n, range);
    if (!v) return std::nullopt;
    q.dist = Distribution::fixed(*v);
    return q;
  }
  if (!n.is_map()) {
    error(n, both_languages(Msg::diag_expected_or_distribution, {catalogue_text(range.what), join(kind_names), type_name(n.node)}));
    return std::nullopt;
  }
  std::vector<std::string> allowed = kind_names;
  allowed.push_back("value");
  allowed.push_back("source");
  if (!map(n, allowed)) return std::nullopt;
  if (n["source"].defined()) {
    if (auto s = string(n["source"])) q.source = *s;
  }
  std::vector<std::string> given;
  for (const auto& [key, child] : n.entries())
    if (key != "source") given.push_back(key);
  if (given.size() != 1) {
    error(n, both_languages(Msg::diag_exactly_one_of,
                            {join(kind_names), given.empty() ? both_languages(Msg::diag_none) : Bilingual(join(given))}));
    return std::nullopt;
  }
  const std::string& kind = given.front();
  auto d = distribution(n[kind], kind == "value" ? "fixed" : kind, range);
  if (!d) return std::nullopt;
  q.dist = *d;
  return q;
}

std::optional<Distribution> Reader::distribution(const YNode& n, const std::string& kind, Range range) {
  Distribution d;
  const KindRules* rules = rules_named(kind);
  // An unknown key was reported by map() already; the load fails, and the quantity stays 0
  // so that no follow-up problem is reported about it.
  if (!rules) return d;
  d.kind = rules->kind;
  if (!rules->parse(KindInput{*this, n, kind, range}, d)) return std::nullopt;
  if (!check_support(n, d, range)) return std::nullopt;
  return d;
}

bool Reader::check_support(const YNode& n, const Distribution& d, Range range) {
  const Support support = rules_of(d.kind).support(d);
  double lo = support.lo, hi = support.hi;
  if (range.sanity_bounds) {
    if (std::isinf(hi)) hi = d.quantile(1.0 - 1e-9);
    if (std::isinf(lo)) lo = d.quantile(1e-9);
  }
  bool below = range.min_exclusive && !support.open_low ? lo <= range.min : lo < range.min;
  if (below || hi > range.max) {
    const Msg hint = range.min >= 0.0 && range.max <= 1.0                 ? Msg::diag_support_hint_share
                     : std::isinf(range.max) && range.min >= 0.0 ? Msg::diag_support_hint_positive
                                                                 : Msg::diag_support_hint_bounded;
    error(n, both_languages(Msg::diag_outside_support, {catalogue_text(range.what), both_languages(hint)}));
    return false;
  }
  return true;
}

} // namespace socinvest::detail
