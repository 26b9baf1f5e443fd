#pragma once
// Text formatting shared by every report: exact numbers for files, readable numbers for
// people, and escaping so that text from a scenario can neither break a file nor run as a
// spreadsheet formula or a script.
#include <socinvest/scenario/text.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socinvest {


/// Shortest text that reads back to the same double; "Inf", "-Inf" for infinities and
/// empty for NaN (a number that cannot be computed, such as a return on no investment: an
/// empty cell, as the README says, not the text "NaN").
std::string exact_number(double v);

/// "a,,b" -> {"a", "b"}: a comma-separated list (--format, --variants), empty entries skipped.
std::vector<std::string> split_list(const std::string& text);
/// `text` without control characters (C0 but newline and tab, DEL, C1) and without the
/// bidirectional overrides that can reorder what a reader sees: scenario and population
/// text reaches terminals (where ESC starts a command), XML (where most control characters
/// are not allowed) and HTML, so every output path passes text through this.
std::string printable(std::string_view text);
/// Characters (code points) in UTF-8 `text`: the columns it takes in a terminal.
std::size_t display_width(std::string_view text);
/// `text` cut to at most `width` characters (never inside a UTF-8 sequence) and padded
/// with spaces to exactly `width`: for columns of terminal tables.
std::string fit(std::string_view text, std::size_t width);
/// A CSV field: quoted when needed; text starting with = + - @ (or a tab or CR) is prefixed
/// with ' so spreadsheet programs show it instead of evaluating it.
std::string csv_text(std::string_view text);
/// The dialect of the CSV files: `international` (comma-separated, decimal point, no byte
/// order mark: the tidy form R, Python and every other program read) or `da` (what Excel
/// with Danish regional settings opens with a double click: semicolon-separated, decimal
/// comma, a UTF-8 byte order mark so æ, ø, å show right). `--csv`.
enum class CsvDialect : std::uint8_t { international, da, count };
/// "international" | "da"; nothing for another name.
std::optional<CsvDialect> csv_dialect_named(std::string_view name);
const char* name_of(CsvDialect dialect);
/// An international CSV text (as the writers produce it) in `dialect`: fields re-separated
/// by ';' and numbers given a decimal comma for `da` (text fields unchanged, quoted where
/// they hold a ';'); unchanged for `international`.
std::string in_dialect(const std::string& csv, CsvDialect dialect);
/// A JSON string literal, quotes included.
std::string json_string(std::string_view text);
/// A JSON number, or null for NaN and infinity.
std::string json_number(double v);
/// HTML text with & < > " ' escaped.
std::string html_text(std::string_view text);
/// Spreadsheet-safe text (the same ' prefix as csv_text, without CSV quoting).
std::string spreadsheet_text(std::string_view text);
/// Text as it was before spreadsheet_text() (or csv_text()) protected it: without the ' it
/// put before = + - @ (a tab or CR), for reading back files the engine wrote.
std::string original_text(std::string text);
/// "1,234,567" (en) or "1.234.567" (da), rounded to whole units.
std::string grouped(double v, Language lang = Language::en);
// Amounts for people are whole kroner, grouped, or from a million up millions with one
// decimal. This is the one place that writes them: the terminal, the reports' text and
// their chart axes all call these, with the language as a parameter.
inline constexpr double million = 1e6;
/// The unit of an amount in millions: "m kr." (en) / "mio. kr." (da).
const char* millions_unit(Language lang);
/// v with `decimals` decimals and the language's decimal mark, not grouped: "12.3" / "12,3".
std::string decimal(double v, int decimals, Language lang);
/// v in millions with one decimal and the language's decimal mark: "12.3" / "12,3".
std::string in_millions(double v, Language lang);
/// "12.3 m kr." / "12,3 mio. kr." for large amounts, else grouped kr.; "n/a" when not finite.
std::string money_short(double v, Language lang = Language::en);
/// "-36.0 to 12.0 m kr." / "-36,0 til 12,0 mio. kr." (in millions when either end is), else
/// "-1,234 to 5,678 kr."; "n/a" when either end is NaN.
std::string money_interval(double lo, double hi, Language lang);
/// "45 %" (en) / "45 %" (da) with the decimal mark of the language.
std::string percent(double share, Language lang = Language::en, int decimals = 0);

} // namespace socinvest
