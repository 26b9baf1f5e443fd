#pragma once
// `socinvest explain FILE`: the scenario as the engine sees it once includes, `extends` and
// overrides are merged, in words: every department, every cost line with its department,
// its amount in the run's prices (and, for an amount given in another price year, the
// amount as given and the price index that moved it), where it was written (file:line),
// and every variant's interventions with their costs and effects. What a steering group or
// a reviewer reads to check that the engine prices what the author meant.
#include <socinvest/report/format.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <string>

namespace socinvest {

/// The merged scenario as text, in `lang`.
std::string explain(const Scenario& scenario, Language lang);

} // namespace socinvest
