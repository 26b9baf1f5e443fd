// socinvest explain FILE: the merged scenario in words (report/explain.hpp): what the engine
// will price, where each number was written, and the amounts in the run's prices.
#include "cli/command.hpp"
#include "cli/shared.hpp"

#include <socinvest/report/explain.hpp>

#include <iostream>
#include <memory>

namespace socinvest::cli {

Command add_explain_command(CLI::App& app, const Context&) {
  struct Flags {
    std::string file;
    RunFlags run;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand(
      "explain", "Show the scenario as the engine sees it after includes and overrides: every cost line's department, "
                 "amount in the run's prices and where it was written");
  sub->add_option("file", f->file, "Scenario file")->required();
  add_run_options(*sub, f->run, RunOption::lang); // --lang, else SOCINVEST_LANG, as every command
  return {sub, [f] {
            (void)language(f->run); // a bad SOCINVEST_LANG before the scenario is read
            Scenario s = load_with_population(f->file);
            std::cout << explain(s, language(f->run, s));
            return 0;
          }};
}

} // namespace socinvest::cli
