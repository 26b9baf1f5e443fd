#include <socinvest/decision/evidence.hpp>

#include <socinvest/ledger/accounts.hpp>

#include <cmath>
#include <limits>

namespace socinvest {

double EvidenceShare::share(int grade) const {
  const double without = npv_without[static_cast<std::size_t>(grade)];
  const double brought = npv_all - npv_none;
  if (std::isnan(without) || !(std::abs(brought) > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return (npv_all - without) / brought;
}

Scenario without_effects(const Scenario& scenario, const std::function<bool(const Effect&)>& off) {
  Scenario s = scenario;
  for (auto& v : s.variants)
    for (auto& iv : v.interventions) std::erase_if(iv.effects, off);
  return s;
}

std::vector<EvidenceShare> evidence_shares(const Scenario& s, const RunOptions& options, const Results& with_all) {
  const int total = account_index(with_all.accounts, "total");
  RunOptions o = options;
  o.progress = nullptr;
  o.keep_books = false;
  o.ranks = nullptr; // the extra runs are this process's alone (after an MPI run, on rank 0)
  o.variants.clear();
  for (int v : with_all.plan.variants)
    if (v > 0) o.variants.push_back(v);
  std::vector<EvidenceShare> out;
  if (o.variants.empty()) return out;
  auto npv_of = [&](const Results& r, int v) { return r.money_at(v, total, -1, Measure::npv).mean; };
  for (int v : o.variants) {
    EvidenceShare e;
    e.variant = v;
    e.npv_all = npv_of(with_all, v);
    e.npv_without.fill(std::numeric_limits<double>::quiet_NaN());
    out.push_back(e);
  }
  {
    const Scenario none = without_effects(s, [](const Effect&) { return true; });
    const auto a = analyse(none, o);
    for (auto& e : out) e.npv_none = npv_of(a->results, e.variant);
  }
  for (int g = 0; g < evidence_grade_count; ++g) {
    bool used = false;
    for (const auto& e : out) used = used || s.variants[e.variant].effects_by_grade()[static_cast<std::size_t>(g)] > 0;
    if (!used) continue;
    const Scenario fewer = without_effects(s, [g](const Effect& e) { return static_cast<int>(e.grade) == g; });
    const auto a = analyse(fewer, o);
    for (auto& e : out)
      if (s.variants[e.variant].effects_by_grade()[static_cast<std::size_t>(g)] > 0)
        e.npv_without[static_cast<std::size_t>(g)] = npv_of(a->results, e.variant);
  }
  return out;
}

} // namespace socinvest
