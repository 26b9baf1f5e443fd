#include <socinvest/montecarlo/simulate.hpp>

#include "montecarlo/kernel_common.hpp"

namespace socinvest {

Tally simulate_variant(const SimulationContext& c, int variant, Trace* trace, const Tally* baseline) {
  const int traced = trace ? std::min(trace->households, c.population.households()) : 0;
  std::vector<std::vector<std::string>> lines(static_cast<std::size_t>(traced));
  Tally tally = c.kernel == Kernel::monthly ? kernel::simulate_monthly(c, variant, lines)
                                            : kernel::simulate_events(c, variant, lines, baseline);
  if (trace)
    for (auto& household : lines)
      for (auto& line : household) trace->lines.push_back(std::move(line));
  return tally;
}

} // namespace socinvest
