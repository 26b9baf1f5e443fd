#include <socinvest/model/transition_model.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace socinvest {

void probabilities_from_hazards(const double* lambda, int n, double* p) {
  double total = 0.0;
  for (int j = 0; j < n; ++j) total += lambda[j];
  if (!(total > 0.0)) {
    for (int j = 0; j < n; ++j) p[j] = 0.0;
    return;
  }
  const double leave = -std::expm1(-total);
  for (int j = 0; j < n; ++j) p[j] = leave * (lambda[j] / total);
}

void thresholds_from_probabilities(const double* p, int n, std::uint32_t* threshold) {
  double cum = 0.0;
  for (int j = 0; j < n; ++j) {
    cum += std::max(0.0, p[j]);
    double t = std::floor(std::min(cum, 1.0) * 4294967296.0);
    threshold[j] = t >= 4294967295.0 ? 4294967295u : static_cast<std::uint32_t>(t);
  }
}

namespace {

/// Per-step hazards from monthly probabilities; probabilities that sum above 1 after a
/// draw are scaled back to just below 1 (documented in scenarios/README.md).
void hazards_from_monthly(const std::vector<double>& p_month, int cycle_months, std::vector<double>& lambda) {
  double total = 0.0;
  for (double p : p_month) total += std::max(0.0, p);
  lambda.assign(p_month.size(), 0.0);
  if (total <= 0.0) return;
  const double capped = std::min(total, 1.0 - 1e-9);
  const double big = -std::log1p(-capped) * cycle_months;
  for (std::size_t j = 0; j < p_month.size(); ++j) lambda[j] = big * std::max(0.0, p_month[j]) / total;
}

const TransitionBand* band_for(const Domain& dom, int state, int months) {
  for (const auto& b : dom.transitions[state])
    if (months >= b.from_month && months < b.to_month) return &b;
  return nullptr;
}

std::vector<double> draw_band(const TransitionBand& b, const ParameterSampler& sampler) {
  if (const DirichletRow* row = b.dirichlet()) return sampler.dirichlet(*row);
  std::vector<double> p;
  for (const auto& q : std::get<TransitionBand::PerDestination>(b.probabilities))
    p.push_back(std::clamp(sampler.draw(q), 0.0, 1.0));
  return p;
}

int rounded(double v) { return static_cast<int>(std::llround(std::max(0.0, v))); }

} // namespace

double ModelEffect::weight(int start, int end, int month) const {
  if (start < 0 || month < start) return 0.0;
  auto ramp = [&](int m) {
    return ramp_up_months > 0 ? std::min(1.0, static_cast<double>(m - start + 1) / ramp_up_months) : 1.0;
  };
  if (month < end) return ramp(month);
  if (!(decay_half_life_months > 0.0)) return 0.0;
  double at_end = ramp(end - 1);
  if (std::isinf(decay_half_life_months)) return at_end;
  return at_end * std::exp2(-static_cast<double>(month - end + 1) / decay_half_life_months);
}

int ModelEffect::next_change(int start, int end, int month) const {
  if (start < 0) return never_month;
  if (month < start) return start;
  if (month < end) return ramp_up_months > 0 && month - start + 1 < ramp_up_months ? month + 1 : end;
  return decay_half_life_months > 0.0 && !std::isinf(decay_half_life_months) ? month + 1 : never_month;
}

int steps_until(double clock, double hazard, int never) {
  if (!(hazard > 0.0)) return never;
  if (!(clock > 0.0)) return 1;
  const double n = std::ceil(clock / hazard);
  if (!(n < static_cast<double>(never))) return never;
  return std::max(1, static_cast<int>(n));
}

namespace {
double hazard_of(double per_step_probability) { return -std::log1p(-std::min(per_step_probability, 1.0 - 1e-12)); }
} // namespace

int death_step(const TransitionModel& m, const Streams& streams, std::uint32_t iteration, std::uint32_t person,
               bool adult, int age_months, int k, int steps) {
  if (m.death_adult <= 0.0 && m.death_child <= 0.0) return steps;
  const double clock = Streams::clock(streams.block(Purpose::death, iteration, person, 0)[0]);
  // Child's hazard in steps whose starting age is under 18, adult's from then on.
  const int child_steps = adult ? 0 : std::clamp((adult_age_months - age_months + k - 1) / k, 0, steps);
  const double child = hazard_of(m.death_child), grown = hazard_of(m.death_adult);
  if (child_steps > 0) {
    const int n = steps_until(clock, child, steps + 1);
    if (n <= child_steps) return n - 1;
  }
  const double left = clock - child * child_steps;
  const int n = steps_until(left, grown, steps + 1);
  return std::min(steps, child_steps + n - 1);
}

int moving_step(const TransitionModel& m, const Streams& streams, std::uint32_t iteration, std::uint32_t household,
                int steps) {
  if (m.moving_away <= 0.0) return steps;
  const double clock = Streams::clock(streams.block(Purpose::household, iteration, household, 0)[0]);
  return std::min(steps, steps_until(clock, hazard_of(m.moving_away), steps + 1) - 1);
}

TransitionModel build_transition_model(const Scenario& s, const Layout& L, const ParameterSampler& sampler) {
  TransitionModel m;
  const int k = L.cycle_months;
  // A risk difference may open a move that has no probability of its own: give such moves
  // a place (probability 0) in the row, so the effect has something to add to.
  std::vector<std::vector<std::vector<int>>> opened(L.domains);
  for (int d = 0; d < L.domains; ++d) opened[d].resize(L.states[d]);
  for (const auto& v : s.variants)
    for (const auto& iv : v.interventions)
      for (const auto& e : iv.effects)
        if (!e.is_hazard_ratio && e.domain >= 0 && e.from >= 0 && e.to >= 0) opened[e.domain][e.from].push_back(e.to);
  for (int d = 0; d < L.domains; ++d) {
    const Domain& dom = s.domains[d];
    ModelDomain md;
    md.states = L.states[d];
    md.links = static_cast<int>(dom.links.size());
    md.max_bands = L.max_bands;
    std::vector<double> link_hr;
    for (const auto& link : dom.links) {
      std::uint64_t bits = 0;
      for (int st : link.when.states) bits |= 1ULL << st;
      // An attribute or age link holds by the person's attribute or age, never by a state (no
      // state bits): the kernels add it from HouseholdRules::attribute_links and age_links.
      if (link.attribute || link.age) md.link_conditions.push_back({0, StateCondition::Scope::self, 0});
      else md.link_conditions.push_back({link.when.domain, link.when.scope, bits});
      link_hr.push_back(sampler.draw(link.hazard_ratio));
    }
    const unsigned masks = 1u << md.links;
    const std::size_t rows = md.row_count();
    md.row_start.assign(rows, 0);
    md.row_length.assign(rows, 0);
    md.total_hazard.assign(rows, 0.0);
    // A scenario band spans one or more tally bands; each draw is keyed by the band's
    // path, so every tally band of it gets the same values.
    for (int st = 0; st < md.states; ++st) {
      for (int tb = 0; tb < static_cast<int>(L.edges[d][st].size()) + 1; ++tb) {
        int from_month = tb == 0 ? 0 : L.edges[d][st][tb - 1];
        const TransitionBand* b = band_for(dom, st, from_month);
        std::vector<double> p_month;
        std::vector<int> dest;
        if (b) {
          p_month = draw_band(*b, sampler);
          dest = b->destinations;
        }
        for (int to : opened[d][st])
          if (std::find(dest.begin(), dest.end(), to) == dest.end()) {
            dest.push_back(to);
            p_month.push_back(0.0);
          }
        std::vector<double> lambda;
        hazards_from_monthly(p_month, k, lambda);
        for (unsigned mask = 0; mask < masks; ++mask) {
          std::vector<double> lam = lambda;
          for (int l = 0; l < md.links; ++l) {
            if (!(mask & (1u << l)) || dom.links[l].from != st) continue;
            for (std::size_t j = 0; j < dest.size(); ++j)
              if (dest[j] == dom.links[l].to) lam[j] *= link_hr[l];
          }
          std::vector<double> p(lam.size());
          std::vector<std::uint32_t> t(lam.size());
          probabilities_from_hazards(lam.data(), static_cast<int>(lam.size()), p.data());
          thresholds_from_probabilities(p.data(), static_cast<int>(p.size()), t.data());
          const std::size_t r = md.row_key(st, tb, mask).index();
          md.row_start[r] = static_cast<std::uint32_t>(md.destination.size());
          md.row_length[r] = static_cast<std::uint8_t>(dest.size());
          double total = 0.0;
          for (double x : lam) total += x;
          md.total_hazard[r] = total;
          for (std::size_t j = 0; j < dest.size(); ++j) {
            md.destination.push_back(static_cast<std::uint8_t>(dest[j]));
            md.threshold.push_back(t[j]);
            md.hazard.push_back(lam[j]);
          }
        }
      }
    }
    m.domains.push_back(std::move(md));
  }
  auto per_step = [&](const Quantity& q) { return -std::expm1(std::log1p(-std::min(sampler.draw(q), 1.0 - 1e-12)) * k); };
  m.death_adult = per_step(s.exits.mortality_adult);
  m.death_child = per_step(s.exits.mortality_child);
  m.moving_away = per_step(s.exits.moving_away);

  for (const auto& v : s.variants) {
    ModelVariant mv;
    mv.effects_from.resize(L.domains);
    for (int d = 0; d < L.domains; ++d) mv.effects_from[d].resize(L.states[d]);
    for (std::size_t i = 0; i < v.interventions.size(); ++i) {
      const Intervention& iv = v.interventions[i];
      ModelIntervention mi;
      mi.name_key = path_key("intervention:" + iv.id);
      mi.eligible = &iv.eligible;
      mi.uptake = std::clamp(sampler.draw(iv.uptake), 0.0, 1.0);
      // Capacity: households at once, or staff pairs x households per pair; -1: no limit.
      double households = sampler.draw(iv.capacity_households);
      double staff = sampler.draw(iv.staff), per_pair = sampler.draw(iv.households_per_staff_pair);
      if (households > 0.0) mi.capacity = rounded(households);
      else if (staff > 0.0 && per_pair > 0.0) mi.capacity = rounded(staff / 2.0 * per_pair);
      else mi.capacity = -1;
      mi.intake_per_month = std::max(0.0, sampler.draw(iv.intake_per_month));
      mi.start_month = iv.start_month;
      mi.end_month = iv.start_month + iv.duration_months;
      mi.stay_months = iv.stay_months > 0 ? iv.stay_months : iv.duration_months;
      mv.interventions.push_back(mi);
      const EffectHaircut& haircut = s.effect_haircut(iv);
      // An effect of intervention i on domain.from->to, with e's timing; its value is set by
      // the caller (drawn, or solved for a success rate).
      const auto effect_on = [i](int domain, int from, int to, const Effect& e) {
        ModelEffect me;
        me.intervention = static_cast<int>(i);
        me.domain = domain;
        me.from = from;
        me.to = to;
        me.ramp_up_months = e.ramp_up_months;
        me.decay_half_life_months = e.decay_half_life_months;
        return me;
      };
      const auto add_effect = [&mv](const ModelEffect& me) {
        mv.effects_from[me.domain][me.from].push_back(static_cast<int>(mv.effects.size()));
        mv.effects.push_back(me);
      };
      for (const auto& e : iv.effects) {
        if (e.success_rate) {
          // One effect per via transition, at ratio 1 until the solve sets the ratio.
          ModelSuccessRate sr;
          sr.effect = &e;
          sr.indicator = e.success_rate->indicator;
          sr.point = e.success_rate->at_month / 12 - 1; // the project-year ends come first
          sr.difference = sampler.draw(e.value);
          if (haircut.used()) sr.difference *= 1.0 - haircut.share;
          if (e.scale != 1.0) sr.difference *= e.scale;
          for (const auto& via : e.success_rate->via) {
            sr.effects.push_back(static_cast<int>(mv.effects.size()));
            add_effect(effect_on(via.domain, via.from, via.to, e));
          }
          mv.success_rates.push_back(std::move(sr));
          continue;
        }
        ModelEffect me = effect_on(e.domain, e.from, e.to, e);
        me.hazard_ratio = e.is_hazard_ratio;
        me.value = sampler.draw(e.value);
        // The haircut (EffectHaircut, scenario.hpp) on the log hazard ratio or the difference;
        // none leaves the drawn value bit for bit.
        if (haircut.used()) me.value = me.hazard_ratio ? std::pow(me.value, 1.0 - haircut.share) : me.value * (1.0 - haircut.share);
        if (e.scale != 1.0) me.value = me.hazard_ratio ? std::pow(me.value, e.scale) : me.value * e.scale; // a sweep's
        if (!me.hazard_ratio) me.value *= k; // a monthly risk difference over a k-month step
        add_effect(me);
      }
    }
    m.variants.push_back(std::move(mv));
  }
  return m;
}

} // namespace socinvest
