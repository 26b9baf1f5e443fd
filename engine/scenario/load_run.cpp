// run: the first month, the horizon, the time step, iterations and seed, the price year,
// the budget year of the budget-period table, the currency and the discount rate (one rate or a schedule of segments).
#include "scenario/load_context.hpp"

#include <socinvest/report/messages.hpp>

#include <socinvest/ledger/budget_years.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace socinvest::detail {

namespace {

/// The time steps a run may take, by name.
struct Cycle {
  const char* name;
  int months;
};
constexpr std::array<Cycle, 3> cycles{{{"month", 1}, {"quarter", 3}, {"year", 12}}};

/// price_projection: {service: {2025: 0.03, ...}, transfer: {...}, capital: {...}, tax: {...},
/// source: text}: per expenditure type, the rate of change into each calendar year.
void parse_price_projection(LoadContext& ctx, const YNode& n, RunSettings& run) {
  Reader& r = ctx.reader;
  std::vector<std::string> keys = names_of<ExpenditureType>();
  keys.emplace_back("source");
  if (!r.map(n, keys)) return;
  for (const auto& [key, rates] : n.entries()) {
    if (key == "source") {
      if (auto text = r.string(rates)) run.price_projection.source = *text;
      continue;
    }
    const auto type = value_named<ExpenditureType>(key);
    if (!type) continue;
    if (!rates.is_map()) {
      r.error(rates, both_languages(Msg::fixed_a_map_of_calendar_years_to_yearly));
      continue;
    }
    for (const auto& [year_text, rate] : rates.entries()) {
      int year = 0;
      auto [ptr, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
      if (ec != std::errc() || ptr != year_text.data() + year_text.size() || year < 1900 || year > 2200) {
        r.error(r.key_node(rate), both_languages(Msg::fixed_a_year_from_1900_to_2200_e));
        continue;
      }
      if (auto v = r.number(rate, Range{-0.5, 0.5, false, "a yearly rate of change from -0.5 to 0.5 (0.032 is 3.2 %)"}))
        run.price_projection.rates[static_cast<std::size_t>(*type)][year] = *v;
    }
  }
}

void parse_discount(LoadContext& ctx, const YNode& n, RunSettings& run) {
  Reader& r = ctx.reader;
  if (!r.map(n, {"rate", "schedule", "source"})) return;
  run.discount.clear();
  if (n["rate"].defined() && n["schedule"].defined()) r.error(n, both_languages(Msg::fixed_give_rate_or_schedule_not_both));
  if (n["rate"].defined()) {
    if (auto v = r.number(n["rate"], Range{-0.5, 1.0, false, "a yearly rate from -0.5 to 1 (0.035 is 3.5 %)"}))
      run.discount.push_back({0.0, *v});
  } else if (n["schedule"].defined() && r.seq(n["schedule"])) {
    YNode sched = n["schedule"];
    for (std::size_t i = 0; i < sched.size(); ++i) {
      YNode seg = sched.at(i);
      if (!r.map(seg, {"from_year", "rate"})) continue;
      auto from = r.number(seg["from_year"], detail::non_negative);
      auto rate = r.number(seg["rate"], Range{-0.5, 1.0, false, "a yearly rate from -0.5 to 1"});
      if (!from || !rate) continue;
      if (run.discount.empty() && *from != 0.0) r.error(seg["from_year"], both_languages(Msg::fixed_the_first_segment_must_start_at_year));
      if (!run.discount.empty() && *from <= run.discount.back().from_year)
        r.error(seg["from_year"], both_languages(Msg::fixed_segments_must_be_in_increasing_from_year));
      run.discount.push_back({*from, *rate});
    }
  } else {
    r.error(n, both_languages(Msg::fixed_give_rate_0_035_or_schedule_from));
  }
  if (run.discount.empty()) run.discount.push_back({0.0, 0.035});
}

} // namespace

void load_run(LoadContext& ctx, Scenario& s) {
  Reader& r = ctx.reader;
  auto& run = s.run;
  if (ctx.sections.run.empty()) {
    ctx.file_error(ctx.main_file(), 0, 0, "run", both_languages(Msg::fixed_is_required_start_horizon_years_iterations_seed));
    return;
  }
  const std::vector<std::string> keys = {"start", "horizon_years", "cycle", "iterations", "seed",
                                         "price_year", "budget_year", "price_projection", "effect_haircut", "currency",
                                         "neutralise_transfers", "discount", "lang"};
  bool have_start = false;
  std::optional<YNode> budget_year_node;
  for (auto& [key, n] : ctx.sections.run) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string msg = "unknown key '" + key + "'";
      std::string guess = did_you_mean(key, keys);
      if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
      r.error(r.key_node(n), msg + " (allowed: " + join(keys) + ")");
      continue;
    }
    if (key == "start") {
      have_start = true;
      if (auto ym = r.year_month(n)) {
        run.start = {ym->first, ym->second};
        ctx.start_given = true;
      }
    } else if (key == "horizon_years") {
      if (auto v = r.integer(n, 1, 70)) run.horizon_years = static_cast<int>(*v);
    } else if (key == "cycle") {
      std::vector<std::string> names;
      for (const auto& c : cycles) names.emplace_back(c.name);
      if (auto v = r.choice(n, names)) run.cycle_months = cycles[static_cast<std::size_t>(*v)].months;
    } else if (key == "iterations") {
      ctx.iterations_node = n;
      if (auto v = r.integer(n, 1, 10'000'000)) run.iterations = static_cast<int>(*v);
    } else if (key == "seed") {
      if (auto v = r.seed(n)) run.seed = *v;
    } else if (key == "price_year") {
      if (auto v = r.integer(n, 1900, 2200)) run.price_year = static_cast<int>(*v);
    } else if (key == "budget_year") {
      budget_year_node = n;
      if (auto v = r.integer(n, 1900, 2200)) run.budget_year = static_cast<int>(*v);
    } else if (key == "price_projection") {
      parse_price_projection(ctx, n, run);
    } else if (key == "effect_haircut") {
      run.effect_haircut = effect_haircut(ctx, n);
    } else if (key == "neutralise_transfers") {
      if (auto v = r.boolean(n)) run.neutralise_transfers = *v;
    } else if (key == "currency") {
      if (auto v = r.string(n)) run.currency = *v;
    } else if (key == "discount") {
      parse_discount(ctx, n, run);
    } else if (key == "lang") {
      // The scenario's default language: below --lang and SOCINVEST_LANG (resolve_language).
      if (auto v = r.choice(n, language_choices())) run.lang = value_named<Language>(language_choices()[*v]);
    }
  }
  if (!have_start) ctx.file_error(ctx.main_file(), 0, 0, "run.start", both_languages(Msg::fixed_is_required_the_first_month_as_yyyy));
  // The budget-period table shows B..B+3; B itself must be a year the run simulates.
  if (budget_year_node)
    if (const auto problem = budget_year_problem(run, run.budget_year)) r.error(*budget_year_node, *problem);
}

} // namespace socinvest::detail
