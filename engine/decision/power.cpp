#include <socinvest/decision/power.hpp>

#include <socinvest/errors.hpp>
#include <socinvest/interventions/enrolment.hpp>
#include <socinvest/model/layout.hpp>
#include <socinvest/model/transition_model.hpp>
#include <socinvest/montecarlo/success_rate.hpp>
#include <socinvest/population/population.hpp>

#include <boost/math/distributions/normal.hpp>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <set>
#include <string>

namespace socinvest {

namespace {

double normal_quantile(double p) { return boost::math::quantile(boost::math::normal(), p); }
double normal_cdf(double x) { return boost::math::cdf(boost::math::normal(), x); }

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// The seed of the random numbers of arm `arm` (0 treatment, 1 control), use `use` (a
/// population draw k, or 1'000'000 + a segment's paths): apart from the parameters'
/// stream (the run seed itself) and from each other, so the arms share no random number.
std::uint64_t arm_seed(std::uint64_t seed, int arm, int use) {
  return splitmix(seed ^ splitmix(0x706F776572000000ull + (static_cast<std::uint64_t>(arm) << 32) +
                                  static_cast<std::uint64_t>(use)));
}

/// A participant of a drawn population: its household and enrolment months.
struct Candidate {
  const Population* population = nullptr;
  int household = 0;
  std::vector<int> start, end; ///< per intervention of the variant
};

/// Persons' counts of one arm at one sample size.
struct ArmCount {
  std::uint64_t met = 0, base = 0;
};

/// The households of one arm: participants of populations drawn on the arm's own random
/// numbers, as the scenario enrols them, in a random order, until there are `needed`.
class ArmPool {
public:
  ArmPool(const Scenario& s, const TransitionModel& model, const Population* extract, const PowerDesign& d,
          std::uint32_t trial, int arm)
      : s_(s), model_(model), extract_(extract), d_(d), trial_(trial), arm_(arm) {}

  const std::vector<Candidate>& draw(std::size_t needed) {
    const int horizon = enrolment_horizon(model_, s_.run.horizon_months());
    int empty_draws = 0;
    while (pool_.size() < needed) {
      if (d_.cancel && d_.cancel->load()) throw Cancelled();
      const Streams streams(arm_seed(d_.seed, arm_, draws_++));
      auto pop = std::make_unique<Population>(population_for_iteration(s_, extract_, streams, trial_));
      const std::vector<int> exits = household_exit_months(model_, *pop, streams, trial_, horizon, s_.run.cycle_months);
      const Enrolment e = schedule_enrolment(s_, model_.variants[d_.variant], *pop, streams, trial_, exits);
      const int H = e.households;
      const std::size_t ivs = model_.variants[d_.variant].interventions.size();
      std::vector<std::pair<double, int>> order;
      for (int h = 0; h < H; ++h) {
        if (!e.participant[h]) continue;
        int first = std::numeric_limits<int>::max();
        for (std::size_t iv = 0; iv < ivs; ++iv) {
          const int st = e.start[iv * static_cast<std::size_t>(H) + h];
          if (st >= 0) first = std::min(first, st);
        }
        // Randomised at intake: a household not yet enrolled when the indicator is
        // measured is not yet in the trial.
        if (first >= d_.at_month) continue;
        order.emplace_back(streams.uniform(Purpose::enrolment, trial_, static_cast<std::uint32_t>(h), 0x706F7772u), h);
      }
      std::sort(order.begin(), order.end());
      for (const auto& [u, h] : order) {
        Candidate c;
        c.population = pop.get();
        c.household = h;
        for (std::size_t iv = 0; iv < ivs; ++iv) {
          c.start.push_back(e.start[iv * static_cast<std::size_t>(H) + h]);
          c.end.push_back(e.end[iv * static_cast<std::size_t>(H) + h]);
        }
        pool_.push_back(std::move(c));
      }
      populations_.push_back(std::move(pop));
      empty_draws = order.empty() ? empty_draws + 1 : 0;
      if (empty_draws >= 50)
        throw Error(ExitCode::invalid_scenario,
                    "power: variant '" + s_.variants[d_.variant].id + "' enrols no household before month " +
                        std::to_string(d_.at_month) + " in 50 populations drawn in a row: there is nobody to randomise");
    }
    return pool_;
  }

private:
  const Scenario& s_;
  const TransitionModel& model_;
  const Population* extract_;
  const PowerDesign& d_;
  std::uint32_t trial_;
  int arm_;
  int draws_ = 0;
  std::vector<Candidate> pool_;
  std::vector<std::unique_ptr<Population>> populations_;
};

/// The population of candidates [from, to) and their enrolment in the variant.
void sub_population(const std::vector<Candidate>& pool, std::size_t from, std::size_t to, int variant_interventions,
                    Population& out, Enrolment& enrolment) {
  const int D = pool[from].population->domains;
  out = Population{};
  out.domains = D;
  out.attributes = pool[from].population->attributes; // attributes (links on them read them)
  const auto n = static_cast<int>(to - from);
  enrolment = Enrolment{};
  enrolment.households = n;
  enrolment.start.assign(static_cast<std::size_t>(variant_interventions) * n, -1);
  enrolment.end.assign(static_cast<std::size_t>(variant_interventions) * n, -1);
  enrolment.participant.assign(static_cast<std::size_t>(n), 1);
  for (std::size_t k = from; k < to; ++k) {
    const Candidate& c = pool[k];
    const Population& p = *c.population;
    const int h = static_cast<int>(k - from);
    out.household_first.push_back(static_cast<std::uint32_t>(out.persons()));
    out.household_size.push_back(p.household_size[c.household]);
    for (int i = 0; i < p.household_size[c.household]; ++i) {
      const std::uint32_t q = p.household_first[c.household] + i;
      out.role.push_back(p.role[q]);
      out.age_months.push_back(p.age_months[q]);
      for (int dd = 0; dd < D; ++dd) {
        out.state.push_back(p.state[static_cast<std::size_t>(q) * D + dd]);
        out.months_in_state.push_back(p.months_in_state[static_cast<std::size_t>(q) * D + dd]);
      }
      if (!p.refusion_months.empty()) out.refusion_months.push_back(p.refusion_months[q]);
      if (!p.refusion_legacy.empty()) out.refusion_legacy.push_back(p.refusion_legacy[q]);
      for (int a = 0; a < p.attributes; ++a) out.attribute.push_back(static_cast<std::uint8_t>(p.attribute_of(q, a)));
    }
    for (int iv = 0; iv < variant_interventions; ++iv) {
      enrolment.start[static_cast<std::size_t>(iv) * n + h] = c.start[iv];
      enrolment.end[static_cast<std::size_t>(iv) * n + h] = c.end[iv];
    }
  }
}

/// One simulated trial: per sample size (cumulative arm sizes), the persons meeting the
/// indicator and the persons it applies to, in each arm.
struct TrialCounts {
  std::vector<ArmCount> treatment, control;
  std::vector<ArmCount> pre_treatment, pre_control; ///< with a pre-period: its samples
  std::vector<ChangeSums> change_treatment, change_control; ///< with the panel design: per-person changes
};

TrialCounts simulate_trial(const Scenario& s, const Layout& layout, const Population* extract, const PowerDesign& d,
                           const std::vector<ArmSizes>& sizes, std::uint32_t trial, int point, int pre_point) {
  const Streams parameter_streams(d.seed);
  const ParameterSampler sampler(parameter_streams, trial, d.parameters);
  // Not const: success-rate effects get their hazard ratios solved on the treatment arm.
  TransitionModel model = build_transition_model(s, layout, sampler);
  const int interventions = static_cast<int>(model.variants[d.variant].interventions.size());
  TrialCounts out;
  for (int arm = 0; arm < 2; ++arm) {
    std::vector<std::size_t> cumulative;
    for (const auto& a : sizes) cumulative.push_back(static_cast<std::size_t>(arm == 0 ? a.treatment : a.control));
    ArmPool pool(s, model, extract, d, trial, arm);
    const std::size_t post = cumulative.back();
    const bool panel = pre_point >= 0 && d.did_design == DidDesign::panel;
    // With a pre-period of cross-sections, a second, independent sample of the arm after the
    // first; the panel design measures the same persons twice.
    const std::vector<Candidate>& candidates = pool.draw(pre_point >= 0 && !panel ? 2 * post : post);
    if (arm == 0 && !model.variants[d.variant].success_rates.empty()) {
      // Success-rate effects (montecarlo/success_rate.hpp): solved on the treatment arm's
      // households against their own baseline paths, on random numbers of their own.
      Population all;
      std::vector<Enrolment> enrolment(s.variants.size());
      sub_population(candidates, 0, post, interventions, all, enrolment[d.variant]);
      const Streams streams(arm_seed(d.seed, arm, 2'000'000));
      const SimulationContext context{s, layout, model, all, enrolment, streams, trial, d.cancel, d.kernel};
      const Tally baseline = simulate_variant(context, 0);
      solve_success_rates(context, model, d.variant, baseline);
    }
    for (const bool pre : {false, true}) {
      if (pre && (pre_point < 0 || panel)) break;
      std::vector<ArmCount>& counts =
          pre ? (arm == 0 ? out.pre_treatment : out.pre_control) : (arm == 0 ? out.treatment : out.control);
      const std::size_t offset = pre ? post : 0;
      const int at = pre ? pre_point : point;
      ArmCount running;
      ChangeSums changes;
      std::size_t from = 0;
      for (std::size_t k = 0; k < cumulative.size(); ++k) {
        const std::size_t to = cumulative[k];
        if (to > from) {
          Population sub;
          std::vector<Enrolment> enrolment(s.variants.size());
          sub_population(candidates, offset + from, offset + to, interventions, sub, enrolment[d.variant]);
          // Each segment its own paths: no two share a random number. The pre-period is
          // before the project: baseline paths in both arms.
          const Streams streams(arm_seed(d.seed, arm, (pre ? 3'000'000 : 1'000'000) + static_cast<int>(k)));
          // The panel design keeps each person's indicator at both points of the same paths.
          PersonIndicators persons;
          if (panel) {
            persons.indicator = d.indicator;
            persons.points = static_cast<int>(layout.points.months.size());
            persons.value.assign(static_cast<std::size_t>(sub.persons()) * persons.points, 0);
          }
          const SimulationContext context{s,        layout,  model,    sub,      enrolment,
                                          streams,  trial,   d.cancel, d.kernel, panel ? &persons : nullptr};
          const Tally t = simulate_variant(context, arm == 0 && !pre ? d.variant : 0);
          running.met += t.indicator_met[t.indicator_index(0, at, d.indicator)];
          running.base += t.indicator_base[t.indicator_index(0, at, d.indicator)];
          for (int q = 0; panel && q < sub.persons(); ++q) {
            const std::uint8_t before = persons.value[static_cast<std::size_t>(q) * persons.points + pre_point];
            const std::uint8_t after = persons.value[static_cast<std::size_t>(q) * persons.points + point];
            if (before > 0 && after > 0) changes.add(before == 2, after == 2); // a balanced panel
          }
        }
        counts.push_back(running);
        if (panel) (arm == 0 ? out.change_treatment : out.change_control).push_back(changes);
        from = to;
      }
    }
  }
  return out;
}

/// Smallest households (both arms) with closed-form power >= target; 0 when not up to `max`.
int closed_form_households(double p_t, double p_c, double persons_per_household, double share, double alpha,
                           double target, int max) {
  if (!(persons_per_household > 0.0) || p_t == p_c) return 0;
  auto power_at = [&](int n) {
    const ArmSizes a = arm_sizes(n, share);
    return two_proportion_power(p_t, p_c, a.treatment * persons_per_household, a.control * persons_per_household, alpha);
  };
  if (power_at(max) < target) return 0;
  int lo = 2, hi = max; // power_at(hi) >= target
  if (power_at(lo) >= target) return lo;
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    (power_at(mid) >= target ? hi : lo) = mid;
  }
  return hi;
}

std::vector<PowerPoint> run_trials(const Scenario& s, const Layout& layout, const Population* extract,
                                   const PowerDesign& d, const std::vector<int>& households, int trials, int point,
                                   int pre_point, std::atomic<int>& done, int total) {
  std::vector<ArmSizes> sizes;
  for (int n : households) sizes.push_back(arm_sizes(n, d.treatment_share));
  std::vector<TrialCounts> counts(static_cast<std::size_t>(trials));
  tbb::task_arena arena(d.threads > 0 ? d.threads : tbb::info::default_concurrency());
  arena.execute([&] {
    tbb::parallel_for(0, trials, [&](int t) {
      if (d.cancel && d.cancel->load()) return;
      counts[static_cast<std::size_t>(t)] =
          simulate_trial(s, layout, extract, d, sizes, static_cast<std::uint32_t>(t), point, pre_point);
      const int finished = ++done;
      if (d.progress) d.progress(finished, total);
    });
  });
  if (d.cancel && d.cancel->load()) throw Cancelled();
  std::vector<PowerPoint> curve;
  for (std::size_t k = 0; k < households.size(); ++k) {
    PowerPoint p;
    p.households = households[k];
    p.arms = sizes[k];
    p.trials = trials;
    double correlations = 0;
    for (const auto& c : counts) {
      const ArmCount& a = c.treatment[k];
      const ArmCount& b = c.control[k];
      const auto mt = static_cast<double>(a.met), bt = static_cast<double>(a.base);
      const auto mc = static_cast<double>(b.met), bc = static_cast<double>(b.base);
      if (two_proportion_rejects(mt, bt, mc, bc, d.alpha)) ++p.rejections;
      p.share_treatment += (bt > 0 ? mt / bt : 0.0) / trials;
      p.share_control += (bc > 0 ? mc / bc : 0.0) / trials;
      p.persons_treatment += bt / trials;
      p.persons_control += bc / trials;
      if (pre_point >= 0 && d.did_design == DidDesign::panel) {
        const ChangeSums& a0 = c.change_treatment[k];
        const ChangeSums& b0 = c.change_control[k];
        if (panel_did_rejects(a0, b0, d.alpha)) ++p.did_rejections;
        p.panel_persons_treatment += a0.n / trials;
        p.panel_persons_control += b0.n / trials;
        p.change_treatment += a0.mean() / trials;
        p.change_control += b0.mean() / trials;
        p.change_variance_treatment += a0.variance() / trials;
        p.change_variance_control += b0.variance() / trials;
        p.share_pre_treatment += (a0.n > 0 ? a0.pre / a0.n : 0.0) / trials;
        p.share_pre_control += (b0.n > 0 ? b0.pre / b0.n : 0.0) / trials;
        p.persons_pre_treatment += a0.n / trials;
        p.persons_pre_control += b0.n / trials;
        // The within-person correlation of before and after, each arm's, averaged.
        for (const ChangeSums* arm : {&a0, &b0}) {
          if (!(arm->n > 0)) continue;
          const double x = arm->pre / arm->n, y = arm->post / arm->n;
          const double v = x * (1 - x) * y * (1 - y);
          if (v > 0) {
            p.pre_post_correlation += (arm->both / arm->n - x * y) / std::sqrt(v);
            correlations += 1;
          }
        }
      } else if (pre_point >= 0) {
        const ArmCount& a0 = c.pre_treatment[k];
        const ArmCount& b0 = c.pre_control[k];
        const auto mt0 = static_cast<double>(a0.met), bt0 = static_cast<double>(a0.base);
        const auto mc0 = static_cast<double>(b0.met), bc0 = static_cast<double>(b0.base);
        if (did_rejects(mt, bt, mt0, bt0, mc, bc, mc0, bc0, d.alpha)) ++p.did_rejections;
        p.share_pre_treatment += (bt0 > 0 ? mt0 / bt0 : 0.0) / trials;
        p.share_pre_control += (bc0 > 0 ? mc0 / bc0 : 0.0) / trials;
        p.persons_pre_treatment += bt0 / trials;
        p.persons_pre_control += bc0 / trials;
      }
    }
    if (correlations > 0) p.pre_post_correlation /= correlations;
    if (pre_point >= 0) {
      p.did_power = static_cast<double>(p.did_rejections) / trials;
      p.did_power_se = std::sqrt(p.did_power * (1.0 - p.did_power) / trials);
    }
    if (pre_point >= 0 && d.did_design == DidDesign::panel) {
      p.did_closed_form_power = panel_did_power_closed_form(p.change_treatment, p.change_variance_treatment,
                                                            p.panel_persons_treatment, p.change_control,
                                                            p.change_variance_control, p.panel_persons_control, d.alpha);
    } else if (pre_point >= 0) {
      p.did_closed_form_power =
          did_power_closed_form(p.share_treatment, p.share_pre_treatment, p.share_control, p.share_pre_control,
                                p.persons_treatment, p.persons_pre_treatment, p.persons_control, p.persons_pre_control,
                                d.alpha);
    }
    p.power = static_cast<double>(p.rejections) / trials;
    p.power_se = std::sqrt(p.power * (1.0 - p.power) / trials);
    p.closed_form_power =
        two_proportion_power(p.share_treatment, p.share_control, p.persons_treatment, p.persons_control, d.alpha);
    curve.push_back(p);
  }
  return curve;
}

} // namespace

ArmSizes arm_sizes(int households, double share) {
  ArmSizes a;
  a.treatment = std::clamp(static_cast<int>(std::lround(share * households)), 1, std::max(1, households - 1));
  a.control = std::max(1, households - a.treatment);
  return a;
}

double two_proportion_power(double p_t, double p_c, double n_t, double n_c, double alpha) {
  if (!(n_t > 0.0) || !(n_c > 0.0)) return 0.0;
  const double pooled = (n_t * p_t + n_c * p_c) / (n_t + n_c);
  const double null_sd = std::sqrt(pooled * (1.0 - pooled) * (1.0 / n_t + 1.0 / n_c));
  const double alt_sd = std::sqrt(p_t * (1.0 - p_t) / n_t + p_c * (1.0 - p_c) / n_c);
  if (!(alt_sd > 0.0)) return std::abs(p_t - p_c) > 0.0 ? 1.0 : 0.0;
  const double z = normal_quantile(1.0 - alpha / 2.0);
  const double diff = p_t - p_c;
  return normal_cdf((diff - z * null_sd) / alt_sd) + normal_cdf((-diff - z * null_sd) / alt_sd);
}

double did_power_closed_form(double p_tpost, double p_tpre, double p_cpost, double p_cpre, double n_tpost, double n_tpre,
                             double n_cpost, double n_cpre, double alpha) {
  if (!(n_tpost > 0.0) || !(n_tpre > 0.0) || !(n_cpost > 0.0) || !(n_cpre > 0.0)) return 0.0;
  const double delta = (p_tpost - p_tpre) - (p_cpost - p_cpre);
  const double sd = std::sqrt(p_tpost * (1.0 - p_tpost) / n_tpost + p_tpre * (1.0 - p_tpre) / n_tpre +
                              p_cpost * (1.0 - p_cpost) / n_cpost + p_cpre * (1.0 - p_cpre) / n_cpre);
  if (!(sd > 0.0)) return std::abs(delta) > 0.0 ? 1.0 : 0.0;
  const double z = normal_quantile(1.0 - alpha / 2.0);
  return normal_cdf(delta / sd - z) + normal_cdf(-delta / sd - z);
}

bool did_rejects(double m_tpost, double b_tpost, double m_tpre, double b_tpre, double m_cpost, double b_cpost,
                 double m_cpre, double b_cpre, double alpha) {
  if (!(b_tpost > 0.0) || !(b_tpre > 0.0) || !(b_cpost > 0.0) || !(b_cpre > 0.0)) return false;
  auto var = [](double m, double b) { return (m / b) * (1.0 - m / b) / b; };
  const double v = var(m_tpost, b_tpost) + var(m_tpre, b_tpre) + var(m_cpost, b_cpost) + var(m_cpre, b_cpre);
  if (!(v > 0.0)) return false;
  const double delta = (m_tpost / b_tpost - m_tpre / b_tpre) - (m_cpost / b_cpost - m_cpre / b_cpre);
  return std::abs(delta) / std::sqrt(v) > normal_quantile(1.0 - alpha / 2.0);
}

void ChangeSums::add(int pre_met, int post_met) {
  const double change = post_met - pre_met;
  n += 1;
  sum += change;
  sum_sq += change * change;
  pre += pre_met;
  post += post_met;
  both += pre_met * post_met;
}

void ChangeSums::add(const ChangeSums& o) {
  n += o.n;
  sum += o.sum;
  sum_sq += o.sum_sq;
  pre += o.pre;
  post += o.post;
  both += o.both;
}

double ChangeSums::variance() const { return n > 1 ? (sum_sq - sum * sum / n) / (n - 1) : 0.0; }

double panel_did_power_closed_form(double mean_t, double var_t, double n_t, double mean_c, double var_c, double n_c,
                                   double alpha) {
  if (!(n_t > 0.0) || !(n_c > 0.0)) return 0.0;
  const double delta = mean_t - mean_c;
  const double sd = std::sqrt(var_t / n_t + var_c / n_c);
  if (!(sd > 0.0)) return std::abs(delta) > 0.0 ? 1.0 : 0.0;
  const double z = normal_quantile(1.0 - alpha / 2.0);
  return normal_cdf(delta / sd - z) + normal_cdf(-delta / sd - z);
}

bool panel_did_rejects(const ChangeSums& t, const ChangeSums& c, double alpha) {
  if (t.n < 2 || c.n < 2) return false;
  const double v = t.variance() / t.n + c.variance() / c.n;
  if (!(v > 0.0)) return false;
  return std::abs(t.mean() - c.mean()) / std::sqrt(v) > normal_quantile(1.0 - alpha / 2.0);
}

bool two_proportion_rejects(double m_t, double b_t, double m_c, double b_c, double alpha) {
  if (!(b_t > 0.0) || !(b_c > 0.0)) return false;
  const double pooled = (m_t + m_c) / (b_t + b_c);
  const double var = pooled * (1.0 - pooled) * (1.0 / b_t + 1.0 / b_c);
  if (!(var > 0.0)) return false;
  return std::abs(m_t / b_t - m_c / b_c) / std::sqrt(var) > normal_quantile(1.0 - alpha / 2.0);
}

void check_power_design(const Scenario& s, const PowerDesign& d) {
  auto usage = [](const std::string& m) { throw Error(ExitCode::usage, m); };
  if (d.variant <= 0 || d.variant >= static_cast<int>(s.variants.size())) usage("power: no such variant");
  if (d.indicator < 0 || d.indicator >= static_cast<int>(s.indicators.size())) {
    std::string known;
    for (const auto& i : s.indicators) known += (known.empty() ? "" : ", ") + i.id;
    usage("--indicator: no such indicator (indicators: " + (known.empty() ? std::string("none") : known) + ")");
  }
  const int H = s.run.horizon_months();
  if (d.at_month <= 0 || d.at_month % 12 != 0 || d.at_month > H)
    usage("--at-month " + std::to_string(d.at_month) +
          ": indicators are measured at the ends of project years, months 12, 24, ... up to the horizon's " +
          std::to_string(H));
  if (d.pre_month != 0 && (d.pre_month <= 0 || d.pre_month % 12 != 0 || d.pre_month >= d.at_month))
    usage("--pre-month " + std::to_string(d.pre_month) +
          ": the pre-period is measured at an earlier project-year end than --at-month " + std::to_string(d.at_month) +
          " (12, 24, ... below it); 0 or absent: no difference-in-differences");
  if (d.households < 2) usage("--households: at least 2 households (one in each arm), got " + std::to_string(d.households));
  if (!(d.treatment_share > 0.0 && d.treatment_share < 1.0)) usage("--treatment-share: a share above 0 and below 1");
  if (!(d.alpha > 0.0 && d.alpha < 1.0)) usage("--alpha: a level above 0 and below 1");
  if (!(d.target_power > 0.0 && d.target_power < 1.0)) usage("power: the target power lies above 0 and below 1");
  if (d.trials < 1) usage("--trials: at least 1");
  if (d.max_households < d.households) usage("--max-households: at least --households");
}

PowerResult simulate_power(const Scenario& s, const PowerDesign& d) {
  check_power_design(s, d);
  const Layout layout = make_layout(s);
  int point = -1;
  for (std::size_t p = 0; p < layout.points.months.size(); ++p)
    if (layout.points.months[p] == d.at_month) point = static_cast<int>(p);
  if (point < 0) throw Error(ExitCode::usage, "--at-month: no measurement at month " + std::to_string(d.at_month));
  int pre_point = -1;
  for (std::size_t p = 0; d.pre_month > 0 && p < layout.points.months.size(); ++p)
    if (layout.points.months[p] == d.pre_month) pre_point = static_cast<int>(p);
  Population extract;
  const bool from_csv = !s.population.csv_path.empty();
  if (from_csv) extract = read_population_csv(s);
  const Population* ex = from_csv ? &extract : nullptr;

  // A pilot at the design's size gives the shares the grid of sample sizes is set around.
  const int pilot = std::min(d.trials, 100);
  std::atomic<int> done{0};
  const PowerPoint first = run_trials(s, layout, ex, d, {d.households}, pilot, point, pre_point, done, pilot).front();
  const ArmSizes design_arms = arm_sizes(d.households, d.treatment_share);
  const double per_household =
      (first.persons_treatment + first.persons_control) / (design_arms.treatment + design_arms.control);
  const int needed = closed_form_households(first.share_treatment, first.share_control, per_household,
                                            d.treatment_share, d.alpha, d.target_power, d.max_households);
  std::set<int> grid{d.households};
  if (needed > 0) {
    for (double f : {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0})
      grid.insert(std::clamp(static_cast<int>(std::lround(f * needed)), 2, d.max_households));
  } else {
    for (double n = d.households / 4.0; n < d.max_households; n *= 2.0) grid.insert(std::max(2, static_cast<int>(n)));
    grid.insert(d.max_households);
  }
  const std::vector<int> households(grid.begin(), grid.end());

  PowerResult r;
  r.design = d;
  done = 0;
  r.curve = run_trials(s, layout, ex, d, households, d.trials, point, pre_point, done, d.trials);
  for (std::size_t k = 0; k < r.curve.size(); ++k)
    if (r.curve[k].households == d.households) r.design_point = static_cast<int>(k);
  const PowerPoint& at = r.curve[r.design_point];
  r.share_treatment = at.share_treatment;
  r.share_control = at.share_control;
  r.persons_per_household = (at.persons_treatment + at.persons_control) / (at.arms.treatment + at.arms.control);

  // The minimum detectable effect, closed form at the control share and the design's persons.
  const double pc = r.share_control;
  const double sign = r.share_treatment >= pc ? 1.0 : -1.0;
  const double room = sign > 0 ? 1.0 - pc : pc;
  auto power_of = [&](double diff) {
    return two_proportion_power(pc + sign * diff, pc, at.persons_treatment, at.persons_control, d.alpha);
  };
  if (room > 0.0 && power_of(room) >= d.target_power) {
    double lo = 0.0, hi = room;
    for (int i = 0; i < 60; ++i) {
      const double mid = 0.5 * (lo + hi);
      (power_of(mid) >= d.target_power ? hi : lo) = mid;
    }
    r.minimum_detectable_effect = hi;
  } else {
    r.minimum_detectable_effect = std::numeric_limits<double>::quiet_NaN();
  }
  r.households_needed_closed_form = closed_form_households(r.share_treatment, r.share_control, r.persons_per_household,
                                                           d.treatment_share, d.alpha, d.target_power, d.max_households);
  for (std::size_t k = 0; k < r.curve.size(); ++k) {
    if (r.curve[k].power < d.target_power) continue;
    if (k == 0) {
      r.households_needed_simulated = r.curve[k].households;
    } else {
      const PowerPoint& a = r.curve[k - 1];
      const PowerPoint& b = r.curve[k];
      const double f = (d.target_power - a.power) / (b.power - a.power);
      r.households_needed_simulated = static_cast<int>(std::ceil(a.households + f * (b.households - a.households)));
    }
    break;
  }
  return r;
}

} // namespace socinvest
