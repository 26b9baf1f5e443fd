#include <socinvest/montecarlo/tally.hpp>

#include <cmath>
#include <limits>

namespace socinvest {

Tally::Tally(int g, int s, int c, int tr, int y, int ind)
    : groups(g), steps(s), cells(c), transitions(tr), points(y), indicators(ind),
      occupancy(static_cast<std::size_t>(g) * s * c, 0), moves(static_cast<std::size_t>(g) * s * tr, 0),
      indicator_met(static_cast<std::size_t>(g) * y * ind, 0), indicator_base(static_cast<std::size_t>(g) * y * ind, 0) {}

void Tally::add(const Tally& o) {
  for (std::size_t i = 0; i < occupancy.size(); ++i) occupancy[i] += o.occupancy[i];
  for (std::size_t i = 0; i < moves.size(); ++i) moves[i] += o.moves[i];
  for (std::size_t i = 0; i < indicator_met.size(); ++i) indicator_met[i] += o.indicator_met[i];
  for (std::size_t i = 0; i < indicator_base.size(); ++i) indicator_base[i] += o.indicator_base[i];
}

double Tally::indicator_share(int g, int y, int i) const {
  std::size_t k = indicator_index(g, y, i);
  if (indicator_base[k] == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(indicator_met[k]) / indicator_base[k];
}

} // namespace socinvest
