#pragma once
// Uncertain numbers. Any number in a scenario may be a distribution; each Monte Carlo
// iteration draws it once, by the inverse CDF (Boost.Math quantiles) of a uniform number
// that is keyed by the parameter's key path, so a draw never depends on the order of the
// file or on which other parameters exist.
#include <cstdint>
#include <array>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace socinvest {

/// The kinds of distribution. Everything a kind does (its YAML forms, quantile, mean,
/// support, price indexing, description) is one entry of the table in
/// engine/scenario/distribution_kinds.cpp; `count` is last so that the table can check at
/// compile time that it has an entry for every kind.
enum class DistributionKind { fixed, beta, lognormal, gamma, normal, uniform, triangular, flexjob_subsidy, count };

/// The kind's name as written in a scenario ("beta", "lognormal", ...).
const char* distribution_kind_name(DistributionKind kind);

/// A univariate distribution in canonical parameters:
/// fixed(a) · beta(alpha=a, beta=b) · lognormal(mu=a, sigma=b) · gamma(shape=a, scale=b) ·
/// normal(mean=a, sd=b) · uniform(low=a, high=b) · triangular(low=a, mode=b, high=c) ·
/// flexjob_subsidy (a formula of an uncertain wage: `formula`, see below).
struct Distribution {
  DistributionKind kind = DistributionKind::fixed;
  double a = 0.0, b = 0.0, c = 0.0;
  /// A kind that is a formula of another uncertain number keeps that number's distribution
  /// and the formula's parameters here (null for the other kinds). The quantity is still
  /// one parameter with one draw: its value at u is the formula of the argument's quantile,
  /// so sensitivity, --central and sweeps treat it like any other amount.
  struct Formula;
  std::shared_ptr<const Formula> formula = nullptr;

  static Distribution fixed(double value) { return {DistributionKind::fixed, value, 0.0, 0.0}; }
  [[nodiscard]] bool is_fixed() const { return kind == DistributionKind::fixed; }
  /// The value at cumulative probability u in (0, 1).
  [[nodiscard]] double quantile(double u) const;
  [[nodiscard]] double mean() const;
  /// The value used when uncertainty is switched off (sweeps, `--central`): the median.
  [[nodiscard]] double central() const { return is_fixed() ? a : quantile(0.5); }
  /// Short human text, e.g. "lognormal(median 1.4, 95% 1.05–1.9)".
  [[nodiscard]] std::string describe() const;
};

/// flexjob_subsidy: the argument is the monthly wage (incl. pension contributions) and
/// p = {max, threshold, low_rate, high_rate}; the subsidy is
/// max(0, max − low_rate × min(wage, threshold) − high_rate × max(0, wage − threshold))
/// (lov om en aktiv beskæftigelsesindsats § 123 stk. 1-2; scenarios/README.md).
struct Distribution::Formula {
  Distribution of;
  std::array<double, 4> p{};
};

/// The values a number may take where it is used (a probability in [0, 1], a hazard ratio
/// above 0, ...): checked for fixed values and distribution supports when loading, and for
/// every value a sweep sets.
struct ValueRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  const char* what = "a number";
  /// The bounds are sanity limits (money, counts), not the quantity's nature: a distribution
  /// with an unbounded tail passes when its 1e-9 and 1 - 1e-9 quantiles lie within them.
  bool sanity_bounds = false;

  [[nodiscard]] bool contains(double v) const {
    return v == v && (min_exclusive ? v > min : v >= min) && v <= max && v > -std::numeric_limits<double>::infinity() &&
           v < std::numeric_limits<double>::infinity();
  }
};

/// A number in the scenario: its distribution and the key path that names it (used for
/// random-number keys, sweeps and the assumptions table).
struct Quantity {
  Distribution dist;
  std::string path;
  std::uint64_t key = 0; ///< hash of path
  std::string source;    ///< where the number comes from, when the scenario says
  ValueRange range;      ///< the values it may take
  /// Where it was written ("file:line"; empty for a default) and, for an amount given in
  /// another price year than the run's, that year (0: the run's) and the factor the price
  /// index moved it by (run prices per krone of that year): what `socinvest explain` shows.
  /// None of the three changes a result.
  std::string origin;
  int given_price_year = 0;
  double price_factor = 1.0;

  static Quantity fixed(double v, std::string path = {});
};

/// Stable 64-bit FNV-1a hash of a key path.
std::uint64_t path_key(const std::string& path);

} // namespace socinvest
