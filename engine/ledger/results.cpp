#include <socinvest/ledger/results.hpp>

#include <stdexcept>

#include <algorithm>
#include <cmath>
#include <limits>

namespace socinvest {

double break_even_year(const std::vector<double>& net_pv) {
  double cumulative = 0.0;
  for (std::size_t y = 0; y < net_pv.size(); ++y) {
    cumulative += net_pv[y];
    if (cumulative > 0.0) return static_cast<double>(y + 1);
  }
  return std::numeric_limits<double>::infinity();
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double ratio(double a, double b) { return b > 0.0 ? a / b : nan; }

/// Builds the results in two passes over the same code. Extracting (`row_` set), it sees one
/// iteration's book (i = 0) and appends the value of every quantity to `row`; summarising
/// (`store` set), it reads each quantity's values over all iterations back from the store,
/// in the same order, and summarises them. So every iteration is reduced to one row as soon
/// as it is priced, and only the rows are kept (column_store.hpp).
struct Builder {
  const Scenario& s;
  const PricingPlan& plan;
  const IterationBook* book_ = nullptr; ///< extracting: the iteration's book
  Results& out;
  int A, Y, I;
  std::vector<double>* row_ = nullptr;
  ColumnStore* store = nullptr;
  std::size_t next_column = 0;
  /// Counting (neither row_ nor store): only how many columns and rows the results have.
  bool counting = false;
  std::size_t money_rows = 0, outcome_rows = 0;

  /// A quantity's values over the iterations (summarising), or nothing (extracting).
  template <class F>
  std::vector<double> values(F&& value) {
    if (row_) {
      row_->push_back(static_cast<double>(value(0)));
      return {};
    }
    if (counting) {
      ++next_column;
      return {};
    }
    return store->column(next_column++);
  }
  template <class F>
  Stat over_iterations(F&& value) {
    std::vector<double> v = values(std::forward<F>(value));
    return row_ ? Stat{} : summarize(std::move(v));
  }
  template <class F>
  double probability(F&& predicate) {
    const std::vector<double> v = values([&](int i) { return predicate(i) ? 1.0 : 0.0; });
    int hits = 0;
    for (double x : v) hits += x != 0.0 ? 1 : 0;
    return I ? static_cast<double>(hits) / I : nan;
  }
  const VariantBook& book(int /*i: always 0, the iteration being extracted*/, int v) const { return book_->variants[v]; }

  // Per-year net present value of account a in variant v against the baseline.
  double savings_pv(int i, int v, int a, int y) const {
    return book(i, 0).gross_pv[book(i, 0).at(a, y)] - book(i, v).gross_pv[book(i, v).at(a, y)];
  }
  double net_pv(int i, int v, int a, int y) const {
    const VariantBook& b = book(i, v);
    return savings_pv(i, v, a, y) - b.invest_pv[b.at(a, y)] + b.contract_pv[b.at(a, y)];
  }
  double total(int i, int v, int a, double (Builder::*per_year)(int, int, int, int) const) const {
    double t = 0.0;
    for (int y = 0; y < Y; ++y) t += (this->*per_year)(i, v, a, y);
    return t;
  }
  double sum_of(const std::vector<double> VariantBook::*field, int i, int v, int a) const {
    const VariantBook& b = book(i, v);
    double t = 0.0;
    for (int y = 0; y < Y; ++y) t += (b.*field)[b.at(a, y)];
    return t;
  }
  std::vector<double> net_pv_years(int i, int v, int a) const {
    std::vector<double> n(static_cast<std::size_t>(Y));
    for (int y = 0; y < Y; ++y) n[y] = net_pv(i, v, a, y);
    return n;
  }
  double npv(int i, int v, int a) const { return total(i, v, a, &Builder::net_pv); }

  void add(int v, int a, int y, const char* measure, Stat st) {
    if (counting) ++money_rows;
    else out.money.push_back({v, a, y, measure, st});
  }

  void money(int v) {
    for (int a = 0; a < A; ++a) {
      for (int y = 0; y < Y; ++y) {
        auto field = [&](const std::vector<double> VariantBook::*f, int variant) {
          return over_iterations([&](int i) { return (book(i, variant).*f)[book(i, variant).at(a, y)]; });
        };
        add(v, a, y, "investment", field(&VariantBook::invest, v));
        add(v, a, y, "investment_pv", field(&VariantBook::invest_pv, v));
        add(v, a, y, "gross_cost", field(&VariantBook::gross, v));
        add(v, a, y, "gross_cost_baseline", field(&VariantBook::gross, 0));
        add(v, a, y, "savings", over_iterations([&](int i) {
              return book(i, 0).gross[book(i, 0).at(a, y)] - book(i, v).gross[book(i, v).at(a, y)];
            }));
        add(v, a, y, "savings_pv", over_iterations([&](int i) { return savings_pv(i, v, a, y); }));
        add(v, a, y, "contract_net", field(&VariantBook::contract, v));
        add(v, a, y, "net", over_iterations([&](int i) {
              const VariantBook& b = book(i, v);
              return book(i, 0).gross[book(i, 0).at(a, y)] - b.gross[b.at(a, y)] - b.invest[b.at(a, y)] + b.contract[b.at(a, y)];
            }));
        add(v, a, y, "net_pv", over_iterations([&](int i) { return net_pv(i, v, a, y); }));
        add(v, a, y, "cumulative_net_pv", over_iterations([&](int i) {
              double c = 0.0;
              for (int z = 0; z <= y; ++z) c += net_pv(i, v, a, z);
              return c;
            }));
      }
      add(v, a, -1, "investment", over_iterations([&](int i) { return sum_of(&VariantBook::invest, i, v, a); }));
      add(v, a, -1, "investment_pv", over_iterations([&](int i) { return sum_of(&VariantBook::invest_pv, i, v, a); }));
      add(v, a, -1, "gross_cost", over_iterations([&](int i) { return sum_of(&VariantBook::gross, i, v, a); }));
      add(v, a, -1, "gross_cost_baseline", over_iterations([&](int i) { return sum_of(&VariantBook::gross, i, 0, a); }));
      add(v, a, -1, "savings", over_iterations([&](int i) {
            return sum_of(&VariantBook::gross, i, 0, a) - sum_of(&VariantBook::gross, i, v, a);
          }));
      add(v, a, -1, "savings_pv", over_iterations([&](int i) { return total(i, v, a, &Builder::savings_pv); }));
      add(v, a, -1, "contract_net", over_iterations([&](int i) { return sum_of(&VariantBook::contract, i, v, a); }));
      add(v, a, -1, "contract_net_pv", over_iterations([&](int i) { return sum_of(&VariantBook::contract_pv, i, v, a); }));
      add(v, a, -1, "npv", over_iterations([&](int i) { return npv(i, v, a); }));
      add(v, a, -1, "roi", over_iterations([&](int i) {
            return ratio(npv(i, v, a), sum_of(&VariantBook::invest_pv, i, v, a));
          }));
      add(v, a, -1, "benefit_cost_ratio", over_iterations([&](int i) {
            return ratio(total(i, v, a, &Builder::savings_pv) + sum_of(&VariantBook::contract_pv, i, v, a),
                         sum_of(&VariantBook::invest_pv, i, v, a));
          }));
      add(v, a, -1, "break_even_year", over_iterations([&](int i) {
            double y = break_even_year(net_pv_years(i, v, a));
            return std::isinf(y) ? nan : y;
          }));
      Stat p;
      p.mean = probability([&](int i) { return !std::isinf(break_even_year(net_pv_years(i, v, a))); });
      p.n = I;
      p.p5 = p.p50 = p.p95 = p.mean;
      p.sd = std::sqrt(p.mean * (1 - p.mean));
      p.se = I > 1 ? p.sd / std::sqrt(static_cast<double>(I)) : 0.0;
      add(v, a, -1, "p_break_even", p);
    }
  }

  void summary(int v) {
    VariantSummary vs;
    vs.variant = v;
    const int T = out.accounts.total();
    vs.npv = over_iterations([&](int i) { return npv(i, v, T); });
    vs.npv_public_sector = over_iterations([&](int i) { return npv(i, v, out.accounts.public_sector()); });
    vs.npv_municipality = over_iterations([&](int i) { return npv(i, v, out.accounts.level(FinancingLevel::municipality)); });
    vs.investment_pv = over_iterations([&](int i) { return sum_of(&VariantBook::invest_pv, i, v, T); });
    vs.savings_pv = over_iterations([&](int i) { return total(i, v, T, &Builder::savings_pv); });
    vs.roi = over_iterations([&](int i) { return ratio(npv(i, v, T), sum_of(&VariantBook::invest_pv, i, v, T)); });
    vs.benefit_cost_ratio = over_iterations([&](int i) {
      return ratio(total(i, v, T, &Builder::savings_pv), sum_of(&VariantBook::invest_pv, i, v, T));
    });
    const std::vector<double> years = values([&](int i) { return break_even_year(net_pv_years(i, v, T)); });
    auto share = [&](auto holds) {
      int hits = 0;
      for (double y : years) hits += holds(y) ? 1 : 0;
      return I ? static_cast<double>(hits) / I : nan;
    };
    vs.p_break_even = share([](double y) { return !std::isinf(y); });
    vs.p_break_even_5y = share([](double y) { return y <= 5.0; });
    vs.p_break_even_10y = share([](double y) { return y <= 10.0; });
    std::vector<double> finite;
    for (double y : years) finite.push_back(std::isinf(y) ? nan : y);
    if (!row_) vs.break_even_year = summarize(finite);
    std::vector<double> sorted = years;
    std::sort(sorted.begin(), sorted.end());
    vs.median_break_even_year = sorted.empty() ? nan : sorted[(sorted.size() - 1) / 2];
    vs.npv_per_household = over_iterations([&](int i) { return npv(i, v, T) / std::max(1, book(i, v).households); });
    vs.npv_per_participant = over_iterations([&](int i) {
      int p = book(i, v).participant_households;
      return p > 0 ? npv(i, v, T) / p : nan;
    });
    vs.participants = over_iterations([&](int i) { return book(i, v).participant_households; });
    vs.eligible = over_iterations([&](int i) { return book(i, v).eligible_households; });
    vs.consenting = over_iterations([&](int i) { return book(i, v).consenting_households; });
    vs.npv_samples = values([&](int i) { return npv(i, v, T); });
    // Attribution flows: the mean over iterations of what department h saves, in
    // proportion to department d's share of the (positive) investment.
    const int D = out.accounts.departments;
    vs.flows.assign(D, std::vector<double>(D, 0.0));
    for (int h = 0; h < D; ++h)
      for (int d = 0; d < D; ++d) {
        const std::vector<double> flow = values([&](int i) {
          double positive = 0.0;
          for (int e = 0; e < D; ++e) positive += std::max(0.0, sum_of(&VariantBook::invest_pv, i, v, e));
          if (positive <= 0.0) return 0.0;
          return std::max(0.0, sum_of(&VariantBook::invest_pv, i, v, d)) / positive * total(i, v, h, &Builder::savings_pv);
        });
        for (double x : flow) vs.flows[d][h] += x / I;
      }
    out.variants.push_back(std::move(vs));
  }

  void outcomes(int v) {
    const int G = static_cast<int>(s.variants.size()); // groups of the tally (tally.hpp)
    auto groups = [&]() {
      std::vector<std::pair<std::string, int>> g{{name_of(Group::all), 0}};
      if (v > 0 && G > v) g.push_back({name_of(Group::participants), v});
      return g;
    };
    auto row = [&](const char* kind, const std::string& item, const std::string& group, int y, const char* measure, Stat st) {
      if (counting) ++outcome_rows;
      else out.outcomes.push_back({v, kind, item, group, y, measure, st});
    };
    for (auto [group, g] : groups()) {
      for (int y = 0; y < Y; ++y) {
        for (int k = 0; k < static_cast<int>(s.indicators.size()); ++k) {
          const std::size_t idx = (static_cast<std::size_t>(g) * Y + y) * s.indicators.size() + k;
          row("indicator", s.indicators[k].id, group, y, "value",
              over_iterations([&](int i) { return book(i, v).indicator_share[idx]; }));
          if (v > 0) {
            row("indicator", s.indicators[k].id, group, y, "baseline",
                over_iterations([&](int i) { return book(i, 0).indicator_share[idx]; }));
            row("indicator", s.indicators[k].id, group, y, "difference", over_iterations([&](int i) {
                  return book(i, v).indicator_share[idx] - book(i, 0).indicator_share[idx];
                }));
          }
        }
        for (std::size_t d = 0; d < s.domains.size(); ++d)
          for (std::size_t st = 0; st < s.domains[d].states.size(); ++st) {
            const int item = plan.state_item_offset[d] + static_cast<int>(st);
            const std::size_t idx = (static_cast<std::size_t>(g) * Y + y) * plan.state_items + item;
            const std::string name = s.domains[d].id + "." + s.domains[d].states[st];
            row("person_years", name, group, y, "value", over_iterations([&](int i) { return book(i, v).person_years[idx]; }));
            if (v > 0)
              row("person_years", name, group, y, "difference", over_iterations([&](int i) {
                    return book(i, v).person_years[idx] - book(i, 0).person_years[idx];
                  }));
          }
        for (std::size_t m = 0; m < plan.routes.size(); ++m) {
          const auto& route = plan.routes[m];
          const Domain& dom = s.domains[route.domain];
          const std::size_t idx = (static_cast<std::size_t>(g) * Y + y) * plan.routes.size() + m;
          const std::string name = dom.id + "." + dom.states[route.from] + "->" + dom.states[route.to];
          row("transitions", name, group, y, "value", over_iterations([&](int i) { return book(i, v).moves[idx]; }));
          if (v > 0)
            row("transitions", name, group, y, "difference",
                over_iterations([&](int i) { return book(i, v).moves[idx] - book(i, 0).moves[idx]; }));
        }
      }
    }
  }

  void targets(int v) {
    for (std::size_t t = 0; t < s.targets.size(); ++t) {
      const Target& tg = s.targets[t];
      const int g = tg.among == Group::participants ? v : 0;
      const std::size_t idx = (static_cast<std::size_t>(g) * Y + (tg.at_year - 1)) * s.indicators.size() + tg.indicator;
      auto reached = [&](double share) { return !std::isnan(share) && share >= tg.at_least && share <= tg.at_most; };
      TargetResult r;
      r.variant = v;
      r.target = static_cast<int>(t);
      r.probability = probability([&](int i) { return reached(book(i, v).indicator_share[idx]); });
      r.baseline_probability = probability([&](int i) { return reached(book(i, 0).indicator_share[idx]); });
      r.value = over_iterations([&](int i) { return book(i, v).indicator_share[idx]; });
      out.targets.push_back(r);
    }
  }

  void contracts(int v) {
    const Variant& variant = s.variants[v];
    for (std::size_t c = 0; c < variant.contracts.size(); ++c) {
      const Contract& k = variant.contracts[c];
      ContractResult r;
      r.variant = v;
      r.contract = static_cast<int>(c);
      r.probability_triggered = probability([&](int i) { return book(i, v).contract_payment[c] > 0.0; });
      r.payment = over_iterations([&](int i) { return book(i, v).contract_payment[c]; });
      r.payment_pv = over_iterations([&](int i) { return book(i, v).contract_payment[c] * plan.discount[k.at_year * 12 - 1]; });
      r.payee_return = over_iterations([&](int i) {
        return ratio(npv(i, v, k.payee), sum_of(&VariantBook::invest_pv, i, v, k.payee));
      });
      r.payer_npv = over_iterations([&](int i) { return npv(i, v, k.payer); });
      out.contracts.push_back(r);
    }
  }

  void per_iteration(int v) {
    std::vector<std::vector<double>> npvs;
    for (int a = 0; a < A; ++a) npvs.push_back(values([&](int i) { return npv(i, v, a); }));
    if (row_) return;
    for (int i = 0; i < I; ++i) {
      std::vector<double> line{static_cast<double>(v), static_cast<double>(i)};
      for (int a = 0; a < A; ++a) line.push_back(npvs[a][i]);
      out.per_iteration.push_back(std::move(line));
    }
  }

  void all(const RunPlan& run) {
    outcomes(0);
    for (int v : run.variants) {
      if (v == 0) continue;
      money(v);
      summary(v);
      outcomes(v);
      targets(v);
      contracts(v);
      per_iteration(v);
    }
  }
};

} // namespace

std::vector<double> result_row(const Scenario& s, const PricingPlan& plan, const RunPlan& run, const IterationBook& book) {
  Results scratch;
  scratch.accounts = plan.accounts;
  std::vector<double> row;
  Builder b{s, plan, &book, scratch, plan.accounts.size(), s.run.horizon_years, 1, &row, nullptr};
  b.all(run);
  return row;
}

ResultShape result_shape(const Scenario& s, const PricingPlan& plan, const RunPlan& run) {
  Results scratch;
  scratch.accounts = plan.accounts;
  Builder b{s, plan, nullptr, scratch, plan.accounts.size(), s.run.horizon_years, 0, nullptr, nullptr};
  b.counting = true;
  b.all(run);
  return {b.next_column, b.money_rows, b.outcome_rows};
}

Results build_results(const Scenario& s, const PricingPlan& plan, const RunPlan& run, ColumnStore& rows) {
  Results out;
  out.scenario = &s;
  out.accounts = plan.accounts;
  out.plan = run;
  if (rows.rows() == 0) return out;
  Builder b{s, plan, nullptr, out, plan.accounts.size(), s.run.horizon_years, static_cast<int>(rows.rows()), nullptr, &rows};
  b.all(run);
  if (b.next_column != rows.columns()) throw std::logic_error("build_results: the rows do not match the scenario");
  return out;
}

} // namespace socinvest
