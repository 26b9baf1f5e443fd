#include <socinvest/csv.hpp>

namespace socinvest {

CsvRecord read_csv_record(std::string_view text, std::size_t& pos, bool multiline) {
  CsvRecord r;
  r.starts.assign(1, 1);
  std::string field;
  bool quoted = false;
  int column = 1; // of the next character, counting code points (UTF-8 lead bytes)
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
    if (quoted) {
      if (c == '\n' && !multiline) break;
      if (c != '"') field += c;
      else if (pos + 1 < text.size() && text[pos + 1] == '"') field += '"', ++pos; // "" is one quote
      else quoted = false;
      continue;
    }
    if (c == '\n') break;
    switch (c) {
    case '"':
      // Only a field's first character opens a quote; elsewhere a quote is text.
      if (field.empty()) quoted = true;
      else field += c;
      r.blank = false;
      break;
    case ',':
      r.fields.push_back(std::move(field));
      field.clear();
      r.starts.push_back(column);
      r.blank = false;
      break;
    case '\r': break; // Windows line ends
    default: field += c, r.blank = false;
    }
  }
  if (pos < text.size()) ++pos; // the line end
  r.closed = !quoted;
  r.fields.push_back(std::move(field));
  return r;
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t pos = 0; pos < text.size();) {
    CsvRecord r = read_csv_record(text, pos, true);
    if (!r.blank) rows.push_back(std::move(r.fields));
  }
  return rows;
}

} // namespace socinvest
