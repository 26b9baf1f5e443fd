#!/usr/bin/env bash
# Byte-identity of all outputs between this tree's build and a reference commit: builds the
# reference's command line in build/identity/ (kept for the next call; ccache makes
# a rebuild quick), digests both with scripts/output-digest.py and compares.
# For changes that must not change any result (refactorings, issue 12); a change that means
# to change results moves scripts/output-reference to its own commit, saying why.
#
#   bash scripts/output-identity.sh [COMMIT]       (default: the commit in scripts/output-reference)
#   BINARY=path/to/socinvest ...                   (default: build/release/socinvest)
#
# Exit 0: identical; 1: a difference (printed); 3: the reference commit is not in this clone.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
ref="${1:-$(sed -n 's/^\([0-9a-f]\{7,40\}\).*/\1/p' scripts/output-reference | head -1)}"
binary=$(realpath "${BINARY:-build/release/socinvest}")
if ! git cat-file -e "$ref^{commit}" 2>/dev/null; then
  echo "output identity: reference commit $ref is not in this clone (a shallow clone?): not checked" >&2
  exit 3
fi
# The reference's files (git archive: no worktree to register or clean up), replaced when the
# reference changes.
tree="$src/build/identity/tree"
if [ "$(cat "$src/build/identity/commit" 2>/dev/null)" != "$(git rev-parse "$ref")" ]; then
  rm -rf "$tree" "$src/build/identity/build"
  mkdir -p "$tree"
  git archive "$ref" | tar -x -C "$tree"
  git rev-parse "$ref" > "$src/build/identity/commit"
fi
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$tree" -B "$src/build/identity/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$src/build/identity/build" -j "$jobs" --target socinvest >/dev/null
python3 scripts/output-digest.py "$src/build/identity/build/socinvest" > "$src/build/identity/reference.txt"
python3 scripts/output-digest.py "$binary" > "$src/build/identity/this.txt"
if diff -u "$src/build/identity/reference.txt" "$src/build/identity/this.txt"; then
  echo "output identity: all $(wc -l < "$src/build/identity/this.txt") outputs byte-identical to $(git rev-parse --short "$ref")"
else
  echo "output identity: outputs differ from $(git rev-parse --short "$ref") (lines above: - reference, + this build)" >&2
  exit 1
fi
