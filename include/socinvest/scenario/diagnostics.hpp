#pragma once
// Validation messages: every problem in a scenario is collected, with its place, so a user
// fixes them all in one go. Format: `file:line:column: key.path: what is wrong (allowed)`.
#include <socinvest/errors.hpp>

#include <string>
#include <vector>

namespace socinvest {

struct Diagnostic {
  std::string file;
  int line = 0;   ///< 1-based; 0 when unknown
  int column = 0; ///< 1-based; 0 when unknown
  std::string key_path;
  std::string message;

  [[nodiscard]] std::string format() const;
  /// The same as a warning: `file:line:column: warning: key.path: message`.
  [[nodiscard]] std::string format_warning() const;
};

class Diagnostics {
public:
  /// Adds a problem; an identical one at the same place (e.g. from a variant that extends
  /// another) is reported once.
  void add(Diagnostic d) {
    for (const auto& e : items_)
      if (e.file == d.file && e.line == d.line && e.column == d.column && e.message == d.message && d.line > 0) return;
    items_.push_back(std::move(d));
  }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  [[nodiscard]] std::size_t size() const { return items_.size(); }
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  /// All messages, one per line, in the order found.
  [[nodiscard]] std::string format() const;

private:
  std::vector<Diagnostic> items_;
};

/// Thrown when a scenario (or CSV, or manifest) is invalid; carries every problem found.
class InvalidInput : public Error {
public:
  explicit InvalidInput(Diagnostics diagnostics)
      : Error(ExitCode::invalid_scenario, diagnostics.format()), diagnostics_(std::move(diagnostics)) {}
  [[nodiscard]] const Diagnostics& diagnostics() const { return diagnostics_; }

private:
  Diagnostics diagnostics_;
};

/// The closest candidate by edit distance, or "" when none is close enough to suggest.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

} // namespace socinvest
