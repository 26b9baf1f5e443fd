#pragma once
// Gathering the ranks' shares of an analysis on rank 0 (distributed/ranks.hpp): what each
// rank computed for its iterations, sent to rank 0 in iteration order. Plain C++ over the
// Ranks interface; analysis.cpp is its only user.
#include <socinvest/distributed/ranks.hpp>
#include <socinvest/ledger/repricing.hpp>
#include <socinvest/statistics/column_store.hpp>

#include <cstdint>
#include <memory>
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

/// Rank > 0: sends its re-pricing tally (ledger/repricing.hpp; null when it priced no
/// iteration) to rank 0, after its share. Collective with receive_tallies.
void send_tally(Ranks& ranks, const RepricingTally* mine);
/// Rank 0: adds every other rank's tally into `tally` (made when null and a rank sent one).
/// The tally's counts and fixed-point sums are integers, so the result is the one a single
/// process computes, whatever the ranks and their order (merge_tally).
void receive_tallies(Ranks& ranks, const Scenario& scenario, std::shared_ptr<RepricingTally>& tally);
/// Adds `other` (the tally of other iterations of the same scenario) into `into`: counts
/// and sums add; an amount varies when it varies in either or the two differ.
void merge_tally(RepricingTally& into, const RepricingTally& other);

} // namespace socinvest
