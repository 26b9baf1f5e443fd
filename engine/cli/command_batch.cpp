// socinvest batch MANIFEST: many scenarios, variants, seeds and sweeps into one folder,
// resumable (batch/batch.hpp).
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/shared.hpp"

#include <socinvest/batch/batch.hpp>
#include <socinvest/scenario/loader.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

namespace socinvest::cli {

namespace {

struct Flags {
  std::string manifest;
  RunFlags run;
};

/// The scenarios' own language (run.lang) when every scenario of the batch gives the same,
/// else none: one batch report speaks one language. A scenario that does not load is left
/// to run_batch, which reports every problem of every scenario at once.
std::optional<Language> scenarios_language(const BatchManifest& m) {
  std::optional<Language> common;
  std::set<std::string> seen;
  for (const auto& item : m.items) {
    if (!seen.insert(item.scenario_file).second) continue;
    std::optional<Language> own;
    try {
      own = load_scenario(item.scenario_file).run.lang;
    } catch (const InvalidInput&) {
      continue;
    }
    if (!own || (common && *common != *own)) return std::nullopt;
    common = own;
  }
  return common;
}

int batch(const Flags& flags, const Context& context) {
  const RunFlags& f = flags.run;
  BatchOptions o;
  o.formats = formats(f); // a bad --format costs no loading
  BatchManifest m = load_batch_manifest(flags.manifest);
  o.output = f.out;
  // The same translation as every other command; of it a batch takes the kernel (each item
  // has its own seed and iterations, and runs on one thread).
  o.kernel = run_options(f, context.interrupt).kernel;
  o.lang = language(f, scenarios_language(m));
  o.cancel = &context.interrupt.raised;
  // Under MPI (context.ranks) the ranks compute the missing items in turn; rank 0 alone
  // prints and writes the consolidated files (batch/batch.hpp).
  o.ranks = context.ranks;
  const bool quiet = f.quiet || !context.writes();
  // An override that drops list items, as `run` says it: once per scenario file.
  o.loaded = [&](const Scenario& s) { print_load_warnings(s, quiet, language(f)); };
  // --threads limits how many items are computed at once.
  auto thread_limit = limit_threads(f.threads);
  CooperativeSection cooperative(context.interrupt); // items are staged; a signal stops between them
  Progress progress(T(o.lang, Msg::progress_batch), quiet, o.lang);
  o.progress = [&](int done, int total) { progress.update(done, total); };
  const BatchReport r = run_batch(m, o);
  progress.finish();
  if (!quiet) {
    // The data files written, then items/.
    std::string files;
    for (const auto& name : batch_data_files(o.formats)) files += name + ", ";
    std::cout << format_message(o.lang, Msg::batch_done,
                                {m.id, std::to_string(r.units), std::to_string(r.reused), std::to_string(r.computed),
                                 r.output, files})
              << "\n";
  }
  return 0;
}

} // namespace

Command add_batch_command(CLI::App& app, const Context& context) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("batch", T(context.lang, Msg::help_batch));
  sub->add_option("manifest", f->manifest, T(context.lang, Msg::help_batch_manifest))->required();
  using O = RunOption;
  // The manifest gives each item's seeds and iterations; an existing folder is resumed, so
  // there is no --force.
  add_run_options(*sub, f->run, O::threads | O::kernel | O::out | O::format | O::lang | O::quiet, context.lang,
                  T(context.lang, Msg::help_batch_out_default));
  return {sub, [f, &context] { return batch(*f, context); }};
}

} // namespace socinvest::cli
