#pragma once
// The output formats (--format) and, for each kind of result, the files each format
// writes. This is the one place for a format: its name is an entry in OutputFormat and
// output_format_names (parsing, the --format help, the allowed list in messages and the
// default all come from the table), and what it writes is one case in each write_*_format
// switch below. The switches have no `default:`, so a new format that some kind of result
// does not handle yet is a -Wswitch warning (an error in CI).
//
// Kinds of result: a run (run, reproduce), a comparison (compare) and a batch (batch).
// `sweep` writes one CSV table whatever the format and is not here.
#include <socinvest/decision/compare.hpp>
#include <socinvest/ledger/results.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/output_folder.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/scenario/enum_names.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace socinvest {

enum class OutputFormat { csv, json, html, xlsx, count };
inline constexpr std::array<EnumName<OutputFormat>, 4> output_format_names{{
    {OutputFormat::csv, "csv"},   // tidy tables in long format (README: Output files)
    {OutputFormat::json, "json"}, // one summary with the manifest
    {OutputFormat::html, "html"}, // a self-contained report page
    {OutputFormat::xlsx, "xlsx"}, // an Excel workbook
}};
constexpr const auto& enum_names(OutputFormat) { return output_format_names; }
static_assert(names_every_value(output_format_names));

using OutputFormats = std::vector<OutputFormat>;

/// Every format, in the table's order: what --format defaults to.
OutputFormats every_output_format();
/// The formats as --format and the manifest write them: "csv,json".
std::string output_formats_text(const OutputFormats& formats);
/// The allowed names joined by ", " (for help and messages): "csv, json, html, xlsx".
std::string output_format_list();
/// A comma-separated list ("csv,,json" skips the empty entry). Throws Error (usage) naming
/// `option` and the allowed formats when the list is empty or names an unknown format.
OutputFormats parse_output_formats(const std::string& list, const std::string& option = "--format");
[[nodiscard]] bool has_format(const OutputFormats& formats, OutputFormat format);

// --- a run ------------------------------------------------------------------------------

/// What `format` writes for a run.
void write_run_format(OutputFormat format, OutputSink& sink, const Results& results, const Manifest& manifest);
/// Every output of a run, for the formats the manifest names, and trace.csv when the run
/// traced households: what `run` writes and what `reproduce` writes again from the manifest.
void write_run_outputs(OutputSink& sink, const Results& results, const Manifest& manifest, const Trace* trace);

// --- a comparison -----------------------------------------------------------------------

/// How a comparison was made (compare.json's manifest).
struct CompareManifest {
  std::string command_line;
  std::uint64_t seed = 0;
  std::string kernel;
  /// Scenario files simulated and re-priced from another's kept simulation (compare.json's
  /// manifest: "simulations", "re_priced").
  int simulated = 0, repriced = 0;
};
std::string compare_options_csv(const Comparison& comparison);
std::string compare_pairs_csv(const Comparison& comparison);
/// Each option (but doing nothing) with the baseline it is valued against and that
/// baseline's cost of services over the horizon (compare_baselines.csv, written when several
/// files are compared).
std::string compare_baselines_csv(const Comparison& comparison);
std::string compare_json(const Comparison& comparison, const CompareManifest& manifest);
/// What `format` writes for a comparison.
void write_compare_format(OutputFormat format, OutputSink& sink, const Comparison& comparison,
                          const CompareManifest& manifest, Language lang);

// --- a batch ----------------------------------------------------------------------------

/// A finished batch: batch.csv and batch.json as text (every other format is built from
/// the CSV text alone, so a resumed batch writes the same bytes).
struct BatchTables {
  std::string csv, json;
  std::string title;
  Language lang = Language::en;
  std::map<std::string, std::string> tornado_csv; ///< by item key: the tornado.csv of a tornado item
  std::map<std::string, Text> variant_titles;     ///< by "scenario file\nvariant id": titles to show (batch_html, batch.xlsx)
};
/// What `format` writes for a batch.
void write_batch_format(OutputFormat format, OutputSink& sink, const BatchTables& batch);
/// The files a batch writes for `formats`: "batch.csv", "batch.json", "batch_report.html",
/// "batch.xlsx" (the closing line names them).
std::vector<std::string> batch_data_files(const OutputFormats& formats);

} // namespace socinvest
