#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what is missing, then build and test in
# Release, again under AddressSanitizer + UndefinedBehaviorSanitizer, and fuzz the readers of
# user files (scenario loader, population CSV, batch manifest) for a bounded time
# (SOCINVEST_FUZZ_SECONDS in all, default 90). Warnings are errors in every build.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/setup.sh --tests

echo "== Release build and tests"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

echo "== Sanitizer build (address + undefined) and tests"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j "$jobs"
ctest --preset sanitize -j "$jobs"

echo "== Fuzzing the scenario loader, the population CSV reader and the batch manifest reader"
bash scripts/fuzz.sh "${SOCINVEST_FUZZ_SECONDS:-90}"
