#pragma once
// The workbook's re-pricing sheets (workbook_repricing.cpp). Internal to engine/report/.
#include "report/xlsx_parts.hpp"

#include <socinvest/ledger/results.hpp>
#include <socinvest/report/format.hpp>

namespace socinvest {

/// Adds the sheets "Re-priced costs", "Re-pricing inputs" and "Re-pricing quantities" to
/// `book` (nothing when the results hold no re-pricing tally or no variant besides the
/// baseline).
void repricing_sheets(xlsx_parts::Book& book, const Results& results, Language lang);

} // namespace socinvest
