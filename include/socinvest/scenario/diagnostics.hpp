#pragma once
// Validation messages: every problem in a scenario is collected, with its place, so a user
// fixes them all in one go. Format: `file:line:column: key.path: what is wrong (allowed)`.
// A message is kept in both languages (composed from the message catalogue when it is
// found) and printed in the run's language: the loader needs no language. The place and the
// key path are machine text, the same in both.
#include <socinvest/errors.hpp>

#include <string>
#include <vector>

namespace socinvest {

struct Diagnostic {
  std::string file;
  int line = 0;   ///< 1-based; 0 when unknown
  int column = 0; ///< 1-based; 0 when unknown
  std::string key_path;
  std::string message;    ///< English
  std::string message_da; ///< Danish; empty: the same as `message` (not translated)

  /// Sets both forms.
  void set_message(const Bilingual& text) {
    message = text.en;
    message_da = text.da == text.en ? std::string() : text.da;
  }
  [[nodiscard]] const std::string& message_in(Language lang) const {
    return lang == Language::da && !message_da.empty() ? message_da : message;
  }
  [[nodiscard]] std::string format(Language lang = Language::en) const;
  /// The same as a warning: `file:line:column: warning: key.path: message`.
  [[nodiscard]] std::string format_warning(Language lang = Language::en) const;
};

/// A diagnostic with its message in both languages.
inline Diagnostic diagnostic(std::string file, int line, int column, std::string key_path, const Bilingual& message) {
  Diagnostic d{std::move(file), line, column, std::move(key_path), {}, {}};
  d.set_message(message);
  return d;
}

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
  [[nodiscard]] std::string format(Language lang = Language::en) const;

private:
  std::vector<Diagnostic> items_;
};

/// Thrown when a scenario (or CSV, or manifest) is invalid; carries every problem found.
class InvalidInput : public Error {
public:
  explicit InvalidInput(Diagnostics diagnostics)
      : Error(ExitCode::invalid_scenario, Bilingual(diagnostics.format(Language::en), diagnostics.format(Language::da))),
        diagnostics_(std::move(diagnostics)) {}
  [[nodiscard]] const Diagnostics& diagnostics() const { return diagnostics_; }

private:
  Diagnostics diagnostics_;
};

/// The closest candidate by edit distance, or "" when none is close enough to suggest.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

} // namespace socinvest
