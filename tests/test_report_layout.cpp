// What a steering group reads first in report.html, and the charts it stumbles over: the
// municipality's own figure leads; the invested/harvested chart is scaled by its bars (a 90 %
// whisker beyond the axis is cut with a marker); the flow chart says that its left side is
// allocated savings; a net that is not harvested − invested has its contracts column; a
// negative amount invested is explained; a department without money is left out; the
// histogram's mean label does not sit on the zero line's label.
#include <socinvest/analysis.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/html_report.hpp>
#include <socinvest/report/messages.hpp>
#include <socinvest/scenario/loader.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace {

// `project`: the jobcenter invests 1.2 m kr. (one FTE for 24 months) against a saving of a
// few hundred thousand with an effect so uncertain that its 90 % range is several times the
// bars; a fund's grant of 600,000 kr. pays for the social department's 0.1 FTE (108,000 kr.),
// so that department's investment is negative; the jobcenter pays the fund 250,000 kr. if
// the target is met, so the fund's net is not its harvest minus its investment. The culture
// department has no cost line at all. `neutral`: an effect centred on none at a cost of
// 1,000 kr., so the net present value's mean lies close to zero, inside a range that crosses
// it.
const char* scenario_text = R"(
scenario: layout
title: Layout
run: {start: 2024-01, horizon_years: 6, iterations: 40, seed: 5, discount: {rate: 0.035}}
departments:
  jobcenter: {name: Jobcenter}
  social: {name: Socialforvaltningen}
  culture: {name: Kulturforvaltningen}
  fund: {name: Fonden, level: external}
domains:
  work:
    applies_to: {role: adult, age: [18, 100]}
    states: [unemployed, job]
    transitions:
      unemployed: {to: {job: 0.02}}
      job: {to: {unemployed: 0.01}}
population:
  households: 150
  synthetic: {adults_per_household: 1, adult_age: {uniform: [30, 40]}, start_state: {work: {unemployed: 1.0}}}
costs:
  work.unemployed:
    - {department: jobcenter, amount: 12000}
    - {department: social, amount: 1000}
indicators:
  in_work: {label: In work, domain: work, states: [job], role: adult}
variants:
  baseline: {}
  project:
    interventions:
      team:
        uptake: 0.8
        start: 2024-01
        duration_months: 24
        costs:
          - {department: jobcenter, fte: 1, monthly_cost_per_fte: 50000}
          - {department: social, fte: 0.1, monthly_cost_per_fte: 45000}
          - {department: fund, total: 600000, finances: [social]}
        effects:
          - transition: work.unemployed->job
            hazard_ratio: {lognormal: {median: 1.1, ci95: [0.4, 3.0]}}
    contracts:
      - name: repayment
        payer: jobcenter
        payee: fund
        when: {indicator: in_work, among: participants, at_year: 2, at_least: 0.2}
        amount: 250000
  neutral:
    interventions:
      light:
        uptake: 0.8
        start: 2024-01
        duration_months: 1
        costs:
          - {department: jobcenter, total: 1000}
        effects:
          - transition: work.unemployed->job
            hazard_ratio: {lognormal: {median: 1.0, ci95: [0.5, 2.0]}}
)";

struct Run {
  socinvest::Scenario scenario;
  std::unique_ptr<socinvest::Analysis> analysis;
  socinvest::Manifest manifest;
  Run() : scenario(socinvest::load_scenario_text(scenario_text, "layout.yaml")) {
    socinvest::RunOptions options;
    options.threads = 1;
    analysis = socinvest::analyse(scenario, options);
    manifest.engine_version = "test";
  }
  std::string html(socinvest::Language lang = socinvest::Language::en) const {
    return socinvest::html_report(analysis->results, manifest, lang);
  }
};

const Run& run() {
  static const Run r;
  return r;
}

const char* en(socinvest::Msg m) { return socinvest::T(socinvest::Language::en, m); }

/// The first element that starts with `open` (up to and including `close`), searched from `from`.
std::string element(const std::string& html, const std::string& open, const std::string& close, std::size_t from = 0) {
  const std::size_t at = html.find(open, from);
  REQUIRE(at != std::string::npos);
  const std::size_t end = html.find(close, at);
  REQUIRE(end != std::string::npos);
  return html.substr(at, end + close.size() - at);
}

/// The section of variant `id`.
std::string variant_section(const std::string& html, const socinvest::Scenario& s, const std::string& id) {
  return element(html, "<section class=\"variant\" id=\"v" + std::to_string(s.variant_index(id)) + "\"", "</section>");
}

double attr(const std::string& tag, const std::string& name) {
  const std::regex re(" " + name + "=\"([-0-9.]+)\"");
  std::smatch m;
  REQUIRE(std::regex_search(tag, m, re));
  return std::stod(m[1]);
}

/// Every <text ...>content</text> of an svg: its x, y, anchor and content.
struct Text {
  double x, y;
  std::string anchor, content;
};
std::vector<Text> texts(const std::string& svg) {
  std::vector<Text> out;
  const std::regex re(R"re(<text x="([-0-9.]+)" y="([-0-9.]+)"([^>]*)>([^<]*)</text>)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) {
    const std::string rest = (*it)[3];
    std::string anchor = "start";
    if (rest.find("text-anchor=\"middle\"") != std::string::npos) anchor = "middle";
    if (rest.find("text-anchor=\"end\"") != std::string::npos) anchor = "end";
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), anchor, (*it)[4]});
  }
  return out;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// The horizontal extent of a text at about `per_char` px a character.
std::pair<double, double> extent(const Text& t, double per_char) {
  const double w = per_char * static_cast<double>(code_points(t.content));
  if (t.anchor == "middle") return {t.x - w / 2, t.x + w / 2};
  if (t.anchor == "end") return {t.x - w, t.x};
  return {t.x, t.x + w};
}

} // namespace

TEST_CASE("html report: the first page leads with the municipality's own figure") {
  const auto& r = run();
  const std::string html = r.html();
  const std::string overview = element(html, "<table class=\"overview\" data-table=\"overview\"", "</table>");
  // The first number column is the municipality's, the all-parties value second.
  const std::size_t muni = overview.find(en(socinvest::Msg::municipality_what_its_budget_carries));
  const std::size_t all = overview.find(en(socinvest::Msg::all_parties_incl_funds_and_state));
  REQUIRE(muni != std::string::npos);
  REQUIRE(all != std::string::npos);
  CHECK(muni < all);
  CHECK(overview.find("<th class=\"n own\">") < overview.find("<th class=\"n\">"));
  // Each variant's main card is the municipality's.
  const std::string project = variant_section(html, r.scenario, "project");
  const std::string main_card = element(project, "<div class=\"card main\">", "</div></div>");
  CHECK(main_card.find(en(socinvest::Msg::municipality_what_its_budget_carries)) != std::string::npos);
  CHECK(main_card.find(en(socinvest::Msg::all_parties_incl_funds_and_state)) == std::string::npos);
}

TEST_CASE("html report: the invested/harvested chart is scaled by its bars; a whisker beyond the axis is marked") {
  const auto& r = run();
  const std::string project = variant_section(r.html(), r.scenario, "project");
  const std::string svg = element(project, "<svg class=\"chart\" data-chart=\"invested-harvested\"", "</svg>");
  // The plot runs from x = 200 to x = 632 (html_report.cpp's frame): the widest bar (the
  // jobcenter's savings, the largest mean) spans more than half of it, however
  // far the savings' 90 % range reaches (here to some 25 m kr.).
  const std::regex bar(R"re(<rect x="([-0-9.]+)" y="[-0-9.]+" width="([0-9.]+)" height="13.0")re");
  double widest = 0;
  int bars = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it, ++bars) {
    const double x = std::stod((*it)[1]), w = std::stod((*it)[2]);
    CHECK(x >= 199.9);
    CHECK(x + w <= 632.1);
    widest = std::max(widest, w);
  }
  CHECK(bars == 2 * 3); // the jobcenter, the social department and the fund; not culture
  CHECK(widest > 0.5 * (632 - 200));
  // Every whisker stays within the plot; at least one (the jobcenter's savings) is cut with
  // an arrowhead, and the figure says what the arrowhead means.
  const std::regex whisker(R"re(<line x1="([-0-9.]+)" y1="[-0-9.]+" x2="([-0-9.]+)" y2="[-0-9.]+" stroke="#2c3540")re");
  int whiskers = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), whisker); it != std::sregex_iterator(); ++it, ++whiskers) {
    CHECK(std::stod((*it)[1]) >= 199.9);
    CHECK(std::stod((*it)[2]) <= 632.1);
  }
  CHECK(whiskers > 0);
  CHECK(svg.find("class=\"clipped\"") != std::string::npos);
  CHECK(project.find(en(socinvest::Msg::whiskers_run_beyond_the_axis)) != std::string::npos);
}

TEST_CASE("html report: the flow chart's left side is labelled as the savings it shows") {
  const auto& r = run();
  const std::string project = variant_section(r.html(), r.scenario, "project");
  const std::string svg = element(project, "<svg class=\"chart\" data-chart=\"flows\"", "</svg>");
  CHECK(svg.find(std::string(">") + en(socinvest::Msg::savings_from_the_investment_of) + "<") != std::string::npos);
  CHECK(svg.find(std::string(">") + en(socinvest::Msg::invested_by) + "<") == std::string::npos);
}

TEST_CASE("html report: contracts explain a net that is not harvested minus invested; a negative investment is explained") {
  const auto& r = run();
  const std::string project = variant_section(r.html(), r.scenario, "project");
  // The department table: the one after the invested/harvested chart.
  const std::string table = element(project, "<table>", "</table>", project.find("data-chart=\"invested-harvested\""));
  CHECK(table.find("data-column=\"contracts\"") != std::string::npos);
  auto row_of = [&](const std::string& name) { return element(table, "<tr><td>" + name + "</td>", "</tr>"); };
  // The cells of a row, and which one is the contracts column.
  auto cells = [](const std::string& row, const std::string& tag) {
    std::vector<std::string> out;
    for (std::size_t at = row.find("<" + tag); at != std::string::npos; at = row.find("<" + tag, at + 1)) {
      if (row[at + tag.size() + 1] != '>' && row[at + tag.size() + 1] != ' ') continue; // <thead>
      const std::size_t open = row.find('>', at) + 1, close = row.find("</" + tag + ">", open);
      out.push_back(row.substr(open, close - open));
    }
    return out;
  };
  const auto head = cells(element(table, "<thead>", "</thead>"), "th");
  std::size_t col = 0;
  while (col < head.size() && head[col] != en(socinvest::Msg::contracts_net_pv)) ++col;
  REQUIRE(col < head.size());
  // The fund receives the repayment (+), the jobcenter pays it (−); the social department
  // has no contract: "0 kr." without a sign.
  const std::string fund = row_of("Fonden"), jobcenter = row_of("Jobcenter"), social = row_of("Socialforvaltningen");
  REQUIRE(cells(fund, "td").size() == head.size());
  CHECK(cells(fund, "td")[col].front() == '+');
  CHECK(cells(jobcenter, "td")[col].rfind("\u2212", 0) == 0);
  CHECK(cells(social, "td")[col] == "0 kr.");
  CHECK(project.find("data-note=\"contracts\"") != std::string::npos);
  // 0.1 FTE for 24 months is 108,000 kr. (undiscounted) against a grant of 600,000 kr.: the
  // social department's investment is negative, starred and explained.
  CHECK(social.find("\u2212") != std::string::npos);
  CHECK(social.find(" *</td>") != std::string::npos);
  CHECK(project.find("data-note=\"negative-invested\"") != std::string::npos);
  CHECK(jobcenter.find(" *</td>") == std::string::npos);
  // The neutral variant has no contract and no negative investment: neither column nor notes.
  const std::string neutral = variant_section(r.html(), r.scenario, "neutral");
  CHECK(neutral.find("data-column=\"contracts\"") == std::string::npos);
  CHECK(neutral.find("data-note=\"negative-invested\"") == std::string::npos);
}

TEST_CASE("html report: a department without money in a variant is not shown in it") {
  const auto& r = run();
  const std::string html = r.html();
  for (const char* id : {"project", "neutral"}) {
    CAPTURE(id);
    const std::string v = variant_section(html, r.scenario, id);
    CHECK(v.find("Kulturforvaltningen") == std::string::npos);
    CHECK(v.find("Jobcenter") != std::string::npos);
  }
  // It stays in the list of parties among the assumptions.
  CHECK(element(html, "<section id=\"assumptions\">", "</section>").find("Kulturforvaltningen") != std::string::npos);
}

TEST_CASE("html report: the histogram's mean label is not drawn over the zero line's label") {
  const auto& r = run();
  const auto& res = r.analysis->results;
  const std::string html = r.html();
  int near_zero = 0;
  for (const auto& vs : res.variants) {
    const std::string id = r.scenario.variants[static_cast<std::size_t>(vs.variant)].id;
    CAPTURE(id);
    const std::string svg = element(variant_section(html, r.scenario, id), "<svg class=\"chart\" data-chart=\"npv-distribution\"", "</svg>");
    const double width = attr(svg, "width");
    const Text* mean = nullptr;
    const Text* zero = nullptr;
    std::vector<Text> all = texts(svg);
    for (const auto& t : all) {
      if (t.content.rfind(en(socinvest::Msg::mean_5), 0) == 0) mean = &t;
      if (t.content == "0" && t.y < 30) zero = &t; // the label at the top of the zero line
    }
    REQUIRE(mean != nullptr);
    const auto [m0, m1] = extent(*mean, 7.0); // 12 px bold: about 7 px a character
    CHECK(m0 >= 0);
    CHECK(m1 <= width);
    if (vs.npv.p5 < 0 && vs.npv.p95 > 0 && std::abs(vs.npv.mean) < 0.05 * (vs.npv.p95 - vs.npv.p5)) ++near_zero;
    if (!zero) continue;
    const auto [z0, z1] = extent(*zero, 7.0);
    CHECK((z1 < m0 || z0 > m1));
  }
  // The neutral variant's mean is close to zero (what would put the labels on each other).
  CHECK(near_zero >= 1);
}
