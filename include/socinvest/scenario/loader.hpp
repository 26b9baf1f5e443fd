#pragma once
// Reading a scenario: YAML files (with includes) -> a validated Scenario.
// Every problem is collected and reported at once (InvalidInput); nothing half-valid is
// returned. See scenarios/README.md for the language.
#include <socinvest/scenario/diagnostics.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <string>

namespace socinvest {

struct LoadOptions {
  /// Physical memory the run may use; runs estimated above it are rejected.
  double memory_limit_bytes = 16.0 * 1024 * 1024 * 1024;
  /// Largest total of simulated person-months accepted in one run.
  double max_person_months = 2e12;
};

/// Loads and validates a scenario file. Throws InvalidInput (every problem), or IoError when
/// the main file cannot be read.
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

/// The same from text (for tests and the fuzz target); `name` is used in messages and
/// includes resolve relative to `base_dir`.
Scenario load_scenario_text(const std::string& text, const std::string& name,
                            const std::string& base_dir = ".", const LoadOptions& options = {});

} // namespace socinvest
