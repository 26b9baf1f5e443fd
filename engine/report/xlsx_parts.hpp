#pragma once
// A small, checked layer over libxlsxwriter shared by the engine's workbooks (the run's
// results.xlsx, batch.xlsx, compare.xlsx): every return code checked (IoError on failure),
// text never written as a formula, numbers with kr./percent formats, sized columns.
// Internal to engine/report/.
#include <socinvest/errors.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <unistd.h>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace socinvest::xlsx_parts {

inline constexpr std::size_t max_cell_bytes = 32000; // Excel's limit is 32,767 characters
inline constexpr lxw_row_t max_rows = LXW_ROW_MAX;

/// UTF-8 text cut to at most `max` bytes on a character boundary.
inline std::string cut(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

inline std::size_t display_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

struct Formats {
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* money = nullptr;
  lxw_format* ratio = nullptr;
  lxw_format* share = nullptr;
  lxw_format* count = nullptr;
  lxw_format* decimal = nullptr;
  lxw_format* year = nullptr;
  lxw_format* note = nullptr;
};

enum class Unit { money, ratio, share, count, decimal, year, general };

class Book;

/// One worksheet: writes cells, checks every return code, and tracks column widths.
class Sheet {
public:
  Sheet(Book& book, lxw_worksheet* ws) : book_(book), ws_(ws) {}

  /// Text, never a formula: prefixed by spreadsheet_text() and written as a string.
  void text(lxw_row_t row, lxw_col_t col, std::string_view s, lxw_format* fmt = nullptr);
  /// A number; NaN leaves the cell empty, and so does infinity, with a note on the cell.
  void number(lxw_row_t row, lxw_col_t col, double v, Unit unit);
  void header(lxw_row_t row, const std::vector<std::string>& names, lxw_col_t first = 0);
  /// A number in a format of the caller's (an input cell, a price with decimals).
  void number_in(lxw_row_t row, lxw_col_t col, double v, lxw_format* fmt);
  /// An Excel formula (written by the engine, never from scenario text), e.g. "=A1*B1". The
  /// file holds no cached result: Excel and LibreOffice compute it when they open the file.
  void formula(lxw_row_t row, lxw_col_t col, const std::string& f, lxw_format* fmt, std::size_t chars = 12);
  /// A cell note (comment) shown when the pointer rests on the cell.
  void comment(lxw_row_t row, lxw_col_t col, const std::string& note);
  /// Sets column widths from what was written and freezes the rows above `rows` and the
  /// columns left of `cols`.
  void finish(lxw_row_t rows, lxw_col_t cols);
  void autofilter(lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col);
  void set_width(lxw_col_t col, double width) { fixed_[col] = width; }
  /// A variant (or a compared option) in a row: `shown`, its title in the workbook's
  /// language, in the first column, where a reader looks for it (as report.html shows it);
  /// `id` in the table's last column `id_col` (headed Msg::wb_variant_id), the key that
  /// formulas, filters and the CSVs share: a title may repeat or be reworded, an id not.
  void variant(lxw_row_t row, lxw_col_t id_col, std::string_view shown, std::string_view id) {
    text(row, 0, shown);
    text(row, id_col, id);
  }

private:
  void widen(lxw_col_t col, std::size_t chars) {
    if (col >= widths_.size()) widths_.resize(col + 1, 0);
    widths_[col] = std::max(widths_[col], chars);
  }
  Book& book_;
  lxw_worksheet* ws_;
  std::vector<std::size_t> widths_;
  std::map<lxw_col_t, double> fixed_;
};

class Book {
public:
  Book(const std::string& path, const std::string& target, Language lang = Language::en) : path_(target), lang_(lang) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    wb_ = workbook_new_opt(path.c_str(), &options);
    if (!wb_) throw IoError("cannot create workbook '" + target + "' (out of memory?)");
    f_.title = add_format();
    format_set_bold(f_.title);
    format_set_font_size(f_.title, 14);
    f_.header = add_format();
    format_set_bold(f_.header);
    format_set_bottom(f_.header, LXW_BORDER_THIN);
    format_set_bg_color(f_.header, 0xEEF1F4);
    format_set_text_wrap(f_.header);
    format_set_align(f_.header, LXW_ALIGN_VERTICAL_TOP);
    f_.money = numeric("#,##0 \"kr.\"");
    f_.ratio = numeric("0.00");
    f_.share = numeric("0.0%");
    f_.count = numeric("#,##0");
    f_.decimal = numeric("#,##0.0");
    f_.year = numeric("0.0");
    f_.note = add_format();
    format_set_italic(f_.note);
    format_set_font_color(f_.note, 0x5D6B79);
  }
  ~Book() {
    if (wb_) lxw_workbook_free(wb_);
  }
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;

  Sheet sheet(const char* name) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name);
    if (!ws) fail(std::string("cannot add the sheet '") + name + "'");
    // Print setup: A4 landscape, as wide as one page and as long as it needs, the header row
    // on every page, so a printed or PDF'd sheet is readable without setup.
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); // A4
    worksheet_fit_to_pages(ws, 1, 0);
    check(worksheet_repeat_rows(ws, 0, 0), std::string("print titles of '") + name + "'");
    return Sheet(*this, ws);
  }
  lxw_format* title() const { return f_.title; }
  /// A new cell format, for the formats only one sheet uses (made on demand, so the other
  /// workbooks' styles stay as they are).
  lxw_format* new_format() { return add_format(); }
  lxw_format* header() const { return f_.header; }
  lxw_format* note() const { return f_.note; }
  void properties(const std::string& title, std::time_t created) { properties(title, "socinvest results", created); }
  void properties(const std::string& title, std::string subject, std::time_t created) {
    lxw_doc_properties p{};
    std::string t = cut(printable(title), 250); // XML 1.0 allows no control characters
    p.title = t.data();
    p.subject = subject.data();
    p.created = created;
    check(workbook_set_properties(wb_, &p), "document properties");
  }
  void close() {
    lxw_workbook* wb = wb_;
    wb_ = nullptr; // workbook_close frees it, also on failure
    check(workbook_close(wb), "saving");
  }
  void check(lxw_error e, const std::string& what) const {
    if (e != LXW_NO_ERROR) fail(what + ": " + lxw_strerror(e));
  }
  [[noreturn]] void fail(const std::string& what) const { throw IoError("cannot write workbook '" + path_ + "': " + what); }
  const Formats& formats() const { return f_; }
  /// The language of the workbook's own texts (sheet names, headers, notes).
  Language lang() const { return lang_; }
  lxw_format* format(Unit u) const {
    switch (u) {
    case Unit::money: return f_.money;
    case Unit::ratio: return f_.ratio;
    case Unit::share: return f_.share;
    case Unit::count: return f_.count;
    case Unit::decimal: return f_.decimal;
    case Unit::year: return f_.year;
    case Unit::general: return nullptr;
    }
    return nullptr;
  }

private:
  lxw_format* add_format() {
    lxw_format* f = workbook_add_format(wb_);
    if (!f) fail("cannot add a cell format");
    return f;
  }
  lxw_format* numeric(const char* code) {
    lxw_format* f = add_format();
    format_set_num_format(f, code);
    return f;
  }
  lxw_workbook* wb_ = nullptr;
  std::string path_;
  Language lang_;
  Formats f_;
};

inline void Sheet::text(lxw_row_t row, lxw_col_t col, std::string_view s, lxw_format* fmt) {
  const std::string safe = cut(spreadsheet_text(s), max_cell_bytes);
  book_.check(worksheet_write_string(ws_, row, col, safe.c_str(), fmt), "text in row " + std::to_string(row + 1));
  widen(col, display_length(safe));
}

inline void Sheet::number(lxw_row_t row, lxw_col_t col, double v, Unit unit) {
  if (std::isnan(v)) return;
  if (std::isinf(v)) {
    // An empty number cell that says why (a cell note), not the text "Inf": a column of
    // break-even years stays a column of numbers that sorts, filters and averages.
    book_.check(worksheet_write_comment(ws_, row, col,
                                        v > 0 ? T(book_.lang(), Msg::wb_not_reached_within_the_horizon)
                                              : T(book_.lang(), Msg::wb_minus_infinity_no_finite_value)),
                "note in row " + std::to_string(row + 1));
    return;
  }
  book_.check(worksheet_write_number(ws_, row, col, v, book_.format(unit)), "number in row " + std::to_string(row + 1));
  char buf[64];
  int n = 0;
  switch (unit) {
  case Unit::money: n = std::snprintf(buf, sizeof buf, "%.0f", v) * 4 / 3 + 4; break;
  case Unit::share: n = 7; break;
  case Unit::general: n = std::snprintf(buf, sizeof buf, "%g", v); break;
  default: n = std::snprintf(buf, sizeof buf, "%.2f", v) * 4 / 3; break;
  }
  widen(col, static_cast<std::size_t>(std::max(n, 1)));
}

inline void Sheet::header(lxw_row_t row, const std::vector<std::string>& names, lxw_col_t first) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const lxw_col_t col = static_cast<lxw_col_t>(first + i);
    const std::string safe = spreadsheet_text(names[i]);
    book_.check(worksheet_write_string(ws_, row, col, safe.c_str(), book_.formats().header), "header");
    widen(col, std::min<std::size_t>(display_length(safe), 24) + 2);
  }
}

inline void Sheet::number_in(lxw_row_t row, lxw_col_t col, double v, lxw_format* fmt) {
  if (!std::isfinite(v)) return;
  book_.check(worksheet_write_number(ws_, row, col, v, fmt), "number in row " + std::to_string(row + 1));
  char buf[64];
  widen(col, static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%.2f", v)) * 4 / 3 + 2);
}

inline void Sheet::formula(lxw_row_t row, lxw_col_t col, const std::string& f, lxw_format* fmt, std::size_t chars) {
  book_.check(worksheet_write_formula(ws_, row, col, f.c_str(), fmt), "formula in row " + std::to_string(row + 1));
  widen(col, chars);
}

inline void Sheet::comment(lxw_row_t row, lxw_col_t col, const std::string& note) {
  const std::string safe = cut(printable(note), max_cell_bytes);
  book_.check(worksheet_write_comment(ws_, row, col, safe.c_str()), "note in row " + std::to_string(row + 1));
}

inline void Sheet::finish(lxw_row_t rows, lxw_col_t cols) {
  for (std::size_t c = 0; c < widths_.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    double w = std::clamp(static_cast<double>(widths_[c]) + 1.5, 8.0, 60.0);
    if (auto it = fixed_.find(col); it != fixed_.end()) w = it->second;
    book_.check(worksheet_set_column(ws_, col, col, w, nullptr), "column width");
  }
  if (rows || cols) worksheet_freeze_panes(ws_, rows, cols);
}

inline void Sheet::autofilter(lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col) {
  if (last_row <= first_row) return;
  book_.check(worksheet_autofilter(ws_, first_row, first_col, last_row, last_col), "autofilter");
}


/// Writes a workbook to a temporary file beside `path`, then renames it into place.
template <class Fill>
inline void write_book(const std::string& path, const std::string& title, const std::string& subject, std::time_t created,
                       Language lang, Fill fill) {
  namespace fs = std::filesystem;
  {
    const fs::path parent = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) throw IoError("cannot write workbook '" + path + "': no folder '" + parent.string() + "'");
  }
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  try {
    Book book(tmp, path, lang);
    book.properties(title, subject, created);
    fill(book);
    book.close();
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError("cannot move '" + tmp + "' to '" + path + "': " + ec.message());
  }
}

} // namespace socinvest::xlsx_parts
