#include <socinvest/statistics/column_store.hpp>

#include <socinvest/errors.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace socinvest {

static_assert(sizeof(off_t) >= 8, "the temporary file may pass 2 GiB");

namespace {

std::string system_error(const char* what, ssize_t n) {
  return std::string(what) + (n == 0 ? ": unexpected end of file" : std::string(": ") + std::strerror(errno));
}

/// An unnamed temporary file in $TMPDIR (or /tmp): O_TMPFILE where the file system has it,
/// else a named one, unlinked at once.
int temporary_file() {
  const char* env = std::getenv("TMPDIR");
  const std::string dir = env && *env ? env : P_tmpdir;
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string name = dir + "/socinvest-rows-XXXXXX";
  fd = ::mkstemp(name.data());
  if (fd < 0)
    throw IoError("cannot create a temporary file for per-iteration results in '" + dir + "': " + std::strerror(errno) +
                  " (set TMPDIR to a writable folder)");
  ::unlink(name.c_str());
  return fd;
}

void write_all(int fd, const void* data, std::size_t bytes, off_t offset) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pwrite(fd, p, bytes, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw IoError(system_error("cannot write the temporary file of per-iteration results", n));
    p += n;
    bytes -= static_cast<std::size_t>(n);
    offset += n;
  }
}

void read_all(int fd, void* data, std::size_t bytes, off_t offset) {
  char* p = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pread(fd, p, bytes, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw IoError(system_error("cannot read the temporary file of per-iteration results", n));
    p += n;
    bytes -= static_cast<std::size_t>(n);
    offset += n;
  }
}

} // namespace

ColumnStore::ColumnStore(std::size_t rows, std::size_t budget_bytes) : rows_(rows), budget_(std::max<std::size_t>(budget_bytes, 1024)) {}

ColumnStore::~ColumnStore() {
  if (fd_ >= 0) ::close(fd_);
}

void ColumnStore::shape(std::size_t columns) {
  // A mutex, not std::call_once: a failure here (no temporary file) must reach the caller
  // as an error, and leave the other threads free to fail the same way, not waiting.
  std::lock_guard lock(shaping_);
  if (shaped_) return;
  if (rows_ * columns * sizeof(double) <= budget_) memory_.assign(rows_ * columns, 0.0);
  else fd_ = temporary_file();
  columns_ = columns;
  shaped_ = true;
}

void ColumnStore::write_row(std::size_t row, const std::vector<double>& values) {
  shape(values.size());
  if (values.size() != columns_) throw std::logic_error("ColumnStore: rows of different lengths");
  if (row >= rows_) throw std::logic_error("ColumnStore: row out of range");
  if (fd_ < 0) {
    std::copy(values.begin(), values.end(), memory_.begin() + static_cast<std::ptrdiff_t>(row * columns_));
    return;
  }
  write_all(fd_, values.data(), columns_ * sizeof(double), static_cast<off_t>(row * columns_ * sizeof(double)));
}

void ColumnStore::load_block(std::size_t first) {
  // As many columns as fit in half the budget, at least one.
  block_columns_ = std::clamp<std::size_t>(budget_ / 2 / std::max<std::size_t>(1, rows_ * sizeof(double)), 1, columns_ - first);
  block_first_ = first;
  block_.resize(rows_ * block_columns_);
  std::vector<double> slice(block_columns_);
  for (std::size_t r = 0; r < rows_; ++r) {
    read_all(fd_, slice.data(), block_columns_ * sizeof(double),
             static_cast<off_t>((r * columns_ + first) * sizeof(double)));
    for (std::size_t k = 0; k < block_columns_; ++k) block_[k * rows_ + r] = slice[k];
  }
}

std::vector<double> ColumnStore::column(std::size_t c) {
  if (c >= columns_) throw std::logic_error("ColumnStore: column out of range");
  std::vector<double> out(rows_);
  if (fd_ < 0) {
    for (std::size_t r = 0; r < rows_; ++r) out[r] = memory_[r * columns_ + c];
    return out;
  }
  if (block_columns_ == 0 || c < block_first_ || c >= block_first_ + block_columns_) load_block(c);
  std::copy_n(block_.begin() + static_cast<std::ptrdiff_t>((c - block_first_) * rows_), rows_, out.begin());
  return out;
}

} // namespace socinvest
