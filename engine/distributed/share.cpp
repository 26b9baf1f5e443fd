#include <socinvest/distributed/share.hpp>

#include <algorithm>
#include <iostream>
#include <new>

namespace socinvest {

namespace {

constexpr std::size_t block_bytes = std::size_t{8} << 20;

std::size_t rows_per_block(std::size_t columns) {
  return std::max<std::size_t>(1, block_bytes / std::max<std::size_t>(1, columns * sizeof(double)));
}

struct Header {
  std::uint64_t columns = 0;
  std::int64_t persons = 0;
};

} // namespace

void agree_on_failure(Ranks& ranks, std::exception_ptr mine) {
  const int first = ranks.first_failing(mine != nullptr);
  if (first >= ranks.size()) return;
  ranks.failure_agreed_ = true;
  // The failing rank's exit code and message, as the one report of the job.
  int code = static_cast<int>(ExitCode::failure);
  std::string text;
  if (ranks.rank() == first) {
    try {
      std::rethrow_exception(mine);
    } catch (const Error& e) {
      code = static_cast<int>(e.code());
      text = e.what();
    } catch (const std::bad_alloc&) {
      code = static_cast<int>(ExitCode::too_large);
      text = "out of memory: the run needs more memory than this machine has; use fewer iterations, households, "
             "years or variants, or more ranks";
    } catch (const std::exception& e) {
      text = std::string("internal error: ") + e.what();
    }
    text = std::to_string(code) + " " + text;
  }
  ranks.broadcast(first, text);
  if (ranks.rank() == 0 && first == 0) std::rethrow_exception(mine);
  const auto space = text.find(' ');
  code = std::stoi(text.substr(0, space));
  throw RankFailure(static_cast<ExitCode>(code), "rank " + std::to_string(first) + " of " +
                                                     std::to_string(ranks.size()) + ": " + text.substr(space + 1));
}

void send_share(Ranks& ranks, const ShareOfRows& mine) {
  Header h;
  h.columns = mine.rows.empty() ? 0 : mine.rows.front().size();
  h.persons = mine.persons;
  ranks.send(0, &h, sizeof h);
  if (mine.rows.empty()) return;
  ranks.send(0, mine.fingerprints.data(), mine.fingerprints.size() * sizeof(std::uint64_t));
  const std::size_t per = rows_per_block(h.columns);
  std::vector<double> block;
  for (std::size_t first = 0; first < mine.rows.size(); first += per) {
    block.clear();
    for (std::size_t r = first; r < std::min(mine.rows.size(), first + per); ++r)
      block.insert(block.end(), mine.rows[r].begin(), mine.rows[r].end());
    ranks.send(0, block.data(), block.size() * sizeof(double));
  }
}

void receive_shares(Ranks& ranks, int iterations, ColumnStore& rows, std::vector<std::uint64_t>& fingerprints,
                    std::int64_t& persons) {
  for (int from = 1; from < ranks.size(); ++from) {
    const IterationShare share = share_of(iterations, from, ranks.size());
    const auto count = static_cast<std::size_t>(share.end - share.first);
    Header h;
    ranks.receive(from, &h, sizeof h);
    persons += h.persons;
    if (count == 0) continue;
    ranks.receive(from, fingerprints.data() + share.first, count * sizeof(std::uint64_t));
    const std::size_t columns = h.columns, per = rows_per_block(columns);
    std::vector<double> block, row(columns);
    for (std::size_t first = 0; first < count; first += per) {
      const std::size_t n = std::min(count - first, per);
      block.resize(n * columns);
      ranks.receive(from, block.data(), block.size() * sizeof(double));
      for (std::size_t r = 0; r < n; ++r) {
        std::copy_n(block.begin() + static_cast<std::ptrdiff_t>(r * columns), columns, row.begin());
        rows.write_row(static_cast<std::size_t>(share.first) + first + r, row);
      }
    }
  }
}

} // namespace socinvest
