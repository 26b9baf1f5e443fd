#include "cli/commands.hpp"

#include "cli/progress.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/batch/batch.hpp>
#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/sweep.hpp>
#include <socinvest/files.hpp>
#include <socinvest/footprint.hpp>
#include <socinvest/ledger/accounts.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/output_folder.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/report/workbook.hpp>
#include <socinvest/scenario/loader.hpp>
#include <socinvest/version.hpp>

#include <tbb/global_control.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace socinvest::cli {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

/// One argument as a POSIX shell reads it back: the manifest's command_line can be pasted.
std::string shell_quoted(const std::string& arg) {
  const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                           "0123456789_-./:=,+@%") == std::string::npos;
  if (plain) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Whole numbers on the command line are decimal, as in the YAML: "010" is ten, not eight
/// (CLI11 would read it as octal, and 0x10 as hex). Leading zeros are dropped before CLI11
/// converts the text.
const CLI::Validator decimal = CLI::Validator(
    [](std::string& text) {
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return "'" + text + "' is not a whole decimal number (digits 0-9 only)";
      text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
      return std::string();
    },
    "DECIMAL");

/// --seed: any unsigned 64-bit number (2^64 - 1 at most), never clamped.
std::optional<std::uint64_t> parse_seed(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size())
    throw Error(ExitCode::usage, "--seed: '" + text + "' is not a seed (a whole decimal number from 0 to 18446744073709551615)");
  return v;
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

int variant_or_usage(const Scenario& s, const std::string& name, const std::string& file) {
  int v = s.variant_index(name);
  if (v <= 0) {
    std::string known;
    for (std::size_t i = 1; i < s.variants.size(); ++i) known += (known.empty() ? "" : ", ") + s.variants[i].id;
    throw Error(ExitCode::usage, "--variant: no variant '" + name + "' in " + file + " (variants: " + known + ")");
  }
  return v;
}

std::unique_ptr<tbb::global_control> limit_threads(int threads) {
  // --threads means threads, even above the number of cores (oneTBB caps at the cores otherwise).
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

/// Writes every output of a run into `folder`: what `run` writes and what `reproduce`
/// writes again to compare, from the manifest alone.
void write_run_outputs(OutputFolder& folder, const Results& r, const Manifest& m, const Trace* trace) {
  const Language lang = m.lang == "da" ? Language::da : Language::en;
  for (const auto& [name, content] : run_files(r, m, split_list(m.formats))) folder.write(name, content);
  for (const auto& fmt : split_list(m.formats)) {
    if (fmt == "html") {
      folder.write("report.html", html_report(r, m, lang));
    } else if (fmt == "xlsx") {
      write_workbook((fs::path(folder.staging_path()) / "results.xlsx").string(), r, m);
    }
  }
  if (trace && m.trace_households > 0) folder.write("trace.csv", trace_csv(*r.scenario, trace->lines));
}

void check_formats(const std::string& formats) {
  if (split_list(formats).empty())
    throw Error(ExitCode::usage, "--format: no format given (allowed: csv, json, html, xlsx, comma-separated)");
  for (const auto& fmt : split_list(formats))
    if (fmt != "csv" && fmt != "json" && fmt != "html" && fmt != "xlsx")
      throw Error(ExitCode::usage, "--format: unknown format '" + fmt + "' (allowed: csv, json, html, xlsx)");
}

/// Below this many iterations intervals and probabilities are too rough to read.
constexpr int few_iterations = 100;

void warn_if_few_iterations(int iterations, bool quiet) {
  if (quiet || iterations >= few_iterations) return;
  std::cerr << "warning: only " << iterations << (iterations == 1 ? " iteration" : " iterations")
            << ": standard errors, intervals and probabilities are "
            << (iterations < 2 ? "not estimated (n/a)" : "rough") << "; use --iterations " << few_iterations
            << " or more for results to decide by\n";
}

std::string money_text(double v) { return money_short(v); }

} // namespace

void Commands::add_run_options(CLI::App* sub, bool single_file) {
  auto& f = run_flags_;
  if (single_file) sub->add_option("file", f.file, "Scenario file")->required();
  sub->add_option("--iterations", f.iterations, "Monte Carlo iterations (default: the scenario's run.iterations)")
      ->transform(decimal)->check(CLI::Range(1, 10'000'000));
  sub->add_option("--seed", f.seed, "Random seed, 0 to 2^64-1 (default: the scenario's run.seed)")->transform(decimal);
  sub->add_option("--threads", f.threads, "Worker threads (default: all cores); results do not depend on it")
      ->transform(decimal)->check(CLI::Range(1, 1024));
  sub->add_option("--out", f.out, "Output folder (default: out/<scenario>[-<command>])");
  sub->add_flag("--force", f.force, "Replace an existing output folder (only once the new results are complete)");
  sub->add_flag("--quiet", f.quiet, "No progress bar and no summary");
}

Commands::Commands(CLI::App& app, Interrupt& interrupt, int argc, char** argv)
    : app_(app), interrupt_(interrupt) {
  for (int i = 0; i < argc; ++i) command_line_ += (i ? " " : "") + shell_quoted(argv[i]);

  validate_ = app.add_subcommand("validate", "Check scenario files (and their population CSV) and report every problem");
  validate_->add_option("files", files_, "Scenario files")->required();

  run_ = app.add_subcommand("run", "Simulate a scenario's baseline and variants and write the economics");
  add_run_options(run_, true);
  auto& f = run_flags_;
  run_->add_option("--variant", f.variants, "Run only these variants besides the baseline (repeat or comma-separate)")
      ->delimiter(',');
  run_->add_option("--trace", f.trace, "Write the monthly paths of the first N households (iteration 1) to trace.csv")
      ->transform(decimal)->check(CLI::Range(0, 100000));
  run_->add_option("--format", f.formats, "Comma-separated output formats: csv, json, html, xlsx")->capture_default_str();
  run_->add_option("--lang", f.lang, "Language of the report and the terminal summary: en or da")
      ->check(CLI::IsMember({"en", "da"}))->capture_default_str();
  run_->add_option("--kernel", f.kernel,
                   "How months are stepped through: events (fast, the default) or monthly (the step-by-step "
                   "reference, for cross-checks); both simulate the same model")
      ->check(CLI::IsMember({"events", "monthly"}))->capture_default_str();
  run_->add_flag("--central", f.central, "Set every uncertain parameter to its median (no parameter uncertainty)");

  compare_ = app.add_subcommand("compare", "Compare variants on common random numbers: paired differences, ranking, "
                                           "probability of being best, value of perfect information");
  compare_->add_option("files", compare_flags_.files, "Scenario files (several must share one baseline)")->required();
  add_run_options(compare_, false);
  compare_->add_option("--variants", compare_flags_.variants, "Variants to compare (default: all)")->delimiter(',');
  compare_->add_option("--account", compare_flags_.account, "Account whose net present value is compared")
      ->capture_default_str();

  sweep_ = app.add_subcommand("sweep", "Sensitivity: one-way tornado (default), two-way --grid, or --threshold");
  add_run_options(sweep_, true);
  auto& w = sweep_flags_;
  sweep_->add_option("--variant", w.variant, "The variant valued against the baseline (default: the first)");
  sweep_->add_option("--account", w.account, "The account valued (default: total)")->capture_default_str();
  sweep_->add_option("--parameter", w.parameters, "Tornado: only these parameters (key paths; repeatable)");
  sweep_->add_option("--low-quantile", w.low_quantile, "Tornado: the low value's quantile")->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sweep_->add_option("--high-quantile", w.high_quantile, "Tornado: the high value's quantile")->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sweep_->add_option("--grid", w.grid, "Two-way grid: give twice, as PATH=v1,v2,...")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sweep_->add_option("--threshold", w.threshold, "Threshold analysis on this parameter (key path)");
  sweep_->add_option("--range", w.range, "Threshold: the range searched, LOW,HIGH")->delimiter(',')->expected(2);
  sweep_->add_option("--probability", w.probability, "Threshold: the probability of breaking even to reach")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  sweep_->add_option("--tolerance", w.tolerance, "Threshold: the precision of the answer (default: range / 1000)");

  batch_ = app.add_subcommand("batch", "Run a batch manifest (scenarios, variants, seeds, sweeps); resumable");
  batch_->add_option("manifest", batch_file_, "Batch manifest (YAML)")->required();
  batch_->add_option("--out", batch_out_, "Output folder (default: the manifest's output)");
  batch_->add_flag("--quiet", run_flags_.quiet, "No progress");

  reproduce_ = app.add_subcommand("reproduce", "Re-run a finished result folder and confirm every number is identical");
  reproduce_->add_option("dir", reproduce_dir_, "A folder written by socinvest run")->required();
  reproduce_->add_flag("--quiet", run_flags_.quiet, "No progress");
  reproduce_->add_option("--threads", run_flags_.threads, "Worker threads (default: all cores); results do not depend on it")
      ->transform(decimal)->check(CLI::Range(1, 1024));
}

int Commands::execute() {
  if (validate_->parsed()) return validate();
  if (run_->parsed()) return run();
  if (compare_->parsed()) return compare();
  if (sweep_->parsed()) return sweep();
  if (batch_->parsed()) return batch();
  if (reproduce_->parsed()) return reproduce();
  return static_cast<int>(ExitCode::usage);
}

int Commands::validate() {
  int worst = 0;
  for (const auto& f : files_) {
    try {
      Scenario s = load_with_population(f);
      check_footprint(s, RunOptions{}); // what fits in the scenario's own run, before anyone runs it
      std::cout << f << ": ok: " << s.title << " (" << s.domains.size() << " domains, " << s.departments.size()
                << " departments, " << s.variants.size() << " variants, " << s.run.iterations << " iterations)\n";
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
  check_formats(f.formats);
  Scenario s = load_with_population(f.file);
  RunOptions o;
  o.iterations = f.iterations;
  const auto seed = parse_seed(f.seed);
  o.has_seed = seed.has_value();
  o.seed = seed.value_or(0);
  o.threads = f.threads;
  o.parameters.central = f.central;
  o.kernel = f.kernel == "monthly" ? Kernel::monthly : Kernel::events;
  o.cancel = &interrupt_.raised;
  for (const auto& name : f.variants) o.variants.push_back(variant_or_usage(s, name, f.file));
  auto thread_limit = limit_threads(f.threads);
  // Refuse to overwrite before spending time on the run.
  // Cooperative before the staging folder exists, so that a signal at any moment after it
  // is made removes it (declared first: the folder is destroyed before the section ends).
  CooperativeSection cooperative(interrupt_);
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
  m.scenario_path = fs::absolute(f.file).lexically_normal().string();
  m.scenario_hash = s.content_hash;
  m.command_line = command_line_;
  m.started_at = started;
  m.seed = analysis->plan.seed;
  m.iterations = analysis->plan.iterations;
  m.threads = analysis->plan.threads;
  m.seconds = analysis->seconds;
  m.central = f.central;
  m.kernel = f.kernel;
  m.formats = f.formats;
  m.lang = f.lang;
  m.trace_households = f.trace;
  m.files = s.files;
  for (int v : analysis->plan.variants)
    if (v > 0) m.variants.push_back(s.variants[v].id);
  write_run_outputs(folder, r, m, &trace);
  if (interrupt_.raised.load()) throw Cancelled();
  folder.commit();
  warn_if_few_iterations(analysis->plan.iterations, f.quiet);
  if (!f.quiet) {
    std::cout << terminal_summary(r, lang);
    std::cout << "\nResults in " << folder.path() << "/ (" << analysis->plan.iterations << " iterations in "
              << static_cast<int>(analysis->seconds * 10) / 10.0 << " s on " << analysis->plan.threads << " threads)\n";
  }
  return 0;
}

int Commands::compare() {
  const auto& f = run_flags_;
  const auto& c = compare_flags_;
  std::vector<std::unique_ptr<Scenario>> scenarios;
  for (const auto& file : c.files) scenarios.push_back(std::make_unique<Scenario>(load_with_population(file)));
  // The account is checked before anything is simulated: a typo costs no run.
  for (const auto& sc : scenarios) (void)account_index(make_accounts(*sc), c.account);
  RunOptions o;
  o.iterations = f.iterations;
  // Several files: the same seed for all, so they share random numbers.
  o.seed = parse_seed(f.seed).value_or(scenarios.front()->run.seed);
  o.has_seed = true;
  o.threads = f.threads;
  o.cancel = &interrupt_.raised;
  auto thread_limit = limit_threads(f.threads);
  // Cooperative before the staging folder exists, so that a signal at any moment after it
  // is made removes it (declared first: the folder is destroyed before the section ends).
  CooperativeSection cooperative(interrupt_);
  OutputFolder folder(f.out.empty() ? "out/" + scenarios.front()->id + "-compare" : f.out, f.force);
  std::vector<std::unique_ptr<Analysis>> analyses;
  std::vector<CompareInput> inputs;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const Scenario& s = *scenarios[k];
    CompareInput in;
    in.file = c.files[k];
    in.scenario = &s;
    for (const auto& name : c.variants)
      if (s.variant_index(name) > 0) in.variants.push_back(s.variant_index(name));
    if (c.variants.empty())
      for (int v = 1; v < static_cast<int>(s.variants.size()); ++v) in.variants.push_back(v);
    RunOptions ok = o;
    ok.variants = in.variants;
    if (in.variants.empty()) continue;
    Progress progress("simulating " + s.id, f.quiet);
    ok.progress = [&](int done, int total) { progress.update(done, total); };
    analyses.push_back(analyse(s, ok));
    in.analysis = analyses.back().get();
    inputs.push_back(in);
  }
  for (const auto& name : c.variants) {
    bool found = false;
    for (const auto& s : scenarios) found = found || s->variant_index(name) > 0;
    if (!found) throw Error(ExitCode::usage, "--variants: no variant '" + name + "' in the files given");
  }
  if (inputs.empty()) throw Error(ExitCode::usage, "nothing to compare: the files have no variants besides the baseline");
  const Comparison cmp = compare_options(inputs, c.account);
  warn_if_few_iterations(cmp.iterations, f.quiet);

  std::string options_csv = "option,rank,p_best,npv_mean,npv_se,npv_p5,npv_p50,npv_p95\n";
  for (const auto& opt : cmp.options)
    options_csv += csv_text(opt.label) + "," + std::to_string(opt.rank) + "," + exact_number(opt.p_best) + "," +
                   exact_number(opt.npv.mean) + "," + exact_number(opt.npv.se) + "," + exact_number(opt.npv.p5) + "," +
                   exact_number(opt.npv.p50) + "," + exact_number(opt.npv.p95) + "\n";
  std::string pairs_csv = "a,b,difference_mean,difference_se,difference_p5,difference_p50,difference_p95,p_a_better\n";
  for (const auto& p : cmp.pairs)
    pairs_csv += csv_text(cmp.options[p.a].label) + "," + csv_text(cmp.options[p.b].label) + "," +
                 exact_number(p.difference.mean) + "," + exact_number(p.difference.se) + "," + exact_number(p.difference.p5) +
                 "," + exact_number(p.difference.p50) + "," + exact_number(p.difference.p95) + "," +
                 exact_number(p.p_a_better) + "\n";
  std::string json = "{\"account\": " + json_string(cmp.account) + ", \"iterations\": " + std::to_string(cmp.iterations) +
                     ", \"expected_value_of_best\": " + json_number(cmp.expected_value_of_best) +
                     ", \"expected_value_with_perfect_information\": " + json_number(cmp.expected_value_perfect_info) +
                     ", \"evpi\": " + json_number(cmp.evpi) + ", \"options\": [";
  for (std::size_t k = 0; k < cmp.options.size(); ++k)
    json += std::string(k ? ", " : "") + "{\"option\": " + json_string(cmp.options[k].label) + ", \"rank\": " +
            std::to_string(cmp.options[k].rank) + ", \"p_best\": " + json_number(cmp.options[k].p_best) +
            ", \"npv_mean\": " + json_number(cmp.options[k].npv.mean) + "}";
  json += "], \"manifest\": {\"engine_version\": " + json_string(engine_version()) + ", \"command_line\": " +
          json_string(command_line_) + ", \"seed\": " + std::to_string(o.seed) + "}}\n";
  folder.write("compare_options.csv", options_csv);
  folder.write("compare_pairs.csv", pairs_csv);
  folder.write("compare.json", json);
  folder.write("compare_report.html", compare_html(cmp, f.lang == "da" ? Language::da : Language::en));
  write_compare_workbook(folder.staging_path() + "/compare.xlsx", cmp);
  if (interrupt_.raised.load()) throw Cancelled();
  folder.commit();
  if (!f.quiet) {
    std::printf("Net present value of '%s', %d iterations on common random numbers\n\n", cmp.account.c_str(), cmp.iterations);
    std::printf("  %-4s %-28s %16s %34s %8s\n", "rank", "option", "expected NPV", "90 % interval", "P(best)");
    std::vector<const Comparison::Option*> sorted;
    for (const auto& opt : cmp.options) sorted.push_back(&opt);
    std::sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return a->rank < b->rank; });
    // One iteration gives no probability: "n/a", not 0 % or 100 %.
    auto share = [&](double p) { return cmp.iterations < 2 ? std::string("n/a") : percent(p); };
    for (const auto* opt : sorted)
      std::printf("  %-4d %s %16s %34s %8s\n", opt->rank, fit(printable(opt->label), 28).c_str(),
                  money_text(opt->npv.mean).c_str(), (money_text(opt->npv.p5) + " to " + money_text(opt->npv.p95)).c_str(),
                  share(opt->p_best).c_str());
    std::printf("\n  Paired differences (a - b):\n");
    for (const auto& p : cmp.pairs)
      std::printf("  %s - %s %14s  (90 %%: %s to %s), a better in %s\n", fit(printable(cmp.options[p.a].label), 22).c_str(),
                  fit(printable(cmp.options[p.b].label), 22).c_str(), money_text(p.difference.mean).c_str(),
                  money_text(p.difference.p5).c_str(), money_text(p.difference.p95).c_str(), share(p.p_a_better).c_str());
    std::printf("\n  Expected value of perfect information: %s\n  Results in %s/\n", money_text(cmp.evpi).c_str(),
                folder.path().c_str());
  }
  return 0;
}

int Commands::sweep() {
  const auto& f = run_flags_;
  const auto& w = sweep_flags_;
  Scenario s = load_with_population(f.file);
  SweepTarget target;
  target.account = w.account;
  if (!w.variant.empty()) target.variant = variant_or_usage(s, w.variant, f.file);
  if (s.variants.size() < 2) throw Error(ExitCode::usage, f.file + " has no variant besides the baseline to value");
  RunOptions o;
  o.iterations = f.iterations;
  const auto seed = parse_seed(f.seed);
  o.has_seed = seed.has_value();
  o.seed = seed.value_or(0);
  o.threads = f.threads;
  o.cancel = &interrupt_.raised;
  auto thread_limit = limit_threads(f.threads);
  for (const auto& p : w.parameters) (void)find_parameter(s, p);
  (void)account_index(make_accounts(s), target.account);
  // Cooperative before the staging folder exists, so that a signal at any moment after it
  // is made removes it (declared first: the folder is destroyed before the section ends).
  CooperativeSection cooperative(interrupt_);
  OutputFolder folder(f.out.empty() ? "out/" + s.id + "-sweep" : f.out, f.force);
  std::string what;
  if (!w.threshold.empty()) {
    const Quantity& q = find_parameter(s, w.threshold);
    double low = w.range.size() == 2 ? w.range[0] : q.dist.quantile(0.01);
    double high = w.range.size() == 2 ? w.range[1] : q.dist.quantile(0.99);
    if (!(low < high)) throw Error(ExitCode::usage, "--range: LOW must be below HIGH");
    const double tol = w.tolerance > 0 ? w.tolerance : (high - low) / 1000.0;
    const Threshold t = threshold(s, o, target, w.threshold, low, high, w.probability, tol);
    std::string csv = "parameter,target_probability,found,value,bracket_low,bracket_high,probability_at_value,"
                      "probability_se,evaluations,note\n";
    csv += csv_text(t.path) + "," + exact_number(t.target_probability) + "," + (t.found ? "true" : "false") + "," +
           exact_number(t.value) + "," + exact_number(t.lower) + "," + exact_number(t.upper) + "," +
           exact_number(t.probability_at_value) + "," + exact_number(t.probability_se) + "," +
           std::to_string(t.evaluations) + "," + csv_text(t.note) + "\n";
    folder.write("threshold.csv", csv);
    char buf[512];
    if (t.found)
      std::snprintf(buf, sizeof buf,
                    "Threshold for %s: %.6g (the answer lies in [%.6g, %.6g]); probability of breaking even there "
                    "%.1f %% +/- %.1f %% (Monte Carlo se), target %.0f %%, %d evaluations%s%s\n",
                    t.path.c_str(), t.value, t.lower, t.upper, 100 * t.probability_at_value, 100 * t.probability_se,
                    100 * t.target_probability, t.evaluations, t.note.empty() ? "" : "; ", t.note.c_str());
    else
      std::snprintf(buf, sizeof buf, "Threshold for %s: not found in [%.6g, %.6g]: %s\n", t.path.c_str(), low, high,
                    t.note.c_str());
    what = buf;
  } else if (!w.grid.empty()) {
    if (w.grid.size() != 2) throw Error(ExitCode::usage, "--grid: give exactly two, as --grid PATH=v1,v2 --grid PATH=v1,v2");
    std::vector<std::string> paths;
    std::vector<std::vector<double>> values;
    for (const auto& spec : w.grid) {
      auto eq = spec.find('=');
      if (eq == std::string::npos) throw Error(ExitCode::usage, "--grid: expected PATH=v1,v2,... got '" + spec + "'");
      paths.push_back(spec.substr(0, eq));
      (void)find_parameter(s, paths.back());
      std::vector<double> v;
      for (const auto& x : split_list(spec.substr(eq + 1))) {
        try {
          v.push_back(std::stod(x));
        } catch (const std::exception&) {
          throw Error(ExitCode::usage, "--grid: '" + x + "' is not a number");
        }
      }
      if (v.empty()) throw Error(ExitCode::usage, "--grid: no values for " + paths.back());
      values.push_back(std::move(v));
    }
    const Grid g = grid(s, o, target, paths[0], values[0], paths[1], values[1]);
    std::string csv = "x_parameter,x,y_parameter,y,npv_mean,npv_se,npv_p5,npv_p95,p_break_even\n";
    for (std::size_t i = 0; i < g.x.size(); ++i)
      for (std::size_t j = 0; j < g.y.size(); ++j) {
        const Valuation& c = g.cells[i][j];
        csv += csv_text(g.path_x) + "," + exact_number(g.x[i]) + "," + csv_text(g.path_y) + "," + exact_number(g.y[j]) +
               "," + exact_number(c.npv.mean) + "," + exact_number(c.npv.se) + "," + exact_number(c.npv.p5) + "," +
               exact_number(c.npv.p95) + "," + exact_number(c.p_break_even) + "\n";
      }
    folder.write("grid.csv", csv);
    std::ostringstream t;
    t << "Expected net present value (" << target.account << "), rows " << g.path_x << ", columns " << g.path_y << "\n";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%14s", "");
    t << buf;
    for (double y : g.y) {
      std::snprintf(buf, sizeof buf, " %14.4g", y);
      t << buf;
    }
    t << "\n";
    for (std::size_t i = 0; i < g.x.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%14.4g", g.x[i]);
      t << buf;
      for (std::size_t j = 0; j < g.y.size(); ++j) {
        std::snprintf(buf, sizeof buf, " %14s", money_text(g.cells[i][j].npv.mean).c_str());
        t << buf;
      }
      t << "\n";
    }
    what = t.str();
  } else {
    const Tornado t = tornado(s, o, target, w.parameters, w.low_quantile, w.high_quantile);
    folder.write("tornado.csv", tornado_csv(t));
    std::ostringstream out;
    out << "One-way sensitivity of the net present value (" << target.account << ", " << s.variants[target.variant].id
        << "); central value " << money_text(t.central.npv.mean) << "\n";
    for (const auto& r : t.rows) {
      char buf[400];
      std::snprintf(buf, sizeof buf, "  %-70s %14s .. %-14s swing %s\n", r.path.substr(0, 70).c_str(),
                    money_text(r.at_low.npv.mean).c_str(), money_text(r.at_high.npv.mean).c_str(),
                    money_text(r.swing).c_str());
      out << buf;
    }
    what = out.str();
  }
  if (interrupt_.raised.load()) throw Cancelled();
  folder.commit();
  if (!f.quiet) std::cout << what << "Results in " << folder.path() << "/\n";
  return 0;
}

int Commands::batch() {
  BatchManifest m = load_batch_manifest(batch_file_);
  BatchOptions o;
  o.output = batch_out_;
  o.cancel = &interrupt_.raised;
  CooperativeSection cooperative(interrupt_); // items are staged; a signal stops between them
  Progress progress("batch", run_flags_.quiet);
  o.progress = [&](int done, int total) { progress.update(done, total); };
  const BatchReport r = run_batch(m, o);
  progress.finish();
  if (!run_flags_.quiet)
    std::cout << "Batch " << m.id << ": " << r.units << " runs, " << r.reused << " reused from an earlier run, "
              << r.computed << " computed now. Results in " << r.output << "/ (batch.csv, batch.json, items/)\n";
  return 0;
}

namespace {

/// The manifest a run recorded in summary.json, field by field.
Manifest recorded_manifest(const YAML::Node& n) {
  auto text = [&](const char* key, const std::string& fallback = {}) {
    return n[key] && n[key].IsScalar() ? n[key].as<std::string>() : fallback;
  };
  Manifest m;
  m.engine_version = text("engine_version");
  m.engine_commit = text("engine_commit");
  m.scenario_file = text("scenario_file");
  m.scenario_hash = text("scenario_hash");
  m.command_line = text("command_line");
  m.started_at = text("started_at");
  m.scenario_path = text("scenario_path");
  m.seed = n["seed"].as<std::uint64_t>();
  m.iterations = n["iterations"].as<int>();
  m.threads = n["threads"] ? n["threads"].as<int>() : 0;
  m.seconds = n["seconds"] && !n["seconds"].IsNull() ? n["seconds"].as<double>() : 0.0;
  m.central = n["central"] && n["central"].as<bool>();
  m.kernel = text("kernel", "events");
  m.formats = text("formats", "csv,json");
  m.lang = text("lang", "en");
  m.trace_households = n["trace_households"] ? n["trace_households"].as<int>() : 0;
  if (n["variants"] && n["variants"].IsSequence())
    for (const auto& v : n["variants"]) m.variants.push_back(v.as<std::string>());
  if (n["files"] && n["files"].IsSequence())
    for (const auto& f : n["files"]) m.files.push_back(f.as<std::string>());
  return m;
}

/// summary.json as data, without its manifest (which records the clock and the threads).
std::string summary_without_manifest(const std::string& json) {
  YAML::Node root = YAML::Load(json);
  if (root.IsMap()) root.remove("manifest");
  YAML::Emitter out;
  out << root;
  return out.c_str();
}

/// The files of a result folder, but its marker.
std::vector<std::string> result_files(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != result_marker) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace

int Commands::reproduce() {
  const fs::path dir(reproduce_dir_);
  const fs::path summary = dir / "summary.json";
  if (auto why = not_a_regular_file(summary.string()))
    throw IoError("'" + summary.string() + "': " + *why + "; reproduce needs a folder written by socinvest run (with json)");
  Manifest m;
  try {
    const YAML::Node root = YAML::Load(read_file(summary.string(), "result summary"));
    if (!root.IsMap() || !root["manifest"] || !root["manifest"].IsMap() || !root["manifest"]["scenario_path"])
      throw IoError("'" + summary.string() + "' has no manifest to reproduce from");
    m = recorded_manifest(root["manifest"]);
  } catch (const YAML::Exception& e) {
    throw IoError("cannot read the manifest in '" + summary.string() + "': " + e.what());
  }
  Scenario s = load_with_population(m.scenario_path);
  if (s.content_hash != m.scenario_hash)
    throw Error(ExitCode::failure, "the scenario has changed since the run: " + m.scenario_path + " now hashes to " +
                                       s.content_hash + ", the results were made from " + m.scenario_hash +
                                       "; nothing to compare");
  check_formats(m.formats);
  RunOptions o;
  o.iterations = m.iterations;
  o.seed = m.seed;
  o.has_seed = true;
  o.threads = run_flags_.threads;
  o.parameters.central = m.central;
  o.kernel = m.kernel == "monthly" ? Kernel::monthly : Kernel::events;
  o.cancel = &interrupt_.raised;
  for (const auto& v : m.variants) o.variants.push_back(variant_or_usage(s, v, m.scenario_path));
  auto thread_limit = limit_threads(run_flags_.threads);
  // Every output is written again, with the recorded manifest, into a scratch folder that is
  // never committed (its destructor removes it), then compared file by file.
  std::error_code ec;
  std::string scratch_parent = (fs::temp_directory_path(ec) / "socinvest-reproduce-XXXXXX").string();
  CooperativeSection cooperative(interrupt_); // before the scratch folder exists (see run)
  if (!::mkdtemp(scratch_parent.data())) throw IoError("cannot create a scratch folder in the temporary folder");
  struct RemoveAfter {
    std::string path;
    ~RemoveAfter() {
      std::error_code e;
      fs::remove_all(path, e);
    }
  } remove_after{scratch_parent};
  Progress progress("re-running", run_flags_.quiet);
  o.progress = [&](int done, int total) { progress.update(done, total); };
  Trace trace;
  trace.households = m.trace_households;
  auto a = analyse(s, o, m.trace_households > 0 ? &trace : nullptr);
  progress.finish();
  OutputFolder again((fs::path(scratch_parent) / "again").string(), false);
  write_run_outputs(again, a->results, m, &trace);
  if (interrupt_.raised.load()) throw Cancelled();

  const std::vector<std::string> old_files = result_files(dir), new_files = result_files(again.staging_path());
  std::vector<std::string> differing;
  for (const auto& name : new_files) {
    const fs::path old_path = dir / name;
    if (not_a_regular_file(old_path.string())) {
      differing.push_back(name + " (missing)");
      continue;
    }
    std::string old_text = read_file(old_path.string(), "result file", std::size_t{1} << 34);
    std::string new_text = read_file((fs::path(again.staging_path()) / name).string(), "result file", std::size_t{1} << 34);
    if (name == "summary.json") {
      try {
        old_text = summary_without_manifest(old_text);
      } catch (const YAML::Exception&) {
        old_text = "(not JSON)";
      }
      new_text = summary_without_manifest(new_text);
    }
    if (old_text != new_text) differing.push_back(name);
  }
  for (const auto& name : old_files)
    if (std::find(new_files.begin(), new_files.end(), name) == new_files.end())
      differing.push_back(name + " (not written by this run)");
  if (!differing.empty()) {
    std::string list;
    for (const auto& d : differing) list += " " + d;
    std::cerr << "NOT reproduced: these files differ from a fresh run:" << list << "\n";
    return static_cast<int>(ExitCode::failure);
  }
  if (!run_flags_.quiet)
    std::cout << "Reproduced: every output is identical, " << new_files.size() << " files (scenario " << m.scenario_hash
              << ", seed " << o.seed << ", " << o.iterations << " iterations)\n";
  return 0;
}

} // namespace socinvest::cli
