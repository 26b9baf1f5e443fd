#pragma once
// A progress line on stderr: done/total, rate and time left. Silent when stderr is not a
// terminal or with --quiet. Safe to call from worker threads.
#include <socinvest/report/messages.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <unistd.h>

namespace socinvest::cli {

class Progress {
public:
  Progress(std::string what, bool quiet, Language lang = Language::en)
      : what_(std::move(what)), lang_(lang), enabled_(!quiet && ::isatty(2)) {}
  ~Progress() { finish(); }

  void update(int done, int total) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0.0;
    const double left = rate > 0 ? (total - done) / rate : 0.0;
    char counts[128];
    std::snprintf(counts, sizeof counts, "] %d/%d  %.1f/s  %s", done, total, rate,
                  format_message(lang_, Msg::progress_left, {clock(left)}).c_str());
    // The whole line within `columns` - 1 (an 80-column terminal must not wrap it): the bar
    // shrinks from 28 to 10 characters first, then the description is cut with an ellipsis.
    const std::size_t fixed = code_points(counts) + 2; // " [" before the bar
    const std::size_t want = code_points(what_) + fixed;
    const std::size_t width = std::clamp<std::size_t>(want + 28 <= columns - 1 ? 28 : columns - 1 > want ? columns - 1 - want : 0, 10, 28);
    const std::size_t room = columns - 1 > fixed + width ? columns - 1 - fixed - width : 0;
    const std::size_t filled = total ? static_cast<std::size_t>(done) * width / static_cast<std::size_t>(total) : width;
    std::string bar(filled, '=');
    bar.resize(width, ' ');
    const std::string line = fit(what_, room) + " [" + bar + counts;
    std::fprintf(stderr, "\r%s%*s", line.c_str(), static_cast<int>(columns - 1 - std::min(columns - 1, code_points(line))), "");
    shown_ = true;
  }

  void finish() {
    std::lock_guard lock(mutex_);
    if (shown_) std::fprintf(stderr, "\r%*s\r", static_cast<int>(columns - 1), "");
    shown_ = false;
  }

private:
  static constexpr std::size_t columns = 80;
  static std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  }
  /// s in at most `max` code points, the last one an ellipsis when cut.
  static std::string fit(const std::string& s, std::size_t max) {
    if (code_points(s) <= max) return s;
    if (max == 0) return "";
    std::size_t i = 0, n = 0;
    for (; i < s.size(); ++i)
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n++ == max - 1) break;
    return s.substr(0, i) + "\u2026";
  }
  static std::string clock(double seconds) {
    char buf[32];
    int s = static_cast<int>(seconds + 0.5);
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%dh%02dm", s / 3600, s / 60 % 60);
    else std::snprintf(buf, sizeof buf, "%dm%02ds", s / 60, s % 60);
    return buf;
  }

  std::string what_;
  Language lang_;
  bool enabled_;
  bool shown_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

} // namespace socinvest::cli
