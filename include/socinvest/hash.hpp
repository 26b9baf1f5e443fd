#pragma once
// The one 64-bit FNV-1a hash: key paths (random-number keys), scenario content hashes,
// batch checksums and baseline fingerprints. Stable across builds and platforms, which is
// all these need; none of them is a defence against a chosen collision.
#include <cstdint>
#include <string_view>

namespace socinvest {

inline constexpr std::uint64_t fnv1a_basis = 14695981039346656037ULL;

/// FNV-1a of `bytes`, continuing from `h` (the basis for a fresh hash), so that several
/// pieces can be hashed as one.
constexpr std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = fnv1a_basis) {
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  return h;
}

} // namespace socinvest
