#pragma once
// Gathering the ranks' shares of an analysis on rank 0 (distributed/ranks.hpp): what each
// rank computed for its iterations, sent to rank 0 in iteration order. Plain C++ over the
// Ranks interface; analysis.cpp is its only user.
#include <socinvest/distributed/ranks.hpp>
#include <socinvest/statistics/column_store.hpp>

#include <cstdint>
#include <vector>

namespace socinvest {

/// One rank's share: its iterations' rows (the quantities the results summarise), baseline
/// fingerprints and persons simulated.
struct ShareOfRows {
  IterationShare share;
  std::vector<std::vector<double>> rows;   ///< per iteration of the share, in order
  std::vector<std::uint64_t> fingerprints; ///< likewise
  std::int64_t persons = 0;
};

/// Rank > 0: sends its share to rank 0. Collective with receive_shares.
void send_share(Ranks& ranks, const ShareOfRows& mine);
/// Rank 0: receives every other rank's share into `rows` and `fingerprints` (indexed by
/// iteration) and adds their persons to `persons`. Rows go in blocks of a few MiB, so rank 0
/// needs no more memory than its column store's budget and one block.
void receive_shares(Ranks& ranks, int iterations, ColumnStore& rows, std::vector<std::uint64_t>& fingerprints,
                    std::int64_t& persons);

} // namespace socinvest
