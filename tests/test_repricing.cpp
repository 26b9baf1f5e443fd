// The quantities of the workbook's re-pricing sheets (ledger/repricing.hpp): whole counts
// that agree with the engine's own person-years, the same for any number of threads; and
// the refusion step weights the sheets' formulas use, against a hand calculation.
#include "support.hpp"

#include <socinvest/analysis.hpp>
#include <socinvest/ledger/budget_years.hpp>

#include <tbb/global_control.h>

#include <doctest/doctest.h>

#include <cmath>

namespace {

const socinvest::Scenario& aarhus() {
  static const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/aarhus-opgang-til-opgang.yaml");
  return s;
}

std::unique_ptr<socinvest::Analysis> run(int threads) {
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  socinvest::RunOptions o;
  o.iterations = 4;
  o.threads = threads;
  o.keep_books = true;
  return socinvest::analyse(aarhus(), o);
}

} // namespace

TEST_CASE("re-pricing: the step weights of a refusion staircase, by hand") {
  // 80 % to week 4, 40 % to week 26, 20 % after; a month is 52/12 weeks.
  socinvest::ReimbursementRule rule;
  rule.weeks = {4, 26};
  rule.state_share = {0.8, 0.4, 0.2};
  // Month 0: weeks [0, 4.333): 4 weeks at 80 %, 1/3 week at 40 %: weights 12/13 and 1/13.
  const auto w0 = rule.step_weights(0);
  REQUIRE(w0.size() == 3);
  CHECK(w0[0] == doctest::Approx(12.0 / 13.0));
  CHECK(w0[1] == doctest::Approx(1.0 / 13.0));
  CHECK(w0[2] == 0.0);
  // Month 5: weeks [21.67, 26): all at 40 %. Month 6: [26, 30.33): all at 20 %.
  CHECK(rule.step_weights(5)[1] == doctest::Approx(1.0));
  CHECK(rule.step_weights(6)[2] == doctest::Approx(1.0));
  // And always weight x share = share_for_month, the weights summing to 1.
  for (int m = 0; m < 30; ++m) {
    const auto w = rule.step_weights(m);
    double share = 0.0, sum = 0.0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      share += w[i] * rule.state_share[i];
      sum += w[i];
    }
    CHECK(share == doctest::Approx(rule.share_for_month(m)).epsilon(1e-12));
    CHECK(sum == doctest::Approx(1.0));
  }
}

TEST_CASE("re-pricing: the counts are the engine's person-years, for any number of threads") {
  const auto one = run(1), two = run(2);
  REQUIRE(one->results.repricing);
  REQUIRE(two->results.repricing);
  const socinvest::RepricingTally& t = *one->results.repricing;
  CHECK(t.iterations == 4);
  CHECK(t.occupied == two->results.repricing->occupied);
  CHECK(t.moved == two->results.repricing->moved);
  CHECK(t.state_sum == two->results.repricing->state_sum); // exact sums of the draws, any order
  CHECK(t.facility_sum == two->results.repricing->facility_sum);
  // Person-months by state and calendar year, summed from the counts, against the books'
  // person_years_by_calendar (everybody, group 0) x 12, summed over the iterations.
  const socinvest::BudgetCalendar calendar(aarhus().run);
  const socinvest::Layout& L = t.layout;
  const auto& books = one->books;
  REQUIRE(books.size() == 4);
  int checked = 0;
  for (int v = 0; v < t.variants; ++v) {
    if (!t.simulated[static_cast<std::size_t>(v)]) continue;
    const auto& b0 = books[0].variants[static_cast<std::size_t>(v)];
    const int C = b0.calendar_years, items = b0.state_items;
    for (int d = 0, item = 0; d < L.domains; ++d)
      for (int s = 0; s < L.states[static_cast<std::size_t>(d)]; ++s, ++item)
        for (int c = 0; c < C; ++c) {
          double counted = 0.0, engine = 0.0;
          const int first = L.cell(d, s, 0);
          for (int cell = first; cell < first + L.cells_of(d, s); ++cell)
            for (int m = 0; m < t.months; ++m)
              if (calendar.index_of_month(m) == c) counted += static_cast<double>(t.occupied_at(v, cell, m / L.cycle_months));
          for (const auto& book : books)
            engine += book.variants[static_cast<std::size_t>(v)].person_years_by_calendar[static_cast<std::size_t>(c * items + item)] * 12.0;
          CHECK(counted == doctest::Approx(engine));
          if (counted > 0) ++checked;
        }
  }
  CHECK(checked > 20);
}
