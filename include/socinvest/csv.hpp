#pragma once
// Reading CSV (RFC 4180: quoted fields may hold commas, doubled quotes and, where allowed,
// line breaks). One reader for every CSV the engine reads: the population extract and the
// batch report's batch.csv. Writing is csv_text (report/format.hpp).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace socinvest {

/// One record: its fields, and where each starts.
struct CsvRecord {
  std::vector<std::string> fields; ///< at least one (an empty line has one empty field)
  /// Each field's column in the line (1-based, in characters), for located diagnostics.
  std::vector<int> starts;
  bool closed = true; ///< false: a quoted field was still open where the record ended
  bool blank = true;  ///< nothing but line-end characters: no record at all
};

/// Reads the record at `pos` of `text` and moves `pos` past it, past its line end too.
/// `multiline`: a quoted field may hold line breaks (batch.csv, whose labels may); otherwise
/// a line end ends the record, quote open or not (the population extract, where an
/// unterminated quote is a mistake to report at its line). A \r outside quotes is dropped.
CsvRecord read_csv_record(std::string_view text, std::size_t& pos, bool multiline);

/// Every record of `text` but blank lines, with line breaks allowed in quoted fields.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

} // namespace socinvest
