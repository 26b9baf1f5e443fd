#pragma once
// Comparing options on common random numbers: every variant (and "do nothing", the
// baseline, at zero) is valued in the same iterations, so differences are paired. Reports
// the ranking by expected net present value, paired differences with intervals, the
// probability that each option is the best, and the expected value of perfect information
// (what resolving all uncertainty before deciding would be worth).
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
    /// How much of its net present value rests on each evidence grade (compare
    /// --evidence-shares: the input's Results::evidence_shares, of the compared account);
    /// none for the baseline and when not asked for.
    std::optional<EvidenceShare> evidence;
  };
  std::vector<Option> options; ///< options[0] is the baseline ("do nothing", 0 kr.)
  struct Pair {
    int a = 0, b = 0;
    Stat difference;        ///< npv(a) - npv(b), paired per iteration
    double p_a_better = 0.0;
  };
  std::vector<Pair> pairs;
  double expected_value_of_best = 0.0;     ///< max over options of the expected npv
  double expected_value_perfect_info = 0.0; ///< E[max over options of npv]
  double evpi = 0.0;                        ///< the difference
  int iterations = 0;
};

/// Per-iteration net present value of `account` for variant v of an analysis.
std::vector<double> npv_samples(const Analysis& analysis, int variant, const std::string& account);

/// Compares (an option's evidence shares are its input's analysis's, when it has them). Throws InvalidInput when files do not share a baseline (their baseline costs
/// differ) or were run with different iterations.
Comparison compare_options(const std::vector<CompareInput>& inputs, const std::string& account = "total");

} // namespace socinvest
