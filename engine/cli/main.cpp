// The `socinvest` command: a thin shell over the engine library.
#include <socinvest/errors.hpp>
#include <socinvest/scenario/loader.hpp>
#include <socinvest/version.hpp>

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  using namespace socinvest;
  CLI::App app{"socinvest: what a social investment costs, what it saves, and which department the savings land in"};
  app.set_version_flag("--version", std::string(engine_version()) + " (" + engine_commit() + ")");
  app.require_subcommand(1);
  std::vector<std::string> files;
  auto* validate = app.add_subcommand("validate", "Check scenario files and report every problem");
  validate->add_option("files", files, "Scenario files")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  int worst = 0;
  for (const auto& f : files) {
    try {
      Scenario s = load_scenario(f);
      std::cout << f << ": ok (" << s.variants.size() << " variants)\n";
    } catch (const Error& e) {
      std::cerr << e.what();
      worst = std::max(worst, static_cast<int>(e.code()));
    }
  }
  return worst;
}
