#pragma once
// What the simulation produces: counts, never money (simulate, then price). Occupancy of
// every (domain, state, duration band) cell and every transition, per step, per group; and
// at each measurement point (the project-year ends, then any Decembers that targets and
// contracts ask for: Layout::points), per indicator, how many persons meet it out of how many it applies to.
// Group 0 is everybody; group v (v >= 1) is the participants of variant v. In the baseline,
// group v counts the very households that variant v enrols, on their baseline paths, so the
// comparison among participants is on the same people.
// Counts are integers: summing them in any order gives the same result, which is why
// results do not depend on the number of threads.
#include <cstdint>
#include <vector>

namespace socinvest {

struct Tally {
  int groups = 0, steps = 0, cells = 0, transitions = 0, points = 0, indicators = 0;
  std::vector<std::uint32_t> occupancy;      ///< [(g * steps + t) * cells + c]
  std::vector<std::uint32_t> moves;          ///< [(g * steps + t) * transitions + k]
  std::vector<std::uint32_t> indicator_met;  ///< [(g * points + p) * indicators + i]
  std::vector<std::uint32_t> indicator_base; ///< same index: persons the indicator applies to

  Tally() = default;
  Tally(int groups, int steps, int cells, int transitions, int points, int indicators);
  void add(const Tally& other);

  [[nodiscard]] std::uint32_t occupied(int g, int t, int c) const {
    return occupancy[(static_cast<std::size_t>(g) * steps + t) * cells + c];
  }
  [[nodiscard]] std::uint32_t moved(int g, int t, int k) const {
    return moves[(static_cast<std::size_t>(g) * steps + t) * transitions + k];
  }
  [[nodiscard]] std::size_t indicator_index(int g, int point, int i) const {
    return (static_cast<std::size_t>(g) * points + point) * indicators + i;
  }
  /// Share meeting indicator i at measurement point `point` (project year y ends at point
  /// y - 1) in group g; NaN when nobody.
  [[nodiscard]] double indicator_share(int g, int point, int i) const;
};

} // namespace socinvest
