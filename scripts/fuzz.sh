#!/usr/bin/env bash
# Fuzzes the engine's three readers of user files with libFuzzer, the engine built with
# AddressSanitizer + UndefinedBehaviorSanitizer (the `fuzz` preset): the scenario loader, the
# population CSV reader and the batch manifest reader. Each runs for an equal share of a
# bounded total time: the first argument, else SOCINVEST_FUZZ_SECONDS, else 90 s. Fails on
# any crash, sanitizer report, leak, slow input (10 s) or memory blow-up (2 GiB); the
# offending input is kept in build/fuzz/artifacts/<target>/.
#
# Seeds are assembled here from the files the repository already has (shipped scenarios,
# invalid cases, the example CSV cut to a dozen lines, batch manifests), plus the extra and
# regression seeds in tests/fuzz/seeds/<target>/; each target has a dictionary in
# tests/fuzz/<target>.dict. What the fuzzer finds during a run is thrown away afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
total="${1:-${SOCINVEST_FUZZ_SECONDS:-90}}"
targets=(scenario_loader population_csv batch_manifest)
seconds=$(( total / ${#targets[@]} ))
(( seconds >= 1 )) || seconds=1

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]/#/fuzz_}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Copies files into a seed folder, named by their path so that equal names do not collide.
add_seeds() {
  local dir="$1"
  shift
  for f in "$@"; do
    [[ -f "$f" ]] && cp "$f" "$dir/${f//\//_}"
  done
  return 0
}

seed_target() {
  local target="$1" dir="$work/$1/seeds"
  mkdir -p "$dir" "$work/$target/corpus"
  case "$target" in
    scenario_loader)
      mapfile -t files < <(find scenarios tests/fixtures tests/invalid benchmarks/scenarios -name '*.yaml' | sort)
      add_seeds "$dir" "${files[@]}" ;;
    population_csv)
      for f in scenarios/examples/*.csv; do head -n 12 "$f" > "$dir/${f//\//_}"; done ;;
    batch_manifest)
      add_seeds "$dir" scenarios/batches/*.yaml ;;
  esac
  if [[ -d "tests/fuzz/seeds/$target" ]]; then
    add_seeds "$dir" "tests/fuzz/seeds/$target"/*
  fi
}

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
failed=()
start=$SECONDS
for target in "${targets[@]}"; do
  seed_target "$target"
  artifacts="build/fuzz/artifacts/$target"
  rm -rf "$artifacts" # only this run's findings
  mkdir -p "$artifacts"
  log="$work/$target.log"
  echo "== fuzz_$target for ${seconds} s ($(ls "$work/$target/seeds" | wc -l) seeds)"
  status=0
  "./build/fuzz/fuzz_$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="tests/fuzz/$target.dict" -artifact_prefix="$artifacts/" \
    "$work/$target/corpus" "$work/$target/seeds" >"$log" 2>&1 || status=$?
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" || true
  grep -E '^stat::' "$log" || true
  if (( status != 0 )); then
    echo "-- fuzz_$target FAILED (exit $status); the end of its log:"
    tail -n 60 "$log"
    echo "-- the input is in $artifacts/; reproduce with: ./build/fuzz/fuzz_$target FILE"
    failed+=("$target")
  fi
done
if (( ${#failed[@]} )); then
  echo "fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzz: no crash, leak, hang or memory blow-up in ${#targets[@]} targets x ${seconds} s ($(( SECONDS - start )) s)"
