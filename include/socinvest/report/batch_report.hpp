#pragma once
// The report formats of `batch` and `compare`: a self-contained HTML page (the look of
// html_report: no scripts, charts as inline SVG, every text escaped) and an Excel workbook
// (numbers as numbers in kr. formats, frozen headers, text never a formula), for pasting
// into a fund application.
//
// The batch formats are built from the text of batch.csv alone, and the workbooks carry a
// fixed creation time, so equal input gives byte-identical files: a resumed batch writes the
// same batch_report.html and batch.xlsx as an uninterrupted one.
//
// Charts: <svg class="chart" data-chart="batch-npv"> (each item × variant's net present
// value: the 5-95 % interval as a bar, the mean as a dot) and data-chart="compare-npv" (each
// option's interval, in rank order).
#include <socinvest/decision/compare.hpp>
#include <socinvest/report/format.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace socinvest {

/// An item's evidence shares (a batch item with `evidence_shares: true`) as rows of its
/// headline.csv and so of batch.csv, by measure name, per variant: evidence_npv_all,
/// evidence_npv_none, and per grade the variant has effects of evidence_npv_without_<grade>
/// and evidence_share_<grade> (a share; the others in kr.). The batch's reports and batch.json
/// read them back by these names (evidence_share_from_measure), so one list says them.
/// `every_grade`: the two figures of every grade, in enum order, NaN for a grade the variant
/// has no effect of (the columns of compare_options.csv).
std::vector<std::pair<std::string, double>> evidence_share_measures(const EvidenceShare& share, bool every_grade = false);

/// The inverse, one row at a time: a row `measure` = `value` of evidence_share_measures into
/// `share` (made on its first row, its other figures NaN until their rows come). The share
/// rows are recognised but not read: the share is computed again from the net present values,
/// as EvidenceShare::share does, so it is the written one. False for any other measure.
bool evidence_share_from_measure(std::optional<EvidenceShare>& share, std::string_view measure, double value);

/// The evidence shares in a table of rows (columns variant, measure, mean, in any order: a
/// batch item's headline.csv), by variant id, in the order of each variant's first
/// evidence-share row; empty when it has none. Throws Error when a column is missing.
std::vector<std::pair<std::string, EvidenceShare>> evidence_shares_in(const std::string& csv_text);

/// The batch report page from the text of batch.csv (columns item, label, scenario, kind,
/// seed, iterations, key, variant, measure, mean, se, p5, p50, p95, in any order). Tables of
/// the net present values (with 90 % intervals) and of the chances of breaking even, one row
/// per item, seed and variant; a chart of each item × variant's interval, averaged over its
/// seeds. Throws Error when a column is missing. `tornado_csv` holds, by item key, the
/// tornado.csv of each item of kind tornado: its largest drivers are shown in a section of
/// their own (an item whose key is not there is left out of it). `variant_titles` holds, by
/// scenario file and variant id ("file\nvariant"), the titles of variants that have one: they
/// are shown instead of the id. A run with evidence-share rows (evidence_share_measures) gets
/// a sentence in a section on how much of the result rests on each evidence grade.
std::string batch_html(const std::string& batch_csv_text, const std::string& title, Language lang = Language::en,
                       const std::map<std::string, std::string>& tornado_csv = {},
                       const std::map<std::string, Text>& variant_titles = {});

/// The batch as a workbook: "Batch" (the rows of batch.csv, numbers as numbers) and
/// "Summary" (per label × variant the mean over seeds of the net present value and of the
/// chance of breaking even), with an "Evidence" sheet when batch.csv has evidence-share rows
/// (per run, variant and grade: the share and what is lost without it). Written to a temporary file beside `path`, then renamed; throws
/// IoError when it cannot be written (no partial file is left behind then).
/// Its variants are shown by their titles (`variant_titles`, as batch_html), their ids in a
/// last column.
void write_batch_workbook(const std::string& path, const std::string& batch_csv_text, Language lang = Language::en,
                          const std::map<std::string, Text>& variant_titles = {});

/// Option k of a comparison as a reader sees it: the baseline (option 0, the do-nothing
/// option) in `lang`, the others by their label.
std::string option_label(const Comparison& comparison, int k, Language lang = Language::en);

/// Baseline b of a comparison as a reader sees it (Comparison::baselines): its scenario's
/// id, with its title in `lang` when it has one of its own.
std::string baseline_label(const Comparison& comparison, int b, Language lang = Language::en);

/// The options valued against baseline b, as a reader sees them, separated by ", ".
std::string baseline_options(const Comparison& comparison, int b, Language lang = Language::en);

/// The comparison page: the ranking with the probability that each option is best, a chart
/// of each option's net present value, the paired differences with their intervals and the
/// expected value of perfect information.
std::string compare_html(const Comparison& comparison, Language lang = Language::en);

/// The comparison as a workbook: "Ranking", "Paired differences" and "Value of information",
/// and "Baselines" when the files price the baseline differently.
/// Written like write_batch_workbook.
void write_compare_workbook(const std::string& path, const Comparison& comparison, Language lang = Language::en);

} // namespace socinvest
