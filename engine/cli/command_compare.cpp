// socinvest compare FILE...: the variants of one file, or of several files (each variant
// valued against its own file's baseline; the files' baselines may differ in prices only),
// on common random numbers: ranking, probability of being best, paired differences and the
// expected value of perfect information.
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/shared.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/decision/compare.hpp>
#include <socinvest/decision/evidence.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/ledger/accounts.hpp>
#include <socinvest/report/batch_report.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/report/outputs.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/version.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

namespace socinvest::cli {

namespace {

struct Flags {
  std::vector<std::string> files;
  RunFlags run;
  std::vector<std::string> variants;
  std::string account = "total";
  double reprice_memory_mib = 512; ///< the most a kept simulation may hold, in MiB
  bool evidence_shares = false;    ///< as run's: more runs, so asked for
};

/// What compare did: scenario files simulated, and re-priced from an earlier file's kept
/// simulation (same_simulation: they differ only in prices).
struct CompareWork {
  int scenarios = 0, simulated = 0, repriced = 0;
  std::size_t kept_bytes = 0;
  bool over_limit = false;
};

std::string work_line(const CompareWork& w, Language lang) {
  if (w.repriced == 0 && !w.over_limit)
    return format_message(lang, Msg::compare_work_simulated, {std::to_string(w.scenarios), std::to_string(w.simulated)});
  char mib[32];
  std::snprintf(mib, sizeof mib, "%.1f", static_cast<double>(w.kept_bytes) / (1024.0 * 1024.0));
  return format_message(lang, Msg::compare_work_line,
                        {std::to_string(w.scenarios), std::to_string(w.simulated), std::to_string(w.repriced), mib,
                         w.over_limit ? T(lang, Msg::compare_work_too_large) : ""});
}

/// `text` in lines of at most 88 terminal columns, indented by two spaces (the lines after
/// the first by `hanging` more, so that an item of a list reads as one).
void print_wrapped(const std::string& text, std::size_t hanging = 0) {
  std::string line;
  std::size_t at = 0;
  bool first = true;
  auto flush = [&] {
    std::printf("  %s%s\n", first ? "" : std::string(hanging, ' ').c_str(), line.c_str());
    line.clear();
    first = false;
  };
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    if (!line.empty() && (first ? 0 : hanging) + display_width(line) + 1 + display_width(word) > 86) flush();
    line += (line.empty() ? "" : " ") + word;
    at = end + 1;
  }
  if (!line.empty()) flush();
}

/// Several files: which baseline the options are valued against. One shared baseline is
/// said in a line; baselines priced differently get what that means for reading the table
/// and each baseline's cost with the options valued against it.
void print_baselines(const Comparison& cmp, Language lang) {
  if (cmp.files < 2 || cmp.baselines.empty()) return;
  std::printf("\n");
  if (cmp.shared_baseline()) {
    print_wrapped(format_message(lang, Msg::compare_baseline_shared, {money_short(cmp.baselines.front().cost.mean, lang)}));
    return;
  }
  print_wrapped(T(lang, Msg::compare_baselines_differ));
  for (int b = 0; b < static_cast<int>(cmp.baselines.size()); ++b)
    print_wrapped(printable(format_message(lang, Msg::compare_baseline_line,
                                           {baseline_label(cmp, b, lang),
                                            money_short(cmp.baselines[static_cast<std::size_t>(b)].cost.mean, lang),
                                            baseline_options(cmp, b, lang)})),
                  4);
  // What a reader comparing price assumptions asks first: how much the other prices change
  // each variant's net present value (the later file's less the earlier's).
  const std::vector<int> same = cmp.same_variant_pairs();
  if (same.empty()) return;
  print_wrapped(T(lang, Msg::compare_same_variant_heading));
  for (int k : same) {
    const Comparison::Pair& p = cmp.pairs[static_cast<std::size_t>(k)];
    const Comparison::Option &a = cmp.options[static_cast<std::size_t>(p.a)], &b = cmp.options[static_cast<std::size_t>(p.b)];
    const std::string name = b.variant_title.empty() ? b.variant : b.variant_title.in(lang);
    print_wrapped(printable(format_message(
                      lang, Msg::compare_same_variant_line,
                      {name, cmp.baselines[static_cast<std::size_t>(b.baseline)].scenario,
                       cmp.baselines[static_cast<std::size_t>(a.baseline)].scenario, money_short(-p.difference.mean, lang),
                       money_short(-p.difference.p95, lang), money_short(-p.difference.p5, lang)})),
                  4);
  }
}

void print_comparison(const Comparison& cmp, Language lang, const std::string& folder, const std::string& work) {
  auto money = [&](double v) { return money_short(v, lang); };
  // Right-aligned in `width` terminal columns (printf's %16s counts bytes, not letters).
  auto right = [](const std::string& text, std::size_t width) {
    const std::size_t w = display_width(text);
    return (w < width ? std::string(width - w, ' ') : std::string()) + text;
  };
  std::printf("%s\n\n", format_message(lang, Msg::compare_heading, {cmp.account, std::to_string(cmp.iterations)}).c_str());
  std::printf("  %s %s %s %s %s\n", fit(T(lang, Msg::compare_rank), 4).c_str(), fit(T(lang, Msg::compare_option), 28).c_str(),
              right(T(lang, Msg::compare_expected_npv), 16).c_str(), right(T(lang, Msg::n90_interval), 34).c_str(),
              right(T(lang, Msg::compare_p_best), 8).c_str());
  std::vector<const Comparison::Option*> sorted;
  for (const auto& opt : cmp.options) sorted.push_back(&opt);
  std::sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return a->rank < b->rank; });
  // One iteration gives no probability: "n/a", not 0 % or 100 %.
  auto share = [&](double p) { return cmp.iterations < 2 ? std::string(T(lang, Msg::n_a)) : percent(p, lang); };
  for (const auto* opt : sorted)
    std::printf("  %-4d %s %s %s %s\n", opt->rank, fit(printable(option_label(cmp, static_cast<int>(opt - cmp.options.data()), lang)), 28).c_str(), right(money(opt->npv.mean), 16).c_str(),
                right(money(opt->npv.p5) + T(lang, Msg::to) + money(opt->npv.p95), 34).c_str(), right(share(opt->p_best), 8).c_str());
  print_baselines(cmp, lang);
  std::printf("\n  %s\n", T(lang, Msg::compare_paired_differences));
  for (const auto& p : cmp.pairs)
    std::printf("  %s - %s %s  %s\n", fit(printable(option_label(cmp, p.a, lang)), 22).c_str(),
                fit(printable(option_label(cmp, p.b, lang)), 22).c_str(), right(money(p.difference.mean), 14).c_str(),
                format_message(lang, Msg::compare_pair_interval,
                               {money(p.difference.p5), money(p.difference.p95), share(p.p_a_better)}).c_str());
  // --evidence-shares: each option's in the one wording of run's summary.
  bool heading = false;
  for (std::size_t k = 0; k < cmp.options.size(); ++k) {
    if (!cmp.options[k].evidence) continue;
    if (!heading) std::printf("\n  %s\n", T(lang, Msg::wb_evidence_shares_title));
    heading = true;
    std::printf("%s", evidence_share_lines(*cmp.options[k].evidence, lang,
                                           printable(option_label(cmp, static_cast<int>(k), lang)))
                          .c_str());
  }
  std::printf("\n  %s%s\n", T(lang, Msg::compare_evpi), money(cmp.evpi).c_str());
  if (!work.empty()) std::printf("  %s\n", work.c_str());
  std::printf("  %s\n", format_message(lang, Msg::results_in_folder, {folder}).c_str());
}

int compare(const Flags& c, const Context& context) {
  const RunFlags& f = c.run;
  const OutputFormats wanted = formats(f); // a bad --format costs no loading
  // Under MPI (context.ranks) every rank simulates its share of each file's iterations;
  // rank 0 alone prints, gathers, compares and writes.
  const bool writes = context.writes();
  std::vector<std::unique_ptr<Scenario>> scenarios;
  for (const auto& file : c.files) {
    scenarios.push_back(std::make_unique<Scenario>(load_with_population(file)));
    print_load_warnings(*scenarios.back(), f.quiet || !writes, language(f, *scenarios.back())); // an override that drops lines, as `run` says it
  }
  // The account and the variants named are checked before anything is simulated: a typo
  // costs no run (and every rank refuses alike under MPI).
  for (const auto& sc : scenarios) (void)account_index(make_accounts(*sc), c.account);
  for (const auto& name : c.variants) {
    bool found = false;
    for (const auto& sc : scenarios) found = found || sc->variant_index(name) > 0;
    if (!found) throw Error(ExitCode::usage, both_languages(Msg::usage_compare_no_variant, {name}));
  }
  RunOptions o = run_options(f, context.interrupt);
  o.ranks = context.ranks;
  // Several files: the same seed for all (the first file's unless --seed), so they share
  // random numbers.
  if (!o.has_seed) o.seed = scenarios.front()->run.seed;
  // The language likewise: the first file's run.lang, unless --lang or SOCINVEST_LANG says.
  const Language lang = language(f, *scenarios.front());
  o.has_seed = true;
  auto thread_limit = limit_threads(f.threads);
  std::optional<StagedFolder> staged;
  if (writes) staged.emplace(context.interrupt, f, "out/" + scenarios.front()->id + "-compare");
  std::vector<std::unique_ptr<Analysis>> analyses;
  std::vector<CompareInput> inputs;
  std::vector<RunOptions> options;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const Scenario& s = *scenarios[k];
    CompareInput in;
    in.file = c.files[k];
    in.scenario = &s;
    for (const auto& name : c.variants)
      if (s.variant_index(name) > 0) in.variants.push_back(s.variant_index(name));
    if (c.variants.empty())
      for (int v = 1; v < static_cast<int>(s.variants.size()); ++v) in.variants.push_back(v);
    if (in.variants.empty()) continue;
    RunOptions ok = o;
    ok.variants = in.variants;
    inputs.push_back(in);
    options.push_back(ok);
  }
  if (inputs.empty()) throw Error(ExitCode::usage, both_languages(Msg::usage_compare_nothing));
  // Simulate, then price: a file that simulates as an earlier one does (it differs from it
  // only in prices: unit costs, cashable shares, reimbursement shares, discounting,
  // intervention costs, payments; same_simulation) is priced from that one's simulation,
  // kept (under MPI each rank keeps its share) while a later file still needs it.
  std::vector<std::size_t> source(inputs.size());
  std::vector<int> users(inputs.size(), 0);
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    source[k] = k;
    for (std::size_t j = 0; j < k && source[k] == k; ++j)
      if (source[j] == j && same_simulation(*inputs[j].scenario, *inputs[k].scenario) &&
          same_simulation(*inputs[k].scenario, options[j], options[k]))
        source[k] = j;
    if (source[k] != k) ++users[source[k]];
  }
  const std::size_t limit = reprice_memory_bytes(c.reprice_memory_mib);
  CompareWork work;
  work.scenarios = static_cast<int>(inputs.size());
  std::vector<std::unique_ptr<KeptSimulation>> kept(inputs.size());
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Scenario& s = *inputs[k].scenario;
    RunOptions& ok = options[k];
    const std::size_t from = source[k];
    if (from != k && kept[from]) {
      analyses.push_back(reprice(s, ok, *kept[from]));
      ++work.repriced;
      if (--users[from] == 0) kept[from].reset(); // the last file that needs it
    } else {
      Progress progress(format_message(lang, Msg::progress_simulating_scenario, {s.id}), f.quiet || !writes, lang);
      ok.progress = [&](int done, int total) { progress.update(done, total); };
      std::unique_ptr<KeptSimulation> keep;
      if (from == k && users[k] > 0 && limit > 0 && !work.over_limit) {
        keep = std::make_unique<KeptSimulation>();
        keep->limit_bytes = limit;
      }
      analyses.push_back(analyse(s, ok, nullptr, keep.get()));
      ok.progress = nullptr;
      ++work.simulated;
      if (keep && keep->complete) {
        work.kept_bytes = std::max(work.kept_bytes, keep->bytes);
        kept[k] = std::move(keep);
      } else if (keep) {
        work.over_limit = true; // the next one would not fit either: simulate as without re-pricing
      }
    }
    inputs[k].analysis = analyses.back().get();
  }
  // How much of each option's result rests on each evidence grade (--evidence-shares, as
  // run's, on the account compared): each file run again per grade its variants use and once
  // without effects; under MPI shared over the ranks as the file's own run was (every rank
  // takes part; rank 0 gets the shares).
  if (c.evidence_shares)
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      auto shares = evidence_shares(*inputs[k].scenario, options[k], *analyses[k], c.account);
      if (analyses[k]->results_here) analyses[k]->results.evidence_shares = std::move(shares);
    }
  if (!writes) return 0; // a rank other than 0: its shares are with rank 0
  StagedFolder& folder = *staged;
  const Comparison cmp = compare_options(inputs, c.account);
  warn_if_few_iterations(cmp.iterations, f.quiet, lang);

  const CompareManifest manifest{context.command_line, o.seed, std::string(kernel_name(o.kernel)), work.simulated,
                                 work.repriced};
  for (const auto format : wanted) write_compare_format(format, *folder, cmp, manifest, lang);
  folder.commit();
  // Several files: how many were simulated and how many re-priced.
  if (!f.quiet) print_comparison(cmp, lang, folder->path(), inputs.size() > 1 ? work_line(work, lang) : "");
  return 0;
}

} // namespace

Command add_compare_command(CLI::App& app, const Context& context) {
  auto f = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand("compare", T(context.lang, Msg::help_compare));
  sub->add_option("files", f->files, T(context.lang, Msg::help_compare_files))->required();
  using O = RunOption;
  add_run_options(*sub, f->run,
                  O::iterations | O::seed | O::threads | O::kernel | O::out | O::force | O::format | O::lang | O::quiet, context.lang,
                  "out/<first scenario>-compare");
  sub->add_option("--variants", f->variants, T(context.lang, Msg::help_compare_variants))->delimiter(',');
  sub->add_option("--account", f->account, T(context.lang, Msg::help_compare_account))->capture_default_str();
  add_reprice_memory_option(*sub, f->reprice_memory_mib, T(context.lang, Msg::help_compare_reprice_memory));
  sub->add_flag("--evidence-shares", f->evidence_shares, T(context.lang, Msg::help_compare_evidence_shares));
  return {sub, [f, &context] { return compare(*f, context); }};
}

} // namespace socinvest::cli
