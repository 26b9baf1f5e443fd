#pragma once
namespace socinvest {
/// The engine's version (semantic) and the git commit it was built from.
const char* engine_version();
const char* engine_commit();
} // namespace socinvest
