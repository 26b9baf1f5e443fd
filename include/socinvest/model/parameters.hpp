#pragma once
// Drawing the uncertain parameters of one Monte Carlo iteration (the outer loop). Every
// Quantity is drawn by the inverse CDF of a uniform keyed by (seed, iteration, key path):
// the same parameter has the same value in the baseline and in every variant of that
// iteration, and adding a parameter elsewhere in the file changes no other draw.
#include <socinvest/random/streams.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <map>
#include <string>
#include <vector>

namespace socinvest {

/// How parameters are set: drawn (the default), at their central value (median), or fixed
/// by path for sensitivity analysis.
struct ParameterSettings {
  bool central = false; ///< every distribution at its median
  /// Values forced by key path (e.g. "variants.x.interventions.y.effects[0].hazard_ratio").
  std::map<std::string, double> fixed;
  /// Quantiles forced by key path (0..1): the parameter is set to that quantile.
  std::map<std::string, double> quantiles;
};

class ParameterSampler {
public:
  ParameterSampler(const Streams& streams, std::uint32_t iteration, const ParameterSettings& settings)
      : streams_(streams), iteration_(iteration), settings_(settings) {}

  /// The value of `q` in this iteration.
  [[nodiscard]] double draw(const Quantity& q) const;
  /// A Dirichlet row: probabilities of each destination (without "stay").
  [[nodiscard]] std::vector<double> dirichlet(const DirichletRow& row) const;
  [[nodiscard]] std::uint32_t iteration() const { return iteration_; }

private:
  const Streams& streams_;
  std::uint32_t iteration_;
  const ParameterSettings& settings_;
};

} // namespace socinvest
