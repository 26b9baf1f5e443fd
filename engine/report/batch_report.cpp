#include <socinvest/report/batch_report.hpp>

#include "report/html_parts.hpp"
#include "report/xlsx_parts.hpp"

#include <socinvest/report/messages.hpp>
#include <socinvest/report/tables.hpp>

#include <socinvest/csv.hpp>
#include <socinvest/errors.hpp>
#include <socinvest/ledger/results.hpp>
#include <socinvest/version.hpp>

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace socinvest {

namespace {

using namespace html_parts;


/// One row of an interval chart: the 5-95 % interval as a bar, the mean as a dot, and
/// optional marks (the means of single seeds) as short ticks. Texts are unescaped.
struct IntervalRow {
  std::string title, subtitle;
  double mean = 0, p5 = 0, p95 = 0;
  std::vector<double> marks;
  std::string color;
};

/// Each row's net present value on one money axis.
std::string interval_chart(const std::string& name, const std::string& aria, const std::vector<IntervalRow>& rows,
                           Language lang) {
  const double W = 760, rowh = 38, top = 14;
  const double H = top + rowh * static_cast<double>(rows.size()) + 46;
  double lo = 0, hi = 0;
  for (const auto& r : rows) {
    std::vector<double> values{r.mean, r.p5, r.p95};
    values.insert(values.end(), r.marks.begin(), r.marks.end());
    for (double x : values)
      if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  }
  const auto ticks = nice_ticks(lo, hi, 6);
  const MoneyAxis ma = money_axis(ticks, lang);
  const double l = 262, r = W - 112, t = top, b = top + rowh * static_cast<double>(rows.size());
  const Scale xs{lo, hi, l, r};
  auto x_of = [&](double v) { return xs(std::clamp(v, lo, hi)); };
  Svg svg(name, W, H, aria);
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (i % 2 == 1) svg.rect(0, t + rowh * static_cast<double>(i), W, rowh, "#f7f8fa");
  for (double tk : ticks) {
    svg.line(xs(tk), t, xs(tk), b, tk == 0.0 ? "zero" : "grid");
    svg.text(xs(tk), b + 16, ma.tick(tk, lang), "tick", "middle");
  }
  svg.line(l, b, r, b, "axis");
  svg.text((l + r) / 2, b + 34, std::string(T(lang, Msg::net_present_value)) + E(ma.unit), "small", "middle");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const IntervalRow& row = rows[i];
    const double cy = t + rowh * (static_cast<double>(i) + 0.5);
    svg.text(l - 14, cy - 2, E(clip(row.title, 38)), "strong", "end");
    if (!row.subtitle.empty()) svg.text(l - 14, cy + 12, E(clip(row.subtitle, 44)), "small", "end");
    const std::string who = E(row.title) + (row.subtitle.empty() ? "" : " \u00b7 " + E(row.subtitle));
    if (std::isfinite(row.p5) && std::isfinite(row.p95)) {
      const double x0 = x_of(row.p5), x1 = x_of(row.p95);
      svg.rect(std::min(x0, x1), cy - 6, std::max(1.0, std::abs(x1 - x0)), 12, row.color,
               who + ": " + T(lang, Msg::n90_interval) + " " + kr_short(row.p5, lang) + " " + T(lang, Msg::to_2) + " " +
                   kr_short(row.p95, lang),
               "fill-opacity=\"0.35\" rx=\"3\"");
      svg.line(x0, cy - 8, x0, cy + 8, "", "stroke=\"" + row.color + "\" stroke-width=\"1.5\"");
      svg.line(x1, cy - 8, x1, cy + 8, "", "stroke=\"" + row.color + "\" stroke-width=\"1.5\"");
    }
    for (double m : row.marks)
      if (std::isfinite(m)) svg.line(x_of(m), cy - 11, x_of(m), cy - 5, "", "stroke=\"#1c2530\" stroke-width=\"1.2\"");
    if (std::isfinite(row.mean)) {
      svg.circle(x_of(row.mean), cy, 4.5, row.color,
                 who + ": " + T(lang, Msg::mean_5) + kr(row.mean, lang));
      svg.text(W - 6, cy + 4, kr_short(row.mean, lang), "strong", "end",
               std::string("fill=\"") + (row.mean < 0 ? "#a8423a" : row.mean > 0 ? "#2b7a66" : "#1c2530") + "\"");
    }
  }
  return svg.done();
}

// ---------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------

const std::string css = stylesheet(Page::summary);

std::string page_start(const std::string& title, Language lang) {
  return page_head(title, lang, engine_version(), css);
}

std::string page_end(Language lang) {
  return "<footer>" + std::string(T(lang, Msg::made_by_socinvest)) + " " + E(engine_version()) + " \u00b7 " +
         T(lang, Msg::amounts_are_present_values_discounted_to_each) +
         "</footer>\n</main>\n</body>\n</html>\n";
}


// ---------------------------------------------------------------------------------------
// batch.csv
// ---------------------------------------------------------------------------------------

/// A number as exact_number() wrote it ("Inf" and "-Inf" included; empty for NaN); NaN otherwise.
double parse_number(const std::string& s) {
  double v = std::nan("");
  if (s.empty()) return v;
  const char* first = s.data();
  if (*first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nan("");
  return v;
}

struct Values {
  double mean = std::nan(""), se = std::nan(""), p5 = std::nan(""), p50 = std::nan(""), p95 = std::nan("");
};

struct Row {
  std::string item, label, scenario, kind, seed, iterations, key, variant, measure;
  Values v;
};

/// One item, seed and variant: its headline figures. batch.csv is a file, so a figure can
/// be missing (a file from another engine, edited by hand): that is a "\u2013" in the
/// report, never a typo in the code, which asks by enumerator.
struct Run {
  std::string item, label, scenario, kind, seed, iterations, key, variant;
  std::array<std::optional<Values>, static_cast<std::size_t>(Headline::count)> measures{};
  std::optional<EvidenceShare> evidence; ///< from its evidence-share rows (evidence_share_measures)
  const Values* find(Headline h) const {
    const auto& v = measures[static_cast<std::size_t>(h)];
    return v ? &*v : nullptr;
  }
};

struct Batch {
  std::vector<Row> rows;
  std::vector<Run> runs; ///< in the order of batch.csv
};

constexpr std::string_view evidence_all = "evidence_npv_all", evidence_none = "evidence_npv_none",
                           evidence_without = "evidence_npv_without_", evidence_share = "evidence_share_";

/// A batch row's variant (a Row or a Run) as a reader knows it: its title in `lang` from
/// `titles` (by "scenario file\nvariant id"), else its id; batch.csv keeps the id.
template <class R> std::string variant_shown(const std::map<std::string, Text>& titles, const R& r, Language lang) {
  const auto it = titles.find(r.scenario + '\n' + r.variant);
  return it == titles.end() ? r.variant : it->second.in(lang);
}

Batch parse_batch(const std::string& text) {
  Batch b;
  const auto table = parse_csv(text);
  if (table.empty()) return b;
  const std::vector<std::string> names{"item", "label", "scenario", "kind", "seed", "iterations", "key",
                                       "variant", "measure", "mean", "se", "p5", "p50", "p95"};
  std::vector<std::size_t> col;
  for (const auto& name : names) {
    const auto it = std::find(table[0].begin(), table[0].end(), name);
    if (it == table[0].end()) throw Error(ExitCode::failure, "batch.csv has no column '" + name + "'");
    col.push_back(static_cast<std::size_t>(it - table[0].begin()));
  }
  std::map<std::string, std::size_t> run_index;
  for (std::size_t k = 1; k < table.size(); ++k) {
    const auto& f = table[k];
    auto get = [&](std::size_t c) { return col[c] < f.size() ? f[col[c]] : std::string(); };
    if (f.size() < table[0].size()) continue; // not a row of batch.csv
    Row r;
    r.item = get(0);
    r.label = original_text(get(1));
    r.scenario = original_text(get(2));
    r.kind = original_text(get(3));
    r.seed = get(4);
    r.iterations = get(5);
    r.key = get(6);
    r.variant = original_text(get(7));
    r.measure = original_text(get(8));
    r.v = {parse_number(get(9)), parse_number(get(10)), parse_number(get(11)), parse_number(get(12)), parse_number(get(13))};
    const std::string id = r.item + '\n' + r.seed + '\n' + r.key + '\n' + r.variant;
    auto [it, fresh] = run_index.emplace(id, b.runs.size());
    if (fresh) b.runs.push_back({r.item, r.label, r.scenario, r.kind, r.seed, r.iterations, r.key, r.variant, {}, {}});
    if (const auto h = headline_named(r.measure)) b.runs[it->second].measures[static_cast<std::size_t>(*h)] = r.v;
    else evidence_share_from_measure(b.runs[it->second].evidence, r.measure, r.v.mean);
    b.rows.push_back(std::move(r));
  }
  return b;
}

/// Whether a measure of batch.csv is a share: as declared for the figures this engine writes
/// (the headlines, the evidence shares); for others by the naming convention those follow (p_...).
bool is_probability(const std::string& measure) {
  if (const auto h = headline_named(measure)) return info(*h).kind == FigureKind::probability;
  return measure.rfind("p_", 0) == 0 || measure.starts_with(evidence_share);
}

/// Runs grouped by `key` (in order of first appearance).
template <class Key>
std::vector<std::vector<const Run*>> group_runs(const Batch& b, Key key) {
  std::vector<std::vector<const Run*>> groups;
  std::map<std::string, std::size_t> at;
  for (const auto& run : b.runs) {
    auto [it, fresh] = at.emplace(key(run), groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(&run);
  }
  return groups;
}

/// The mean over runs of one statistic of a measure (finite values only; NaN when none).
template <class Get>
double mean_over(const std::vector<const Run*>& runs, Headline measure, Get get) {
  double sum = 0;
  int n = 0;
  for (const Run* r : runs)
    if (const Values* v = r->find(measure); v && std::isfinite(get(*v))) sum += get(*v), ++n;
  return n ? sum / n : std::nan("");
}

std::size_t color_of(std::vector<std::string>& seen, const std::string& variant) {
  auto it = std::find(seen.begin(), seen.end(), variant);
  if (it != seen.end()) return static_cast<std::size_t>(it - seen.begin());
  seen.push_back(variant);
  return seen.size() - 1;
}

// ---------------------------------------------------------------------------------------
// Workbooks
// ---------------------------------------------------------------------------------------

/// Workbooks carry this creation time (2000-01-01T00:00:00Z), so equal input gives equal bytes.
constexpr std::time_t fixed_creation_time = 946684800;
using namespace xlsx_parts;

/// An integer as batch.csv wrote it: a number when it is one exactly, else text.
void write_integer(Sheet& sheet, lxw_row_t row, lxw_col_t col, const std::string& s, Unit unit) {
  const double v = parse_number(s);
  if (std::isfinite(v) && v == std::floor(v) && std::abs(v) <= 9007199254740992.0 && exact_number(v) == s)
    sheet.number(row, col, v, unit);
  else if (!s.empty())
    sheet.text(row, col, s);
}




std::vector<const Comparison::Option*> by_rank(const Comparison& c) {
  std::vector<const Comparison::Option*> sorted;
  for (const auto& opt : c.options) sorted.push_back(&opt);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return a->rank < b->rank; });
  return sorted;
}

} // namespace

std::string option_label(const Comparison& c, int k, Language lang) {
  // Doing nothing is 0 kr. against any baseline; with several, the label says so.
  if (k == 0 && !c.options.empty())
    return T(lang, c.shared_baseline() ? Msg::compare_baseline_option : Msg::compare_baseline_each_option);
  if (k < 0 || k >= static_cast<int>(c.options.size())) return "?";
  const Comparison::Option& o = c.options[static_cast<std::size_t>(k)];
  return o.title.empty() ? o.label : o.title.in(lang); // the title a reader knows, else the id
}

std::string baseline_label(const Comparison& c, int b, Language lang) {
  if (b < 0 || b >= static_cast<int>(c.baselines.size())) return "?";
  // By id first, as the options are ("id: variant"); two copies of a case share a title.
  const Comparison::Baseline& base = c.baselines[static_cast<std::size_t>(b)];
  const std::string title = base.title.in(lang);
  return title.empty() || title == base.scenario ? base.scenario : base.scenario + " (" + title + ")";
}

std::string baseline_options(const Comparison& c, int b, Language lang) {
  std::string out;
  if (b < 0 || b >= static_cast<int>(c.baselines.size())) return out;
  for (int k : c.baselines[static_cast<std::size_t>(b)].options) out += (out.empty() ? "" : ", ") + option_label(c, k, lang);
  return out;
}

std::vector<std::pair<std::string, double>> evidence_share_measures(const EvidenceShare& e, bool every_grade) {
  std::vector<std::pair<std::string, double>> out{{std::string(evidence_all), e.npv_all},
                                                  {std::string(evidence_none), e.npv_none}};
  for (int g = 0; g < evidence_grade_count; ++g) {
    const double without = e.npv_without[static_cast<std::size_t>(g)];
    if (std::isnan(without) && !every_grade) continue; // no effect of that grade
    const std::string grade(name_of(static_cast<EvidenceGrade>(g)));
    out.emplace_back(std::string(evidence_without) + grade, without);
    out.emplace_back(std::string(evidence_share) + grade, e.share(g));
  }
  return out;
}

bool evidence_share_from_measure(std::optional<EvidenceShare>& share, std::string_view measure, double value) {
  const bool all = measure == evidence_all, none = measure == evidence_none, without = measure.starts_with(evidence_without);
  if (!all && !none && !without) return measure.starts_with(evidence_share);
  if (!share) {
    share.emplace();
    share->npv_all = share->npv_none = std::nan("");
    share->npv_without.fill(std::nan(""));
  }
  if (all) share->npv_all = value;
  else if (none) share->npv_none = value;
  else if (const auto g = value_named<EvidenceGrade>(measure.substr(evidence_without.size())))
    share->npv_without[static_cast<std::size_t>(*g)] = value;
  return true;
}

std::vector<std::pair<std::string, EvidenceShare>> evidence_shares_in(const std::string& csv_text) {
  std::vector<std::pair<std::string, EvidenceShare>> out;
  const auto table = parse_csv(csv_text);
  if (table.empty()) return out;
  const auto column = [&](const std::string& name) {
    const auto it = std::find(table[0].begin(), table[0].end(), name);
    if (it == table[0].end()) throw Error(ExitCode::failure, "a table of evidence shares has no column '" + name + "'");
    return static_cast<std::size_t>(it - table[0].begin());
  };
  const std::size_t variant = column("variant"), measure = column("measure"), mean = column("mean");
  std::vector<std::string> order;
  std::map<std::string, std::optional<EvidenceShare>> shares;
  for (std::size_t k = 1; k < table.size(); ++k) {
    const auto& f = table[k];
    if (f.size() < table[0].size()) continue;
    const std::string id = original_text(f[variant]);
    std::optional<EvidenceShare>& share = shares[id];
    const bool had = share.has_value();
    evidence_share_from_measure(share, original_text(f[measure]), parse_number(f[mean]));
    if (!had && share) order.push_back(id);
  }
  for (const auto& id : order) out.emplace_back(id, *shares[id]);
  return out;
}

// ---------------------------------------------------------------------------------------
// Batch
// ---------------------------------------------------------------------------------------

namespace {

/// What drives the result: for each item of kind tornado (once per key), the parameters of
/// its tornado.csv with the largest swings, each with the net present value at its low and
/// at its high value and a bar for its swing (the largest is the full bar).
std::string drivers(const Batch& b, const std::map<std::string, std::string>& tornado_csv, Language lang) {
  constexpr std::size_t shown = 10;
  auto t = [&](Msg m) { return std::string(T(lang, m)); };
  std::string o;
  std::vector<std::string> done;
  for (const auto& run : b.runs) {
    if (run.kind != "tornado" || std::find(done.begin(), done.end(), run.key) != done.end()) continue;
    done.push_back(run.key);
    const auto found = tornado_csv.find(run.key);
    if (found == tornado_csv.end()) continue;
    const auto table = parse_csv(found->second);
    if (table.size() < 2) continue;
    auto column = [&](const char* name) {
      const auto it = std::find(table[0].begin(), table[0].end(), name);
      return it == table[0].end() ? std::string::npos : static_cast<std::size_t>(it - table[0].begin());
    };
    const std::size_t c_path = column("parameter"), c_low = column("npv_at_low"), c_high = column("npv_at_high"),
                      c_swing = column("swing");
    if (c_path == std::string::npos || c_low == std::string::npos || c_high == std::string::npos || c_swing == std::string::npos)
      continue;
    auto cell = [&](std::size_t r, std::size_t c) { return c < table[r].size() ? table[r][c] : std::string(); };
    double widest = 0;
    for (std::size_t r = 1; r < table.size(); ++r) {
      const double sw = parse_number(cell(r, c_swing));
      if (std::isfinite(sw)) widest = std::max(widest, std::abs(sw));
    }
    if (o.empty()) o += "<section id=\"drivers\">\n<h2>" + t(Msg::batch_drivers) + "</h2>\n";
    o += "<p class=\"sub\">" + format_message(lang, Msg::batch_drivers_intro, {E(run.item) + ". " + E(run.label), E(run.variant)}) +
         "</p>\n<div class=\"scroll\"><table data-table=\"drivers\" data-key=\"" + E(run.key) + "\">\n<thead><tr><th>" +
         t(Msg::parameter) + "</th><th class=\"n\">" + t(Msg::npv_at_low) + "</th><th class=\"n\">" + t(Msg::npv_at_high) +
         "</th><th class=\"n\">" + t(Msg::swing) + "</th></tr></thead>\n<tbody>\n";
    for (std::size_t r = 1; r < table.size() && r <= shown; ++r) {
      const double low = parse_number(cell(r, c_low)), high = parse_number(cell(r, c_high)), sw = parse_number(cell(r, c_swing));
      o += "<tr><td class=\"code\">" + E(original_text(cell(r, c_path))) + "</td><td class=\"n " + sign_class(low) + "\">" +
           kr_short(low, lang) + "</td><td class=\"n " + sign_class(high) + "\">" + kr_short(high, lang) + "</td><td class=\"n\">" +
           prob_bar(widest > 0 && std::isfinite(sw) ? std::abs(sw) / widest : 0.0) + kr_short(sw, lang) + "</td></tr>\n";
    }
    o += "</tbody></table></div>\n";
    if (table.size() - 1 > shown)
      o += "<p class=\"note\">" + format_message(lang, Msg::batch_drivers_more, {std::to_string(table.size() - 1 - shown), "tornado.csv"}) +
           "</p>\n";
  }
  return o.empty() ? o : o + "</section>\n";
}

} // namespace

std::string batch_html(const std::string& batch_csv_text, const std::string& title, Language lang,
                       const std::map<std::string, std::string>& tornado_csv,
                       const std::map<std::string, Text>& variant_titles) {
  const Batch b = parse_batch(batch_csv_text);
  auto t = [&](Msg m) { return std::string(T(lang, m)); };
  auto shown = [&](const Run& r) { return variant_shown(variant_titles, r, lang); };
  std::string o = page_start(title, lang);
  // Header: what the batch holds.
  std::vector<std::string> items, scenarios, iterations;
  for (const auto& run : b.runs) {
    if (std::find(items.begin(), items.end(), run.item) == items.end()) items.push_back(run.item);
    if (std::find(scenarios.begin(), scenarios.end(), run.scenario) == scenarios.end()) scenarios.push_back(run.scenario);
    if (std::find(iterations.begin(), iterations.end(), run.iterations) == iterations.end()) iterations.push_back(run.iterations);
  }
  o += "<header class=\"top\">\n<p class=\"kicker\">" + t(Msg::social_investment_batch_of_runs) +
       "</p>\n<h1>" + E(title) + "</h1>\n<div class=\"meta\">";
  o += "<span>" + std::to_string(items.size()) + t(Msg::items) + "</span>";
  o += "<span>" + std::to_string(scenarios.size()) + t(Msg::scenario_files) + "</span>";
  o += "<span>" + std::to_string(b.runs.size()) + t(Msg::results_item_seed_variant) + "</span>";
  if (!iterations.empty()) {
    std::string its;
    for (const auto& i : iterations) its += (its.empty() ? "" : ", ") + E(i);
    o += "<span>" + its + t(Msg::monte_carlo_iterations) + "</span>";
  }
  o += "</div>\n</header>\n";
  if (b.runs.empty()) {
    o += "<p class=\"callout\">" + t(Msg::this_batch_has_no_results) + "</p>\n";
    return o + page_end(lang);
  }

  // Net present value: the chart (per item and variant, over its seeds), then the table.
  std::vector<std::string> seen;
  o += "<section id=\"npv\">\n<h2>" + t(Msg::net_present_value_2) + "</h2>\n<p class=\"sub\">" +
       t(Msg::each_variant_against_its_scenario_s_baseline) +
       "</p>\n";
  const auto groups = group_runs(b, [](const Run& r) { return r.item + '\n' + r.variant; });
  std::vector<IntervalRow> rows;
  bool several_seeds = false;
  for (const auto& g : groups) {
    IntervalRow row;
    const Run& first = *g.front();
    row.title = first.label;
    row.subtitle = shown(first);
    if (g.size() > 1) {
      row.subtitle += std::string(" \u00b7 ") + std::to_string(g.size()) + t(Msg::seeds);
      several_seeds = true;
      for (const Run* r : g)
        if (const Values* v = r->find(Headline::npv)) row.marks.push_back(v->mean);
    }
    row.mean = mean_over(g, Headline::npv, [](const Values& v) { return v.mean; });
    row.p5 = mean_over(g, Headline::npv, [](const Values& v) { return v.p5; });
    row.p95 = mean_over(g, Headline::npv, [](const Values& v) { return v.p95; });
    row.color = variant_color(color_of(seen, first.variant));
    rows.push_back(std::move(row));
  }
  o += "<figure>\n<figcaption><span class=\"t\">" + t(Msg::net_present_value_of_each_item_and) +
       "</span><span class=\"d\">" +
       (several_seeds ? t(Msg::the_bar_holds_90_of_the_iterations)
                      : t(Msg::the_bar_holds_90_of_the_iterations_2)) +
       "</span></figcaption>\n<div class=\"legend\"><span><i class=\"band\" style=\"background:" + variant_color(0) + "\"></i>" +
       t(Msg::n90_interval) + "</span><span><i class=\"dot\" style=\"background:" + variant_color(0) + "\"></i>" +
       t(Msg::mean_4) + "</span>" +
       (several_seeds ? "<span><i class=\"tk\" style=\"background:#1c2530\"></i>" + t(Msg::mean_of_one_seed) + "</span>" : "") +
       "</div>\n";
  o += interval_chart("batch-npv", t(Msg::net_present_value_of_each_item_and), rows, lang) +
       "\n</figure>\n";

  // Net present values coloured by sign; investment and savings plain.
  auto money_cell = [&](const Run& r, Headline measure, bool interval) {
    const Values* v = r.find(measure);
    if (!v) return std::string("<td class=\"n\">\u2013</td>");
    const bool npv = measure == Headline::npv || measure == Headline::npv_public_sector || measure == Headline::npv_municipality;
    std::string cell = "<td class=\"n" + (npv ? " " + std::string(sign_class(v->mean)) : std::string()) + "\">" +
                       (interval ? "<b>" : "") + kr_short(v->mean, lang) +
                       (interval ? "</b>" : "");
    if (interval)
      cell += "<br><span class=\"note\">90 %: " + kr_short(v->p5, lang) + " " + t(Msg::to_2) + " " + kr_short(v->p95, lang) +
              " \u00b7 se " + kr_short(v->se, lang) + "</span>";
    return cell + "</td>";
  };
  auto item_cell = [&](const Run& r) {
    std::string sub = E(r.scenario);
    if (!r.kind.empty() && r.kind != "run") sub += " \u00b7 " + E(r.kind);
    sub += " \u00b7 " + E(r.iterations) + t(Msg::iterations);
    return "<td>" + E(r.item) + ". <b>" + E(r.label) + "</b><br><span class=\"note\">" + sub + "</span></td>";
  };
  o += "<div class=\"scroll\"><table>\n<caption>" + t(Msg::net_present_value_by_item_seed_and) +
       "</caption>\n<thead><tr><th>" + t(Msg::item) + "</th><th class=\"n\">Seed</th><th>" + t(Msg::variant) +
       "</th><th class=\"n\">" + t(Msg::net_present_value_total_2) + "</th><th class=\"n\">" +
       t(Msg::public_sector_2) + "</th><th class=\"n\">" + t(Msg::municipality_3) + "</th><th class=\"n\">" +
       t(Msg::invested_2) + "</th><th class=\"n\">" + t(Msg::harvested_2) + "</th></tr></thead>\n<tbody>\n";
  for (const auto& r : b.runs)
    o += "<tr>" + item_cell(r) + "<td class=\"n\">" + E(r.seed) + "</td><td><b>" + E(shown(r)) + "</b></td>" + money_cell(r, Headline::npv, true) +
         money_cell(r, Headline::npv_public_sector, false) + money_cell(r, Headline::npv_municipality, false) +
         money_cell(r, Headline::investment_pv, false) + money_cell(r, Headline::savings_pv, false) + "</tr>\n";
  o += "</tbody></table></div>\n</section>\n";

  // Chances of breaking even.
  auto prob_cell = [&](const Run& r, Headline measure) {
    const Values* v = r.find(measure);
    if (!v) return std::string("<td class=\"n\">\u2013</td>");
    return "<td class=\"n\">" + prob_bar(v->mean) + pct(v->mean, lang) + "</td>";
  };
  o += "<section id=\"break-even\">\n<h2>" + t(Msg::chance_of_breaking_even_2) + "</h2>\n<p class=\"sub\">" +
       t(Msg::the_share_of_iterations_in_which_the) +
       "</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>" + t(Msg::item) + "</th><th class=\"n\">Seed</th><th>" +
       t(Msg::variant) + "</th><th class=\"n\">" + t(Msg::within_5_years_2) + "</th><th class=\"n\">" +
       t(Msg::within_10_years) + "</th><th class=\"n\">" + t(Msg::within_the_horizon) +
       "</th></tr></thead>\n<tbody>\n";
  for (const auto& r : b.runs)
    o += "<tr>" + item_cell(r) + "<td class=\"n\">" + E(r.seed) + "</td><td><b>" + E(shown(r)) + "</b></td>" +
         prob_cell(r, Headline::p_break_even_5y) + prob_cell(r, Headline::p_break_even_10y) +
         prob_cell(r, Headline::p_break_even) + "</tr>\n";
  o += "</tbody></table></div>\n";
  o += "<p class=\"note\">" +
       t(Msg::seeds_are_independent_replications_of_the_same) +
       "</p>\n</section>\n";
  // Items with evidence_shares: true: how much of each run's net present value rests on each
  // evidence grade, in the wording of run's report (evidence_share_text).
  std::string shares;
  for (const auto& r : b.runs)
    if (r.evidence)
      shares += "<tr>" + item_cell(r) + "<td class=\"n\">" + E(r.seed) + "</td><td><b>" + E(shown(r)) + "</b></td><td>" +
                E(evidence_share_text(*r.evidence, lang, true)) + "</td></tr>\n";
  if (!shares.empty())
    o += "<section id=\"evidence\">\n<h2>" + E(t(Msg::wb_evidence_shares_title)) +
         "</h2>\n<div class=\"scroll\"><table data-table=\"evidence\">\n<thead><tr><th>" + t(Msg::item) +
         "</th><th class=\"n\">Seed</th><th>" + t(Msg::variant) + "</th><th>" + t(Msg::wb_evidence_share) +
         "</th></tr></thead>\n<tbody>\n" + shares + "</tbody></table></div>\n<p class=\"note\">" +
         E(t(Msg::evidence_share_method)) + "</p>\n</section>\n";
  o += drivers(b, tornado_csv, lang);
  return o + page_end(lang);
}

void write_batch_workbook(const std::string& path, const std::string& batch_csv_text, Language lang,
                          const std::map<std::string, Text>& variant_titles) {
  const Batch b = parse_batch(batch_csv_text);
  write_book(path, "socinvest batch", T(lang, Msg::wb_socinvest_batch_results),
             fixed_creation_time, lang, [&](Book& book) {
    // Batch: the rows of batch.csv, numbers as numbers (in English its columns' names), the
    // variant by its title and its id in a last column (as in results.xlsx).
    {
      Sheet sh = book.sheet(T(lang, Msg::wb_batch));
      sh.header(0, {T(lang, Msg::wb_item_2), T(lang, Msg::wb_label_2), T(lang, Msg::wb_scenario), T(lang, Msg::wb_kind_2),
                    T(lang, Msg::wb_seed), T(lang, Msg::iterations_2), T(lang, Msg::wb_key),
                    T(lang, Msg::wb_variant), T(lang, Msg::wb_measure), T(lang, Msg::wb_mean_2),
                    T(lang, Msg::wb_se), "p5", "p50", "p95", T(lang, Msg::wb_variant_id)});
      lxw_row_t row = 1;
      for (const auto& r : b.rows) {
        write_integer(sh, row, 0, r.item, Unit::general);
        sh.text(row, 1, r.label);
        sh.text(row, 2, r.scenario);
        sh.text(row, 3, r.kind);
        write_integer(sh, row, 4, r.seed, Unit::general);
        write_integer(sh, row, 5, r.iterations, Unit::count);
        sh.text(row, 6, r.key);
        sh.text(row, 7, variant_shown(variant_titles, r, lang));
        sh.text(row, 14, r.variant);
        sh.text(row, 8, r.measure);
        const Unit u = is_probability(r.measure) ? Unit::share : Unit::money;
        sh.number(row, 9, r.v.mean, u);
        sh.number(row, 10, r.v.se, u);
        sh.number(row, 11, r.v.p5, u);
        sh.number(row, 12, r.v.p50, u);
        sh.number(row, 13, r.v.p95, u);
        ++row;
      }
      sh.finish(1, 0);
      sh.autofilter(0, 0, row - 1, 14);
    }
    // Summary: per label and variant, the mean over its seeds.
    {
      Sheet sh = book.sheet(T(lang, Msg::wb_summary));
      sh.text(0, 0, T(lang, Msg::wb_batch_summary), book.title());
      sh.text(1, 0,
              T(lang, Msg::wb_per_label_and_variant_the_mean),
              book.note());
      const lxw_row_t head = 3;
      sh.header(head, {T(lang, Msg::wb_label_2), T(lang, Msg::wb_variant), T(lang, Msg::wb_seeds),
                       T(lang, Msg::wb_npv_mean), T(lang, Msg::wb_npv_lowest_seed),
                       T(lang, Msg::wb_npv_highest_seed), T(lang, Msg::wb_npv_p5_mean),
                       T(lang, Msg::wb_npv_p95_mean), T(lang, Msg::wb_npv_public_sector),
                       T(lang, Msg::wb_npv_municipality), T(lang, Msg::wb_investment_pv_2),
                       T(lang, Msg::wb_savings_pv_2), T(lang, Msg::wb_p_break_even_2),
                       T(lang, Msg::wb_p_break_even_5y),
                       T(lang, Msg::wb_p_break_even_10y), T(lang, Msg::wb_variant_id)});
      lxw_row_t row = head + 1;
      for (const auto& g : group_runs(b, [](const Run& r) { return r.label + '\n' + r.variant; })) {
        auto mean_of = [&](Headline m) { return mean_over(g, m, [](const Values& v) { return v.mean; }); };
        double lowest = std::nan(""), highest = std::nan("");
        for (const Run* r : g)
          if (const Values* v = r->find(Headline::npv); v && std::isfinite(v->mean)) {
            lowest = std::isnan(lowest) ? v->mean : std::min(lowest, v->mean);
            highest = std::isnan(highest) ? v->mean : std::max(highest, v->mean);
          }
        sh.text(row, 0, g.front()->label);
        sh.text(row, 1, variant_shown(variant_titles, *g.front(), lang));
        sh.text(row, 15, g.front()->variant);
        sh.number(row, 2, static_cast<double>(g.size()), Unit::count);
        sh.number(row, 3, mean_of(Headline::npv), Unit::money);
        sh.number(row, 4, lowest, Unit::money);
        sh.number(row, 5, highest, Unit::money);
        sh.number(row, 6, mean_over(g, Headline::npv, [](const Values& v) { return v.p5; }), Unit::money);
        sh.number(row, 7, mean_over(g, Headline::npv, [](const Values& v) { return v.p95; }), Unit::money);
        sh.number(row, 8, mean_of(Headline::npv_public_sector), Unit::money);
        sh.number(row, 9, mean_of(Headline::npv_municipality), Unit::money);
        sh.number(row, 10, mean_of(Headline::investment_pv), Unit::money);
        sh.number(row, 11, mean_of(Headline::savings_pv), Unit::money);
        sh.number(row, 12, mean_of(Headline::p_break_even), Unit::share);
        sh.number(row, 13, mean_of(Headline::p_break_even_5y), Unit::share);
        sh.number(row, 14, mean_of(Headline::p_break_even_10y), Unit::share);
        ++row;
      }
      sh.finish(head + 1, 0);
      sh.autofilter(head, 0, row - 1, 15);
    }
    // Evidence: per run with evidence-share rows, variant and grade (results.xlsx's columns).
    bool any = false;
    for (const auto& r : b.runs) any = any || r.evidence.has_value();
    if (any) {
      Sheet sh = book.sheet(T(lang, Msg::wb_sheet_evidence));
      sh.text(0, 0, T(lang, Msg::wb_evidence_shares_title), book.title());
      sh.text(1, 0, T(lang, Msg::evidence_share_method), book.note());
      const lxw_row_t head = 3;
      sh.header(head, {T(lang, Msg::wb_label_2), T(lang, Msg::wb_seed), T(lang, Msg::wb_variant),
                       T(lang, Msg::wb_evidence_grade), T(lang, Msg::wb_evidence_share), T(lang, Msg::wb_evidence_lost),
                       T(lang, Msg::wb_variant_id)});
      lxw_row_t row = head + 1;
      for (const auto& r : b.runs) {
        if (!r.evidence) continue;
        for (int g = 0; g < evidence_grade_count; ++g) {
          const double without = r.evidence->npv_without[static_cast<std::size_t>(g)];
          if (std::isnan(without)) continue;
          sh.text(row, 0, r.label);
          write_integer(sh, row, 1, r.seed, Unit::general);
          // The variant's title for the reader, its id last for formulas and filters (as the
          // summary sheet above).
          sh.text(row, 2, variant_shown(variant_titles, r, lang));
          sh.text(row, 3, T(lang, grade_message(static_cast<EvidenceGrade>(g))));
          sh.number(row, 4, r.evidence->share(g), Unit::share);
          sh.number(row, 5, r.evidence->npv_all - without, Unit::money);
          sh.text(row, 6, r.variant);
          ++row;
        }
      }
      sh.finish(head + 1, 0);
      sh.autofilter(head, 0, row - 1, 6);
    }
  });
}

// ---------------------------------------------------------------------------------------
// Compare
// ---------------------------------------------------------------------------------------

std::string compare_html(const Comparison& c, Language lang) {
  auto t = [&](Msg m) { return std::string(T(lang, m)); };
  const std::string title = t(Msg::comparing_options);
  std::string o = page_start(title, lang);
  o += "<header class=\"top\">\n<p class=\"kicker\">" + t(Msg::social_investment_options_on_common_random_numbers) +
       "</p>\n<h1>" + E(title) + "</h1>\n<div class=\"meta\"><span>" + t(Msg::net_present_value_of) +
       "<b>" + E(c.account) + "</b></span><span>" + std::to_string(c.options.size()) + t(Msg::options) + "</span><span>" +
       number(c.iterations, 0, lang) + t(Msg::monte_carlo_iterations) + "</span></div>\n</header>\n";
  const auto sorted = by_rank(c);
  if (sorted.empty()) {
    o += "<p class=\"callout\">" + t(Msg::there_is_nothing_to_compare) + "</p>\n";
    return o + page_end(lang);
  }

  // Cards: the best option and what perfect information would be worth.
  const Comparison::Option& best = *sorted.front();
  o += "<section id=\"ranking\">\n<div class=\"cards\">\n";
  o += card(t(Msg::highest_expected_net_present_value), E(option_label(c, static_cast<int>(&best - c.options.data()), lang)), "txt",
            kr_short(best.npv.mean, lang) + " \u00b7 90 %: " + kr_short(best.npv.p5, lang) + " " + t(Msg::to_2) + " " +
                kr_short(best.npv.p95, lang),
            true);
  o += card(t(Msg::chance_that_it_is_the_best), pct(best.p_best, lang), "",
            t(Msg::share_of_iterations_in_which_no_option), false);
  o += card(t(Msg::expected_value_of_perfect_information), kr_short(c.evpi, lang), "",
            t(Msg::what_resolving_the_uncertainty_before_deciding_would),
            false);
  o += "</div>\n";

  // Ranking: the chart, then the table.
  std::vector<IntervalRow> rows;
  for (const auto* opt : sorted) {
    IntervalRow row;
    row.title = option_label(c, static_cast<int>(opt - c.options.data()), lang);
    row.subtitle = t(Msg::rank) + std::to_string(opt->rank) + " \u00b7 " + t(Msg::best_in) + pct(opt->p_best, lang);
    row.mean = opt->npv.mean;
    row.p5 = opt->npv.p5;
    row.p95 = opt->npv.p95;
    const auto k = static_cast<std::size_t>(opt - c.options.data());
    row.color = k == 0 ? baseline_color : variant_color(k - 1);
    rows.push_back(std::move(row));
  }
  o += "<h2>" + t(Msg::ranking) + "</h2>\n<p class=\"sub\">" +
       t(Msg::every_option_valued_in_the_same_iterations) +
       "</p>\n";
  o += "<figure>\n<figcaption><span class=\"t\">" + t(Msg::net_present_value_of_each_option) +
       "</span><span class=\"d\">" + t(Msg::the_bar_holds_90_of_the_iterations_3) +
       "</span></figcaption>\n<div class=\"legend\"><span><i class=\"band\" style=\"background:" + variant_color(0) + "\"></i>" +
       t(Msg::n90_interval) + "</span><span><i class=\"dot\" style=\"background:" + variant_color(0) + "\"></i>" +
       t(Msg::mean_4) + "</span></div>\n";
  o += interval_chart("compare-npv", t(Msg::net_present_value_of_each_option), rows, lang) +
       "\n</figure>\n";
  o += "<div class=\"scroll\"><table>\n<thead><tr><th class=\"n\">" + t(Msg::rank_2) + "</th><th>" + t(Msg::option) +
       "</th><th class=\"n\">" + t(Msg::expected_net_present_value) + "</th><th class=\"n\">" +
       t(Msg::n90_interval) + "</th><th class=\"n\">" + t(Msg::median) + "</th><th class=\"n\">" +
       t(Msg::chance_it_is_best) + "</th></tr></thead>\n<tbody>\n";
  for (const auto* opt : sorted)
    o += "<tr><td class=\"n\">" + std::to_string(opt->rank) + "</td><td><b>" + E(option_label(c, static_cast<int>(opt - c.options.data()), lang)) + "</b></td><td class=\"n " +
         sign_class(opt->npv.mean) + "\"><b>" + kr(opt->npv.mean, lang) + "</b><br><span class=\"note\">\u00b1 " + kr(opt->npv.se, lang) +
         " (se)</span></td><td class=\"n\">" + kr_short(opt->npv.p5, lang) + " " + t(Msg::to_2) + " " + kr_short(opt->npv.p95, lang) +
         "</td><td class=\"n\">" + kr_short(opt->npv.p50, lang) + "</td><td class=\"n\">" + prob_bar(opt->p_best) + pct(opt->p_best, lang) +
         "</td></tr>\n";
  o += "</tbody></table></div>\n</section>\n";

  // Files that price the baseline differently: what that means for reading the table, and
  // each baseline with its cost and the options valued against it.
  if (!c.shared_baseline()) {
    o += "<section id=\"baselines\">\n<h2>" + t(Msg::compare_baselines_heading) + "</h2>\n<p class=\"callout\">" +
         t(Msg::compare_baselines_differ) + "</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>" +
         t(Msg::compare_baseline_column) + "</th><th class=\"n\">" + t(Msg::compare_baseline_cost_column) + "</th><th>" +
         t(Msg::compare_baseline_options_column) + "</th></tr></thead>\n<tbody>\n";
    for (int b = 0; b < static_cast<int>(c.baselines.size()); ++b)
      o += "<tr><td><b>" + E(baseline_label(c, b, lang)) + "</b></td><td class=\"n\">" +
           kr_short(c.baselines[static_cast<std::size_t>(b)].cost.mean, lang) + "</td><td>" +
           E(baseline_options(c, b, lang)) + "</td></tr>\n";
    o += "</tbody></table></div>\n</section>\n";
  }

  // Paired differences.
  o += "<section id=\"pairs\">\n<h2>" + t(Msg::paired_differences) + "</h2>\n<p class=\"sub\">" +
       t(Msg::option_a_minus_option_b_iteration_by) +
       "</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>a</th><th>b</th><th class=\"n\">" +
       t(Msg::expected_difference_a_b) + "</th><th class=\"n\">" + t(Msg::n90_interval) +
       "</th><th class=\"n\">" + t(Msg::chance_a_is_better) + "</th></tr></thead>\n<tbody>\n";
  for (const auto& p : c.pairs)
    o += "<tr><td><b>" + E(option_label(c, p.a, lang)) + "</b></td><td>" + E(option_label(c, p.b, lang)) + "</td><td class=\"n " +
         sign_class(p.difference.mean) + "\"><b>" + kr_short(p.difference.mean, lang) + "</b><br><span class=\"note\">\u00b1 " +
         kr_short(p.difference.se, lang) + " (se)</span></td><td class=\"n\">" + kr_short(p.difference.p5, lang) + " " + t(Msg::to_2) +
         " " + kr_short(p.difference.p95, lang) + "</td><td class=\"n\">" + prob_bar(p.p_a_better) + pct(p.p_a_better, lang) + "</td></tr>\n";
  o += "</tbody></table></div>\n</section>\n";

  // --evidence-shares: how much of each option's net present value rests on each evidence
  // grade, in the wording of run's report (evidence_share_text).
  std::string shares;
  for (const auto* opt : sorted)
    if (opt->evidence)
      shares += "<li><b>" + E(option_label(c, static_cast<int>(opt - c.options.data()), lang)) + "</b>: " +
                E(evidence_share_text(*opt->evidence, lang, true)) + "</li>\n";
  if (!shares.empty())
    o += "<section id=\"evidence\">\n<h2>" + E(t(Msg::wb_evidence_shares_title)) + "</h2>\n<ul>\n" + shares +
         "</ul>\n<p class=\"note\">" + E(t(Msg::evidence_share_method)) + "</p>\n</section>\n";

  // The value of perfect information.
  o += "<section id=\"evpi\">\n<h2>" + t(Msg::value_of_perfect_information) + "</h2>\n<p>" +
       t(Msg::choosing_now_the_best_one_can_expect) +
       "<b>" + kr(c.expected_value_of_best, lang) + "</b>. " +
       t(Msg::knowing_in_every_iteration_which_option_does) +
       "<b>" + kr(c.expected_value_perfect_info, lang) + "</b>. " +
       t(Msg::the_difference) + "<b>" + kr(c.evpi, lang) + "</b>, " +
       t(Msg::is_the_most_that_studies_resolving_the) +
       "</p>\n</section>\n";
  return o + page_end(lang);
}

namespace {

/// compare --evidence-shares: per option and grade its part of the effects' value and what
/// is lost without them (the columns of results.xlsx's Evidence sheet); no sheet without them.
void evidence_sheet(Book& book, const Comparison& c, Language lang) {
  bool any = false;
  for (const auto& opt : c.options) any = any || opt.evidence.has_value();
  if (!any) return;
  Sheet sh = book.sheet(T(lang, Msg::wb_sheet_evidence));
  sh.text(0, 0, T(lang, Msg::wb_evidence_shares_title), book.title());
  sh.text(1, 0, T(lang, Msg::evidence_share_method), book.note());
  const lxw_row_t head = 3;
  sh.header(head, {T(lang, Msg::option), T(lang, Msg::wb_evidence_grade), T(lang, Msg::wb_evidence_share),
                   T(lang, Msg::wb_evidence_lost)});
  lxw_row_t row = head + 1;
  for (const auto* opt : by_rank(c)) {
    if (!opt->evidence) continue;
    for (int g = 0; g < evidence_grade_count; ++g) {
      const double without = opt->evidence->npv_without[static_cast<std::size_t>(g)];
      if (std::isnan(without)) continue; // no effect of that grade
      sh.text(row, 0, option_label(c, static_cast<int>(opt - c.options.data()), lang));
      sh.text(row, 1, T(lang, grade_message(static_cast<EvidenceGrade>(g))));
      sh.number(row, 2, opt->evidence->share(g), Unit::share);
      sh.number(row, 3, opt->evidence->npv_all - without, Unit::money);
      ++row;
    }
  }
  sh.finish(head + 1, 0);
  sh.autofilter(head, 0, row - 1, 3);
}

} // namespace

void write_compare_workbook(const std::string& path, const Comparison& c, Language lang) {
  write_book(path, T(lang, Msg::wb_socinvest_comparison) + c.account,
             T(lang, Msg::wb_socinvest_comparison_of_options), fixed_creation_time, lang,
             [&](Book& book) {
    {
      Sheet sh = book.sheet(T(lang, Msg::wb_ranking));
      sh.text(0, 0, format_message(lang, Msg::wb_compare_title, {c.account}), book.title());
      sh.text(1, 0, format_message(lang, Msg::wb_compare_note, {std::to_string(c.iterations)}), book.note());
      const lxw_row_t head = 3;
      sh.header(head, {T(lang, Msg::wb_rank), T(lang, Msg::option), T(lang, Msg::wb_mean),
                       T(lang, Msg::wb_std_error_mc), "P5", T(lang, Msg::median), "P95",
                       T(lang, Msg::compare_p_best), T(lang, Msg::wb_option_id)});
      lxw_row_t row = head + 1;
      for (const auto* opt : by_rank(c)) {
        sh.number(row, 0, opt->rank, Unit::count);
        sh.text(row, 1, option_label(c, static_cast<int>(opt - c.options.data()), lang));
        sh.text(row, 8, opt->label); // the machine key of compare.csv and compare.json
        sh.number(row, 2, opt->npv.mean, Unit::money);
        sh.number(row, 3, opt->npv.se, Unit::money);
        sh.number(row, 4, opt->npv.p5, Unit::money);
        sh.number(row, 5, opt->npv.p50, Unit::money);
        sh.number(row, 6, opt->npv.p95, Unit::money);
        sh.number(row, 7, opt->p_best, Unit::share);
        ++row;
      }
      sh.finish(head + 1, 0);
      sh.autofilter(head, 0, row - 1, 8);
    }
    {
      Sheet sh = book.sheet(T(lang, Msg::wb_paired_differences));
      sh.header(0, {T(lang, Msg::wb_option_a), T(lang, Msg::wb_option_b),
                    T(lang, Msg::wb_mean_difference_a_b), T(lang, Msg::wb_std_error_mc),
                    "P5", T(lang, Msg::median), "P95", T(lang, Msg::wb_p_a_better),
                    std::string(T(lang, Msg::wb_option_id)) + " A", std::string(T(lang, Msg::wb_option_id)) + " B"});
      auto id_of = [&](int k) {
        return k >= 0 && k < static_cast<int>(c.options.size()) ? c.options[static_cast<std::size_t>(k)].label : std::string();
      };
      lxw_row_t row = 1;
      for (const auto& p : c.pairs) {
        sh.text(row, 0, option_label(c, p.a, lang));
        sh.text(row, 1, option_label(c, p.b, lang));
        sh.text(row, 8, id_of(p.a));
        sh.text(row, 9, id_of(p.b));
        sh.number(row, 2, p.difference.mean, Unit::money);
        sh.number(row, 3, p.difference.se, Unit::money);
        sh.number(row, 4, p.difference.p5, Unit::money);
        sh.number(row, 5, p.difference.p50, Unit::money);
        sh.number(row, 6, p.difference.p95, Unit::money);
        sh.number(row, 7, p.p_a_better, Unit::share);
        ++row;
      }
      sh.finish(1, 0);
      sh.autofilter(0, 0, row - 1, 9);
    }
    evidence_sheet(book, c, lang);
    {
      Sheet sh = book.sheet(T(lang, Msg::wb_value_of_information));
      sh.header(0, {T(lang, Msg::measure), T(lang, Msg::value)});
      sh.text(1, 0, T(lang, Msg::wb_account_compared));
      sh.text(1, 1, c.account);
      sh.text(2, 0, T(lang, Msg::iterations_3));
      sh.number(2, 1, c.iterations, Unit::count);
      sh.text(3, 0, T(lang, Msg::wb_expected_net_present_value_of_the));
      sh.number(3, 1, c.expected_value_of_best, Unit::money);
      sh.text(4, 0, T(lang, Msg::wb_expected_net_present_value_with_perfect));
      sh.number(4, 1, c.expected_value_perfect_info, Unit::money);
      sh.text(5, 0, T(lang, Msg::wb_expected_value_of_perfect_information_evpi));
      sh.number(5, 1, c.evpi, Unit::money);
      sh.finish(1, 0);
    }
    // Files that price the baseline differently: each option's baseline, one row per option.
    if (!c.shared_baseline()) {
      Sheet sh = book.sheet(T(lang, Msg::wb_baselines));
      sh.text(0, 0, T(lang, Msg::compare_baselines_differ), book.note());
      const lxw_row_t head = 2;
      sh.header(head, {T(lang, Msg::option), T(lang, Msg::compare_baseline_column),
                       T(lang, Msg::compare_baseline_cost_column)});
      lxw_row_t row = head + 1;
      for (int b = 0; b < static_cast<int>(c.baselines.size()); ++b)
        for (int k : c.baselines[static_cast<std::size_t>(b)].options) {
          sh.text(row, 0, option_label(c, k, lang));
          sh.text(row, 1, baseline_label(c, b, lang));
          sh.number(row, 2, c.baselines[static_cast<std::size_t>(b)].cost.mean, Unit::money);
          ++row;
        }
      sh.finish(head + 1, 0);
      sh.autofilter(head, 0, row - 1, 2);
    }
  });
}

} // namespace socinvest
