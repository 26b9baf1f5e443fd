#!/usr/bin/env bash
# Fuzzes the scenario loader with libFuzzer for a bounded time (default 60 s), starting
# from every shipped scenario and every invalid case. Fails on any crash, leak, hang (10 s
# per input) or memory blow-up (2 GiB).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)" --target fuzz_scenario_loader
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
find scenarios tests/fixtures tests/invalid benchmarks/scenarios -name '*.yaml' -exec cp {} "$corpus"/ \; 2>/dev/null || true
./build/fuzz/fuzz_scenario_loader -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
echo "fuzz: no crash in ${seconds} s"
