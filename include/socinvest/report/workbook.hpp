#pragma once
// The results as an Excel workbook (.xlsx, written with libxlsxwriter) for finance staff:
// Summary · By department × year · Flows · Outcomes and targets · Per iteration ·
// Assumptions · Manifest, then the re-pricing sheets (Re-priced costs · Re-pricing inputs ·
// Re-pricing quantities: unit costs as input cells and formulas that price the mean
// quantities again; report/workbook_repricing.cpp). Numbers are stored as numbers (money with a "kr." number format),
// header rows are frozen, and every text from the scenario is written as a plain string with
// the spreadsheet_text() prefix, so it can never be evaluated as a formula.
#include <socinvest/ledger/results.hpp>
#include <socinvest/report/tables.hpp>

#include <string>

namespace socinvest {

/// Writes the workbook to `path` (replacing it). Throws IoError when it cannot be written;
/// no partial file is left behind then.
void write_workbook(const std::string& path, const Results& results, const Manifest& manifest);

} // namespace socinvest
