#pragma once
// The languages the engine speaks, and a scenario's own text in them (issue 14). A text a
// scenario gives a reader (its title and description, a variant's title and description, a
// department's name, an indicator's label, a target's label) is either plain text, meant for
// both languages, or a map {da: ..., en: ...} (scenarios/README.md, "Texts in two
// languages"); every output that shows it asks for it in the reader's language (Text::in).
#include <socinvest/scenario/enum_names.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace socinvest {

enum class Language : std::uint8_t { en, da, count };
inline constexpr auto language_names = std::to_array<EnumName<Language>>({
    {Language::en, "en"},
    {Language::da, "da"},
});
static_assert(names_every_value(language_names));
constexpr const auto& enum_names(Language) { return language_names; }

/// The language names as messages list them ("allowed: da, en"): in alphabetical order,
/// the order of the keys of a text's map too.
inline std::vector<std::string> language_choices() { return {"da", "en"}; }

/// A text in both languages. Plain text from a scenario is the same in both; a map gives
/// each language its own, and a language left out falls back to the other (a Danish
/// municipality that writes only `da:` still has an English report, in Danish words).
struct Text {
  std::string en;
  std::string da;

  Text() = default;
  /// Plain text: the same in both languages.
  Text(std::string both) : en(both), da(std::move(both)) {} // NOLINT: plain text is a text
  Text(const char* both) : Text(std::string(both)) {}       // NOLINT
  [[nodiscard]] static Text of(std::string en_text, std::string da_text) {
    Text t;
    t.en = std::move(en_text);
    t.da = std::move(da_text);
    return t;
  }
  /// The text in `lang`, else in the other language (empty only when both are).
  [[nodiscard]] const std::string& in(Language lang) const {
    const std::string& own = lang == Language::da ? da : en;
    return own.empty() ? (lang == Language::da ? en : da) : own;
  }
  [[nodiscard]] bool empty() const { return en.empty() && da.empty(); }
  friend bool operator==(const Text&, const Text&) = default;
};

/// The language a command speaks, by one rule for every command: `--lang` (`flag`, empty
/// when not given), else the environment variable SOCINVEST_LANG (`environment`, empty when
/// unset), else the scenario's `run.lang` (`scenario`, none before a scenario is read or when
/// it gives none), else English. Throws a usage Error for a SOCINVEST_LANG (or flag) that is
/// not da or en.
[[nodiscard]] Language resolve_language(std::string_view flag, std::string_view environment,
                                        std::optional<Language> scenario);

} // namespace socinvest
