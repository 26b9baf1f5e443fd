#pragma once
// The subcommands of `socinvest` and their options.
#include "cli/interrupt.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <string>
#include <vector>

namespace socinvest::cli {

struct RunFlags {
  std::string file;
  int iterations = 0;
  std::string seed;             ///< decimal, 0 to 2^64 - 1; empty: the scenario's
  int threads = 0;
  std::string out;
  bool force = false;
  bool quiet = false;
  std::vector<std::string> variants;
  int trace = 0;
  std::string formats = "csv,json,html,xlsx";
  std::string lang = "en";
  bool central = false;
  std::string kernel = "events";
};

struct CompareFlags {
  std::vector<std::string> files;
  std::vector<std::string> variants;
  std::string account = "total";
};

struct SweepFlags {
  std::string variant;
  std::string account = "total";
  std::vector<std::string> parameters; ///< tornado: these (default: every uncertain one)
  double low_quantile = 0.05, high_quantile = 0.95;
  std::vector<std::string> grid;       ///< two "PATH=v1,v2,..." specs
  std::string threshold;               ///< PATH
  std::vector<double> range;           ///< [low, high] for the threshold
  double probability = 0.8;
  double tolerance = 0.0;
};

class Commands {
public:
  Commands(CLI::App& app, Interrupt& interrupt, int argc, char** argv);
  /// Runs the chosen subcommand; returns the exit code.
  int execute();

private:
  int validate();
  int run();
  int compare();
  int sweep();
  int batch();
  int reproduce();
  void add_run_options(CLI::App* sub, bool single_file);

  CLI::App& app_;
  Interrupt& interrupt_;
  std::string command_line_;
  CLI::App *validate_ = nullptr, *run_ = nullptr, *compare_ = nullptr, *sweep_ = nullptr, *batch_ = nullptr,
           *reproduce_ = nullptr;
  std::vector<std::string> files_;
  RunFlags run_flags_;
  CompareFlags compare_flags_;
  SweepFlags sweep_flags_;
  std::string batch_file_, batch_out_;
  std::string reproduce_dir_;
};

} // namespace socinvest::cli
