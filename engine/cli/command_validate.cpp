// socinvest validate FILE...: checks scenario files (and their population CSV) and reports
// every problem of every file; the exit code is the worst file's.
#include "cli/command.hpp"
#include "cli/shared.hpp"

#include <socinvest/errors.hpp>
#include <socinvest/footprint.hpp>
#include <socinvest/report/messages.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

namespace socinvest::cli {

namespace {

int validate(const std::vector<std::string>& files, const RunFlags& flags) {
  const Language before = language(flags); // a bad SOCINVEST_LANG before any file is read
  int worst = 0;
  for (const auto& f : files) {
    // One file's errors do not stop the others: every problem of every file at once.
    // A file that does not load has no run.lang: its errors are in --lang / SOCINVEST_LANG.
    Language lang = before;
    try {
      Scenario s = load_with_population(f);
      lang = language(flags, s); // each file in its own run.lang, unless told
      print_load_warnings(s, false, lang); // warnings never fail a file
      for (const auto& w : s.ungraded_effects) std::cerr << w.format_warning(lang) << "\n"; // only here, not in every run
      check_footprint(s, RunOptions{}); // what fits in the scenario's own run, before anyone runs it
      std::cout << format_message(lang, Msg::validate_ok,
                                  {f, s.title.in(lang), std::to_string(s.domains.size()), std::to_string(s.departments.size()),
                                   std::to_string(s.variants.size()), std::to_string(s.run.iterations)})
                << "\n";
    } catch (const Error& e) {
      std::cerr << message_line(e, lang);
      worst = std::max(worst, static_cast<int>(e.code()));
    }
  }
  return worst;
}

} // namespace

Command add_validate_command(CLI::App& app, const Context& context) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto flags = std::make_shared<RunFlags>();
  CLI::App* sub = app.add_subcommand("validate", T(context.lang, Msg::help_validate));
  sub->add_option("files", *files, T(context.lang, Msg::help_validate_files))->required();
  add_run_options(*sub, *flags, RunOption::lang, context.lang);
  return {sub, [files, flags] { return validate(*files, *flags); }};
}

} // namespace socinvest::cli
