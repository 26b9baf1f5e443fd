// The three shipped cases: each validates, runs with few iterations, has the structure a
// steering group needs, and its main effects have the sign the case is about.
#include "support.hpp"

#include <doctest/doctest.h>

namespace {

struct Case {
  const char* file;
  const char* project;          ///< the main variant
  const char* indicator;        ///< the outcome the project is meant to raise
  const char* harvester;        ///< a department whose budget should get lighter
};

const Case cases[] = {
    {"viborg-relationel-velfaerd.yaml", "relationel_velfaerd", "in_work", "jobcenter"},
    {"aarhus-opgang-til-opgang.yaml", "opgang_til_opgang", "work_or_education", "jobcenter"},
    {"hoeje-taastrup-botilbud.yaml", "rehabilitering", "less_support", "social"},
};

double mean_of(const socinvest::Results& r, int v, socinvest::OutcomeKind kind, const std::string& item,
               socinvest::Group group, int year, socinvest::OutcomeMeasure measure) {
  for (const auto& row : r.outcomes)
    if (row.variant == v && row.kind == kind && row.item == item && row.group == group && row.year == year &&
        row.measure == measure)
      return row.stat.mean;
  FAIL("no outcome row " << name(kind) << " " << item << " " << socinvest::name_of(group) << " " << year << " " << name(measure));
  return 0.0;
}

double money_of(const socinvest::Results& r, int v, const std::string& account, socinvest::Measure measure) {
  return r.money_at(v, socinvest::account_index(r.accounts, account), -1, measure).mean;
}

} // namespace

TEST_CASE("the shipped cases run and their main effects have the right sign") {
  for (const Case& c : cases) {
    CAPTURE(c.file);
    const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/" + c.file);
    CHECK(s.variants.size() >= 3); // a baseline and at least two variants to debate
    CHECK(s.variants[0].id == "baseline");
    CHECK(s.files.size() >= 2);    // built on the shared catalogue
    const int v = s.variant_index(c.project);
    REQUIRE(v > 0);
    auto a = test::analyse(s, 16);
    const auto& r = a->results;
    CHECK(r.variants.size() == s.variants.size() - 1);
    // Someone takes part, and the project costs something.
    const auto& summary = r.variants[static_cast<std::size_t>(v - 1)];
    CHECK(summary.participants.mean > 0.0);
    CHECK(money_of(r, v, "total", socinvest::Measure::investment_pv) > 0.0);
    // The intended outcome among participants is better than on their baseline paths ...
    const double difference = mean_of(r, v, socinvest::OutcomeKind::indicator, c.indicator, socinvest::Group::participants, 2,
                                    socinvest::OutcomeMeasure::difference);
    CHECK(difference > 0.0);
    // ... and the department that should harvest does.
    CHECK(money_of(r, v, c.harvester, socinvest::Measure::savings_pv) > 0.0);
    // Every department has its row; attribution adds up.
    double sum = 0.0;
    for (int d = 0; d < r.accounts.departments; ++d) sum += money_of(r, v, r.accounts.id[d], socinvest::Measure::npv);
    CHECK(sum == doctest::Approx(money_of(r, v, "total", socinvest::Measure::npv)).epsilon(1e-9));
  }
}
