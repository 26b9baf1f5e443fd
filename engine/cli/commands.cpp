#include "cli/commands.hpp"

#include "cli/progress.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/report/output_folder.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/scenario/loader.hpp>
#include <socinvest/version.hpp>

#include <tbb/global_control.h>

#include <ctime>
#include <memory>
#include <iostream>
#include <sstream>

namespace socinvest::cli {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Scenario load_with_population(const std::string& file) {
  Scenario s = load_scenario(file);
  if (!s.population.csv_path.empty()) (void)read_population_csv(s); // validate the extract too
  return s;
}

} // namespace

Commands::Commands(CLI::App& app, std::atomic<bool>& interrupted, int argc, char** argv)
    : app_(app), interrupted_(interrupted) {
  for (int i = 0; i < argc; ++i) command_line_ += (i ? " " : "") + std::string(argv[i]);

  validate_ = app.add_subcommand("validate", "Check scenario files (and their population CSV) and report every problem");
  validate_->add_option("files", files_, "Scenario files")->required();

  run_ = app.add_subcommand("run", "Simulate a scenario's baseline and variants and write the economics");
  auto& f = run_flags_;
  run_->add_option("file", f.file, "Scenario file")->required();
  run_->add_option("--iterations", f.iterations, "Monte Carlo iterations (default: the scenario's run.iterations)")
      ->check(CLI::Range(1, 10'000'000));
  run_->add_option("--seed", f.seed, "Random seed (default: the scenario's run.seed)")->check(CLI::NonNegativeNumber);
  run_->add_option("--threads", f.threads, "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(1, 1024));
  run_->add_option("--out", f.out, "Output folder (default: out/<scenario>)");
  run_->add_flag("--force", f.force, "Replace an existing output folder (only once the new results are complete)");
  run_->add_flag("--quiet", f.quiet, "No progress bar and no summary");
  run_->add_option("--variant", f.variants, "Run only these variants besides the baseline (repeat or comma-separate)")
      ->delimiter(',');
  run_->add_option("--trace", f.trace, "Write the monthly paths of the first N households (iteration 1) to trace.csv")
      ->check(CLI::Range(0, 100000));
  run_->add_option("--format", f.formats, "Comma-separated output formats: csv, json")->capture_default_str();
  run_->add_option("--lang", f.lang, "Language of the terminal summary: en or da")->check(CLI::IsMember({"en", "da"}))
      ->capture_default_str();
  run_->add_flag("--central", f.central, "Set every uncertain parameter to its median (no parameter uncertainty)");
}

int Commands::execute() {
  if (validate_->parsed()) return validate();
  if (run_->parsed()) return run();
  return static_cast<int>(ExitCode::usage);
}

int Commands::validate() {
  int worst = 0;
  for (const auto& f : files_) {
    try {
      Scenario s = load_with_population(f);
      std::size_t persons = 0;
      std::cout << f << ": ok: " << s.title << " (" << s.domains.size() << " domains, " << s.departments.size()
                << " departments, " << s.variants.size() << " variants, " << s.run.iterations << " iterations)\n";
      (void)persons;
    } catch (const Error& e) {
      std::string msg = e.what();
      if (!msg.empty() && msg.back() != '\n') msg += '\n';
      std::cerr << msg;
      worst = std::max(worst, static_cast<int>(e.code()));
    }
  }
  return worst;
}

int Commands::run() {
  const auto& f = run_flags_;
  const Language lang = f.lang == "da" ? Language::da : Language::en;
  for (const auto& fmt : split_list(f.formats))
    if (fmt != "csv" && fmt != "json")
      throw Error(ExitCode::usage, "--format: unknown format '" + fmt + "' (allowed: csv, json)");
  Scenario s = load_with_population(f.file);
  RunOptions o;
  o.iterations = f.iterations;
  o.has_seed = f.seed >= 0;
  o.seed = static_cast<std::uint64_t>(std::max(0LL, f.seed));
  o.threads = f.threads;
  o.parameters.central = f.central;
  o.cancel = &interrupted_;
  for (const auto& name : f.variants) {
    int v = s.variant_index(name);
    if (v < 0) {
      std::string known;
      for (const auto& var : s.variants) known += (known.empty() ? "" : ", ") + var.id;
      throw Error(ExitCode::usage, "--variant: no variant '" + name + "' in " + f.file + " (variants: " + known + ")");
    }
    o.variants.push_back(v);
  }
  // --threads means threads, even above the number of cores (oneTBB caps at the cores otherwise).
  std::unique_ptr<tbb::global_control> thread_limit;
  if (f.threads > 0)
    thread_limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                         static_cast<std::size_t>(f.threads));
  // Refuse to overwrite before spending time on the run.
  OutputFolder folder(f.out.empty() ? "out/" + s.id : f.out, f.force);
  Progress progress("simulating", f.quiet);
  o.progress = [&](int done, int total) { progress.update(done, total); };
  Trace trace;
  trace.households = f.trace;
  const std::string started = utc_now();
  auto analysis = analyse(s, o, f.trace > 0 ? &trace : nullptr);
  progress.finish();
  const Results& r = analysis->results;

  Manifest m;
  m.engine_version = engine_version();
  m.engine_commit = engine_commit();
  m.scenario_file = f.file;
  m.scenario_hash = s.content_hash;
  m.command_line = command_line_;
  m.started_at = started;
  m.seed = analysis->plan.seed;
  m.iterations = analysis->plan.iterations;
  m.threads = analysis->plan.threads;
  m.seconds = analysis->seconds;
  for (const auto& fmt : split_list(f.formats)) {
    if (fmt == "csv") {
      folder.write("money.csv", money_csv(r));
      folder.write("outcomes.csv", outcomes_csv(r));
      folder.write("targets.csv", targets_csv(r));
      folder.write("contracts.csv", contracts_csv(r));
      folder.write("flows.csv", flows_csv(r));
      folder.write("per_iteration.csv", per_iteration_csv(r));
    } else if (fmt == "json") {
      folder.write("summary.json", summary_json(r, m));
    }
  }
  if (f.trace > 0) {
    std::string csv = "variant,household,person,month,age,role";
    for (const auto& d : s.domains) csv += "," + d.id + "," + d.id + "_months";
    csv += "\n";
    for (const auto& line : trace.lines) csv += line + "\n";
    folder.write("trace.csv", csv);
  }
  if (interrupted_.load()) throw Cancelled();
  folder.commit();
  if (!f.quiet) {
    std::cout << terminal_summary(r, lang);
    std::cout << "\nResults in " << folder.path() << "/ (" << analysis->plan.iterations << " iterations in "
              << static_cast<int>(analysis->seconds * 10) / 10.0 << " s on " << analysis->plan.threads << " threads)\n";
  }
  return 0;
}

} // namespace socinvest::cli
