#pragma once
// What `socinvest power` writes: power.csv (the power curve, one row per sample size) and
// power.html (a self-contained page with the design, the answers and a chart of power
// against the households randomised).
#include <socinvest/decision/power.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <string>

namespace socinvest {

/// power.csv: households, treatment and control households, trials, rejections, power, its
/// standard error, the closed-form power, the mean indicator shares and persons per arm,
/// and whether the row is the design's. International dialect (in_dialect converts).
std::string power_csv(const Scenario& scenario, const PowerResult& result);

/// power.html, in `lang`.
std::string power_html(const Scenario& scenario, const PowerResult& result, Language lang);

/// The terminal summary, in `lang`.
std::string power_summary(const Scenario& scenario, const PowerResult& result, Language lang);

} // namespace socinvest
