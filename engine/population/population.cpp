#include <socinvest/population/population.hpp>

#include <boost/math/distributions/poisson.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <variant>

namespace socinvest {

void Population::add_person(Role r, int age_in_months) {
  role.push_back(static_cast<std::uint8_t>(r));
  age_months.push_back(static_cast<std::uint16_t>(std::clamp(age_in_months, 0, 65535)));
  refusion_months.push_back(0);
  refusion_legacy.push_back(0);
  attribute.insert(attribute.end(), static_cast<std::size_t>(attributes), std::uint8_t{0});
  for (int d = 0; d < domains; ++d) {
    state.push_back(-1);
    months_in_state.push_back(0);
  }
}

int refusion_months_of_weeks(double weeks) {
  return static_cast<int>(std::clamp(std::round(weeks * 12.0 / 52.0), 0.0, 65535.0));
}

namespace {

/// A count drawn by `u` (a fixed count ignores it).
int draw_count(const CountDistribution& c, double u) {
  struct Draw {
    double u;
    int operator()(const CountDistribution::Fixed& f) const { return f.value; }
    int operator()(const CountDistribution::Categorical& c) const {
      double cum = 0.0;
      for (std::size_t i = 0; i < c.values.size(); ++i) {
        cum += c.probabilities[i];
        if (u < cum) return c.values[i];
      }
      return c.values.empty() ? 0 : c.values.back();
    }
    int operator()(const CountDistribution::Poisson& p) const {
      if (p.lambda <= 0) return 0;
      double k = boost::math::quantile(boost::math::poisson_distribution<>(p.lambda), u);
      return std::min(static_cast<int>(k), p.max);
    }
  };
  return std::visit(Draw{u}, c.kind);
}

/// The category of a share list for a uniform u: the first whose cumulative share exceeds u
/// (the last when rounding leaves u beyond them all).
std::uint8_t draw_category(const std::vector<double>& shares, double u) {
  double cum = 0.0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    cum += shares[i];
    if (u < cum) return static_cast<std::uint8_t>(i);
  }
  return static_cast<std::uint8_t>(shares.empty() ? 0 : shares.size() - 1);
}

/// The attributes of household h's members [first, first + size), each from its own keyed
/// block (Purpose::population_attribute): a scenario without attributes draws nothing more,
/// and one with them draws every other number exactly as without.
void draw_attributes(const Scenario& scenario, const Streams& streams, std::uint32_t iteration, std::uint32_t h,
                     Population& pop, std::size_t first, int size) {
  const int A = pop.attributes;
  for (int a = 0; a < A; ++a) {
    const Attribute& attr = scenario.attributes[static_cast<std::size_t>(a)];
    const bool household = attr.level == Attribute::Level::household;
    for (int m = 0; m < size; ++m) {
      if (household && m > 0) {
        pop.attribute[(first + m) * A + a] = pop.attribute[first * A + a];
        continue;
      }
      const std::uint32_t slot = household ? 0u : 1u + static_cast<std::uint32_t>(m);
      const auto w = streams.block(Purpose::population_attribute, iteration, h, static_cast<std::uint32_t>(a) << 8 | slot);
      pop.attribute[(first + m) * A + a] = draw_category(attr.shares, Streams::unit(w[0]));
    }
  }
}

/// A household's block, drawn when a word of it is first needed. Every block is a pure
/// function of its key, so a block not drawn changes no other number: a draw that every
/// word decides alike (see `certain`) costs no block.
class LazyBlock {
public:
  LazyBlock(const Streams& streams, Purpose purpose, std::uint32_t iteration, std::uint32_t a, std::uint32_t b)
      : streams_(streams), purpose_(purpose), iteration_(iteration), a_(a), b_(b) {}
  /// Word k as a uniform in (0, 1).
  double unit(int k) {
    if (!drawn_) words_ = streams_.block(purpose_, iteration_, a_, b_), drawn_ = true;
    return Streams::unit(words_[k]);
  }

private:
  const Streams& streams_;
  Purpose purpose_;
  std::uint32_t iteration_, a_, b_;
  std::array<std::uint32_t, 4> words_{};
  bool drawn_ = false;
};

/// Whether `draw`, a function of a uniform u, gives the same for every word. A quantile (an
/// age, a Poisson count) never decreases in u, so the smallest and the largest uniform a word
/// gives decide it. A draw by cumulative probabilities (`shares`: a categorical count, a
/// start state) picks a category that never decreases in u, but two categories may carry the
/// same value (a state listed twice), so it is also asked at every cumulative share, where
/// each category begins: some value differing means the block is drawn (as always before).
template <class Draw> bool certain(const Draw& draw, const std::vector<double>* shares = nullptr) {
  const double lo = Streams::unit(0), hi = Streams::unit(~std::uint32_t{0});
  const auto value = draw(lo);
  if (draw(hi) != value) return false;
  double cum = 0.0;
  if (shares)
    for (double share : *shares) {
      cum += share;
      if (draw(std::clamp(cum, lo, hi)) != value) return false;
    }
  return true;
}

/// The shares of a count drawn by cumulative probability (null: a fixed or Poisson count).
const std::vector<double>* shares_of(const CountDistribution& c) {
  const auto* categorical = std::get_if<CountDistribution::Categorical>(&c.kind);
  return categorical ? &categorical->probabilities : nullptr;
}

} // namespace

Population synthesize_population(const Scenario& scenario, const Streams& streams, std::uint32_t iteration) {
  const SyntheticPopulation& spec = *scenario.population.synthetic;
  const int D = static_cast<int>(scenario.domains.size());
  const bool refusion = scenario.refusion_rule() >= 0;
  const ReimbursementRule::Clock* clock = refusion ? &scenario.reimbursements[static_cast<std::size_t>(scenario.refusion_rule())].clock : nullptr;
  Population pop;
  pop.domains = D;
  pop.attributes = static_cast<int>(scenario.attributes.size());
  const int H = scenario.population.households;
  pop.household_first.reserve(H);
  pop.household_size.reserve(H);
  auto adults_of = [&](double u) { return std::max(1, draw_count(spec.adults, u)); };
  auto children_of = [&](double u) { return draw_count(spec.children, u); };
  auto age_of = [&](Role role, double u) {
    double age_years = (role == Role::adult ? spec.adult_age : spec.child_age).quantile(u);
    if (role == Role::adult) age_years = std::max(age_years, 18.0);
    else age_years = std::min(age_years, 17.99);
    return static_cast<int>(std::floor(std::max(0.0, age_years) * 12.0));
  };
  const bool adults_certain = certain(adults_of, shares_of(spec.adults));
  const bool children_certain = certain(children_of, shares_of(spec.children));
  const bool adult_age_certain = certain([&](double u) { return age_of(Role::adult, u); });
  const bool child_age_certain = certain([&](double u) { return age_of(Role::child, u); });
  std::vector<DomainScope> scopes;
  std::vector<std::uint8_t> state_certain;
  for (int d = 0; d < D; ++d) {
    scopes.push_back(scenario.domains[d].scope());
    state_certain.push_back(
        certain([&](double u) { return spec.start_state[d].draw(u); }, &spec.start_state[d].probabilities) ? 1 : 0);
  }
  for (int h = 0; h < H; ++h) {
    // Counter b numbers the household's draws: 0 composition, then 8 blocks per member.
    LazyBlock comp(streams, Purpose::population, iteration, static_cast<std::uint32_t>(h), 0);
    int adults = adults_of(adults_certain ? Streams::unit(0) : comp.unit(0));
    int children = children_of(children_certain ? Streams::unit(0) : comp.unit(1));
    pop.household_first.push_back(static_cast<std::uint32_t>(pop.persons()));
    pop.household_size.push_back(static_cast<std::uint16_t>(adults + children));
    for (int m = 0; m < adults + children; ++m) {
      Role role = m < adults ? Role::adult : Role::child;
      std::uint32_t base = 1 + static_cast<std::uint32_t>(m) * 8;
      LazyBlock w(streams, Purpose::population, iteration, static_cast<std::uint32_t>(h), base);
      const bool age_certain = role == Role::adult ? adult_age_certain : child_age_certain;
      const int age = age_of(role, age_certain ? Streams::unit(0) : w.unit(0));
      pop.add_person(role, age);
      const std::size_t p = static_cast<std::size_t>(pop.persons() - 1);
      for (int d = 0; d < D; ++d) {
        if (spec.start_state[d].empty() || !scopes[d].covers(role, age)) continue;
        LazyBlock wd(streams, Purpose::population, iteration, static_cast<std::uint32_t>(h),
                     base + 1 + static_cast<std::uint32_t>(d % 7));
        int st = spec.start_state[d].draw(state_certain[d] ? Streams::unit(0) : wd.unit((d / 7) % 4));
        pop.state[p * D + d] = static_cast<std::int8_t>(st);
        if (st < 0) continue;
        for (const auto& sm : spec.months_in_start_state) {
          if (sm.domain != d || sm.state != st) continue;
          double months = sm.months.is_fixed() ? sm.months.a : sm.months.quantile(wd.unit(((d / 7) + 1) % 4));
          pop.months_in_state[p * D + d] = static_cast<std::uint16_t>(std::clamp(std::floor(months), 0.0, 65535.0));
        }
        // The refusion clock (one domain's): by default the months in the start state; a
        // distribution of weeks and a legacy share from their own stream (population_refusion).
        if (refusion && d == clock->domain && clock->counts(st)) {
          pop.refusion_months[p] = pop.months_in_state[p * D + d];
          LazyBlock wr(streams, Purpose::population_refusion, iteration, static_cast<std::uint32_t>(h),
                       static_cast<std::uint32_t>(m));
          for (const auto& sr : spec.refusion_weeks_at_start)
            if (sr.domain == d && sr.state == st)
              pop.refusion_months[p] = static_cast<std::uint16_t>(refusion_months_of_weeks(sr.weeks.quantile(wr.unit(0))));
          for (const auto& sr : spec.legacy_refusion_share)
            if (sr.domain == d && sr.state == st) pop.refusion_legacy[p] = wr.unit(1) < sr.share ? 1 : 0;
        }
      }
    }
    if (pop.attributes > 0)
      draw_attributes(scenario, streams, iteration, static_cast<std::uint32_t>(h), pop, pop.household_first.back(),
                      adults + children);
  }
  return pop;
}

Population population_for_iteration(const Scenario& scenario, const Population* extract, const Streams& streams,
                                    std::uint32_t iteration) {
  if (extract) return *extract;
  return synthesize_population(scenario, streams, iteration);
}

} // namespace socinvest
