#include <socinvest/scenario/names.hpp>

#include <cstdio>
#include <optional>

namespace socinvest {

namespace {

/// The next code point of UTF-8 `text` at `i` (advancing `i`), or nothing when invalid.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto c = static_cast<unsigned char>(text[i]);
  int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
  if (extra < 0 || i + static_cast<std::size_t>(extra) >= text.size() + (extra ? 0 : 1)) {
    ++i;
    return std::nullopt;
  }
  char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
    if ((b >> 6) != 2) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

bool invisible(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
         (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0xE0000 && cp <= 0xE007F);
}

bool latin_letter(char32_t cp) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return true;
  // Latin-1 Supplement and Latin Extended-A/B letters (æ ø å é ü ...), not × and ÷.
  return cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7;
}

} // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty()) return false;
  std::size_t i = 0, count = 0;
  char32_t first = 0, last = 0;
  while (i < name.size()) {
    auto cp = next_code_point(name, i);
    if (!cp) return false;
    const bool ok = latin_letter(*cp) || (*cp >= '0' && *cp <= '9') || *cp == '_' || *cp == '-';
    if (!ok) return false;
    if (count == 0) first = *cp;
    last = *cp;
    ++count;
  }
  return count <= max_name_characters && first != '-' && last != '-';
}

bool has_invisible_characters(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto cp = next_code_point(text, i);
    if (!cp || invisible(*cp)) return true;
  }
  return false;
}

std::string visible(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    auto cp = next_code_point(text, i);
    char buf[16];
    if (!cp) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(text[start]));
      out += buf;
    } else if (invisible(*cp)) {
      if (*cp < 0x80) std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(*cp));
      else std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(*cp));
      out += buf;
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

} // namespace socinvest
