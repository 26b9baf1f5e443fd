#pragma once
// The names of the scenario's enumerations as a scenario (and every output) writes them.
// Each enum has one table of {value, "name"} next to it (scenario.hpp), found through
// enum_names(E{}); the loader parses with it, lists it in "expected one of ..." messages,
// and writers print name_of(value). A name is thus written once, and the position of a
// name in some list never stands for a value.
//
// Every named enum ends with a `count` enumerator (not a value), and its table is checked
// with static_assert(names_every_value(table)): a value without a name, or names out of
// order, stops the build.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socinvest {

template <class E> struct EnumName {
  E value;
  const char* name;
};

/// True when `table` names every value of E once, in declaration order, up to E::count.
template <class E, std::size_t N> constexpr bool names_every_value(const std::array<EnumName<E>, N>& table) {
  if (N != static_cast<std::size_t>(E::count)) return false;
  for (std::size_t i = 0; i < N; ++i)
    if (static_cast<std::size_t>(table[i].value) != i) return false;
  return true;
}

/// The name of `value`.
template <class E> constexpr const char* name_of(E value) {
  return enum_names(E{})[static_cast<std::size_t>(value)].name;
}

/// The value called `name`, if any.
template <class E> constexpr std::optional<E> value_named(std::string_view name) {
  for (const auto& entry : enum_names(E{}))
    if (name == entry.name) return entry.value;
  return std::nullopt;
}

/// Every name, in declaration order (what a message lists as allowed).
template <class E> std::vector<std::string> names_of() {
  std::vector<std::string> out;
  for (const auto& entry : enum_names(E{})) out.emplace_back(entry.name);
  return out;
}

} // namespace socinvest
