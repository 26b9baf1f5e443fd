#pragma once
// The report people look at: one self-contained HTML page (no external fonts, scripts or
// images; it works offline and can be e-mailed) with the headline economics, charts drawn
// by the engine as inline SVG, the outcome targets, pay-for-results contracts, every
// assumption and the manifest. Like every report it only formats Results; it computes no
// new figures. Every text from the scenario is escaped, so a scenario cannot inject markup.
//
// Each chart is an <svg class="chart" data-chart="NAME"> (NAME: cumulative,
// invested-harvested, flows, npv-distribution, outcomes, contracts); per-variant charts also
// carry data-variant="VARIANT ID".
#include <socinvest/ledger/results.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/tables.hpp>

#include <string>

namespace socinvest {

/// The whole page, labels and numbers in `lang` (Danish: "1.234.567 kr.").
std::string html_report(const Results& results, const Manifest& manifest, Language lang = Language::en);

} // namespace socinvest
