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
    // A guess, without branches: one more than the number of bounds `within` the word is
    // below (the bounds fall with n). It is the answer when the bounds say so: the clock runs
    // out within n steps, and lasts more than n - 1.
    int below = 0;
    for (int m = 1; m <= max_window_steps; ++m) below += word < within[m] ? 1 : 0;
    const int n = below + 1;
    if (n <= k && word >= within[n] && (n == 1 || word < more[n - 1])) return n;
    return 0;
  }
};

/// ClockBounds by hazard, made when a hazard is asked for the second time while its slot
/// remembers it (the model's rows and the rows effects change come up again and again; a
/// hazard met once, such as one of a ramping effect's, is not worth the exponentials).
/// Which bounds are at hand changes no result: without them the logarithm decides.
class ClockBoundsCache {
public:
  explicit ClockBoundsCache(int steps) : steps_(steps) {}
  /// The bounds for `hazard`, or null when they are not made (yet).
  const ClockBounds* find(double hazard) {
    const auto bits = std::bit_cast<std::uint64_t>(hazard);
    const std::size_t slot = (bits * 0x9E3779B97F4A7C15ULL) >> (64 - slot_bits);
    ClockBounds& b = entries_[slot];
    if (b.hazard == hazard) return &b;
    if (seen_[slot] != hazard) {
      seen_[slot] = hazard;
      return nullptr;
    }
    b.set(hazard, steps_);
    return &b;
  }

private:
  static constexpr int slot_bits = 8;
  int steps_;
  std::array<ClockBounds, std::size_t{1} << slot_bits> entries_{};
  std::array<double, std::size_t{1} << slot_bits> seen_{};
};

} // namespace socinvest::kernel
