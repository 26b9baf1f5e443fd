#pragma once
// The subcommands of `socinvest` and their options.
#include <CLI/CLI.hpp>

#include <atomic>
#include <string>
#include <vector>

namespace socinvest::cli {

struct RunFlags {
  std::string file;
  int iterations = 0;
  long long seed = -1;
  int threads = 0;
  std::string out;
  bool force = false;
  bool quiet = false;
  std::vector<std::string> variants;
  int trace = 0;
  std::string formats = "csv,json";
  std::string lang = "en";
  bool central = false;
};

class Commands {
public:
  Commands(CLI::App& app, std::atomic<bool>& interrupted, int argc, char** argv);
  /// Runs the chosen subcommand; returns the exit code.
  int execute();

private:
  int validate();
  int run();

  CLI::App& app_;
  std::atomic<bool>& interrupted_;
  std::string command_line_;
  CLI::App* validate_ = nullptr;
  CLI::App* run_ = nullptr;
  std::vector<std::string> files_;
  RunFlags run_flags_;
};

} // namespace socinvest::cli
