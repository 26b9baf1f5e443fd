#pragma once
// Typed, located reading of YAML nodes for the scenario loader. Each read either returns a
// value or records one Diagnostic with file, line, column and key path, and the loader goes
// on so that every problem is reported at once.
#include <socinvest/scenario/diagnostics.hpp>
#include <socinvest/scenario/distribution.hpp>
#include <socinvest/scenario/enum_names.hpp>
#include <socinvest/scenario/text.hpp>

#include <yaml-cpp/yaml.h>

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace socinvest::detail {

/// A YAML node with the file it came from and its key path in the scenario.
struct YNode {
  YAML::Node node;
  const std::string* file = nullptr;
  std::string path;
  int fallback_line = 0;   ///< where to point when this node has no mark of its own
  int fallback_column = 0; ///< (a missing key points at its parent)
  int key_line = 0;        ///< for map entries: where the key is
  int key_column = 0;

  [[nodiscard]] bool defined() const { return node.IsDefined() && !node.IsNull(); }
  [[nodiscard]] bool is_map() const { return node.IsMap(); }
  [[nodiscard]] bool is_seq() const { return node.IsSequence(); }
  [[nodiscard]] bool is_scalar() const { return node.IsScalar(); }
  /// Child of a map (undefined YNode when absent or when this is not a map).
  [[nodiscard]] YNode operator[](const std::string& key) const;
  [[nodiscard]] YNode at(std::size_t i) const;
  [[nodiscard]] std::size_t size() const { return node.size(); }
  /// Map entries in file order, as (key, child).
  [[nodiscard]] std::vector<std::pair<std::string, YNode>> entries() const;
  [[nodiscard]] std::string scalar() const { return node.IsScalar() ? node.Scalar() : std::string{}; }
};

/// Makes `slot` stand for `with`. Never `slot = with` on a YNode that holds a node of a
/// file: yaml-cpp's Node::operator= writes into the node `slot` refers to (so an earlier
/// file's or parent variant's tree would change under everything else that reads it)
/// instead of rebinding `slot`.
inline void rebind(YNode& slot, const YNode& with) {
  std::destroy_at(&slot);
  std::construct_at(&slot, with);
}

/// "file:line" of a node (its key's line for a map entry).
std::string place_of(const YNode& n);

/// How a number may be used; checked for fixed values and for distribution supports.
inline constexpr double unbounded = std::numeric_limits<double>::infinity();
using Range = ValueRange;
inline constexpr Range any_number{};
inline constexpr Range probability{0.0, 1.0, false, "a probability in [0, 1]"};
inline constexpr Range positive{0.0, unbounded, true, "a number above 0"};
inline constexpr Range non_negative{0.0, unbounded, false, "a number of at least 0"};
// Money: at most 1e12 kr. per line (a month of a state, a cost, a grant, a payment). The
// largest Danish municipal budget (Copenhagen's) is about 5e10 kr. a year, so no real line
// comes near it, and run totals (x persons x months x iterations) stay far inside what a
// double holds exactly enough: an amount of 1e308 would make every total infinite.
inline constexpr Range amount{-1e12, 1e12, false, "an amount from -1e12 to 1e12 kr.", true};
inline constexpr Range non_negative_amount{0.0, 1e12, false, "an amount from 0 to 1e12 kr.", true};
// Counts of households, staff and intakes: at most ten million (Denmark has 2.8 million
// households); larger values would overflow the rounding to whole households.
inline constexpr Range household_count{0.0, 1e7, true, "a number above 0 and at most 10,000,000", true};

class Reader {
public:
  /// Problems go to `diagnostics`; warnings (a scenario that loads, with a likely trap) to
  /// `warnings`, when given.
  explicit Reader(Diagnostics& diagnostics, Diagnostics* warnings = nullptr)
      : diagnostics_(diagnostics), warnings_(warnings) {}

  /// The text of a file, so that columns can be reported in characters, not bytes.
  void set_text(const std::string* file, const std::string& text) { texts_[file] = text; }
  /// A node that points at the key of a map entry (from entries()).
  [[nodiscard]] static YNode key_node(const YNode& value);

  /// Records a problem at `at` (its own mark, or its parent's when it is missing).
  /// Messages are Bilingual (report/messages.hpp: both_languages()); a plain string is the
  /// same in both languages.
  void error(const YNode& at, const Bilingual& message);
  void error_at(const YNode& at, const std::string& path, const Bilingual& message);
  /// Records a warning at `at`: never a reason to refuse the scenario.
  void warning_at(const YNode& at, const std::string& path, const Bilingual& message);

  /// True when `n` is a map; reports unknown keys (with did-you-mean) otherwise.
  bool map(const YNode& n, const std::vector<std::string>& allowed);
  /// Like map() but reports a missing node as "is required".
  bool required_map(const YNode& parent, const std::string& key, const std::vector<std::string>& allowed);
  bool seq(const YNode& n);

  std::optional<double> number(const YNode& n, Range range = any_number);
  std::optional<long long> integer(const YNode& n, long long min, long long max);
  /// A random seed: any unsigned 64-bit whole number, in decimal.
  std::optional<std::uint64_t> seed(const YNode& n);
  std::optional<std::string> string(const YNode& n);
  /// A text for readers: plain text (both languages) or {da: ..., en: ...} with at least one
  /// of them (scenario/text.hpp); another key is refused, naming da and en.
  std::optional<Text> text(const YNode& n);
  std::optional<bool> boolean(const YNode& n);
  /// A YYYY-MM month.
  std::optional<std::pair<int, int>> year_month(const YNode& n);
  /// A number or a distribution (see scenarios/README.md), whose support must lie in range.
  std::optional<Quantity> quantity(const YNode& n, Range range = any_number);
  /// The same with a default when the node is absent.
  Quantity quantity_or(const YNode& n, double fallback, Range range = any_number);
  /// One of `allowed`; returns its index.
  std::optional<int> choice(const YNode& n, const std::vector<std::string>& allowed);
  /// One of the names of enum E (its table in scenario.hpp); returns the value.
  template <class E> std::optional<E> choice(const YNode& n) {
    if (auto i = choice(n, names_of<E>())) return enum_names(E{})[static_cast<std::size_t>(*i)].value;
    return std::nullopt;
  }
  /// A name that must be among `names` ("what" says what it names, e.g. "department").
  std::optional<int> reference(const YNode& n, const std::vector<std::string>& names, const char* what);
  /// As above, with `what` already in both languages ("category of 'area'").
  std::optional<int> reference(const YNode& n, const std::vector<std::string>& names, const Bilingual& what);

  [[nodiscard]] bool too_many() const { return diagnostics_.size() >= max_diagnostics; }
  static constexpr std::size_t max_diagnostics = 200;
  /// A message at `at`, with its file, line, column and key path (for notes kept apart from
  /// errors and warnings, such as Scenario::ungraded_effects).
  [[nodiscard]] Diagnostic located(const YNode& at, const std::string& path, const Bilingual& message) const;

private:
  std::optional<Distribution> distribution(const YNode& n, const std::string& kind, Range range);
  bool check_support(const YNode& n, const Distribution& d, Range range);
  Diagnostics& diagnostics_;
  Diagnostics* warnings_;
  std::map<const std::string*, std::string> texts_;
};

std::string join(const std::vector<std::string>& words, const char* separator = ", ");

/// "; did you mean 'x'?" for the closest of `candidates` (did_you_mean), or nothing.
Bilingual did_you_mean_text(const std::string& word, const std::vector<std::string>& candidates);

/// A hint for a number written the Danish way ("1.333.333", "500,5", "1 333 333"): "write
/// 1333333 (no thousands separators)" and the like; empty when `text` is not such a number.
/// `whole`: the number must be a whole number (then "10.000" is ten thousand, too).
Bilingual danish_number_hint(const std::string& text, bool whole);

} // namespace socinvest::detail
