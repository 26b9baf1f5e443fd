#pragma once
// Per-iteration values of every summarised quantity, stored so that memory does not grow
// with the iteration count. Exact percentiles need every iteration's value, so the values
// are kept, but beyond a memory budget they go to an unnamed temporary file in $TMPDIR (or
// /tmp), which the system deletes when it is closed, instead of memory. Rows (iterations) are written as they finish, from
// any thread, into their own slot; columns (quantities) are read back in order, a block of
// columns at a time, so reading costs a few passes over the file.
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace socinvest {

class ColumnStore {
public:
  static constexpr std::size_t default_budget = std::size_t{64} << 20; ///< 64 MiB in memory

  explicit ColumnStore(std::size_t rows, std::size_t budget_bytes = default_budget);
  ~ColumnStore();
  ColumnStore(const ColumnStore&) = delete;
  ColumnStore& operator=(const ColumnStore&) = delete;

  /// Stores row `row` (0 <= row < rows). Every row must have the same length. Thread-safe
  /// for distinct rows.
  void write_row(std::size_t row, const std::vector<double>& values);
  /// Column `c` over all rows, in row order. Not thread-safe; fastest in increasing c.
  [[nodiscard]] std::vector<double> column(std::size_t c);

  [[nodiscard]] std::size_t rows() const { return rows_; }
  [[nodiscard]] std::size_t columns() const { return columns_; }
  [[nodiscard]] bool on_disk() const { return fd_ >= 0; }

private:
  void shape(std::size_t columns);
  void load_block(std::size_t first);

  std::size_t rows_, budget_;
  std::size_t columns_ = 0;
  std::mutex shaping_;
  bool shaped_ = false;        ///< guarded by shaping_ until set
  std::vector<double> memory_; ///< [row * columns + c] when it fits the budget
  int fd_ = -1;                ///< otherwise the same layout in a temporary file
  // Read-back cache: columns [block_first_, block_first_ + block_columns_) of every row.
  std::vector<double> block_;
  std::size_t block_first_ = 0, block_columns_ = 0;
};

} // namespace socinvest
