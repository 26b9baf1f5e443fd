// `socinvest panel` and `socinvest calibrate` on a known model (tests/fixtures/calibrate.yaml):
// the engine simulates registers, calibrate counts them, and every monthly probability of the
// model must lie in its interval about as often as the interval's level says; a model with
// every exit probability x 1.5 must be rejected. The true probabilities are the fixture's
// numbers, written here by hand, not taken from a run.
//
// Coverage measured (seeds 1-20, 1,000 persons, 24 months, bands 0,6 for every state; 10
// probabilities a seed, 200 intervals; events kernel):
//   panel without the months already in the state (spells under way at the start left out):
//     95 % intervals cover 188 of 200 (94.0 %), 90 % intervals 178 of 200 (89.0 %);
//   panel with them (--durations; every spell counted at its true duration, delayed entry):
//     95 % intervals cover 190 of 200 (95.0 %), 90 % intervals 176 of 200 (88.0 %);
// the x 1.5 model is rejected (some probability outside its 95 % interval) in 20 of 20 seeds
// both ways. Asserted: coverage within about 3 binomial standard errors of nominal (and the
// 90 % intervals not far above it), and rejection in at least 19 of 20 seeds.
#include "support.hpp"

#include <socinvest/evidence/calibrate.hpp>
#include <socinvest/evidence/panel.hpp>
#include <socinvest/scenario/diagnostics.hpp>
#include <socinvest/scenario/loader.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace socinvest;

Scenario fixture() { return load_scenario(test::source_dir() + "/tests/fixtures/calibrate.yaml"); }

Panel simulated(const Scenario& s, std::uint64_t seed, int persons, int months, Kernel kernel = Kernel::events) {
  PanelRequest r;
  r.persons = persons;
  r.months = months;
  r.run.seed = seed;
  r.run.has_seed = true;
  r.run.threads = 1;
  r.run.kernel = kernel;
  return simulate_panel(s, r);
}

/// The fixture's probabilities: (state, band, destination, probability), by hand from the YAML.
/// Calibrated with bands 0,6 for every state, so b and c (one row each in the model) have the
/// same probability in both bands.
struct Truth {
  const char* from;
  int band;
  const char* to;
  double p;
};
const Truth truth[] = {{"a", 0, "b", 0.08}, {"a", 0, "c", 0.03}, {"a", 1, "b", 0.03}, {"a", 1, "c", 0.01},
                       {"b", 0, "a", 0.05}, {"b", 1, "a", 0.05}, {"c", 0, "a", 0.10}, {"c", 1, "a", 0.10},
                       {"c", 0, "b", 0.02}, {"c", 1, "b", 0.02}};

const StateCalibration& state_of(const Scenario& s, const Calibration& c, const char* name) {
  const int st = s.domains[0].state_index(name);
  for (const auto& sc : c.states)
    if (sc.state == st) return sc;
  FAIL("no state " << name);
  return c.states.front();
}

Calibration calibrated(const Scenario& s, const Panel& p, PanelForm form = PanelForm::long_form, bool durations = false) {
  const Panel back = read_panel(s, form, panel_csv(s, p, form, "simulated", durations), "panel.csv");
  CalibrationOptions o;
  o.band_starts = {0, 6};
  return calibrate(s, back, o, "panel.csv");
}

std::string errors_of(const Scenario& s, PanelForm form, const std::string& text, bool allow_gaps = false) {
  try {
    (void)read_panel(s, form, text, "p.csv", allow_gaps);
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("calibrate: the intervals cover the known model near their level, and a model x 1.5 is rejected") {
  const Scenario s = fixture();
  // [0]: without the months in the state (spells under way at the start left out); [1]: with
  // them (every spell counted from the start at its true duration).
  int n[2] = {0, 0}, covered95[2] = {0, 0}, covered90[2] = {0, 0}, rejected_seeds[2] = {0, 0};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Panel panel = simulated(s, seed, 1000, 24);
    for (int with = 0; with < 2; ++with) {
      const Calibration c = calibrated(s, panel, PanelForm::long_form, with == 1);
      bool rejected = false;
      for (const Truth& t : truth) {
        const StateCalibration& sc = state_of(s, c, t.from);
        REQUIRE(sc.bands.size() == 2);
        const BandCounts& b = sc.bands[static_cast<std::size_t>(t.band)];
        CHECK(b.from == (t.band == 0 ? 0 : 6));
        const double k = static_cast<double>(b.exits[static_cast<std::size_t>(s.domains[0].state_index(t.to))]);
        const double total = static_cast<double>(b.exposure());
        const Interval i95 = dirichlet_interval(k, total, 0.95), i90 = dirichlet_interval(k, total, 0.90);
        ++n[with];
        covered95[with] += i95.lo <= t.p && t.p <= i95.hi;
        covered90[with] += i90.lo <= t.p && t.p <= i90.hi;
        rejected = rejected || !(i95.lo <= 1.5 * t.p && 1.5 * t.p <= i95.hi);
      }
      rejected_seeds[with] += rejected;
    }
  }
  for (int with = 0; with < 2; ++with) {
    MESSAGE(std::string(with ? "with durations" : "without durations") << ": coverage over " << n[with] << " intervals: 95 %: "
            << covered95[with] << ", 90 %: " << covered90[with] << "; x1.5 model rejected in " << rejected_seeds[with]
            << " of 20 seeds");
    REQUIRE(n[with] == 200);
    // Binomial standard errors at 200 intervals: 1.5 points at 95 %, 2.1 at 90 %.
    CHECK(covered95[with] >= 180); // 90 %
    CHECK(covered90[with] >= 168); // 84 %
    CHECK(covered90[with] <= 194); // 97 %: intervals too wide would pass everything
    CHECK(rejected_seeds[with] >= 19);
  }
}

TEST_CASE("calibrate: a spell's months in the state are the simulation's own") {
  // The months calibrate counts (t - the spell's first month) are the months_in_state the
  // kernel had, for every spell that starts inside the panel; both kernels.
  const Scenario s = fixture();
  for (const Kernel kernel : {Kernel::events, Kernel::monthly}) {
    const Panel p = simulated(s, 3, 200, 24, kernel);
    REQUIRE(p.months_in_state.size() == p.state.size());
    int checked = 0;
    for (int person = 0; person < static_cast<int>(p.persons.size()); ++person) {
      int start = -1;
      for (int t = 0; t < p.months; ++t) {
        const int st = p.state_at(person, t, 0);
        if (t > 0 && st != p.state_at(person, t - 1, 0)) start = t;
        if (start >= 0 && st >= 0) {
          CHECK(p.months_in_state[p.index(person, t, 0)] == t - start);
          ++checked;
        }
      }
    }
    CHECK(checked > 1000);
  }
}

TEST_CASE("calibrate: the long, wide and spell forms give the same counts, with and without durations") {
  const Scenario s = fixture();
  const Panel p = simulated(s, 9, 300, 24);
  for (const bool durations : {false, true}) {
  const Calibration l = calibrated(s, p, PanelForm::long_form, durations), w = calibrated(s, p, PanelForm::wide, durations),
                    sp = calibrated(s, p, PanelForm::spells, durations);
  long long at_risk = 0;
  for (std::size_t i = 0; i < l.states.size(); ++i) {
    if (durations) CHECK(l.states[i].spells_left_censored == 0); // every spell's start is known
    for (const auto& b : l.states[i].bands) at_risk += b.exposure();
    REQUIRE(l.states[i].bands.size() == w.states[i].bands.size());
    REQUIRE(l.states[i].bands.size() == sp.states[i].bands.size());
    for (std::size_t b = 0; b < l.states[i].bands.size(); ++b) {
      CHECK(l.states[i].bands[b].stays == w.states[i].bands[b].stays);
      CHECK(l.states[i].bands[b].exits == w.states[i].bands[b].exits);
      CHECK(l.states[i].bands[b].stays == sp.states[i].bands[b].stays);
      CHECK(l.states[i].bands[b].exits == sp.states[i].bands[b].exits);
    }
    CHECK(l.states[i].spells_left_censored == sp.states[i].spells_left_censored);
  }
  // Every person is observed for 24 months and always in a state: 23 months with an outcome
  // each, all counted once the durations are known.
  if (durations) CHECK(at_risk == 23LL * static_cast<long long>(p.persons.size()));
  else CHECK(at_risk < 23LL * static_cast<long long>(p.persons.size()));
  }
}

TEST_CASE("calibrate: counts by hand on a small panel") {
  // Person 1: a a a b b (a left after 3 months: at risk in a at months 0, 1, 2 of the spell,
  // but the first spell is left-censored: not counted); then b b: 1 stay in b at d = 0, then
  // censored at the end. Person 2: - a a c (enters a from none at 2024-02: known start; stays
  // at d = 0, exits to c at d = 1; no record in 2024-05: c censored). Person 3: a, then no
  // record (left-censored, and censored).
  const Scenario s = fixture();
  const std::string text = "person_id,period,work\n"
                           "1,2024-01,a\n1,2024-02,a\n1,2024-03,a\n1,2024-04,b\n1,2024-05,b\n"
                           "2,2024-01,\n2,2024-02,a\n2,2024-03,a\n2,2024-04,c\n"
                           "3,2024-01,a\n";
  const Panel p = read_panel(s, PanelForm::long_form, text, "hand.csv");
  CHECK(p.months == 5);
  CalibrationOptions o;
  o.band_starts = {0, 1};
  const Calibration c = calibrate(s, p, o, "hand.csv");
  const StateCalibration& a = state_of(s, c, "a");
  CHECK(a.spells_left_censored == 2);
  CHECK(a.spells_known == 1);
  CHECK(a.left_censored_months == 3); // person 1's three months in a, each with the next month seen
  REQUIRE(a.bands.size() == 2);
  CHECK(a.bands[0].stays == 1);
  CHECK(a.bands[0].exit_total() == 0);
  CHECK(a.bands[1].stays == 0);
  CHECK(a.bands[1].exits[2] == 1);
  const StateCalibration& b = state_of(s, c, "b");
  CHECK(b.spells_known == 1);
  REQUIRE(b.bands.size() == 1); // [1, ...) had nobody at risk: joined to [0, ...)
  CHECK(b.bands[0].stays == 1);
  CHECK(b.bands[0].to == -1);
  // The last period (2024-05): only person 1 has a record, in b.
  CHECK(c.start_counts[0][0] == 0);
  CHECK(c.start_counts[0][1] == 1);
  CHECK(c.start_counts[0][2] == 0);
}

TEST_CASE("calibrate: weeks become months at 52/12 weeks a month, to the nearest") {
  // Weeks 0..19 (2024-W01..W20): a until W10 (week 9), b from W11 (week 10). Week w is in month
  // round(w x 12 / 52): month 1 starts at week 3 (0.69), month 2 at week 7 (1.62), month 3 at
  // week 11 (2.54), month 4 at week 16 (3.69); week 19 is 4.38, so 5 months. A month's state is
  // its first week's: months 0-2 in a (weeks 0, 3, 7), months 3-4 in b (weeks 11, 16).
  const Scenario s = fixture();
  std::string text = "person_id,period,work\n";
  for (int w = 1; w <= 20; ++w) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "x,2024-W%02d,%s\n", w, w <= 10 ? "a" : "b");
    text += buf;
  }
  const Panel p = read_panel(s, PanelForm::long_form, text, "weeks.csv");
  CHECK(p.weekly);
  REQUIRE(p.months == 5);
  for (int m = 0; m < 5; ++m) CHECK(p.state_at(0, m, 0) == (m <= 2 ? 0 : 1));
  CHECK(p.start.text() == "2024-01");
  CHECK(p.first_period == "2024-W01");
  CHECK(p.last_period == "2024-W20");
  // ISO weeks: 2020 has a week 53, 2021 has not.
  CHECK(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2020-W53,a\n").empty());
  CHECK(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2021-W53,a\n").find("p.csv:2:3: period") !=
        std::string::npos);
}

TEST_CASE("calibrate: bad panels are refused by line and column") {
  const Scenario s = fixture();
  auto has = [](const std::string& errors, const std::string& part) {
    INFO(errors);
    CHECK(errors.find(part) != std::string::npos);
  };
  has(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2024-01,job\n"),
      "p.csv:2:11: work: unknown state 'job' of domain work");
  has(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2024-01,a\nx,2024-01,b\n"),
      "p.csv:3:3: period: a second row for person 'x' in period 2024-01 (the first at line 2)");
  has(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2024-02,a\nx,2024-01,b\n"),
      "p.csv:3:3: period: period 2024-01 of person 'x' comes after a later one (line 2)");
  has(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2024-01,a\nx,2024-04,b\n"),
      "p.csv:3:3: period: person 'x' has no row for 2 period(s) before 2024-04");
  CHECK(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2024-01,a\nx,2024-04,b\n", true).empty());
  has(errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2024-13,a\n"), "p.csv:2:3: period: '2024-13' is not a period");
  has(errors_of(s, PanelForm::long_form, "person_id,period,wrok\nx,2024-01,a\n"),
      "p.csv:1:18: wrok: unknown column (did you mean 'work'?)");
  has(errors_of(s, PanelForm::spells, "person_id,domain,state,from,to\nx,work,a,2024-01,2024-05\nx,work,b,2024-05,2024-08\n"),
      "p.csv:3:10: from: person 'x': this spell overlaps the one at line 2 in domain work");
  has(errors_of(s, PanelForm::spells, "person_id,domain,state,from,to\nx,work,a,2024-05,2024-01\n"),
      "p.csv:2:18: to: the spell ends (2024-01) before it starts (2024-05): dates out of order");
  has(errors_of(s, PanelForm::wide, "person_id,domain,2024-01,2024-02\nx,work,a,b\nx,work,a,a\n"),
      "p.csv:3:3: domain: a second row for person 'x' in domain work (the first at line 2)");
  has(errors_of(s, PanelForm::wide, "person_id,domain,2024-02,2024-01\nx,work,a,b\n"),
      "p.csv:1:26: 2024-01: period columns are in order");
  // A byte order mark before the header is no part of it.
  CHECK(errors_of(s, PanelForm::long_form, "\xef\xbb\xbfperson_id,period,work\nx,2024-01,a\n").empty());
  // Every problem at once.
  const std::string all = errors_of(s, PanelForm::long_form, "person_id,period,work\nx,2024-01,q\ny,2024-1,a\n");
  has(all, "p.csv:2:11: work");
  has(all, "p.csv:3:3: period");
}

TEST_CASE("calibrate: the fragment is included as is and carries the counts as Dirichlet rows") {
  const Scenario s = fixture();
  const Calibration c = calibrated(s, simulated(s, 4, 300, 24));
  const test::TempDir tmp;
  const std::filesystem::path& dir = tmp.path;
  {
    std::ofstream(dir / "calibrated.yaml") << calibrated_yaml(s, c);
  }
  const Scenario with = load_scenario_text("scenario: with-fragment\ninclude: [calibrated.yaml]\n"
                                           "run: {start: 2026-01, horizon_years: 1, iterations: 2}\n"
                                           "departments: {d: {name: D}}\nvariants: {baseline: {}}\n",
                                           "with.yaml", dir.string());
  REQUIRE(with.domains.size() == 1);
  const Domain& d = with.domains[0];
  CHECK(d.states == s.domains[0].states);
  CHECK(with.population.households == 300); // one person a household, all observed at the end
  for (const auto& sc : c.states) {
    const auto& rows = d.transitions[static_cast<std::size_t>(sc.state)];
    REQUIRE(rows.size() == sc.bands.size());
    for (std::size_t b = 0; b < rows.size(); ++b) {
      CHECK(rows[b].from_month == sc.bands[b].from);
      const DirichletRow* row = rows[b].dirichlet();
      REQUIRE(row != nullptr);
      // One count per destination seen, then the stays.
      std::vector<double> expected;
      for (std::size_t j = 0; j < sc.bands[b].exits.size(); ++j)
        if (sc.bands[b].exits[j] > 0) expected.push_back(static_cast<double>(sc.bands[b].exits[j]));
      expected.push_back(static_cast<double>(sc.bands[b].stays));
      CHECK(row->alpha == expected);
    }
  }
}

TEST_CASE("calibrate: hostile panels are refused, not crashed on") {
  const Scenario s = fixture();
  const std::string cases[] = {
      "",
      "person_id,period,work\n",
      std::string("person_id,period,work\nx,2024-01,a\0b\n", 35),
      "person_id,period,work\nx,\"2024-01,a\n",
      "person_id,period,work,work\nx,2024-01,a,a\n",
      "person_id,period,work\nx,1900-01,a\nx,2200-12,a\n",
      "person_id,domain,state,from,to\nx,work,a,1900-01,2200-12\n",
      "person_id,period,work\nx,2024-01\n",
      "person_id,period,work\n,2024-01,a\n",
      "person_id,period,work,work_months\nx,2024-01,a,-3\n",
      "\xef\xbb\xbf\xff\xfe,\x01\x02\n\x03",
  };
  for (const auto& text : cases) {
    INFO(text);
    for (const PanelForm form : {PanelForm::long_form, PanelForm::wide, PanelForm::spells})
      CHECK_THROWS_AS((void)read_panel(s, form, text, "p.csv"), InvalidInput);
  }
}
