// The per-iteration rows behind the results: in memory or in a temporary file, the same
// numbers come back, and the results built from them are the same to the bit.
#include "support.hpp"

#include <socinvest/report/outputs.hpp>
#include <socinvest/report/tables.hpp>
#include <socinvest/statistics/column_store.hpp>

#include <doctest/doctest.h>

#include <socinvest/errors.hpp>

#include <cstdlib>
#include <string>
#include <thread>

namespace {

double value(std::size_t row, std::size_t column) { return static_cast<double>(row) * 1000.0 + static_cast<double>(column) + 0.25; }

void fill_and_check(socinvest::ColumnStore& store, std::size_t rows, std::size_t columns) {
  // Rows arrive out of order and from two threads, as iterations finish.
  auto writer = [&](std::size_t parity) {
    for (std::size_t k = 0; k < rows; ++k) {
      const std::size_t r = rows - 1 - k;
      if (r % 2 != parity) continue;
      std::vector<double> line(columns);
      for (std::size_t c = 0; c < columns; ++c) line[c] = value(r, c);
      store.write_row(r, line);
    }
  };
  std::thread a(writer, 0), b(writer, 1);
  a.join();
  b.join();
  REQUIRE(store.columns() == columns);
  for (std::size_t c = 0; c < columns; ++c) {
    const auto col = store.column(c);
    REQUIRE(col.size() == rows);
    for (std::size_t r = 0; r < rows; ++r) REQUIRE(col[r] == value(r, c));
  }
}

} // namespace

TEST_CASE("column store: rows written in any order come back as columns, in memory and on disk") {
  socinvest::ColumnStore memory(50, 1 << 20);
  fill_and_check(memory, 50, 37);
  CHECK_FALSE(memory.on_disk());
  socinvest::ColumnStore disk(50, 1024); // 50 x 37 doubles do not fit: a temporary file
  fill_and_check(disk, 50, 37);
  CHECK(disk.on_disk());
  CHECK_THROWS(disk.write_row(3, std::vector<double>(36))); // rows must have one length
}

TEST_CASE("column store: no writable temporary folder is an IoError that names it, on every thread") {
  const char* before = std::getenv("TMPDIR");
  const std::string saved = before ? before : "";
  ::setenv("TMPDIR", "/nonexistent/socinvest-test", 1);
  socinvest::ColumnStore store(50, 1024);
  int failures = 0;
  for (int attempt = 0; attempt < 2; ++attempt) { // the second writer fails too, it does not hang
    try {
      store.write_row(static_cast<std::size_t>(attempt), std::vector<double>(37, 1.0));
    } catch (const socinvest::IoError& e) {
      ++failures;
      CHECK(std::string(e.what()).find("/nonexistent/socinvest-test") != std::string::npos);
    }
  }
  if (before) ::setenv("TMPDIR", saved.c_str(), 1);
  else ::unsetenv("TMPDIR");
  CHECK(failures == 2);
}

TEST_CASE("results from rows on disk are identical to results from rows in memory") {
  const auto s = socinvest::load_scenario(test::source_dir() + "/scenarios/tutorial.yaml");
  socinvest::RunOptions o;
  o.iterations = 12;
  o.threads = 2;
  auto in_memory = socinvest::analyse(s, o);
  o.rows_memory_bytes = 1024;
  auto on_disk = socinvest::analyse(s, o);
  CHECK_FALSE(in_memory->rows_on_disk);
  CHECK(on_disk->rows_on_disk);
  socinvest::Manifest m;
  socinvest::FilesInMemory a_files, b_files;
  for (const auto format : {socinvest::OutputFormat::csv, socinvest::OutputFormat::json}) {
    socinvest::write_run_format(format, a_files, in_memory->results, m);
    socinvest::write_run_format(format, b_files, on_disk->results, m);
  }
  const auto& a = a_files.files;
  const auto& b = b_files.files;
  REQUIRE(a.size() == 10); // eight CSV tables (money and outcomes by budget and by project year), budget.csv, summary.json
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK_MESSAGE(a[i] == b[i], a[i].first);
}
