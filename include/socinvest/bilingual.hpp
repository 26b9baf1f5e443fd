#pragma once
// A text in both of the engine's languages, for messages composed where the reader's
// language is not known yet: the scenario loader, the CSV readers and the errors the
// library throws render both forms (from the message catalogue, report/messages.hpp:
// both_languages()) and the command line prints the one of the run's language. No
// language is needed at load time, and none is kept in global state.
#include <socinvest/report/format.hpp>

#include <string>
#include <utility>

namespace socinvest {

struct Bilingual {
  std::string en, da;

  Bilingual() = default;
  /// The same text in both languages: a name, a number, a path (machine text), or a
  /// message that has no Danish form yet.
  Bilingual(std::string text) : en(text), da(std::move(text)) {} // NOLINT: implicit on purpose
  Bilingual(const char* text) : Bilingual(std::string(text)) {}   // NOLINT: implicit on purpose
  Bilingual(std::string english, std::string danish) : en(std::move(english)), da(std::move(danish)) {}

  [[nodiscard]] const std::string& in(Language lang) const { return lang == Language::da ? da : en; }

  Bilingual& operator+=(const Bilingual& more) {
    en += more.en;
    da += more.da;
    return *this;
  }
  friend Bilingual operator+(Bilingual a, const Bilingual& b) { return a += b; }
  friend Bilingual operator+(Bilingual a, const std::string& b) { return a += Bilingual(b); }
  friend Bilingual operator+(Bilingual a, const char* b) { return a += Bilingual(b); }
  friend Bilingual operator+(const std::string& a, const Bilingual& b) { return Bilingual(a) += b; }
  friend Bilingual operator+(const char* a, const Bilingual& b) { return Bilingual(a) += b; }
  [[nodiscard]] bool empty() const { return en.empty() && da.empty(); }
};

} // namespace socinvest
