#pragma once
// What a run will need, estimated before it starts: memory, the result files and the
// temporary file of per-iteration rows. A run that would not fit is refused with the figure
// and the key that drives it, instead of dying hours later with "out of memory".
#include <socinvest/montecarlo/runner.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <string>

namespace socinvest {

struct Footprint {
  double memory_bytes = 0;  ///< at the peak: results, tables being written, threads' work, trace
  double output_bytes = 0;  ///< the result files (csv, json, html, xlsx, trace.csv)
  double scratch_bytes = 0; ///< per-iteration rows beyond the column store's memory, in $TMPDIR
  std::string driver;       ///< what makes it large, with the key that sets it
};

struct FootprintLimits {
  /// The machines this runs on have 24 GiB; leave room for the system and other work.
  double memory_bytes = 16.0 * 1024 * 1024 * 1024;
  /// A result folder above 4 GiB is no report anyone reads; outcomes by year and move for
  /// 60-state domains over 70 years get there.
  double output_bytes = 4.0 * 1024 * 1024 * 1024;
  double scratch_bytes = 64.0 * 1024 * 1024 * 1024;
};

/// The estimate for `scenario` run with `options`, tracing `trace_households` households.
Footprint estimate_footprint(const Scenario& scenario, const RunOptions& options, int trace_households = 0);

/// Throws Error(ExitCode::too_large) naming the figure, the limit and the driver when the
/// estimate breaks a limit.
void check_footprint(const Scenario& scenario, const RunOptions& options, int trace_households = 0,
                     const FootprintLimits& limits = {});

} // namespace socinvest
