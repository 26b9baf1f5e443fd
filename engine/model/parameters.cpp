#include <socinvest/model/parameters.hpp>

#include <boost/math/distributions/gamma.hpp>

namespace socinvest {

double ParameterSampler::draw(const Quantity& q) const {
  if (auto it = settings_.fixed.find(q.path); it != settings_.fixed.end()) return it->second;
  if (q.dist.is_fixed()) return q.dist.a;
  if (auto it = settings_.quantiles.find(q.path); it != settings_.quantiles.end()) return q.dist.quantile(it->second);
  if (settings_.central) return q.dist.central();
  double u = streams_.uniform(Purpose::parameter, iteration_, static_cast<std::uint32_t>(q.key),
                              static_cast<std::uint32_t>(q.key >> 32));
  return q.dist.quantile(u);
}

std::vector<double> ParameterSampler::dirichlet(const DirichletRow& row) const {
  const auto& alpha = row.alpha;
  std::vector<double> g(alpha.size());
  double total = 0.0;
  for (std::size_t i = 0; i < alpha.size(); ++i) {
    if (settings_.central) {
      g[i] = alpha[i]; // the mean of a Dirichlet is alpha / sum(alpha)
    } else {
      // Independent Gamma(alpha_i, 1) variates, normalised, are Dirichlet(alpha).
      std::uint64_t k = row.key ^ (0x9E3779B97F4A7C15ULL * (i + 1));
      double u = streams_.uniform(Purpose::dirichlet, iteration_, static_cast<std::uint32_t>(k),
                                  static_cast<std::uint32_t>(k >> 32));
      g[i] = boost::math::quantile(boost::math::gamma_distribution<>(alpha[i], 1.0), u);
    }
    total += g[i];
  }
  std::vector<double> p(alpha.size() - 1);
  for (std::size_t i = 0; i + 1 < alpha.size(); ++i) p[i] = g[i] / total;
  return p;
}

} // namespace socinvest
