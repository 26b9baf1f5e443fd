// The Monte Carlo against exact expectations: for a Markov chain the expected occupancy
// after t steps is start x P^t, computed here with Eigen, independently of the engine.
#include "support.hpp"

#include <Eigen/Dense>
#include <doctest/doctest.h>

#include <cmath>

namespace {

const char* homogeneous = R"(
scenario: exact-homogeneous
run: {start: 2024-01, horizon_years: 3, iterations: 40, seed: 11}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [a, b, c]
    transitions:
      a: {to: {b: 0.10, c: 0.05}}
      b: {to: {a: 0.20, c: 0.10}}
      c: {to: {a: 0.03}}
population:
  households: 3000
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {work: {a: 0.5, b: 0.3, c: 0.2}}
variants: {baseline: {}}
)";

const char* duration_dependent = R"(
scenario: exact-duration
run: {start: 2024-01, horizon_years: 3, iterations: 40, seed: 12}
departments: {d: {name: D}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [u, j]
    transitions:
      u:
        - {months_in_state: [0, 6], to: {j: 0.10}}
        - {months_in_state: [6, null], to: {j: 0.02}}
      j: {to: {u: 0.05}}
population:
  households: 3000
  synthetic:
    adults_per_household: 1
    adult_age: {uniform: [30, 40]}
    start_state: {work: {u: 1.0}}
variants: {baseline: {}}
)";

/// Checks every step and state: |MC mean - exact| within 4.5 Monte Carlo standard errors.
void check_against(const test::Occupancy& occ, const std::vector<Eigen::RowVectorXd>& exact) {
  const std::size_t I = occ.count.size();
  const std::size_t steps = occ.count[0].size();
  REQUIRE(exact.size() >= steps);
  int checked = 0;
  double worst = 0.0;
  for (std::size_t t = 0; t < steps; ++t) {
    for (Eigen::Index s = 0; s < exact[t].size(); ++s) {
      std::vector<double> share(I);
      for (std::size_t i = 0; i < I; ++i) {
        double persons = 0.0;
        for (double c : occ.count[i][t]) persons += c;
        share[i] = occ.count[i][t][static_cast<std::size_t>(s)] / persons;
      }
      double mean = 0.0, ss = 0.0;
      for (double x : share) mean += x / static_cast<double>(I);
      for (double x : share) ss += (x - mean) * (x - mean);
      const double se = std::sqrt(ss / static_cast<double>(I - 1) / static_cast<double>(I));
      const double z = std::abs(mean - exact[t](s)) / std::max(se, 1e-12);
      worst = std::max(worst, z);
      CHECK_MESSAGE(z < 4.5, "step " << t << " state " << s << ": MC " << mean << " exact " << exact[t](s) << " se " << se);
      ++checked;
    }
  }
  CHECK(checked >= 30);
  MESSAGE("largest deviation: " << worst << " standard errors over " << checked << " checks");
}

/// The three-state chain of `homogeneous` (and of the tests below that add links to it).
Eigen::Matrix3d homogeneous_chain() {
  Eigen::Matrix3d P;
  P << 0.85, 0.10, 0.05,  //
      0.20, 0.70, 0.10,   //
      0.03, 0.00, 0.97;
  return P;
}

/// That chain with the hazard of a->b times `ratio`: the documented competing-risks rule by
/// hand on row a (lambda_j = -ln(1 - P) p_j / P, lambda_b x ratio, back with
/// P' = 1 - exp(-sum lambda), p'_j = P' lambda_j / sum lambda).
Eigen::Matrix3d with_a_to_b_ratio(double ratio) {
  Eigen::Matrix3d P = homogeneous_chain();
  const double total = -std::log(1.0 - 0.15);
  const double lb = ratio * total * 0.10 / 0.15, lc = total * 0.05 / 0.15;
  const double leave = 1.0 - std::exp(-(lb + lc));
  P(0, 1) = leave * lb / (lb + lc);
  P(0, 2) = leave * lc / (lb + lc);
  P(0, 0) = 1.0 - leave;
  return P;
}

/// The event kernel (the default) and the monthly reference, each against the exact chain.
void check_both_kernels(const socinvest::Scenario& s, int domain, const std::vector<Eigen::RowVectorXd>& exact) {
  for (auto kernel : {socinvest::Kernel::events, socinvest::Kernel::monthly}) {
    CAPTURE(kernel == socinvest::Kernel::events ? "events" : "monthly");
    check_against(test::occupancy(s, domain, 40, 0, 2, kernel), exact);
  }
}

} // namespace

TEST_CASE("Monte Carlo occupancy matches start x P^t for a time-homogeneous chain") {
  const auto s = test::scenario(homogeneous);
  Eigen::Matrix3d P;
  P << 0.85, 0.10, 0.05,  //
      0.20, 0.70, 0.10,   //
      0.03, 0.00, 0.97;
  Eigen::RowVector3d pi(0.5, 0.3, 0.2);
  std::vector<Eigen::RowVectorXd> exact;
  for (int t = 0; t < 36; ++t) {
    exact.push_back(pi);
    pi = pi * P;
  }
  check_both_kernels(s, 0, exact);
}

TEST_CASE("Monte Carlo occupancy matches the chain on expanded (state, duration) states") {
  const auto s = test::scenario(duration_dependent);
  // Expanded states: u0..u5 (months in u), u6+ and j.
  const int U6 = 6, J = 7;
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(8, 8);
  for (int d = 0; d < 6; ++d) {
    P(d, d + 1 <= 5 ? d + 1 : U6) = 0.90;
    P(d, J) = 0.10;
  }
  P(U6, U6) = 0.98;
  P(U6, J) = 0.02;
  P(J, 0) = 0.05; // back to u with months reset
  P(J, J) = 0.95;
  Eigen::RowVectorXd pi = Eigen::RowVectorXd::Zero(8);
  pi(0) = 1.0;
  std::vector<Eigen::RowVectorXd> exact;
  for (int t = 0; t < 36; ++t) {
    Eigen::RowVectorXd collapsed(2);
    collapsed << pi.head(7).sum(), pi(J);
    exact.push_back(collapsed);
    pi = pi * P;
  }
  check_both_kernels(s, 0, exact);
}

TEST_CASE("the exactness check can fail: a wrong chain is rejected") {
  const auto s = test::scenario(homogeneous);
  Eigen::Matrix3d P;
  P << 0.80, 0.15, 0.05, 0.20, 0.70, 0.10, 0.03, 0.00, 0.97; // a->b 0.15 instead of 0.10
  Eigen::RowVector3d pi(0.5, 0.3, 0.2);
  const auto occ = test::occupancy(s, 0, 40);
  int failures = 0;
  for (int t = 1; t < 36; ++t) {
    pi = pi * P;
    double mean = 0.0;
    for (const auto& it : occ.count) mean += it[t][0] / (it[t][0] + it[t][1] + it[t][2]) / 40.0;
    failures += std::abs(mean - pi(0)) > 0.01 ? 1 : 0;
  }
  CHECK(failures > 20);
}

TEST_CASE("a quarterly cycle follows its documented constant-hazard chain, close to the monthly one") {
  std::string text = homogeneous;
  text.replace(text.find("horizon_years: 3,"), 17, "horizon_years: 3, cycle: quarter,");
  const auto s = test::scenario(text);
  // Per quarter, from each state: leave with 1 - (1 - P)^3, split as the monthly row.
  const double rows[3][3] = {{0.0, 0.10, 0.05}, {0.20, 0.0, 0.10}, {0.03, 0.0, 0.0}};
  Eigen::Matrix3d Q = Eigen::Matrix3d::Zero();
  Eigen::Matrix3d P;
  for (int i = 0; i < 3; ++i) {
    double total = rows[i][0] + rows[i][1] + rows[i][2];
    double leave = 1.0 - std::pow(1.0 - total, 3);
    for (int j = 0; j < 3; ++j) {
      Q(i, j) = i == j ? 1.0 - leave : leave * rows[i][j] / total;
      P(i, j) = i == j ? 1.0 - total : rows[i][j];
    }
  }
  Eigen::RowVector3d pi(0.5, 0.3, 0.2), monthly = pi;
  std::vector<Eigen::RowVectorXd> exact;
  const Eigen::Matrix3d P3 = P * P * P;
  for (int t = 0; t < 12; ++t) {
    exact.push_back(pi);
    // The approximation ignores moves back and forth within a quarter: with these fast
    // rates (10-30 % a month) it drifts up to about 4 percentage points from P^3.
    CHECK((pi - monthly).cwiseAbs().maxCoeff() < 0.05);
    pi = pi * Q;
    monthly = monthly * P3;
  }
  check_both_kernels(s, 0, exact);
}

TEST_CASE("a household link follows the joint chain of the household's members") {
  // One adult (u/j) and one child (r/h) per household; the child's r->h hazard is cut to
  // 0.3 times in steps that start with the adult in a job. The joint chain on (adult,
  // child) states is exact: given the states at the start of a step, the two move
  // independently.
  const auto s = test::scenario(R"(
scenario: exact-link
run: {start: 2024-01, horizon_years: 3, iterations: 40, seed: 13}
departments: {d: {name: D}}
domains:
  employment:
    applies_to: {role: adult, age: [18, 100]}
    states: [u, j]
    transitions:
      u: {to: {j: 0.08}}
      j: {to: {u: 0.04}}
  school:
    applies_to: {role: child, age: [6, 16]}
    states: [r, h]
    transitions:
      r: {to: {h: 0.10}}
      h: {to: {r: 0.10}}
    links:
      - {when: {household_any: {employment: j}}, transition: r->h, hazard_ratio: 0.3}
population:
  households: 3000
  synthetic:
    adults_per_household: 1
    children_per_household: 1
    adult_age: {uniform: [30, 40]}
    child_age: {uniform: [7, 8]}
    start_state: {employment: {u: 0.7, j: 0.3}, school: {r: 0.6, h: 0.4}}
variants: {baseline: {}}
)");
  const double linked = 1.0 - std::pow(1.0 - 0.10, 0.3); // the same hazard times 0.3
  // Joint states: (u,r), (u,h), (j,r), (j,h).
  auto adult = [](int from, int to) { return from == 0 ? (to == 1 ? 0.08 : 0.92) : (to == 0 ? 0.04 : 0.96); };
  auto child = [&](int a, int from, int to) {
    const double up = a == 1 ? linked : 0.10;
    return from == 0 ? (to == 1 ? up : 1.0 - up) : (to == 0 ? 0.10 : 0.90);
  };
  Eigen::Matrix4d P;
  for (int x = 0; x < 4; ++x)
    for (int y = 0; y < 4; ++y) P(x, y) = adult(x / 2, y / 2) * child(x / 2, x % 2, y % 2);
  Eigen::RowVector4d pi(0.7 * 0.6, 0.7 * 0.4, 0.3 * 0.6, 0.3 * 0.4);
  std::vector<Eigen::RowVectorXd> exact;
  for (int t = 0; t < 36; ++t) {
    Eigen::RowVectorXd school(2);
    school << pi(0) + pi(2), pi(1) + pi(3);
    exact.push_back(school);
    pi = pi * P;
  }
  check_both_kernels(s, 1, exact);
}

TEST_CASE("a link on an attribute: two groups, each following its own exact chain") {
  // Persons far from the job centre (a person attribute, 40 % of them, drawn independently
  // of everything else) find work at a hazard ratio 0.4 of the others'. The population's
  // occupancy is then 0.6 x start x P^t + 0.4 x start x P'^t, where P' is P with the
  // documented competing-risks rule applied by hand to row a (lambda_j = -ln(1 - P) p_j / P,
  // lambda_b x 0.4, back with P' = 1 - exp(-sum lambda), p'_j = P' lambda_j / sum lambda).
  const auto s = test::scenario(R"(
scenario: exact-attribute
run: {start: 2024-01, horizon_years: 3, iterations: 40, seed: 17}
departments: {d: {name: D}}
attributes:
  distance: {level: person, categorical: {near: 0.6, far: 0.4}}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [a, b, c]
    transitions:
      a: {to: {b: 0.10, c: 0.05}}
      b: {to: {a: 0.20, c: 0.10}}
      c: {to: {a: 0.03}}
    links:
      - {when: {attribute: {distance: far}}, transition: a->b, hazard_ratio: 0.4}
population:
  households: 1500
  synthetic:
    adults_per_household: 2
    adult_age: {uniform: [30, 40]}
    start_state: {work: {a: 0.5, b: 0.3, c: 0.2}}
variants: {baseline: {}}
)");
  const Eigen::Matrix3d P = homogeneous_chain(), Pfar = with_a_to_b_ratio(0.4);
  CHECK(Pfar(0, 1) < 0.045); // far from 0.10: a kernel that ignored the attribute would fail
  Eigen::RowVector3d near(0.5, 0.3, 0.2), far = near;
  std::vector<Eigen::RowVectorXd> exact;
  for (int t = 0; t < 36; ++t) {
    exact.push_back(0.6 * near + 0.4 * far);
    near = near * P;
    far = far * Pfar;
  }
  check_both_kernels(s, 0, exact);
  // The check can fail: the chain that ignores the attribute (everyone on P) is rejected.
  const auto occ = test::occupancy(s, 0, 40);
  Eigen::RowVector3d everyone(0.5, 0.3, 0.2);
  int failures = 0;
  for (int t = 1; t < 36; ++t) {
    everyone = everyone * P;
    double mean = 0.0;
    for (const auto& it : occ.count) mean += it[t][0] / (it[t][0] + it[t][1] + it[t][2]) / 40.0;
    failures += std::abs(mean - everyone(0)) > 0.01 ? 1 : 0;
  }
  CHECK(failures > 20);
}

/// The links-on-age tests' model: the homogeneous chain, everyone aged 29.5 at the start, and
/// from 30 to under 31 the hazard of a->b 0.4 of the others'.
std::string age_link() {
  return test::replaced(
    test::replaced(test::replaced(test::replaced(homogeneous, "seed: 11", "seed: 23"), "      c: {to: {a: 0.03}}\n",
                                  "      c: {to: {a: 0.03}}\n    links:\n"
                                  "      - {when: {age: [30, 31]}, transition: a->b, hazard_ratio: 0.4}\n"),
                   "households: 3000", "households: 1500"),
    "    adults_per_household: 1\n    adult_age: {uniform: [30, 40]}", "    adults_per_household: 2\n    adult_age: {fixed: 29.5}");
}

TEST_CASE("a link on age: the chain changes in the steps whose starting age is in the range") {
  // Everyone starts aged 29.5 (354 months); while aged 30 to under 31 (months 360-371 of age,
  // steps 6-17) the job-finding hazard is 0.4 of the others' (the competing-risks rule by
  // hand on row a, as in the attribute test above). The exact chain: start x P^6 x P'^12 x P^t.
  const auto s = test::scenario(age_link());
  REQUIRE(s.domains[0].links.size() == 1);
  REQUIRE(s.domains[0].links[0].age.has_value());
  CHECK(s.domains[0].links[0].age->first_month == 360);
  CHECK(s.domains[0].links[0].age->end_month == 372);
  const Eigen::Matrix3d P = homogeneous_chain(), P30 = with_a_to_b_ratio(0.4);
  Eigen::RowVector3d pi(0.5, 0.3, 0.2), ignoring = pi;
  std::vector<Eigen::RowVectorXd> exact, unlinked;
  for (int t = 0; t < 36; ++t) {
    exact.push_back(pi);
    unlinked.push_back(ignoring);
    pi = pi * (t >= 6 && t < 18 ? P30 : P);
    ignoring = ignoring * P;
  }
  check_both_kernels(s, 0, exact);
  // The check can fail: the chain that ignores the age link (everyone on P) is rejected, on
  // both kernels, from the steps after the link starts holding.
  for (auto kernel : {socinvest::Kernel::events, socinvest::Kernel::monthly}) {
    const auto occ = test::occupancy(s, 0, 40, 0, 2, kernel);
    int failures = 0;
    for (int t = 1; t < 36; ++t) {
      double mean = 0.0;
      for (const auto& it : occ.count) mean += it[t][0] / (it[t][0] + it[t][1] + it[t][2]) / 40.0;
      failures += std::abs(mean - unlinked[static_cast<std::size_t>(t)](0)) > 0.01 ? 1 : 0;
    }
    CHECK(failures > 15);
  }
}

TEST_CASE("a link on age with a quarterly cycle: the quarters whose starting age is in the range") {
  // Everyone starts aged 29.75 (357 months); a quarter's starting age is 357 + 3t months, so
  // the link (30 to under 31: months 360-371) holds in quarters 1-4. Per quarter the rows are
  // the documented constant-hazard ones (leave with 1 - exp(-3 x sum of the monthly hazards),
  // split by hazard), with a->b's hazard x 0.4 while the link holds.
  const auto s = test::scenario(test::replaced(
      test::replaced(age_link(), "horizon_years: 3, iterations: 40, seed: 23", "horizon_years: 3, cycle: quarter, iterations: 40, seed: 31"),
      "adult_age: {fixed: 29.5}", "adult_age: {fixed: 29.75}"));
  REQUIRE(s.run.cycle_months == 3);
  const double rows[3][3] = {{0.0, 0.10, 0.05}, {0.20, 0.0, 0.10}, {0.03, 0.0, 0.0}};
  auto quarterly = [&](double ratio_a_b) {
    Eigen::Matrix3d Q = Eigen::Matrix3d::Zero();
    for (int i = 0; i < 3; ++i) {
      const double total = rows[i][0] + rows[i][1] + rows[i][2];
      double lam[3], sum = 0.0;
      for (int j = 0; j < 3; ++j) {
        lam[j] = -std::log(1.0 - total) * rows[i][j] / total * (i == 0 && j == 1 ? ratio_a_b : 1.0);
        sum += lam[j];
      }
      const double leave = 1.0 - std::exp(-3.0 * sum);
      for (int j = 0; j < 3; ++j) Q(i, j) = i == j ? 1.0 - leave : leave * lam[j] / sum;
    }
    return Q;
  };
  const Eigen::Matrix3d Q = quarterly(1.0), Q30 = quarterly(0.4);
  Eigen::RowVector3d pi(0.5, 0.3, 0.2);
  std::vector<Eigen::RowVectorXd> exact;
  for (int t = 0; t < 12; ++t) {
    exact.push_back(pi);
    pi = pi * (t >= 1 && t < 5 ? Q30 : Q);
  }
  CHECK(Q30(0, 1) < 0.5 * Q(0, 1)); // the link matters: a kernel that ignored it would fail
  check_both_kernels(s, 0, exact);
}
