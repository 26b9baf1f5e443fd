#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what is missing, then build and test in
# Release, again under AddressSanitizer + UndefinedBehaviorSanitizer, and fuzz the readers of
# user files (scenario loader, population CSV, batch manifest) for a bounded time. Warnings
# are errors in every build.
#
# Environment:
#   SOCINVEST_TEST_STAGES   which parts to run (default "release identity sanitize fuzz");
#                           identity: every output byte-identical to the commit in
#                           scripts/output-reference (scripts/output-identity.sh; skipped with
#                           a message when the clone lacks that commit)
#   SOCINVEST_FUZZ_SECONDS  how long to fuzz, all targets together (default 90)
#   SOCINVEST_FRESH_ROOT    in CI (CI=true), the suite ends by running the README commands in
#                           a clean Debian root (scripts/fresh-debian.sh ci: the run command
#                           and the Release tests; ~6 min, ~8 without a cached base); 0 skips that
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
stages=" ${SOCINVEST_TEST_STAGES:-release identity sanitize fuzz} "

# --mpi: Open MPI too, so that the Release build below builds MPI in (SOCINVEST_MPI=AUTO
# finds it) and its tests run the MPI identity and fault tests (cli.mpi.*: run, compare,
# sweep and batch under 1-3 ranks); the sanitize build is made without MPI (CMakePresets),
# so CI builds and tests both.
bash scripts/setup.sh --tests --mpi

if [[ "$stages" == *" release "* ]]; then
  echo "== Release build and tests"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$jobs"
  ctest --preset release -j "$jobs"
fi

if [[ "$stages" == *" identity "* ]]; then
  echo "== Output identity with the reference commit (scripts/output-reference)"
  status=0
  bash scripts/output-identity.sh || status=$?
  # 3: the reference commit is not in this clone (e.g. a shallow one): said, not a failure.
  [ "$status" = 0 ] || [ "$status" = 3 ] || exit "$status"
fi

if [[ "$stages" == *" sanitize "* ]]; then
  echo "== Sanitizer build (address + undefined) and tests"
  cmake --preset sanitize >/dev/null
  cmake --build --preset sanitize -j "$jobs"
  ctest --preset sanitize -j "$jobs"
fi

if [[ "$stages" == *" fuzz "* ]]; then
  echo "== Fuzzing the scenario loader, the population CSV reader and the batch manifest reader"
  bash scripts/fuzz.sh "${SOCINVEST_FUZZ_SECONDS:-90}"
fi

# A developer's machine (and CI's) has every package already, so it cannot show that
# setup.sh installs them all: in CI, run the README commands again on a fresh machine.
if [ "${CI:-}" = true ] && [ "${SOCINVEST_FRESH_ROOT:-1}" != 0 ]; then
  echo "== The README commands in a clean Debian root (SOCINVEST_FRESH_ROOT=0 skips this)"
  bash scripts/fresh-debian.sh ci
fi
