#pragma once
#include <string>

namespace socinvest {
/// The engine's version (semantic).
const char* engine_version();
/// The git commit it was built from; "-dirty-HASH" when the engine's sources differ from it.
const char* engine_commit();
/// A hash of the build's compiler, type and flags.
const char* engine_build();
/// What computed a result: commit and build. Results of another identity are never reused.
inline std::string engine_identity() { return std::string(engine_commit()) + "+" + engine_build(); }
} // namespace socinvest
