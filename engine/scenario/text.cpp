// The one rule for the language a command speaks (scenario/text.hpp).
#include <socinvest/scenario/text.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/report/format.hpp>

namespace socinvest {

Language resolve_language(std::string_view flag, std::string_view environment, std::optional<Language> scenario) {
  // --lang is checked by CLI11 against the same names; a flag given wrong here (by a caller
  // other than the command line) is refused just as the environment variable is.
  if (!flag.empty()) {
    if (const auto l = value_named<Language>(flag)) return *l;
    throw Error(ExitCode::usage, "--lang: '" + printable(flag) + "' is not a language (allowed: da, en)");
  }
  if (!environment.empty()) {
    if (const auto l = value_named<Language>(environment)) return *l;
    throw Error(ExitCode::usage, "SOCINVEST_LANG: '" + printable(environment) + "' is not a language (allowed: da, en)");
  }
  return scenario.value_or(Language::en);
}

} // namespace socinvest
