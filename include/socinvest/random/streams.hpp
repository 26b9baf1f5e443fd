#pragma once
// Counter-based random numbers (Random123's Philox4x32-10), keyed by what each number is for:
// (seed, iteration, purpose, a, b). No state, no sequence: the same key always gives the same
// numbers, whichever thread asks and in whatever order. This is what makes results identical
// for any thread count, and what gives the baseline and every variant the same random
// numbers for the same person and month (common random numbers).
#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace socinvest {

/// What a random block is used for; part of the key so that streams never overlap.
enum class Purpose : std::uint32_t {
  parameter = 1,  ///< a = low, b = high 32 bits of the parameter's key-path hash
  population = 2, ///< a = household, b = attribute counter
  step = 3,       ///< monthly kernel: a = person, b = step; words: (unused), domain 0, 1, 2
  step_more = 4,  ///< monthly kernel: a = person, b = step; words: domains 3, 4, 5, 6
  household = 5,  ///< a = household, b = 0; word 0: the moving-away clock
  enrolment = 6,  ///< a = household, b = intervention-name hash; words: uptake, queue order
  ageing = 7,     ///< a = person, b = step; word = domain index % 4 (block per 4 domains)
  dirichlet = 8,  ///< a = key hash ^ component, b = key hash high
  spell_clock = 9, ///< a = person, b = step << 4 | domain: the clock of a spell starting then
  transition = 10, ///< a = person, b = step << 4 | domain: word 0 picks the destination
  death = 11,      ///< a = person, b = 0; word 0: the death clock
  window_clock = 12, ///< a = person, b = (window / 4) << 4 | domain; word window % 4: the
                     ///< clock drawn afresh at a window boundary (event kernel)
  population_refusion = 13, ///< a = household, b = member; words: 0 weeks on public support
                            ///< at the start, 1 the legacy refusion (synthetic population)
  population_attribute = 14, ///< a = household, b = attribute << 8 | slot (0: the household,
                             ///< 1 + m: member m); word 0 draws the category (synthetic population)
};

class Streams {
public:
  explicit Streams(std::uint64_t seed) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  }

  /// Four independent 32-bit words for one key.
  [[nodiscard]] std::array<std::uint32_t, 4> block(Purpose purpose, std::uint32_t iteration, std::uint32_t a,
                                                   std::uint32_t b) const {
    r123::Philox4x32::ctr_type ctr = {{a, b, iteration, static_cast<std::uint32_t>(purpose)}};
    auto out = generator_(ctr, key_);
    return {out[0], out[1], out[2], out[3]};
  }

  /// Two blocks at once, each word for word block(purpose, iteration, a, b): Random123's own
  /// Philox4x32-10 rounds (philox.h, _philox4x32round and _philox4x32bumpkey, the order of
  /// philox4x32_R), the two counters round by round in lockstep under the one key. For a
  /// caller that needs both: each block is a chain of ten dependent rounds, and side by side
  /// the processor overlaps the two chains instead of waiting for one before the other.
  [[nodiscard]] std::array<std::array<std::uint32_t, 4>, 2>
  block_pair(Purpose purpose_1, std::uint32_t a_1, std::uint32_t b_1, Purpose purpose_2, std::uint32_t a_2,
             std::uint32_t b_2, std::uint32_t iteration) const {
    static_assert(r123::Philox4x32::rounds == 10);
    r123::Philox4x32::ctr_type c1 = {{a_1, b_1, iteration, static_cast<std::uint32_t>(purpose_1)}};
    r123::Philox4x32::ctr_type c2 = {{a_2, b_2, iteration, static_cast<std::uint32_t>(purpose_2)}};
    r123::Philox4x32::key_type key = key_;
    c1 = _philox4x32round(c1, key);
    c2 = _philox4x32round(c2, key);
    for (int round = 1; round < 10; ++round) {
      key = _philox4x32bumpkey(key);
      c1 = _philox4x32round(c1, key);
      c2 = _philox4x32round(c2, key);
    }
    return {{{c1[0], c1[1], c1[2], c1[3]}, {c2[0], c2[1], c2[2], c2[3]}}};
  }

  /// A uniform number in the open interval (0, 1) from one 32-bit word.
  static double unit(std::uint32_t word) { return (static_cast<double>(word) + 0.5) * 0x1p-32; }

  /// An exponential(1) clock from one 32-bit word: a state is left in the first step at
  /// which the hazard accumulated since entering it reaches the clock.
  static double clock(std::uint32_t word) { return -std::log(unit(word)); }

  /// Uniform in (0, 1) for one key (word 0 of the block).
  [[nodiscard]] double uniform(Purpose purpose, std::uint32_t iteration, std::uint32_t a, std::uint32_t b) const {
    return unit(block(purpose, iteration, a, b)[0]);
  }

private:
  r123::Philox4x32 generator_;
  r123::Philox4x32::key_type key_;
};

} // namespace socinvest
