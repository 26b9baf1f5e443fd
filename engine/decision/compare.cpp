#include <socinvest/decision/compare.hpp>

#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/diagnostics.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace socinvest {

std::vector<double> npv_samples(const Analysis& a, int variant, const std::string& account) {
  const std::size_t column = 2 + static_cast<std::size_t>(account_index(a.results.accounts, account));
  std::vector<double> out;
  for (const auto& row : a.results.per_iteration)
    if (static_cast<int>(row[0]) == variant) out.push_back(row[column]);
  return out;
}

std::vector<int> Comparison::same_variant_pairs() const {
  std::vector<int> out;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const Option &a = options[static_cast<std::size_t>(pairs[k].a)], &b = options[static_cast<std::size_t>(pairs[k].b)];
    if (!a.variant.empty() && a.variant == b.variant && a.baseline != b.baseline) out.push_back(static_cast<int>(k));
  }
  return out;
}

Comparison compare_options(const std::vector<CompareInput>& inputs, const std::string& account) {
  Comparison c;
  c.account = account;
  if (inputs.empty()) return c;
  const Analysis& first = *inputs.front().analysis;
  c.iterations = first.plan.iterations;
  // Several files: the same iterations and seed, so that they share random numbers. A
  // file's baseline is the baseline of the first earlier file whose baseline costs are the
  // same in every iteration; else a baseline of its own, allowed only when the file
  // simulates as an earlier one (same_simulation): the same persons in the same states,
  // priced at its own prices (a cash benefit at other rates), so that its variants' savings,
  // each against its own baseline, differ from the other file's by prices alone. A file
  // whose baseline simulates otherwise (another population, another baseline probability)
  // compares with nothing: its savings would be against another world.
  std::vector<int> baseline_of(inputs.size(), 0);
  c.files = static_cast<int>(inputs.size());
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Analysis& other = *inputs[k].analysis;
    if (k > 0 && (other.plan.iterations != first.plan.iterations || other.plan.seed != first.plan.seed)) {
      Diagnostics d;
      d.add(diagnostic(inputs[k].file, 0, 0, "run", "was run with other iterations or another seed than " + inputs[0].file));
      throw InvalidInput(d);
    }
    int same_costs = -1;
    bool same_persons = false;
    for (std::size_t j = 0; j < k && same_costs < 0; ++j) {
      if (inputs[j].analysis->baseline_fingerprint == other.baseline_fingerprint) same_costs = baseline_of[j];
      same_persons = same_persons || same_simulation(*inputs[j].scenario, *inputs[k].scenario);
    }
    if (same_costs >= 0) {
      baseline_of[k] = same_costs;
      continue;
    }
    if (k > 0 && !same_persons) {
      // Where the baselines part: the first iteration whose costs differ from the first file's.
      std::size_t i = 0;
      while (i + 1 < first.baseline_fingerprint.size() && first.baseline_fingerprint[i] == other.baseline_fingerprint[i]) ++i;
      Diagnostics d;
      d.add(diagnostic(inputs[k].file, 0, 0, "variants.baseline",
                       both_languages(Msg::compare_baseline_simulates_otherwise, {inputs[0].file, std::to_string(i + 1)})));
      throw InvalidInput(d);
    }
    Comparison::Baseline b;
    b.cost.mean = b.cost.p5 = b.cost.p50 = b.cost.p95 = std::nan("");
    b.scenario = inputs[k].scenario->id;
    b.title = inputs[k].scenario->title;
    baseline_of[k] = static_cast<int>(c.baselines.size());
    c.baselines.push_back(std::move(b));
  }
  Comparison::Option base;
  base.label = "baseline";
  base.samples.assign(static_cast<std::size_t>(c.iterations), 0.0);
  c.options.push_back(base);
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const CompareInput& in = inputs[k];
    Comparison::Baseline& b = c.baselines[static_cast<std::size_t>(baseline_of[k])];
    for (int v : in.variants) {
      Comparison::Option o;
      o.label = (inputs.size() > 1 ? in.scenario->id + ":" : "") + in.scenario->variants[v].id;
      if (const Text& title = in.scenario->variants[v].title; !title.empty()) {
        const std::string file = inputs.size() > 1 ? in.scenario->id + ": " : "";
        o.title = Text::of(file + title.in(Language::en), file + title.in(Language::da));
      }
      o.samples = npv_samples(*in.analysis, v, account);
      o.baseline = baseline_of[k];
      o.variant = in.scenario->variants[v].id;
      o.variant_title = in.scenario->variants[v].title;
      // The baseline's cost from the first of its variants: every variant of the file
      // carries the same baseline (money.csv's gross_cost_baseline). Results made of
      // per-iteration rows alone (no money rows) leave it unknown (NaN).
      const Results& r = in.analysis->results;
      if (b.options.empty() && !r.money.empty())
        b.cost = r.money_at(v, account_index(r.accounts, account), -1, Measure::gross_cost_baseline);
      b.options.push_back(static_cast<int>(c.options.size()));
      for (const EvidenceShare& e : in.analysis->results.evidence_shares)
        if (e.variant == v) o.evidence = e;
      c.options.push_back(std::move(o));
    }
  }
  const std::size_t n = c.options.size();
  for (auto& o : c.options) o.npv = summarize(o.samples);
  // Probability of being best, and the value of perfect information.
  // Ties are split: options equal to the best in an iteration share its win, so an option
  // identical to another is never ranked by the order in which they were listed.
  std::vector<double> wins(n, 0.0);
  double mean_of_max = 0.0;
  for (int i = 0; i < c.iterations; ++i) {
    double best = c.options[0].samples[i];
    for (std::size_t k = 1; k < n; ++k) best = std::max(best, c.options[k].samples[i]);
    int tied = 0;
    for (std::size_t k = 0; k < n; ++k) tied += c.options[k].samples[i] == best ? 1 : 0;
    for (std::size_t k = 0; k < n; ++k)
      if (c.options[k].samples[i] == best) wins[k] += 1.0 / tied;
    mean_of_max += best / c.iterations;
  }
  double max_of_mean = -INFINITY;
  for (std::size_t k = 0; k < n; ++k) {
    c.options[k].p_best = c.iterations ? wins[k] / c.iterations : 0.0;
    max_of_mean = std::max(max_of_mean, c.options[k].npv.mean);
  }
  c.expected_value_of_best = max_of_mean;
  // E[max] >= max E; the two are summed differently, so when one option wins every
  // iteration they can differ in the last bits: no negative value of information.
  c.expected_value_perfect_info = std::max(mean_of_max, max_of_mean);
  c.evpi = c.expected_value_perfect_info - max_of_mean;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return c.options[a].npv.mean > c.options[b].npv.mean; });
  for (std::size_t r = 0; r < n; ++r) c.options[order[r]].rank = static_cast<int>(r) + 1;
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      Comparison::Pair p;
      p.a = static_cast<int>(a);
      p.b = static_cast<int>(b);
      std::vector<double> diff(static_cast<std::size_t>(c.iterations));
      double better = 0.0; // a tie counts half
      for (int i = 0; i < c.iterations; ++i) {
        diff[i] = c.options[a].samples[i] - c.options[b].samples[i];
        better += diff[i] > 0.0 ? 1.0 : diff[i] == 0.0 ? 0.5 : 0.0;
      }
      p.difference = summarize(diff);
      p.p_a_better = c.iterations ? better / c.iterations : 0.0;
      c.pairs.push_back(std::move(p));
    }
  return c;
}

} // namespace socinvest
