#include <socinvest/report/outputs.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/montecarlo/simulate.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/report/workbook.hpp>
#include <socinvest/version.hpp>

#include <algorithm>

namespace socinvest {

OutputFormats every_output_format() {
  OutputFormats all;
  for (const auto& entry : output_format_names) all.push_back(entry.value);
  return all;
}

std::string output_formats_text(const OutputFormats& formats) {
  std::string text;
  for (const auto f : formats) text += (text.empty() ? "" : ",") + std::string(name_of(f));
  return text;
}

std::string output_format_list() {
  std::string text;
  for (const auto& entry : output_format_names) text += (text.empty() ? "" : ", ") + std::string(entry.name);
  return text;
}

OutputFormats parse_output_formats(const std::string& list, const std::string& option) {
  const std::vector<std::string> names = split_list(list);
  if (names.empty())
    throw Error(ExitCode::usage, both_languages(Msg::usage_no_format, {option, output_format_list()}));
  OutputFormats formats;
  for (const auto& name : names) {
    const auto format = value_named<OutputFormat>(name);
    if (!format)
      throw Error(ExitCode::usage, both_languages(Msg::usage_unknown_format, {option, name, output_format_list()}));
    formats.push_back(*format);
  }
  return formats;
}

bool has_format(const OutputFormats& formats, OutputFormat format) {
  return std::find(formats.begin(), formats.end(), format) != formats.end();
}

// --- a run ------------------------------------------------------------------------------

void write_run_format(OutputFormat format, OutputSink& sink, const Results& r, const Manifest& m) {
  // The CSV tables in the run's dialect (--csv): the writers produce the international form.
  const CsvDialect dialect = csv_dialect_named(m.csv).value_or(CsvDialect::international);
  auto table = [&](const std::string& name, const std::string& csv) { sink.write(name, in_dialect(csv, dialect)); };
  switch (format) {
  case OutputFormat::csv:
    table("money.csv", money_csv(r));
    table("money_project_years.csv", money_project_years_csv(r));
    table("outcomes.csv", outcomes_csv(r));
    table("outcomes_project_years.csv", outcomes_project_years_csv(r));
    if (!r.by_attribute.empty()) table("by_attribute.csv", by_attribute_csv(r));
    table("targets.csv", targets_csv(r));
    table("contracts.csv", contracts_csv(r));
    table("flows.csv", flows_csv(r));
    table("per_iteration.csv", per_iteration_csv(r));
    table("budget.csv", budget_csv(r, BudgetPrices::fixed));
    if (r.scenario->run.price_projection.given())
      table("budget_current_prices.csv", budget_csv(r, BudgetPrices::current));
    return;
  case OutputFormat::json:
    sink.write("summary.json", summary_json(r, m));
    return;
  case OutputFormat::html:
    sink.write("report.html", html_report(r, m, m.lang == "da" ? Language::da : Language::en));
    return;
  case OutputFormat::xlsx:
    write_workbook(sink.file_path("results.xlsx"), r, m);
    return;
  case OutputFormat::count:
    break;
  }
  throw Error(ExitCode::failure, "no output format " + std::to_string(static_cast<int>(format)));
}

void write_run_outputs(OutputSink& sink, const Results& r, const Manifest& m, const Trace* trace) {
  for (const auto format : parse_output_formats(m.formats, "formats")) write_run_format(format, sink, r, m);
  if (trace && m.trace_households > 0)
    sink.write("trace.csv", in_dialect(trace_csv(*r.scenario, trace->lines),
                                       csv_dialect_named(m.csv).value_or(CsvDialect::international)));
}

// --- a comparison -----------------------------------------------------------------------

std::string compare_options_csv(const Comparison& cmp) {
  // compare --evidence-shares: one column per figure of summary.json's evidence_shares,
  // named as batch.csv's measures (evidence_share_measures): evidence_npv_all,
  // evidence_npv_none, then for every grade in its enum order, whether an option uses it or
  // not (so the columns do not depend on the scenario), evidence_npv_without_<grade> and
  // evidence_share_<grade>; a cell is empty where the option has no effect of that grade or
  // no share (effects that bring nothing), and on the baseline option's row (it has no
  // effects). Without the flag the columns are as before.
  const bool evidence = std::any_of(cmp.options.begin(), cmp.options.end(), [](const auto& o) { return o.evidence.has_value(); });
  const auto columns = evidence_share_measures(EvidenceShare{}, true);
  std::string csv = "option,rank,p_best,npv_mean,npv_se,npv_p5,npv_p50,npv_p95";
  if (evidence)
    for (const auto& column : columns) csv += "," + column.first;
  csv += "\n";
  for (const auto& opt : cmp.options) {
    csv += csv_text(opt.label) + "," + std::to_string(opt.rank) + "," + exact_number(opt.p_best) + "," +
           exact_number(opt.npv.mean) + "," + exact_number(opt.npv.se) + "," + exact_number(opt.npv.p5) + "," +
           exact_number(opt.npv.p50) + "," + exact_number(opt.npv.p95);
    if (evidence) {
      if (opt.evidence)
        for (const auto& [measure, value] : evidence_share_measures(*opt.evidence, true)) csv += "," + exact_number(value);
      else
        csv += std::string(columns.size(), ',');
    }
    csv += "\n";
  }
  return csv;
}

std::string compare_pairs_csv(const Comparison& cmp) {
  std::string csv = "a,b,difference_mean,difference_se,difference_p5,difference_p50,difference_p95,p_a_better\n";
  for (const auto& p : cmp.pairs)
    csv += csv_text(cmp.options[p.a].label) + "," + csv_text(cmp.options[p.b].label) + "," +
           exact_number(p.difference.mean) + "," + exact_number(p.difference.se) + "," + exact_number(p.difference.p5) + "," +
           exact_number(p.difference.p50) + "," + exact_number(p.difference.p95) + "," + exact_number(p.p_a_better) + "\n";
  return csv;
}

std::string compare_baselines_csv(const Comparison& cmp) {
  std::string csv = "option,baseline,baseline_gross_cost_mean\n";
  for (const auto& b : cmp.baselines)
    for (int k : b.options)
      csv += csv_text(cmp.options[static_cast<std::size_t>(k)].label) + "," + csv_text(b.scenario) + "," +
             exact_number(b.cost.mean) + "\n";
  return csv;
}

std::string compare_json(const Comparison& cmp, const CompareManifest& m) {
  std::string json = "{\"account\": " + json_string(cmp.account) + ", \"iterations\": " + std::to_string(cmp.iterations) +
                     ", \"expected_value_of_best\": " + json_number(cmp.expected_value_of_best) +
                     ", \"expected_value_with_perfect_information\": " + json_number(cmp.expected_value_perfect_info) +
                     ", \"evpi\": " + json_number(cmp.evpi) + ", \"options\": [";
  for (std::size_t k = 0; k < cmp.options.size(); ++k)
    json += std::string(k ? ", " : "") + "{\"option\": " + json_string(cmp.options[k].label) + ", \"rank\": " +
            std::to_string(cmp.options[k].rank) + ", \"p_best\": " + json_number(cmp.options[k].p_best) +
            ", \"npv_mean\": " + json_number(cmp.options[k].npv.mean) +
            (cmp.options[k].evidence ? ", \"evidence_shares\": " + evidence_share_json(*cmp.options[k].evidence) : "") + "}";
  json += "]";
  // Several files: the baselines the options are valued against (one when shared).
  if (cmp.files > 1) {
    json += ", \"shared_baseline\": " + std::string(cmp.shared_baseline() ? "true" : "false") + ", \"baselines\": [";
    for (std::size_t b = 0; b < cmp.baselines.size(); ++b) {
      json += std::string(b ? ", " : "") + "{\"baseline\": " + json_string(cmp.baselines[b].scenario) +
              ", \"gross_cost_mean\": " + json_number(cmp.baselines[b].cost.mean) + ", \"options\": [";
      for (std::size_t k = 0; k < cmp.baselines[b].options.size(); ++k)
        json += std::string(k ? ", " : "") +
                json_string(cmp.options[static_cast<std::size_t>(cmp.baselines[b].options[k])].label);
      json += "]}";
    }
    json += "]";
  }
  // The kernel changes the figures, so it is recorded with the seed.
  json += ", \"manifest\": {\"engine_version\": " + json_string(engine_version()) + ", \"command_line\": " +
          json_string(m.command_line) + ", \"seed\": " + std::to_string(m.seed) + ", \"kernel\": " + json_string(m.kernel) +
          ", \"simulations\": " + std::to_string(m.simulated) + ", \"re_priced\": " + std::to_string(m.repriced) + "}}\n";
  return json;
}

void write_compare_format(OutputFormat format, OutputSink& sink, const Comparison& cmp, const CompareManifest& m,
                          Language lang) {
  switch (format) {
  case OutputFormat::csv:
    sink.write("compare_options.csv", compare_options_csv(cmp));
    sink.write("compare_pairs.csv", compare_pairs_csv(cmp));
    if (cmp.files > 1) sink.write("compare_baselines.csv", compare_baselines_csv(cmp)); // which baseline each option is against
    return;
  case OutputFormat::json:
    sink.write("compare.json", compare_json(cmp, m));
    return;
  case OutputFormat::html:
    sink.write("compare_report.html", compare_html(cmp, lang));
    return;
  case OutputFormat::xlsx:
    write_compare_workbook(sink.file_path("compare.xlsx"), cmp, lang);
    return;
  case OutputFormat::count:
    break;
  }
  throw Error(ExitCode::failure, "no output format " + std::to_string(static_cast<int>(format)));
}

// --- a batch ----------------------------------------------------------------------------

namespace {
constexpr const char* batch_csv_file = "batch.csv";
constexpr const char* batch_json_file = "batch.json";
} // namespace

void write_batch_format(OutputFormat format, OutputSink& sink, const BatchTables& b) {
  switch (format) {
  case OutputFormat::csv:
    sink.write(batch_csv_file, b.csv);
    return;
  case OutputFormat::json:
    sink.write(batch_json_file, b.json);
    return;
  case OutputFormat::html:
    sink.write("batch_report.html", batch_html(b.csv, b.title, b.lang, b.tornado_csv, b.variant_titles));
    return;
  case OutputFormat::xlsx:
    write_batch_workbook(sink.file_path("batch.xlsx"), b.csv, b.lang, b.variant_titles);
    return;
  case OutputFormat::count:
    break;
  }
  throw Error(ExitCode::failure, "no output format " + std::to_string(static_cast<int>(format)));
}

std::vector<std::string> batch_data_files(const OutputFormats& formats) {
  std::vector<std::string> files;
  for (const auto& entry : output_format_names)
    if (has_format(formats, entry.value)) {
      if (entry.value == OutputFormat::csv) files.emplace_back(batch_csv_file);
      if (entry.value == OutputFormat::json) files.emplace_back(batch_json_file);
      if (entry.value == OutputFormat::html) files.emplace_back("batch_report.html");
      if (entry.value == OutputFormat::xlsx) files.emplace_back("batch.xlsx");
    }
  return files;
}

} // namespace socinvest
