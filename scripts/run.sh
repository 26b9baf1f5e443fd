#!/usr/bin/env bash
# The main job: install what is missing, build (Release) and run a shipped scenario.
# Usage: bash scripts/run.sh [SCENARIO] [extra socinvest run options]
# Results go to a new, time-stamped folder under out/, so earlier results are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/viborg-relationel-velfaerd.yaml}"
shift || true
[ -f "$scenario" ] || scenario=scenarios/tutorial.yaml

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc 2>/dev/null || echo 2)" --target socinvest
name=$(basename "$scenario" .yaml)
./build/release/socinvest run "$scenario" --out "out/${name}-$(date +%Y%m%d-%H%M%S)" "$@"
