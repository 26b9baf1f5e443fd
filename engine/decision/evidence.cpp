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

namespace {

/// The shares for the variants `plan_variants` (> 0) compares; `with_all` the results of the
/// run with every effect, null on the ranks that do not have them (RunOptions::ranks: the
/// re-runs are collective, rank 0 alone gets their figures).
std::vector<EvidenceShare> shares_of(const Scenario& s, const RunOptions& options, const std::vector<int>& plan_variants,
                                     const Results* with_all, const std::string& account) {
  RunOptions o = options;
  o.progress = nullptr;
  o.keep_books = false;
  o.variants.clear();
  for (int v : plan_variants)
    if (v > 0) o.variants.push_back(v);
  std::vector<EvidenceShare> out;
  if (o.variants.empty()) return out;
  auto npv_of = [&](const Results& r, int v) {
    return r.money_at(v, account_index(r.accounts, account), -1, Measure::npv).mean;
  };
  for (int v : o.variants) {
    EvidenceShare e;
    e.variant = v;
    e.npv_all = with_all ? npv_of(*with_all, v) : std::numeric_limits<double>::quiet_NaN();
    e.npv_without.fill(std::numeric_limits<double>::quiet_NaN());
    out.push_back(e);
  }
  {
    const Scenario none = without_effects(s, [](const Effect&) { return true; });
    const auto a = analyse(none, o);
    if (a->results_here)
      for (auto& e : out) e.npv_none = npv_of(a->results, e.variant);
  }
  for (int g = 0; g < evidence_grade_count; ++g) {
    bool used = false;
    for (const auto& e : out) used = used || s.variants[e.variant].effects_by_grade()[static_cast<std::size_t>(g)] > 0;
    if (!used) continue;
    const Scenario fewer = without_effects(s, [g](const Effect& e) { return static_cast<int>(e.grade) == g; });
    const auto a = analyse(fewer, o);
    if (!a->results_here) continue;
    for (auto& e : out)
      if (s.variants[e.variant].effects_by_grade()[static_cast<std::size_t>(g)] > 0)
        e.npv_without[static_cast<std::size_t>(g)] = npv_of(a->results, e.variant);
  }
  if (!with_all) out.clear();
  return out;
}

} // namespace

std::vector<EvidenceShare> evidence_shares(const Scenario& s, const RunOptions& options, const Results& with_all,
                                           const std::string& account) {
  RunOptions o = options;
  o.ranks = nullptr; // this process's alone
  return shares_of(s, o, with_all.plan.variants, &with_all, account);
}

std::vector<EvidenceShare> evidence_shares(const Scenario& s, const RunOptions& options, const Analysis& with_all,
                                           const std::string& account) {
  return shares_of(s, options, with_all.plan.variants, with_all.results_here ? &with_all.results : nullptr, account);
}

} // namespace socinvest
