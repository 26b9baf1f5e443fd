// socinvest explain FILE: the merged scenario in words (report/explain.hpp): what the engine
// will price, where each number was written, and the amounts in the run's prices.
#include "cli/command.hpp"
#include "cli/shared.hpp"

#include <socinvest/report/explain.hpp>

#include <iostream>
#include <memory>

namespace socinvest::cli {

Command add_explain_command(CLI::App& app, const Context& context) {
  struct Flags {
    std::string file;
    RunFlags run;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand(
      "explain", T(context.lang, Msg::help_explain));
  sub->add_option("file", f->file, T(context.lang, Msg::help_scenario_file))->required();
  add_run_options(*sub, f->run, RunOption::lang, context.lang); // --lang, else SOCINVEST_LANG, as every command
  return {sub, [f] {
            (void)language(f->run); // a bad SOCINVEST_LANG before the scenario is read
            Scenario s = load_with_population(f->file);
            std::cout << explain(s, language(f->run, s));
            return 0;
          }};
}

} // namespace socinvest::cli
