#pragma once
// A progress line on stderr: done/total, rate and time left. Silent when stderr is not a
// terminal or with --quiet. Safe to call from worker threads.
#include <socinvest/report/messages.hpp>

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
    constexpr int width = 28;
    const int filled = total ? done * width / total : width;
    std::string bar(static_cast<std::size_t>(filled), '=');
    bar.resize(width, ' ');
    std::fprintf(stderr, "\r%s [%s] %d/%d  %.1f/s  %s   ", what_.c_str(), bar.c_str(), done, total, rate,
                 format_message(lang_, Msg::progress_left, {clock(left)}).c_str());
    shown_ = true;
  }

  void finish() {
    std::lock_guard lock(mutex_);
    if (shown_) std::fprintf(stderr, "\r%*s\r", 80, "");
    shown_ = false;
  }

private:
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
