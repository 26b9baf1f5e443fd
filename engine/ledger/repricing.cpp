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
  for (const auto& tc : s.transition_costs) {
    move_first.push_back(move_blocks);
    move_cats.push_back(layout.move_categories[static_cast<std::size_t>(tc.domain)]);
    move_blocks += move_cats.back();
  }
  moved.assign(static_cast<std::size_t>(variants) * move_blocks * layout.steps, 0);
  // A line by attribute keeps an amount per category of its attribute; any other line one.
  const auto categories_of = [&](const CostLine& line) {
    return line.by_attribute >= 0 ? static_cast<int>(s.attributes[static_cast<std::size_t>(line.by_attribute)].categories.size()) : 1;
  };
  int at = 0;
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines) {
      state_first.push_back(at);
      state_cats.push_back(categories_of(line));
      at += periods() * state_cats.back();
    }
  at = 0;
  for (const auto& c : s.transition_costs)
    for (const auto& line : c.lines) {
      move_line_first.push_back(at);
      move_line_cats.push_back(categories_of(line));
      at += move_line_cats.back();
    }
}

void RepricingTally::add(const IterationData& data, const IterationBook& book) {
  const Scenario& s = *data.scenario;
  const Layout& L = layout;
  for (std::size_t vi = 0; vi < data.variants.size(); ++vi) {
    const int v = data.variants[vi];
    const Tally& tally = data.tallies[vi];
    simulated[static_cast<std::size_t>(v)] = 1;
    const VariantBook& b = book.variants[static_cast<std::size_t>(v)];
    if (facility_sum.empty()) {
      departments = static_cast<int>(b.facility_by_calendar.size()) / std::max(1, b.calendar_years);
      calendar_years = b.calendar_years;
      facility_sum.assign(static_cast<std::size_t>(variants) * b.facility_by_calendar.size(), 0);
      facility_pv_sum = facility_sum;
    }
    for (std::size_t i = 0; i < b.facility_by_calendar.size(); ++i) {
      facility_sum[static_cast<std::size_t>(v) * b.facility_by_calendar.size() + i] += to_fixed(b.facility_by_calendar[i]);
      facility_pv_sum[static_cast<std::size_t>(v) * b.facility_by_calendar.size() + i] += to_fixed(b.facility_pv_by_calendar[i]);
    }
    for (int c = 0; c < L.cells; ++c)
      for (int t = 0; t < L.steps; ++t)
        occupied[(static_cast<std::size_t>(v) * L.cells + c) * L.steps + t] += tally.occupied(0, t, c);
    for (int m = 0; m < moves; ++m) {
      const TransitionCost& tc = s.transition_costs[static_cast<std::size_t>(m)];
      // Each category of a domain whose moves are split by attribute on its own, as pricing
      // prices a line by attribute at each category's amount.
      for (int cat = 0; cat < move_cats[static_cast<std::size_t>(m)]; ++cat) {
        const int k = L.transition(tc.domain, tc.from, tc.to, cat);
        for (int t = 0; t < L.steps; ++t)
          moved[(static_cast<std::size_t>(v) * move_blocks + move_first[static_cast<std::size_t>(m)] + cat) * L.steps + t] +=
              tally.moved(0, t, k);
      }
    }
  }
  // The amounts, drawn as pricing draws them (the same key path gives the same value).
  const ParameterSampler& sampler = *data.parameters;
  std::vector<double> state, move;
  // A line by attribute: each category's amount, under its own key path (pricing.cpp); any
  // other line its one amount (amount_at with category -1).
  std::size_t flat = 0;
  for (const auto& c : s.state_costs)
    for (const auto& line : c.lines) {
      for (int p = 0; p < periods(); ++p)
        for (int k = 0; k < state_cats[flat]; ++k)
          state.push_back(sampler.draw(line.amount_at(period_from[static_cast<std::size_t>(p)], line.by_attribute >= 0 ? k : -1)));
      ++flat;
    }
  flat = 0;
  for (const auto& c : s.transition_costs)
    for (const auto& line : c.lines) {
      for (int k = 0; k < move_line_cats[flat]; ++k) move.push_back(sampler.draw(line.amount_at(0, line.by_attribute >= 0 ? k : -1)));
      ++flat;
    }
  auto keep = [&](std::vector<double>& kept, std::vector<char>& varies, std::vector<Fixed>& sum,
                  const std::vector<double>& drawn) {
    if (iterations == 0) {
      kept = drawn;
      varies.assign(drawn.size(), 0);
      sum.assign(drawn.size(), 0);
    }
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      if (drawn[i] != kept[i]) varies[i] = 1;
      sum[i] += to_fixed(drawn[i]);
    }
  };
  keep(state_amount, state_varies, state_sum, state);
  keep(move_amount, move_varies, move_sum, move);
  ++iterations;
}

} // namespace socinvest
