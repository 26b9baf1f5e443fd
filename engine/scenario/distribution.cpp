#include <socinvest/scenario/distribution.hpp>

#include "scenario/distribution_kinds.hpp"

#include <socinvest/hash.hpp>

#include <algorithm>

namespace socinvest {

// Every rule of a kind is in its entry of the table (scenario/distribution_kinds.cpp).
double Distribution::quantile(double u) const {
  u = std::clamp(u, 1e-12, 1.0 - 1e-12);
  return detail::rules_of(kind).quantile(*this, u);
}

double Distribution::mean() const { return detail::rules_of(kind).mean(*this); }

std::string Distribution::describe() const { return detail::rules_of(kind).describe(*this); }

const char* distribution_kind_name(DistributionKind kind) { return detail::rules_of(kind).name; }

Quantity Quantity::fixed(double v, std::string path) {
  Quantity q;
  q.dist = Distribution::fixed(v);
  q.key = path_key(path);
  q.path = std::move(path);
  return q;
}

std::uint64_t path_key(const std::string& path) {
  return fnv1a(path);
}

} // namespace socinvest
