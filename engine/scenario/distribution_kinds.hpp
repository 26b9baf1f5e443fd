#pragma once
// One table of distribution kinds: each kind is one entry with every rule it needs, so a new
// kind is one enumerator in DistributionKind and one entry in distribution_kinds.cpp. The
// table's size, order and completeness are checked at compile time.
#include "scenario/yaml_reader.hpp"

#include <socinvest/scenario/distribution.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace socinvest::detail {

/// What a kind's parser reads: the YAML node under the kind's key (`beta: {mean: .., sd: ..}`),
/// with helpers that record one located diagnostic for every problem.
struct KindInput {
  Reader& reader;
  const YNode& node;
  const std::string& kind;
  Range range; ///< where the number is used (only a fixed value checks it while parsing)

  [[nodiscard]] bool has(const char* key) const { return node[key].defined(); }
  /// A required number under `key`.
  std::optional<double> num(const std::string& key, Range r = any_number) const;
  /// A list of exactly `count` numbers (uniform [low, high], triangular [low, mode, high]).
  std::optional<std::vector<double>> list_numbers(std::size_t count) const;
};

/// The values a distribution can take: [lo, hi], with lo itself excluded when `open_low`
/// (a lognormal or gamma never gives 0, so it fits "a number above 0").
struct Support {
  double lo = -unbounded, hi = unbounded;
  bool open_low = false;
};

struct KindRules {
  DistributionKind kind;
  const char* name;
  /// Reads the kind's parameters into d.a, d.b, d.c; false once a diagnostic is recorded.
  bool (*parse)(const KindInput& in, Distribution& d);
  /// The value at cumulative probability u (already clamped into (0, 1)).
  double (*quantile)(const Distribution& d, double u);
  double (*mean)(const Distribution& d);
  Support (*support)(const Distribution& d);
  /// Multiplies the quantity by f (a price index ratio); false when the kind cannot be.
  bool (*rescale)(Distribution& d, double f);
  std::string (*describe)(const Distribution& d);
};

/// Every kind, in the order of DistributionKind.
std::span<const KindRules> distribution_kinds();
const KindRules& rules_of(DistributionKind kind);
/// The kind written as `name` in a scenario, or nullptr.
const KindRules* rules_named(const std::string& name);

} // namespace socinvest::detail
