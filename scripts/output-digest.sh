#!/usr/bin/env bash
# A digest of every output of every shipped, benchmark and test scenario, both kernels:
# one line per file with its SHA-256, the manifest (which records the clock, the threads
# and the engine's commit) removed from summary.json and from the report and workbook by
# writing them without it. Two builds whose digests are equal wrote identical results.
#
#   bash scripts/output-digest.sh build/release/socinvest > before.txt
#   ... change the code, rebuild ...
#   bash scripts/output-digest.sh build/release/socinvest > after.txt && diff before.txt after.txt
#
# Options (environment): ITERATIONS (default 20), KERNELS (default "events monthly").
set -euo pipefail
exe=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
iterations="${ITERATIONS:-20}"
kernels="${KERNELS:-events monthly}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
scenarios=(scenarios/*.yaml scenarios/examples/*.yaml tests/fixtures/sketch.yaml benchmarks/scenarios/*.yaml
           tests/hostile/danish-names.yaml)
for kernel in $kernels; do
  for s in "${scenarios[@]}"; do
    name="$(basename "$s" .yaml)-$kernel"
    # The benchmark scenario is large: fewer iterations keep this quick.
    n=$iterations
    case "$s" in benchmarks/*) n=3 ;; esac
    "$exe" run "$s" --iterations "$n" --seed 7 --threads 2 --kernel "$kernel" --format csv,json --trace 2 \
      --out "$work/$name" --quiet 2>/dev/null
    for f in "$work/$name"/*; do
      base=$(basename "$f")
      if [ "$base" = summary.json ]; then
        python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("manifest",None); print(json.dumps(d,sort_keys=True))' "$f" |
          sha256sum | sed "s|-|$name/$base|"
      else
        (cd "$work" && sha256sum "$name/$base")
      fi
    done
  done
done
