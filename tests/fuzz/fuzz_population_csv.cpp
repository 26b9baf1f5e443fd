// libFuzzer target: the population CSV reader must never crash, hang or exhaust memory on
// any input; it either returns a population or throws InvalidInput. The scenario is fixed
// (the domains of scenarios/examples/csv-population.yaml, plus one for any role), loaded
// once from the text below; its population is synthetic so that no file is needed.
#include <socinvest/population/population.hpp>
#include <socinvest/scenario/loader.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

const char* const scenario_text = R"(scenario: fuzz-population-csv
run: {start: 2025-01, horizon_years: 1, iterations: 2, seed: 1, price_year: 2024}
departments:
  jobcenter: {name: "Jobcenter", level: municipality}
domains:
  employment:
    applies_to: {role: adult, age: [18, 67]}
    states: [cash_benefit, job, early_retirement]
    transitions:
      cash_benefit:
        - {months_in_state: [0, 12], to: {job: 0.03}}
        - {months_in_state: [12, null], to: {job: 0.012, early_retirement: 0.002}}
      job: {to: {cash_benefit: 0.012}}
  school:
    applies_to: {role: child, age: [6, 16]}
    states: [regular, high_absence]
    entry: {regular: 0.9, high_absence: 0.1}
    transitions:
      regular: {to: {high_absence: 0.01}}
      high_absence: {to: {regular: 0.04}}
  youth:
    applies_to: {age: [16, 18]}
    states: [youth_education, neet]
    entry: {youth_education: 0.8, neet: 0.2}
    transitions:
      neet: {to: {youth_education: 0.02}}
population:
  households: 1
  synthetic:
    adults_per_household: 1
    children_per_household: 0
    adult_age: 30
    child_age: 10
    start_state:
      employment: {cash_benefit: 1}
costs:
  employment.cash_benefit: [{department: jobcenter, amount: 1000}]
variants:
  baseline: {}
)";

const socinvest::Scenario& scenario() {
  static const socinvest::Scenario s = socinvest::load_scenario_text(scenario_text, "fuzz-population-csv.yaml");
  return s;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)scenario(); // a scenario that does not load is a broken harness: fail at start, loudly
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)socinvest::read_population_csv_text(scenario(), text, "fuzz.csv");
  } catch (const socinvest::Error&) {
  }
  return 0;
}
