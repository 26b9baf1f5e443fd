#pragma once
// The power of a planned randomised evaluation (`socinvest power`): can a trial of the
// variant, with this many households randomised to treatment and control, see its effect on
// an indicator? The trial is simulated many times on the scenario's own model: each
// simulated trial takes one parameter draw (the "true world" of that trial, shared by both
// arms), then draws each arm's households as the scenario enrols them (eligibility, consent,
// queue and enrolment months of the variant, from populations drawn on the arm's own random
// numbers) and simulates their paths on the arm's own random numbers: the treatment arm
// with the variant's effects, the control arm without. There are NO common random numbers
// between the arms, as in a real evaluation. The indicator is measured among the persons
// of the arms' households it applies to, and a two-sided two-proportion z-test (pooled
// variance) at level alpha decides; the power is the share of trials in which it rejects.
//
// What it assumes (said in the report): persons are the units of the test, so with several
// persons of a household in the indicator's base the test ignores their correlation (it is
// then optimistic); a CSV population is sampled with replacement (its households recur
// across draws, on different random numbers); with parameter uncertainty the power is the
// average over it (the assurance), with --central the power at the medians.
#include <socinvest/model/parameters.hpp>
#include <socinvest/montecarlo/simulate.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace socinvest {

/// How a difference-in-differences measures before and after (with PowerDesign::pre_month).
enum class DidDesign : std::uint8_t { cross_sections, panel };
inline constexpr std::pair<DidDesign, std::string_view> did_design_names[] = {{DidDesign::cross_sections, "cross-sections"},
                                                                             {DidDesign::panel, "panel-did"}};

struct PowerDesign {
  int variant = -1;          ///< the variant evaluated (>= 1)
  int indicator = -1;        ///< index into Scenario::indicators
  int at_month = 12;         ///< months from run.start: a project-year end (indicators are measured there)
  /// Difference-in-differences (0: none): the outcome is also measured at this earlier
  /// project-year end, before the project, in a second, independent sample of each arm
  /// (repeated cross-sections: households drawn as the variant enrols them, on baseline
  /// paths); the estimator is the difference of the arms' changes, (post_T - pre_T) -
  /// (post_C - pre_C), tested with a Wald z-test (unpooled variances of the four shares).
  int pre_month = 0;
  /// With pre_month, DidDesign::panel: the same persons measured before and after on their
  /// own paths (the arm's, with the variant's effects in the treatment arm; an effect that
  /// begins before pre_month shows in the pre-measurement, as in a real panel), and the test is
  /// on each person's change (a balanced panel: persons in the indicator's base at both): the
  /// difference of the arms' mean changes over its Welch standard error, the variance of a
  /// change var(post) + var(pre) - 2 cov(pre, post) taking the within-person correlation in.
  DidDesign did_design = DidDesign::cross_sections;
  int households = 0;        ///< randomised households, both arms together (>= 2)
  double treatment_share = 0.5; ///< share of them in the treatment arm (0 < share < 1)
  double alpha = 0.05;       ///< two-sided significance level
  double target_power = 0.8; ///< for the minimum detectable effect and the households needed
  int trials = 400;          ///< simulated trials per sample size
  int max_households = 20000; ///< the search for the households needed stops here
  std::uint64_t seed = 1;
  ParameterSettings parameters;
  Kernel kernel = Kernel::events;
  int threads = 0;           ///< 0: all cores
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(int, int)> progress; ///< (done, total) simulated trials, from worker threads
};

/// Checks the design against the scenario; throws a usage Error naming what is wrong and
/// what is allowed (unknown indicator, a month that is no project-year end or lies beyond
/// the horizon, no households, a share or alpha out of range).
void check_power_design(const Scenario& scenario, const PowerDesign& design);

/// The arm sizes for `households` randomised: round(share x households) treated (at least
/// 1), the rest control (at least 1).
struct ArmSizes {
  int treatment = 0, control = 0;
};
ArmSizes arm_sizes(int households, double treatment_share);

/// Closed-form power of the two-sided two-proportion z-test (pooled variance under the
/// null, normal approximation): for shares p_treatment and p_control in arms of
/// n_treatment and n_control units.
double two_proportion_power(double p_treatment, double p_control, double n_treatment, double n_control, double alpha);

/// Whether the pooled two-proportion z-test rejects at level alpha (two-sided) for met/base
/// counts in each arm; never when an arm is empty or the pooled share is 0 or 1.
bool two_proportion_rejects(double met_treatment, double base_treatment, double met_control, double base_control,
                            double alpha);

/// Closed-form power of the two-sided Wald z-test of a difference-in-differences of
/// proportions from four independent samples (treatment post and pre, control post and
/// pre): delta = (p_tpost - p_tpre) - (p_cpost - p_cpre), variance the sum of p (1 - p) / n
/// of the four, power = Phi(delta / sd - z) + Phi(-delta / sd - z), z = Phi^-1(1 - alpha / 2).
double did_power_closed_form(double p_tpost, double p_tpre, double p_cpost, double p_cpre, double n_tpost, double n_tpre,
                             double n_cpost, double n_cpre, double alpha);

/// Whether that test rejects for met/base counts of the four samples (never when one is empty
/// or every estimated variance is 0).
bool did_rejects(double m_tpost, double b_tpost, double m_tpre, double b_tpre, double m_cpost, double b_cpost,
                 double m_cpre, double b_cpre, double alpha);

/// Closed-form power of the two-sided z-test of a difference in mean per-person changes
/// (panel difference-in-differences): Phi(delta / sd - z) + Phi(-delta / sd - z), delta =
/// mean_t - mean_c, sd = sqrt(var_t / n_t + var_c / n_c).
double panel_did_power_closed_form(double mean_t, double var_t, double n_t, double mean_c, double var_c, double n_c,
                                   double alpha);

/// Per-person changes (post - pre) of one arm: persons, their sum and sum of squares, and the
/// sums the within-person correlation needs.
struct ChangeSums {
  double n = 0, sum = 0, sum_sq = 0;       ///< of the change
  double pre = 0, post = 0, both = 0;      ///< persons met before, after, and at both
  void add(int pre_met, int post_met);
  void add(const ChangeSums& o);
  [[nodiscard]] double mean() const { return n > 0 ? sum / n : 0.0; }
  [[nodiscard]] double variance() const; ///< with n - 1
};
/// Whether that test rejects for the arms' change sums (never with fewer than 2 persons in an
/// arm or both variances 0).
bool panel_did_rejects(const ChangeSums& treatment, const ChangeSums& control, double alpha);

/// One sample size of the power curve.
struct PowerPoint {
  int households = 0; ///< randomised, both arms
  ArmSizes arms;
  int trials = 0;
  int rejections = 0;
  double power = 0.0;    ///< rejections / trials
  double power_se = 0.0; ///< its Monte Carlo standard error
  double share_treatment = 0.0, share_control = 0.0; ///< mean indicator shares over the trials
  double persons_treatment = 0.0, persons_control = 0.0; ///< mean persons in the indicator's base
  double closed_form_power = 0.0; ///< at the mean shares and persons above
  /// With a pre-period (PowerDesign::pre_month): the difference-in-differences test.
  int did_rejections = 0;
  double did_power = 0.0, did_power_se = 0.0;
  double share_pre_treatment = 0.0, share_pre_control = 0.0; ///< mean pre-period shares
  double persons_pre_treatment = 0.0, persons_pre_control = 0.0;
  double did_closed_form_power = 0.0; ///< did_power_closed_form at the mean shares and persons
  /// With DidDesign::panel, instead of the did_ fields' cross-sections (which then hold the
  /// panel test: did_rejections, did_power, did_power_se, did_closed_form_power): the means
  /// over the trials of each arm's balanced persons, mean change and variance of the change,
  /// and the within-person correlation of pre and post (both arms together).
  double panel_persons_treatment = 0.0, panel_persons_control = 0.0;
  double change_treatment = 0.0, change_control = 0.0;
  double change_variance_treatment = 0.0, change_variance_control = 0.0;
  double pre_post_correlation = 0.0;
};

struct PowerResult {
  PowerDesign design;
  std::vector<PowerPoint> curve; ///< by households, ascending; one of them is the design's
  int design_point = 0;          ///< index of the design's households in `curve`
  double share_treatment = 0.0, share_control = 0.0; ///< at the design (mean over trials)
  /// Persons in the indicator's base per randomised household (from the design's trials).
  double persons_per_household = 0.0;
  /// The smallest difference in the indicator (treatment - control, in the direction of
  /// the simulated effect) the design detects with target_power, closed form at the
  /// control share and the design's persons.
  double minimum_detectable_effect = 0.0;
  /// Households (both arms) for target_power: from the simulated curve (linear between
  /// the grid points around it; 0 when the curve does not reach it up to max_households)
  /// and in closed form at the simulated shares (0 when there is no effect).
  int households_needed_simulated = 0;
  int households_needed_closed_form = 0;
};

/// Simulates the trials at the design's households and over a grid of sample sizes around
/// the households needed (see the top of this file). Deterministic for a seed, whatever the
/// thread count. Throws Cancelled when the cancel flag is raised.
PowerResult simulate_power(const Scenario& scenario, const PowerDesign& design);

} // namespace socinvest
