#pragma once
// Comparing options on common random numbers: every variant (and "do nothing", the
// baseline, at zero) is valued in the same iterations, so differences are paired. Reports
// the ranking by expected net present value, paired differences with intervals, the
// probability that each option is the best, and the expected value of perfect information
// (what resolving all uncertainty before deciding would be worth).
//
// Several files may price the baseline differently (a cash benefit at the 2024 or the 2025
// rates): their baselines are then the same simulated persons, priced at each file's
// prices, and every variant is valued against its own file's baseline. A difference
// between two files' options is then a difference of savings, each against its own
// baseline; Comparison::baselines says which baseline each option is valued against.
#include <socinvest/analysis.hpp>
#include <socinvest/statistics/summary.hpp>

#include <optional>
#include <string>
#include <vector>

namespace socinvest {

/// One analysed scenario file and the variants to take from it.
struct CompareInput {
  std::string file;
  const Scenario* scenario = nullptr;
  const Analysis* analysis = nullptr;
  std::vector<int> variants; ///< variant indices (> 0)
};

struct Comparison {
  std::string account; ///< the account whose net present value is compared (default: total)
  struct Option {
    std::string label; ///< variant id (file:variant when several files): the machine key of compare.csv/json
    /// The variant's title (scenario:title when several files); empty: none, the label shows.
    Text title;
    Stat npv;
    double p_best = 0.0;
    int rank = 0; ///< 1 = highest expected net present value
    std::vector<double> samples;
    /// The baseline it is valued against (index into Comparison::baselines); options[0],
    /// doing nothing, is 0 kr. against every baseline and has 0.
    int baseline = 0;
    /// How much of its net present value rests on each evidence grade (compare
    /// --evidence-shares: the input's Results::evidence_shares, of the compared account);
    /// none for the baseline and when not asked for.
    std::optional<EvidenceShare> evidence;
    std::string variant; ///< the variant's id in its file (empty for doing nothing)
    Text variant_title;  ///< its title in its file (empty: none)
  };
  /// One baseline the options are valued against: a file's baseline as priced there. Files
  /// whose baselines cost the same in every iteration share the first one's entry.
  struct Baseline {
    std::string scenario; ///< the id of the first file with this baseline: the machine key
    Text title;           ///< that scenario's title
    /// The baseline's cost of services (state and transition costs) of the compared account
    /// over the horizon, nominal (money.csv's gross_cost_baseline), per iteration summarised.
    Stat cost;
    std::vector<int> options; ///< the options (indices into `options`, > 0) valued against it
  };
  std::vector<Baseline> baselines; ///< at least one when there are options; one: a shared baseline
  /// Whether every option is valued against one baseline (the files' baselines cost the same).
  [[nodiscard]] bool shared_baseline() const { return baselines.size() <= 1; }
  int files = 0; ///< the scenario files compared (with variants)
  std::vector<Option> options; ///< options[0] is the baseline ("do nothing", 0 kr.)
  struct Pair {
    int a = 0, b = 0;
    Stat difference;        ///< npv(a) - npv(b), paired per iteration
    double p_a_better = 0.0;
  };
  std::vector<Pair> pairs;
  /// The pairs (indices into `pairs`) of one variant id against two baselines priced
  /// differently: what the other prices change in its net present value (its savings, each
  /// against its own baseline, less its costs).
  [[nodiscard]] std::vector<int> same_variant_pairs() const;
  double expected_value_of_best = 0.0;     ///< max over options of the expected npv
  double expected_value_perfect_info = 0.0; ///< E[max over options of npv]
  double evpi = 0.0;                        ///< the difference
  int iterations = 0;
};

/// Per-iteration net present value of `account` for variant v of an analysis.
std::vector<double> npv_samples(const Analysis& analysis, int variant, const std::string& account);

/// Compares (an option's evidence shares are its input's analysis's, when it has them). Throws InvalidInput when files were run with different iterations or seeds, or
/// when a file's baseline costs differ from every earlier file's and it does not simulate as
/// any of them (same_simulation, analysis.hpp: then its baseline is other persons, not other
/// prices). The caller runs every file with the same kernel and parameter settings (as
/// `compare` does).
Comparison compare_options(const std::vector<CompareInput>& inputs, const std::string& account = "total");

} // namespace socinvest
