#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>

#include <cctype>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace socinvest {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (const char ch : text) {
    if (ch != ',') {
      item += ch;
    } else if (!item.empty()) {
      out.push_back(std::move(item));
      item.clear();
    }
  }
  if (!item.empty()) out.push_back(std::move(item));
  return out;
}

std::string exact_number(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  if (v == 0.0) return "0";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ptr);
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) continue;
    // C1 controls are U+0080..U+009F: C2 80..C2 9F in UTF-8.
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0 &&
        static_cast<unsigned char>(text[i + 1]) >= 0x80) {
      ++i;
      continue;
    }
    // U+202A..U+202E and U+2066..U+2069 (bidirectional embeddings, overrides, isolates).
    if (c == 0xE2 && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        i += 2;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string fit(std::string_view text, std::size_t width) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts && chars == width) break;
    chars += starts ? 1 : 0;
    out += text[i];
  }
  out.append(width - chars, ' ');
  return out;
}

namespace {
bool formula_like(std::string_view t) {
  return !t.empty() && (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@' || t[0] == '\t' || t[0] == '\r');
}
} // namespace

std::string spreadsheet_text(std::string_view raw) {
  const std::string text = printable(raw);
  std::string out;
  if (formula_like(text)) out += '\'';
  out += text;
  return out;
}

std::string original_text(std::string s) {
  if (s.size() >= 2 && s[0] == '\'' && formula_like(std::string_view(s).substr(1))) s.erase(0, 1);
  return s;
}

std::string csv_text(std::string_view text) {
  std::string t = spreadsheet_text(text);
  if (t.find_first_of(",\"\n\r") == std::string::npos) return t;
  std::string out = "\"";
  for (char c : t) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::optional<CsvDialect> csv_dialect_named(std::string_view name) {
  if (name == "international") return CsvDialect::international;
  if (name == "da") return CsvDialect::da;
  return std::nullopt;
}

const char* name_of(CsvDialect dialect) { return dialect == CsvDialect::da ? "da" : "international"; }

namespace {

/// Whether an unquoted CSV field is a number as exact_number writes it (-12, 0.5, 1e-05).
bool is_number_field(std::string_view f) {
  std::size_t i = f.empty() || f[0] != '-' ? 0 : 1;
  const std::size_t digits_from = i;
  while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i;
  if (i == digits_from) return false;
  if (i < f.size() && f[i] == '.') {
    ++i;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i;
  }
  if (i < f.size() && (f[i] == 'e' || f[i] == 'E')) {
    ++i;
    if (i < f.size() && (f[i] == '-' || f[i] == '+')) ++i;
    while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) ++i;
  }
  return i == f.size();
}

} // namespace

std::string in_dialect(const std::string& csv, CsvDialect dialect) {
  if (dialect == CsvDialect::international) return csv;
  std::string out = "\xEF\xBB\xBF"; // UTF-8 byte order mark: Excel then reads the file as UTF-8
  out.reserve(csv.size() + 3);
  std::size_t i = 0;
  bool line_start = true;
  while (i < csv.size()) {
    if (csv[i] == '\n') {
      out += "\r\n"; // Excel's own line end
      ++i;
      line_start = true;
      continue;
    }
    if (!line_start) out += ';';
    line_start = false;
    // One field: quoted (as csv_text writes it, "" for a quote) or plain up to , or newline.
    std::string field;
    bool quoted = false;
    if (csv[i] == '"') {
      quoted = true;
      for (++i; i < csv.size(); ++i) {
        if (csv[i] == '"') {
          if (i + 1 < csv.size() && csv[i + 1] == '"') {
            field += '"';
            ++i;
          } else {
            ++i;
            break;
          }
        } else {
          field += csv[i];
        }
      }
    } else {
      while (i < csv.size() && csv[i] != ',' && csv[i] != '\n') field += csv[i++];
    }
    bool empty_last = false; // the field ends with a ',' before the line's end: an empty last field follows
    if (i < csv.size() && csv[i] == ',') {
      ++i;
      empty_last = i == csv.size() || csv[i] == '\n';
    }
    if (!quoted && is_number_field(field)) {
      for (char& c : field) c = c == '.' ? ',' : c;
      out += field;
    } else if (quoted || field.find_first_of(";\"\r") != std::string::npos) {
      out += '"';
      for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    } else {
      out += field;
    }
    if (empty_last) out += ';';
  }
  return out;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '<': out += "\\u003c"; break; // safe inside an HTML <script> block
    case '>': out += "\\u003e"; break;
    case '&': out += "\\u0026"; break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out + "\"";
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  return exact_number(v);
}

std::string html_text(std::string_view raw) {
  const std::string text = printable(raw);
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string grouped(double v, Language lang) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "∞" : "-∞";
  if (std::abs(v) >= 9e18) return exact_number(v); // beyond a 64-bit integer: no grouping
  const char sep = lang == Language::da ? '.' : ',';
  long long n = std::llround(v);
  bool negative = n < 0;
  unsigned long long u = negative ? static_cast<unsigned long long>(-(n + 1)) + 1 : static_cast<unsigned long long>(n);
  std::string digits = std::to_string(u), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return (negative ? "-" : "") + out;
}

const char* millions_unit(Language lang) { return lang == Language::da ? "mio. kr." : "m kr."; }

std::string decimal(double v, int decimals, Language lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (lang == Language::da)
    for (auto& c : s) c = c == '.' ? ',' : c;
  return s;
}

std::string in_millions(double v, Language lang) { return decimal(v / million, 1, lang); }

std::string money_short(double v, Language lang) {
  if (!std::isfinite(v)) return "n/a";
  if (std::abs(v) >= million) return in_millions(v, lang) + " " + millions_unit(lang);
  return grouped(v, lang) + " kr.";
}

std::string money_interval(double lo, double hi, Language lang) {
  if (std::isnan(lo) || std::isnan(hi)) return "n/a";
  if (std::max(std::abs(lo), std::abs(hi)) >= million)
    return in_millions(lo, lang) + T(lang, Msg::to) + in_millions(hi, lang) + " " + millions_unit(lang);
  return grouped(lo, lang) + T(lang, Msg::to) + grouped(hi, lang) + " kr.";
}

std::string percent(double share, Language lang, int decimals) {
  if (std::isnan(share)) return "n/a";
  return decimal(100.0 * share, decimals, lang) + " %";
}

} // namespace socinvest
