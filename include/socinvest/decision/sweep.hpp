#pragma once
// Sensitivity analysis on common random numbers: one-way (the tornado), two-way grids, and
// threshold analysis by bisection ("how well must this work for it to pay?"). Parameters
// are addressed by their key path in the scenario, e.g.
// variants.relational_welfare.interventions.cross_team.effects[0].hazard_ratio.
#include <socinvest/analysis.hpp>
#include <socinvest/statistics/summary.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace socinvest {

/// What is valued: one variant against the baseline, one account.
struct SweepTarget {
  int variant = 1;
  std::string account = "total";
};

/// How a sweep does its work. Simulate, then price: a point that differs from one already
/// simulated only in price-only parameters (Scenario::price_only: unit costs, intervention
/// costs, payments) is re-priced from that simulation, kept in memory, instead of simulated
/// again; the figures are the same to the bit (tests/test_reprice.cpp).
struct SweepControl {
  /// The most a kept simulation may hold: per iteration the tallies and enrolment counts
  /// pricing reads (SimulatedIteration::bytes; about iterations x simulated variants x
  /// groups x steps x (cells + transitions) x 4 bytes). A simulation that needs more is not
  /// kept, and its points are simulated one by one as without re-pricing. 0: never re-price.
  std::size_t reprice_memory_bytes = std::size_t{512} << 20;
  /// Called after each evaluation (simulated or re-priced) with (done, total); a threshold's
  /// total is its most evaluations (the bisection may end sooner). Under MPI on rank 0 only,
  /// counting its own evaluations.
  std::function<void(int, int)> progress;
  /// The ranks of an MPI job (distributed/ranks.hpp), null when alone; collective then, and
  /// only rank 0's result is whole. A tornado's and a grid's points are shared over the
  /// ranks: the points that re-price one kept simulation (a group) are valued by all ranks
  /// together, each point's iterations shared (each rank simulates its share once, keeps it
  /// and re-prices it for the group's other points; rank 0 gathers the rows, as `run`); the
  /// other points, one simulation each, go to the ranks in turn, and rank 0 gathers their
  /// valuations. A threshold's bisection needs each point before the next: every point's
  /// iterations are shared over the ranks, a price-only threshold's one simulation kept a
  /// share on each rank and re-priced there. The memory limit holds for all ranks' shares
  /// together, so what is re-priced does not depend on the ranks: the figures and counts
  /// are one process's, to the byte.
  Ranks* ranks = nullptr;
};

/// What a sweep did: how many points were simulated and how many re-priced, and the memory
/// the largest kept simulation held.
struct SweepWork {
  int simulated = 0, repriced = 0;
  std::size_t kept_bytes = 0;
  bool over_limit = false; ///< a simulation would have outgrown reprice_memory_bytes (its points were simulated)
};

struct Valuation {
  Stat npv;
  double p_break_even = 0.0; ///< share of iterations whose cumulative discounted net turns positive
  int iterations = 0;
};

/// Values the scenario under `options` (parameters fixed as given there). With
/// RunOptions::ranks, collective (the iterations shared); only rank 0's valuation is whole.
Valuation value(const Scenario& scenario, const RunOptions& options, const SweepTarget& target);

/// Finds the Quantity with this key path; throws a usage Error with did-you-mean otherwise.
const Quantity& find_parameter(const Scenario& scenario, const std::string& path);

/// Throws a usage Error when `value` is not one the parameter may take where the scenario
/// uses it (the loader's range: a hazard ratio above 0, a probability in [0, 1], ...; never
/// nan or infinite). Grids and thresholds check every value before simulating any.
void check_sweep_value(const Quantity& parameter, double value);

struct TornadoRow {
  std::string path;
  std::string distribution;
  double low = 0.0, high = 0.0; ///< the values tried (5th and 95th percentile by default)
  Valuation at_low, at_high;
  double swing = 0.0; ///< |npv(high) - npv(low)|
};

struct Tornado {
  Valuation central; ///< every parameter at its median
  std::vector<TornadoRow> rows; ///< largest swing first
  SweepWork work;
};

/// One-way sensitivity. `paths` empty: every uncertain parameter. `low_q`/`high_q`: the
/// quantiles tried. Everything else at its median; individual randomness as in a run.
/// Price-only parameters are re-priced from the central run's simulation (SweepControl).
Tornado tornado(const Scenario& scenario, const RunOptions& options, const SweepTarget& target,
                const std::vector<std::string>& paths = {}, double low_q = 0.05, double high_q = 0.95,
                const SweepControl& control = {});

struct Grid {
  std::string path_x, path_y;
  std::vector<double> x, y;
  std::vector<std::vector<Valuation>> cells; ///< [ix][iy]
  SweepWork work;
};

/// Two-way grid: every combination of the given values; other parameters as in `options`.
/// A price-only axis is re-priced: one simulation per value of the other axis (one in all
/// when both are price-only).
Grid grid(const Scenario& scenario, const RunOptions& options, const SweepTarget& target, const std::string& path_x,
          const std::vector<double>& x, const std::string& path_y, const std::vector<double>& y,
          const SweepControl& control = {});

struct Threshold {
  std::string path;
  double target_probability = 0.8;
  bool found = false;
  double value = 0.0;          ///< the parameter value at which the target is first reached
  double lower = 0.0, upper = 0.0; ///< the final bisection bracket: the answer lies within
  double probability_at_value = 0.0;
  double probability_se = 0.0; ///< Monte Carlo standard error of that probability
  int evaluations = 0;
  std::string note;
  SweepWork work;
};

/// The parameter value in [low, high] at which the probability of breaking even first
/// reaches `probability` (assumed monotone in the parameter; checked at the ends), found by
/// bisection on common random numbers until the bracket is narrower than `tolerance`.
/// A price-only parameter is simulated once and re-priced at every step of the bisection.
Threshold threshold(const Scenario& scenario, const RunOptions& options, const SweepTarget& target,
                    const std::string& path, double low, double high, double probability, double tolerance,
                    const SweepControl& control = {});

/// Every effect of one evidence grade varied together (`sweep --grade G --scale s1,s2,...`):
/// at scale s a hazard ratio r acts as r^s (its log scaled), a risk difference or a
/// success rate's difference d as s x d (Effect::scale); 0 switches the grade's effects
/// off, 1 is the scenario. Each scale is one run on common random numbers.
struct GradeSweep {
  EvidenceGrade grade = EvidenceGrade::expert_guess;
  int effects = 0; ///< of that grade in the valued variant
  std::vector<double> scales;
  std::vector<Valuation> at; ///< per scale
};

/// Throws a usage Error when the valued variant has no effect of that grade, or a scale is
/// negative or not finite. With RunOptions::ranks, collective: each scale's iterations are
/// shared over the ranks, and only rank 0's valuations are whole.
GradeSweep grade_sweep(const Scenario& scenario, const RunOptions& options, const SweepTarget& target,
                       EvidenceGrade grade, const std::vector<double>& scales,
                       const std::function<void(int, int)>& progress = {});

} // namespace socinvest
