#!/usr/bin/env bash
# cmake/version.cmake names the commit only of the source tree's own repository: the same
# files unpacked inside another clone (as scripts/output-identity.sh unpacks a reference
# commit under build/) are "unknown", not that clone's commit; the clone itself is named
# by its HEAD. Usage: engine_identity.sh SOURCE_DIR SCRATCH_DIR
set -u
src=$1 scratch=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$scratch" && mkdir -p "$scratch/tree" || fail "cannot make $scratch"
cp -r "$src/cmake" "$scratch/tree/"
cmake -DSOURCE_DIR="$scratch/tree" -DVERSION=0 -DBUILD_FLAGS=x -DOUT="$scratch/inner.cpp" -P "$src/cmake/version.cmake" || fail "version.cmake failed"
grep -q 'engine_commit() { return "unknown"; }' "$scratch/inner.cpp" ||
  fail "a tree inside $(git -C "$scratch/tree" rev-parse --show-toplevel 2>/dev/null || echo 'no clone') was named: $(grep engine_commit "$scratch/inner.cpp")"
if head=$(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null); then
  cmake -DSOURCE_DIR="$src" -DVERSION=0 -DBUILD_FLAGS=x -DOUT="$scratch/own.cpp" -P "$src/cmake/version.cmake" || fail "version.cmake failed"
  grep -q "engine_commit() { return \"$head" "$scratch/own.cpp" || fail "the clone is not named by its HEAD $head: $(grep engine_commit "$scratch/own.cpp")"
fi
rm -rf "$scratch"
echo "engine identity: ok"
