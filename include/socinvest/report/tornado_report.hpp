#pragma once
// The tornado of `sweep` (decision/sweep.hpp) as a self-contained HTML page and an Excel
// workbook, beside tornado.csv: the look of the batch and compare reports (no scripts, the
// chart as inline SVG, every text escaped; numbers as numbers in kr. formats, frozen header,
// text never a formula, a fixed creation time so equal input gives equal files).
//
// Chart: <svg class="chart" data-chart="tornado">: per parameter, largest swing first, a bar
// from the net present value at its low value to that at its high value, about a line at the
// central value (every parameter at its median).
#include <socinvest/decision/sweep.hpp>
#include <socinvest/report/format.hpp>

#include <string>

namespace socinvest {

/// The tornado page: the chart and a table of the rows (values tried, net present values,
/// swing). `title` names the scenario and variant valued.
std::string tornado_html(const Tornado& tornado, const SweepTarget& target, const std::string& title,
                         Language lang = Language::en);

/// The tornado as a workbook with one sheet, "Tornado" (the columns of tornado.csv). Written
/// to a temporary file beside `path`, then renamed; throws IoError when it cannot be.
void write_tornado_workbook(const std::string& path, const Tornado& tornado, const SweepTarget& target,
                            const std::string& title, Language lang = Language::en);

} // namespace socinvest
