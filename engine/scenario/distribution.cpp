#include <socinvest/scenario/distribution.hpp>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace socinvest {

double Distribution::quantile(double u) const {
  u = std::clamp(u, 1e-12, 1.0 - 1e-12);
  switch (kind) {
  case DistributionKind::fixed: return a;
  case DistributionKind::beta: return boost::math::quantile(boost::math::beta_distribution<>(a, b), u);
  case DistributionKind::lognormal: return boost::math::quantile(boost::math::lognormal_distribution<>(a, b), u);
  case DistributionKind::gamma: return boost::math::quantile(boost::math::gamma_distribution<>(a, b), u);
  case DistributionKind::normal: return boost::math::quantile(boost::math::normal_distribution<>(a, b), u);
  case DistributionKind::uniform: return a + (b - a) * u;
  case DistributionKind::triangular:
    if (a == c) return a;
    return boost::math::quantile(boost::math::triangular_distribution<>(a, b, c), u);
  }
  return a;
}

double Distribution::mean() const {
  switch (kind) {
  case DistributionKind::fixed: return a;
  case DistributionKind::beta: return a / (a + b);
  case DistributionKind::lognormal: return std::exp(a + b * b / 2.0);
  case DistributionKind::gamma: return a * b;
  case DistributionKind::normal: return a;
  case DistributionKind::uniform: return (a + b) / 2.0;
  case DistributionKind::triangular: return (a + b + c) / 3.0;
  }
  return a;
}

std::string Distribution::describe() const {
  char buf[160];
  switch (kind) {
  case DistributionKind::fixed: std::snprintf(buf, sizeof buf, "%g", a); break;
  case DistributionKind::beta:
    std::snprintf(buf, sizeof buf, "beta(alpha %.4g, beta %.4g; mean %.4g)", a, b, mean());
    break;
  case DistributionKind::lognormal:
    std::snprintf(buf, sizeof buf, "lognormal(median %.4g, 95%% %.4g to %.4g)", std::exp(a),
                  quantile(0.025), quantile(0.975));
    break;
  case DistributionKind::gamma:
    std::snprintf(buf, sizeof buf, "gamma(mean %.4g, sd %.4g)", a * b, std::sqrt(a) * b);
    break;
  case DistributionKind::normal: std::snprintf(buf, sizeof buf, "normal(mean %.4g, sd %.4g)", a, b); break;
  case DistributionKind::uniform: std::snprintf(buf, sizeof buf, "uniform(%.4g to %.4g)", a, b); break;
  case DistributionKind::triangular:
    std::snprintf(buf, sizeof buf, "triangular(%.4g, mode %.4g, %.4g)", a, b, c);
    break;
  }
  return buf;
}

Quantity Quantity::fixed(double v, std::string path) {
  Quantity q;
  q.dist = Distribution::fixed(v);
  q.key = path_key(path);
  q.path = std::move(path);
  return q;
}

std::uint64_t path_key(const std::string& path) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char ch : path) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  return h;
}

} // namespace socinvest
