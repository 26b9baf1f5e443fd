#pragma once
// Finding one row of the results by attribute (Results::by_attribute) in the tests of costs
// and results by attribute (test_attribute_costs.cpp, test_person_attributes.cpp).
#include <socinvest/ledger/results.hpp>

#include <string>

namespace test {

/// The row of variant v, category `category` (of any attribute), kind, item, year (-1: the
/// whole horizon) and measure; nullptr when there is none.
inline const socinvest::AttributeRow* attribute_row(const socinvest::Results& r, int v, int category,
                                                    socinvest::AttributeKind kind, const std::string& item, int year,
                                                    const std::string& measure) {
  for (const auto& row : r.by_attribute)
    if (row.variant == v && row.category == category && row.kind == kind && row.item == item && row.year == year &&
        row.measure == measure)
      return &row;
  return nullptr;
}

} // namespace test
