#include <socinvest/ledger/repricing.hpp>

#include <socinvest/ledger/pricing.hpp>
#include <socinvest/model/parameters.hpp>

#include <algorithm>
#include <cmath>

namespace socinvest {

RepricingTally::RepricingTally(const Scenario& s, const Layout& l) : layout(l) {
  const int horizon = layout.years * 12;
  period_from = rate_period_starts(s, horizon);
  months = std::min(layout.steps * layout.cycle_months, horizon);
  variants = static_cast<int>(s.variants.size());
  simulated.assign(static_cast<std::size_t>(variants), 0);
  occupied.assign(static_cast<std::size_t>(variants) * layout.cells * layout.steps, 0);
  moves = static_cast<int>(s.transition_costs.size());
  moved.assign(static_cast<std::size_t>(variants) * moves * layout.steps, 0);
}

void RepricingTally::add(const IterationData& data) {
  const Scenario& s = *data.scenario;
  const Layout& L = layout;
  for (std::size_t vi = 0; vi < data.variants.size(); ++vi) {
    const int v = data.variants[vi];
    const Tally& tally = data.tallies[vi];
    simulated[static_cast<std::size_t>(v)] = 1;
    for (int c = 0; c < L.cells; ++c)
      for (int t = 0; t < L.steps; ++t)
        occupied[(static_cast<std::size_t>(v) * L.cells + c) * L.steps + t] += tally.occupied(0, t, c);
    for (int m = 0; m < moves; ++m) {
      const TransitionCost& tc = s.transition_costs[static_cast<std::size_t>(m)];
      const int k = L.transition(tc.domain, tc.from, tc.to);
      for (int t = 0; t < L.steps; ++t)
        moved[(static_cast<std::size_t>(v) * moves + m) * L.steps + t] += tally.moved(0, t, k);
    }
  }
  // The amounts, drawn as pricing draws them (the same key path gives the same value).
  const ParameterSampler& sampler = *data.parameters;
  std::vector<double> state, move;
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines)
      for (int p = 0; p < periods(); ++p) state.push_back(sampler.draw(line.amount_at(period_from[static_cast<std::size_t>(p)])));
  for (const auto& c : s.transition_costs)
    for (const auto& line : c.lines) move.push_back(sampler.draw(line.amount));
  auto keep = [&](std::vector<double>& kept, std::vector<char>& varies, std::vector<Fixed>& sum,
                  const std::vector<double>& drawn) {
    if (iterations == 0) {
      kept = drawn;
      varies.assign(drawn.size(), 0);
      sum.assign(drawn.size(), 0);
    }
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      if (drawn[i] != kept[i]) varies[i] = 1;
      sum[i] += static_cast<Fixed>(std::llround(drawn[i] * fixed_scale));
    }
  };
  keep(state_amount, state_varies, state_sum, state);
  keep(move_amount, move_varies, move_sum, move);
  ++iterations;
}

} // namespace socinvest
