#include "scenario/distribution_kinds.hpp"

#include <socinvest/report/messages.hpp>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

namespace socinvest::detail {

std::optional<double> KindInput::num(const std::string& key, Range r) const {
  YNode c = node[key];
  if (!c.defined()) {
    reader.error_at(node, c.path, both_languages(Msg::dist_key_required, {kind}));
    return std::nullopt;
  }
  return reader.number(c, r);
}

std::optional<std::vector<double>> KindInput::list_numbers(std::size_t count) const {
  if (!node.is_seq() || node.size() != count) {
    reader.error(node, both_languages(Msg::dist_expected_numbers, {std::to_string(count)}));
    return std::nullopt;
  }
  std::vector<double> v;
  for (std::size_t i = 0; i < count; ++i) {
    auto x = reader.number(node.at(i));
    if (!x) return std::nullopt;
    v.push_back(*x);
  }
  return v;
}

namespace {

template <class... Args> std::string text(const char* format, Args... args) {
  char buf[160];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

// Shared by the kinds whose parameters are all on the quantity's own scale.
bool scale_all(Distribution& d, double f) {
  d.a *= f;
  d.b *= f;
  d.c *= f;
  return true;
}
bool cannot_rescale(Distribution&, double) { return false; }

// --- fixed: a = the value ----------------------------------------------------------------
bool parse_fixed(const KindInput& in, Distribution& d) {
  auto v = in.reader.number(in.node, in.range);
  if (!v) return false;
  d.a = *v;
  return true;
}

// --- beta: a = alpha, b = beta -----------------------------------------------------------
bool parse_beta(const KindInput& in, Distribution& d) {
  Reader& r = in.reader;
  const YNode& n = in.node;
  if (!r.map(n, {"mean", "sd", "alpha", "beta", "events", "trials"})) return false;
  if (in.has("mean") + in.has("alpha") + in.has("events") > 1) {
    r.error(n, both_languages(Msg::fixed_give_one_form_mean_and_sd_alpha));
    return false;
  }
  if (in.has("mean")) {
    auto mean = in.num("mean", {0.0, 1.0, true, "a mean strictly between 0 and 1"});
    auto sd = in.num("sd", positive);
    if (!mean || !sd) return false;
    if (*mean >= 1.0) {
      r.error(n["mean"], both_languages(Msg::fixed_a_beta_mean_must_be_below_1));
      return false;
    }
    double var = *sd * *sd;
    if (var >= *mean * (1 - *mean)) {
      r.error(n["sd"], both_languages(Msg::diag_beta_sd_too_large, {std::to_string(std::sqrt(*mean * (1 - *mean)))}));
      return false;
    }
    double k = *mean * (1 - *mean) / var - 1.0;
    d.a = *mean * k;
    d.b = (1 - *mean) * k;
  } else if (in.has("events")) {
    auto events = in.num("events", non_negative);
    auto trials = in.num("trials", positive);
    if (!events || !trials) return false;
    if (*events > *trials) {
      r.error(n["events"], both_languages(Msg::fixed_events_cannot_exceed_trials));
      return false;
    }
    // Posterior under a uniform prior: Beta(events + 1, trials - events + 1).
    d.a = *events + 1.0;
    d.b = *trials - *events + 1.0;
  } else {
    auto a = in.num("alpha", positive);
    auto b = in.num("beta", positive);
    if (!a || !b) return false;
    d.a = *a;
    d.b = *b;
  }
  return true;
}

// --- lognormal: a = mu (log of the median), b = sigma -------------------------------------
bool parse_lognormal(const KindInput& in, Distribution& d) {
  Reader& r = in.reader;
  const YNode& n = in.node;
  if (!r.map(n, {"median", "ci95", "p95", "meanlog", "sdlog", "mean", "sd"})) return false;
  if (in.has("median")) {
    auto median = in.num("median", positive);
    if (!median) return false;
    d.a = std::log(*median);
    if (in.has("ci95")) {
      YNode ci = n["ci95"];
      if (!ci.is_seq() || ci.size() != 2) {
        r.error(ci, both_languages(Msg::fixed_expected_low_high_a_95_interval_around));
        return false;
      }
      auto lo = r.number(ci.at(0), positive);
      auto hi = r.number(ci.at(1), positive);
      if (!lo || !hi) return false;
      if (!(*lo < *median && *median < *hi)) {
        r.error(ci, both_languages(Msg::fixed_the_95_interval_must_contain_the_median));
        return false;
      }
      // The log-scale half-width: the geometric mean of the two sides.
      d.b = (std::log(*hi) - std::log(*lo)) / (2.0 * 1.959963984540054);
    } else if (in.has("p95")) {
      auto p95 = in.num("p95", positive);
      if (!p95) return false;
      if (*p95 <= *median) {
        r.error(n["p95"], both_languages(Msg::fixed_the_95th_percentile_must_be_above_the));
        return false;
      }
      d.b = std::log(*p95 / *median) / 1.6448536269514722;
    } else {
      r.error(n, both_languages(Msg::fixed_a_lognormal_by_median_also_needs_ci95));
      return false;
    }
  } else if (in.has("mean")) {
    auto mean = in.num("mean", positive);
    auto sd = in.num("sd", positive);
    if (!mean || !sd) return false;
    double s2 = std::log(1.0 + (*sd * *sd) / (*mean * *mean));
    d.b = std::sqrt(s2);
    d.a = std::log(*mean) - s2 / 2.0;
  } else {
    auto mu = in.num("meanlog");
    auto sigma = in.num("sdlog", positive);
    if (!mu || !sigma) return false;
    d.a = *mu;
    d.b = *sigma;
  }
  return true;
}

// --- gamma: a = shape, b = scale ---------------------------------------------------------
bool parse_gamma(const KindInput& in, Distribution& d) {
  if (!in.reader.map(in.node, {"mean", "sd", "shape", "scale"})) return false;
  if (in.has("mean")) {
    auto mean = in.num("mean", positive);
    auto sd = in.num("sd", positive);
    if (!mean || !sd) return false;
    d.a = (*mean / *sd) * (*mean / *sd);
    d.b = *sd * *sd / *mean;
  } else {
    auto shape = in.num("shape", positive);
    auto scale = in.num("scale", positive);
    if (!shape || !scale) return false;
    d.a = *shape;
    d.b = *scale;
  }
  return true;
}

// --- normal: a = mean, b = sd ------------------------------------------------------------
bool parse_normal(const KindInput& in, Distribution& d) {
  if (!in.reader.map(in.node, {"mean", "sd"})) return false;
  auto mean = in.num("mean");
  auto sd = in.num("sd", positive);
  if (!mean || !sd) return false;
  d.a = *mean;
  d.b = *sd;
  return true;
}

// --- uniform: a = low, b = high ----------------------------------------------------------
bool parse_uniform(const KindInput& in, Distribution& d) {
  std::optional<std::vector<double>> v;
  if (in.node.is_map()) {
    if (!in.reader.map(in.node, {"min", "max"})) return false;
    auto lo = in.num("min");
    auto hi = in.num("max");
    if (lo && hi) v = std::vector<double>{*lo, *hi};
  } else {
    v = in.list_numbers(2);
  }
  if (!v) return false;
  if (!((*v)[0] < (*v)[1])) {
    in.reader.error(in.node, both_languages(Msg::fixed_a_uniform_needs_min_max));
    return false;
  }
  d.a = (*v)[0];
  d.b = (*v)[1];
  return true;
}

// --- triangular: a = low, b = mode, c = high ---------------------------------------------
bool parse_triangular(const KindInput& in, Distribution& d) {
  std::optional<std::vector<double>> v;
  if (in.node.is_map()) {
    if (!in.reader.map(in.node, {"min", "mode", "max"})) return false;
    auto lo = in.num("min");
    auto mode = in.num("mode");
    auto hi = in.num("max");
    if (lo && mode && hi) v = std::vector<double>{*lo, *mode, *hi};
  } else {
    v = in.list_numbers(3);
  }
  if (!v) return false;
  if (!((*v)[0] <= (*v)[1] && (*v)[1] <= (*v)[2] && (*v)[0] < (*v)[2])) {
    in.reader.error(in.node, both_languages(Msg::fixed_a_triangular_needs_min_mode_max_and));
    return false;
  }
  d.a = (*v)[0];
  d.b = (*v)[1];
  d.c = (*v)[2];
  return true;
}

// --- flexjob_subsidy: a formula of an uncertain monthly wage ------------------------------
// Lov om en aktiv beskæftigelsesindsats (lov nr. 548 af 7.5.2019, LBK nr. 280 af 1.3.2024)
// § 123 stk. 1: the subsidy starts from 98 % of the highest dagpenge rate; stk. 2: it is
// reduced by 30 % of the wage income up to a monthly threshold (14,686 kr. in 2019 level,
// regulated yearly) and by 55 % of the wage above it. The lønloft of stk. 3 (wage plus
// subsidy at most the full-time wage of the job) is not modelled: for the few-hour flexjobs
// of the target groups it does not bind. formula->p = {max, threshold, low_rate, high_rate}.
double flexjob_subsidy_of(const Distribution::Formula& f, double wage) {
  const double max = f.p[0], threshold = f.p[1], low = f.p[2], high = f.p[3];
  if (!(wage < unbounded)) return high > 0.0 || low > 0.0 ? 0.0 : max;
  const double cut = low * std::min(wage, threshold) + high * std::max(0.0, wage - threshold);
  return std::max(0.0, max - cut);
}

bool parse_flexjob_subsidy(const KindInput& in, Distribution& d) {
  Reader& r = in.reader;
  const YNode& n = in.node;
  if (!r.map(n, {"wage", "max", "threshold", "low_rate", "high_rate"})) return false;
  if (!in.has("wage")) {
    r.error_at(n, n["wage"].path, both_languages(Msg::fixed_is_required_the_monthly_wage_incl_pension));
    return false;
  }
  auto max = in.num("max", positive);
  auto threshold = in.num("threshold", non_negative);
  // The law's reduction rates (§ 123 stk. 2) unless the scenario says otherwise.
  std::optional<double> low = 0.30, high = 0.55;
  if (in.has("low_rate")) low = r.number(n["low_rate"], probability);
  if (in.has("high_rate")) high = r.number(n["high_rate"], probability);
  auto wage = r.quantity(n["wage"], non_negative_amount);
  if (!max || !threshold || !low || !high || !wage) return false;
  if (wage->dist.formula) {
    r.error(n["wage"], both_languages(Msg::fixed_the_wage_must_be_a_number_or));
    return false;
  }
  auto f = std::make_shared<Distribution::Formula>();
  f->of = wage->dist;
  f->p = {*max, *threshold, *low, *high};
  d.formula = std::move(f);
  return true;
}

using boost::math::quantile;
using K = DistributionKind;

constexpr std::array<KindRules, static_cast<std::size_t>(K::count)> table{{
    {.kind = K::fixed,
     .name = "fixed",
     .parse = parse_fixed,
     .quantile = [](const Distribution& d, double) { return d.a; },
     .mean = [](const Distribution& d) { return d.a; },
     .support = [](const Distribution& d) { return Support{d.a, d.a}; },
     .rescale = scale_all,
     .describe = [](const Distribution& d) { return text("%g", d.a); }},
    {.kind = K::beta,
     .name = "beta",
     .parse = parse_beta,
     .quantile = [](const Distribution& d, double u) { return quantile(boost::math::beta_distribution<>(d.a, d.b), u); },
     .mean = [](const Distribution& d) { return d.a / (d.a + d.b); },
     .support = [](const Distribution&) { return Support{0.0, 1.0}; },
     // A share stays in [0, 1] when prices change; scaling it would leave the support.
     .rescale = cannot_rescale,
     .describe = [](const Distribution& d) { return text("beta(alpha %.4g, beta %.4g; mean %.4g)", d.a, d.b, d.mean()); }},
    {.kind = K::lognormal,
     .name = "lognormal",
     .parse = parse_lognormal,
     .quantile = [](const Distribution& d, double u) { return quantile(boost::math::lognormal_distribution<>(d.a, d.b), u); },
     .mean = [](const Distribution& d) { return std::exp(d.a + d.b * d.b / 2.0); },
     .support = [](const Distribution&) { return Support{0.0, unbounded, true}; },
     // Scaling a lognormal moves its log-median; sigma is a ratio and stays.
     .rescale = [](Distribution& d, double f) { d.a += std::log(f); return true; },
     .describe = [](const Distribution& d) {
       return text("lognormal(median %.4g, 95%% %.4g to %.4g)", std::exp(d.a), d.quantile(0.025), d.quantile(0.975));
     }},
    {.kind = K::gamma,
     .name = "gamma",
     .parse = parse_gamma,
     .quantile = [](const Distribution& d, double u) { return quantile(boost::math::gamma_distribution<>(d.a, d.b), u); },
     .mean = [](const Distribution& d) { return d.a * d.b; },
     .support = [](const Distribution&) { return Support{0.0, unbounded, true}; },
     // Scaling a gamma scales its scale parameter; the shape stays.
     .rescale = [](Distribution& d, double f) { d.b *= f; return true; },
     .describe = [](const Distribution& d) { return text("gamma(mean %.4g, sd %.4g)", d.a * d.b, std::sqrt(d.a) * d.b); }},
    {.kind = K::normal,
     .name = "normal",
     .parse = parse_normal,
     .quantile = [](const Distribution& d, double u) { return quantile(boost::math::normal_distribution<>(d.a, d.b), u); },
     .mean = [](const Distribution& d) { return d.a; },
     .support = [](const Distribution&) { return Support{}; },
     .rescale = [](Distribution& d, double f) { d.a *= f; d.b *= f; return true; },
     .describe = [](const Distribution& d) { return text("normal(mean %.4g, sd %.4g)", d.a, d.b); }},
    {.kind = K::uniform,
     .name = "uniform",
     .parse = parse_uniform,
     .quantile = [](const Distribution& d, double u) { return d.a + (d.b - d.a) * u; },
     .mean = [](const Distribution& d) { return (d.a + d.b) / 2.0; },
     .support = [](const Distribution& d) { return Support{d.a, d.b}; },
     .rescale = scale_all,
     .describe = [](const Distribution& d) { return text("uniform(%.4g to %.4g)", d.a, d.b); }},
    {.kind = K::triangular,
     .name = "triangular",
     .parse = parse_triangular,
     .quantile = [](const Distribution& d, double u) {
       // Boost refuses a degenerate triangle; it is the single value.
       if (d.a == d.c) return d.a;
       return quantile(boost::math::triangular_distribution<>(d.a, d.b, d.c), u);
     },
     .mean = [](const Distribution& d) { return (d.a + d.b + d.c) / 3.0; },
     .support = [](const Distribution& d) { return Support{d.a, d.c}; },
     .rescale = scale_all,
     .describe = [](const Distribution& d) { return text("triangular(%.4g, mode %.4g, %.4g)", d.a, d.b, d.c); }},
    {.kind = K::flexjob_subsidy,
     .name = "flexjob_subsidy",
     .parse = parse_flexjob_subsidy,
     // The subsidy falls as the wage rises: its u-quantile is the formula at the wage's
     // (1 - u)-quantile (a fixed wage gives a fixed subsidy).
     .quantile = [](const Distribution& d, double u) {
       return flexjob_subsidy_of(*d.formula, d.formula->of.quantile(1.0 - u));
     },
     // E f(W) = the integral of f(Q_W(u)) over (0, 1), by the midpoint rule on 1,000 points
     // (f is piecewise linear and bounded, so this is close to the mean for display and checks).
     .mean = [](const Distribution& d) {
       if (d.formula->of.is_fixed()) return flexjob_subsidy_of(*d.formula, d.formula->of.a);
       constexpr int n = 1000;
       double sum = 0.0;
       for (int i = 0; i < n; ++i) sum += flexjob_subsidy_of(*d.formula, d.formula->of.quantile((i + 0.5) / n));
       return sum / n;
     },
     .support = [](const Distribution& d) {
       const Support w = rules_of(d.formula->of.kind).support(d.formula->of);
       return Support{flexjob_subsidy_of(*d.formula, w.hi), flexjob_subsidy_of(*d.formula, std::max(0.0, w.lo))};
     },
     // Price-indexing the subsidy indexes its kroner (max, threshold and the wage); the
     // reduction rates are shares and stay. The formula is homogeneous, so f(x) scales by f.
     .rescale = [](Distribution& d, double f) {
       auto g = std::make_shared<Distribution::Formula>(*d.formula);
       if (!rules_of(g->of.kind).rescale(g->of, f)) return false;
       g->p[0] *= f;
       g->p[1] *= f;
       d.formula = std::move(g);
       return true;
     },
     .describe = [](const Distribution& d) {
       const auto& f = *d.formula;
       return text("flexjob_subsidy(max %.6g less %.4g of the wage to %.6g and %.4g above; wage ", f.p[0], f.p[2], f.p[1], f.p[3]) +
              f.of.describe() + text("; median %.6g)", d.quantile(0.5));
     }},
}};

// A kind added to DistributionKind without its entry leaves a hole (its `.name` is null); an
// entry without one of its rules leaves that rule null. Either stops the build here.
constexpr bool complete() {
  for (std::size_t i = 0; i < table.size(); ++i) {
    const KindRules& k = table[i];
    if (k.kind != static_cast<DistributionKind>(i) || !k.name || !k.parse || !k.quantile || !k.mean || !k.support ||
        !k.rescale || !k.describe)
      return false;
  }
  return true;
}
static_assert(complete(), "every DistributionKind needs one complete entry, in enum order, in distribution_kinds.cpp");

} // namespace

std::span<const KindRules> distribution_kinds() { return table; }

const KindRules& rules_of(DistributionKind kind) { return table[static_cast<std::size_t>(kind)]; }

const KindRules* rules_named(const std::string& name) {
  for (const KindRules& k : table)
    if (name == k.name) return &k;
  return nullptr;
}

} // namespace socinvest::detail
