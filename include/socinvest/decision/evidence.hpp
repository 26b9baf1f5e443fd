#pragma once
// How much of the result rests on each evidence grade (scenarios/README.md § 13.6): the run
// is repeated with the effects of one grade switched off (removed from every variant), on
// the same iterations, seed and random numbers (common random numbers: the draws are keyed
// by the parameters' paths and the persons, not by the effects' positions), and once with
// every effect off. A grade's part of a variant's result is the expected net present value
// (account total) it loses, npv_all - npv_without[g], as a share of what all effects
// together bring, npv_all - npv_none. With one grade the part is the whole; effects of
// different grades that work together (two hazard ratios on one move, one effect feeding
// another's state) make the parts sum to more or less than 100 %, which the report says.
// Cost: one more run per grade the compared variants use, plus one with no effects.
#include <socinvest/analysis.hpp>

#include <functional>
#include <string>
#include <vector>

namespace socinvest {

/// The shares for every variant `with_all` compared (its plan's variants), re-running the
/// scenario under `options` (the options of the run that made `with_all`) on this process.
/// `account`: whose net present value is split (run and batch: total; compare: the account
/// it compares, so the shares are of the figure its ranking shows).
std::vector<EvidenceShare> evidence_shares(const Scenario& scenario, const RunOptions& options, const Results& with_all,
                                           const std::string& account = "total");
/// The same after an analysis; with RunOptions::ranks collective (every rank calls it after
/// the run, and each re-run's iterations are shared over the ranks, as `run` and `compare`
/// do): the shares on rank 0, empty elsewhere.
std::vector<EvidenceShare> evidence_shares(const Scenario& scenario, const RunOptions& options, const Analysis& with_all,
                                           const std::string& account = "total");

/// A copy of the scenario without the effects for which `off(effect)` holds.
Scenario without_effects(const Scenario& scenario, const std::function<bool(const Effect&)>& off);

} // namespace socinvest
