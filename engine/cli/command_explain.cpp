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
    std::string lang = "en";
  };
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand(
      "explain", "Show the scenario as the engine sees it after includes and overrides: every cost line's department, "
                 "amount in the run's prices and where it was written");
  sub->add_option("file", f->file, "Scenario file")->required();
  sub->add_option("--lang", f->lang, "Language of the text")->check(CLI::IsMember({"en", "da"}))->capture_default_str();
  return {sub, [f] {
            Scenario s = load_with_population(f->file);
            std::cout << explain(s, f->lang == "da" ? Language::da : Language::en);
            return 0;
          }};
}

} // namespace socinvest::cli
