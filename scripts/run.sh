#!/usr/bin/env bash
# The main job: install what is missing, build (Release) and run a shipped scenario.
# Usage: bash scripts/run.sh [SCENARIO] [extra socinvest run options]
# Results go to a new, time-stamped folder under out/, so earlier results are never touched.
# A scenario that cannot be read is reported by socinvest itself (its message, exit 4),
# never replaced by another one.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/viborg-relationel-velfaerd.yaml}"
shift || true
name=$(basename "$scenario" .yaml)
out="out/${name}-$(date +%Y%m%d-%H%M%S)"

# A typo in the path: when socinvest is already built, let it say so at once instead of
# after the install and build. (The message and exit code stay socinvest's own; on a machine
# without a build it reports the same once built, below.)
if [ ! -f "$scenario" ] && [ -x build/release/socinvest ]; then
  exec ./build/release/socinvest run "$scenario" --out "$out" "$@"
fi

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc 2>/dev/null || echo 2)" --target socinvest
exec ./build/release/socinvest run "$scenario" --out "$out" "$@"
