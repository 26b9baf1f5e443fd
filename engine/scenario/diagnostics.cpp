#include <socinvest/scenario/diagnostics.hpp>
#include <socinvest/scenario/names.hpp>
#include <socinvest/report/messages.hpp>

#include <algorithm>
#include <numeric>

namespace socinvest {

namespace {
std::string formatted(const Diagnostic& d, const char* kind, Language lang) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ":" + std::to_string(d.line);
    if (d.column > 0) out += ":" + std::to_string(d.column);
  }
  out += ": ";
  out += kind;
  if (!d.key_path.empty()) out += d.key_path + ": ";
  out += d.message_in(lang);
  return out;
}
} // namespace

std::string Diagnostic::format(Language lang) const { return formatted(*this, "", lang); }

std::string Diagnostic::format_warning(Language lang) const {
  return formatted(*this, T(lang, Msg::diag_warning_prefix), lang);
}

std::string Diagnostics::format(Language lang) const {
  std::string out;
  for (const auto& d : items_) out += d.format(lang) + "\n";
  return out;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
} // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    if (has_invisible_characters(c)) continue; // never suggest what the user cannot see or type
    std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

} // namespace socinvest
