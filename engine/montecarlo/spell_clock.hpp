#pragma once
// Deciding in which step a spell's exponential(1) clock runs out from its random word alone,
// without the logarithm (internal; the event kernel's, event_kernel.cpp).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace socinvest::kernel {

/// The most steps in a clock window (a monthly cycle's 12 months).
constexpr int max_window_steps = 12;

/// In which step of a segment of up to `steps` steps (a window, or what is left of one) a
/// clock drawn from a random word (Streams::clock) runs out at one hazard, decided from the
/// word alone wherever that is certain: without the logarithm, and with the same answer as
/// steps_until(Streams::clock(word), hazard) (which decides wherever it is not). For n steps,
/// `more[n]`: every word below it gives a clock that lasts more than n steps (clock / hazard
/// > n); `within[n]`: every word from it on gives one that runs out within n steps (clock /
/// hazard <= n). The bounds keep a relative margin of 1e-10 from the exact boundaries
/// exp(-hazard * n), far more than the rounding of log, exp and the division (about 1e-16),
/// so a word is undecided with a probability of about 1e-10 per step.
struct ClockBounds {
  double hazard = -1.0; ///< the bounds' hazard (-1: none yet)
  std::array<std::uint64_t, max_window_steps + 1> more{}, within{};

  void set(double h, int steps) {
    hazard = h;
    constexpr double margin = 1e-10;
    for (int n = 1; n <= steps; ++n) {
      const double x = h * n;
      const double lo = std::exp(-x * (1.0 + margin)) * (1.0 - margin) * 0x1p32 - 0.5;
      more[n] = lo > 0.0 ? static_cast<std::uint64_t>(std::floor(lo)) : 0;
      const double hi = std::exp(-x * (1.0 - margin)) * (1.0 + margin) * 0x1p32 - 0.5;
      within[n] = hi >= 0x1p32 ? std::uint64_t{1} << 32 : static_cast<std::uint64_t>(std::ceil(std::max(hi, -1.0)) + 1.0);
    }
  }
  /// steps_until(Streams::clock(word), hazard) when it is at most k, k + 1 when it is more
  /// than k, 0 when the word alone does not decide.
  [[nodiscard]] int steps_until(std::uint32_t word, int k) const {
    if (word < more[k]) return k + 1;
    for (int n = 1; n <= k; ++n) {
      if (word >= within[n]) return n; // and, from step n - 1, lasts more than n - 1 steps
      if (word >= more[n]) return 0;
    }
    return 0;
  }
};

/// ClockBounds by hazard, made when first asked for (a few distinct hazards per run: the
/// model's rows and the rows effects change). Which bounds are at hand changes no result.
class ClockBoundsCache {
public:
  explicit ClockBoundsCache(int steps) : steps_(steps) {}
  const ClockBounds& of(double hazard) {
    const auto bits = std::bit_cast<std::uint64_t>(hazard);
    ClockBounds& b = entries_[(bits * 0x9E3779B97F4A7C15ULL) >> 58];
    if (b.hazard != hazard) b.set(hazard, steps_);
    return b;
  }

private:
  int steps_;
  std::array<ClockBounds, 64> entries_{};
};

} // namespace socinvest::kernel
