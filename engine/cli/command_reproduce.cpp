// socinvest reproduce DIR: re-runs a finished result folder from its manifest alone (the
// scenario, seed, iterations, variants, kernel, threads, formats, language and --trace it
// recorded), writes every output again into a scratch folder and compares them all.
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/shared.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/decision/evidence.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/files.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace socinvest::cli {

namespace {

namespace fs = std::filesystem;

struct Flags {
  std::string dir;
  RunFlags run; ///< --threads and --quiet; the rest comes from the manifest
};

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
  m.budget_year = n["budget_year"] ? n["budget_year"].as<int>() : 0;
  m.neutralise_transfers = n["neutralise_transfers"] && n["neutralise_transfers"].as<bool>();
  m.evidence_shares = n["evidence_shares"] && n["evidence_shares"].as<bool>();
  m.budget_prices = text("budget_prices", "fixed");
  m.csv = text("csv", "international");
  if (n["variants"] && n["variants"].IsSequence())
    for (const auto& v : n["variants"]) m.variants.push_back(v.as<std::string>());
  if (n["files"] && n["files"].IsSequence())
    for (const auto& f : n["files"]) m.files.push_back(f.as<std::string>());
  return m;
}

/// The run's flags as the manifest recorded them; only --threads may be given again (it
/// does not change the results, and the recording machine may have had more cores).
RunFlags recorded_flags(const Manifest& m, const RunFlags& given) {
  RunFlags f;
  f.iterations = m.iterations;
  f.seed = std::to_string(m.seed);
  f.threads = given.threads > 0 ? given.threads : m.threads;
  f.kernel = m.kernel;
  f.central = m.central;
  f.formats = m.formats;
  f.lang = m.lang;
  f.budget_year = m.budget_year;
  f.neutralise_transfers = m.neutralise_transfers;
  f.budget_prices = m.budget_prices;
  f.csv = m.csv;
  f.quiet = given.quiet;
  return f;
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

int reproduce(const Flags& flags, const Context& context) {
  const fs::path dir(flags.dir);
  const fs::path summary = dir / "summary.json";
  if (auto why = not_a_regular_file(summary.string()))
    throw IoError(both_languages(Msg::reproduce_no_summary, {summary.string(), *why}));
  Manifest m;
  try {
    const YAML::Node root = YAML::Load(read_file(summary.string(), both_languages(Msg::file_what_result_summary)));
    if (!root.IsMap() || !root["manifest"] || !root["manifest"].IsMap() || !root["manifest"]["scenario_path"])
      throw IoError(both_languages(Msg::reproduce_no_manifest, {summary.string()}));
    m = recorded_manifest(root["manifest"]);
  } catch (const YAML::Exception& e) {
    throw IoError(both_languages(Msg::reproduce_bad_manifest, {summary.string(), e.what()}));
  }
  // A kernel this engine does not know cannot be re-run: say so rather than reproduce with
  // another kernel and report a difference that is not one.
  if (!kernel_named(m.kernel)) {
    std::string known;
    for (const auto& [kernel, name] : kernel_names) known += (known.empty() ? "" : ", ") + std::string(name);
    throw IoError(both_languages(Msg::reproduce_unknown_kernel, {summary.string(), m.kernel, known}));
  }
  Scenario s = load_with_population(m.scenario_path);
  // An override that drops list items, as `run` said it when the results were made.
  print_load_warnings(s, flags.run.quiet, context.lang);
  if (s.content_hash != m.scenario_hash)
    throw Error(ExitCode::failure,
                both_languages(Msg::reproduce_scenario_changed, {m.scenario_path, s.content_hash, m.scenario_hash}));
  const RunFlags f = recorded_flags(m, flags.run);
  (void)formats(f);
  RunOptions o = run_options(f, context.interrupt);
  for (const auto& v : m.variants) o.variants.push_back(variant_or_usage(s, v, m.scenario_path));
  auto thread_limit = limit_threads(f.threads);
  // Every output is written again, with the recorded manifest, into a scratch folder that is
  // never committed (its destructor removes it), then compared file by file.
  std::error_code ec;
  std::string scratch_parent = (fs::temp_directory_path(ec) / "socinvest-reproduce-XXXXXX").string();
  // Cooperative before the scratch folder exists, so that a signal at any moment after it
  // is made removes it.
  CooperativeSection cooperative(context.interrupt);
  if (!::mkdtemp(scratch_parent.data())) throw IoError(both_languages(Msg::reproduce_no_scratch));
  struct RemoveAfter {
    std::string path;
    ~RemoveAfter() {
      std::error_code e;
      fs::remove_all(path, e);
    }
  } remove_after{scratch_parent};
  Progress progress(T(language(f, s), Msg::progress_rerunning), f.quiet, language(f, s));
  o.progress = [&](int done, int total) { progress.update(done, total); };
  Trace trace;
  trace.households = m.trace_households;
  auto a = analyse(s, o, m.trace_households > 0 ? &trace : nullptr);
  if (m.evidence_shares) a->results.evidence_shares = evidence_shares(s, o, a->results);
  progress.finish();
  OutputFolder again((fs::path(scratch_parent) / "again").string(), false);
  write_run_outputs(again, a->results, m, &trace);
  if (context.interrupt.raised.load()) throw Cancelled();

  const std::vector<std::string> old_files = result_files(dir), new_files = result_files(again.staging_path());
  std::vector<std::string> differing;
  for (const auto& name : new_files) {
    const fs::path old_path = dir / name;
    if (not_a_regular_file(old_path.string())) {
      differing.push_back(name + " (missing)");
      continue;
    }
    std::string old_text = read_file(old_path.string(), both_languages(Msg::file_what_result_file), std::size_t{1} << 34);
    std::string new_text = read_file((fs::path(again.staging_path()) / name).string(), both_languages(Msg::file_what_result_file), std::size_t{1} << 34);
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
    std::cerr << format_message(context.lang, Msg::reproduce_differs, {list}) << "\n";
    return static_cast<int>(ExitCode::failure);
  }
  if (!f.quiet)
    std::cout << format_message(context.lang, Msg::reproduce_identical,
                                {std::to_string(new_files.size()), m.scenario_hash, std::to_string(o.seed),
                                 std::to_string(o.iterations)})
              << "\n";
  return 0;
}

} // namespace

Command add_reproduce_command(CLI::App& app, const Context& context) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("reproduce", T(context.lang, Msg::help_reproduce));
  sub->add_option("dir", f->dir, T(context.lang, Msg::help_reproduce_dir))->required();
  add_run_options(*sub, f->run, RunOption::threads | RunOption::quiet, context.lang);
  sub->get_option("--threads")->description(T(context.lang, Msg::help_reproduce_threads));
  return {sub, [f, &context] { return reproduce(*f, context); }};
}

} // namespace socinvest::cli
