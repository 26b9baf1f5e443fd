#pragma once
// Batches: many scenario files, variants, seeds and sweeps run into one output folder, for
// a fund application. Resumable: each item's results are keyed by the scenario's content
// hash, the kind of item, its variants, seed and iterations, the kernel and the engine that
// computes them (commit and build flags: see engine_identity()); they are
// written atomically and checked (checksums) before reuse, so a rerun after an interruption
// (Ctrl-C, a killed process, a full disk) finishes only what is missing and never corrupts
// or loses a finished result.
#include <socinvest/distributed/ranks.hpp>
#include <socinvest/montecarlo/simulate.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/outputs.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace socinvest {

struct BatchItem {
  std::string label;
  std::string scenario_file; ///< resolved relative to the manifest
  std::string kind = "run";  ///< run | tornado
  std::vector<std::string> variants; ///< empty: all
  std::vector<std::uint64_t> seeds;  ///< empty: the scenario's seed
  int iterations = 0;                ///< 0: the manifest's default, else the scenario's
  /// `evidence_shares: true` (else the manifest's): also how much of each variant's net
  /// present value rests on each evidence grade, as run --evidence-shares measures it (more
  /// runs of the item, on its one thread), in its headline.csv and so in batch.csv and the
  /// reports (evidence_share_measures). Part of the item's key when on.
  std::optional<bool> evidence_shares;
};

struct BatchManifest {
  std::string file;
  std::string id;
  std::string output; ///< resolved relative to the manifest
  int iterations = 0;
  bool evidence_shares = false; ///< the items' default (BatchItem::evidence_shares)
  std::vector<BatchItem> items;
};

/// Reads and validates a batch manifest (errors as file:line:column: key.path: message).
BatchManifest load_batch_manifest(const std::string& path);
/// The same from text (for tests and the fuzz target); `path` is used in messages, and the
/// scenarios and the output folder resolve relative to its folder.
BatchManifest load_batch_manifest_text(const std::string& text, const std::string& path);

struct BatchOptions {
  std::string output; ///< overrides the manifest's
  /// How every item is simulated. It changes the results, so it is part of every item's key
  /// and recorded in its item.json.
  Kernel kernel = Kernel::events;
  /// The language of batch_report.html. The reports are made from batch.csv, so it is not
  /// part of an item's key: a resumed batch may be reported in another language.
  Language lang = Language::en;
  /// Which consolidated files to write: csv (batch.csv), json (batch.json), html
  /// (batch_report.html), xlsx (batch.xlsx). The items' own files are always written: a
  /// resumed batch reuses them whatever was asked for the first time.
  OutputFormats formats = every_output_format();
  const std::atomic<bool>* cancel = nullptr;
  /// What computes the results (part of every item's key); empty: this engine's
  /// engine_identity(). Tests set it to stand for another build.
  std::string engine_identity;
  /// Called once per scenario file of the manifest, when it has loaded (before anything
  /// runs; every item of that file shares it): the command prints its warnings
  /// (Scenario::warnings) through it. Empty: nothing is said.
  std::function<void(const Scenario&)> loaded;
  /// (units done, units total) after each unit; from worker threads.
  std::function<void(int, int)> progress;
  /// The ranks of an MPI job (distributed/ranks.hpp), null when alone: rank 0 decides which
  /// units are missing, the ranks compute them in turn (unit k of the missing ones on rank
  /// k mod ranks), each writing its items into the output folder (which all ranks must see:
  /// a shared file system), and rank 0 alone checks every item and writes the consolidated
  /// files. Every item is computed on one thread, whoever computes it, so the outputs are
  /// the same bytes for any number of ranks.
  Ranks* ranks = nullptr;
};

struct BatchReport {
  int units = 0;    ///< distinct (item, seed) runs; identical ones are run once
  int reused = 0;   ///< found complete and intact
  int computed = 0; ///< run now
  std::string output;
};

/// Runs what is missing, then writes the consolidated batch.csv and batch.json.
BatchReport run_batch(const BatchManifest& manifest, const BatchOptions& options);

} // namespace socinvest
