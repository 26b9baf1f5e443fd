#!/usr/bin/env bash
# A batch killed part-way and resumed gives exactly the result of an uninterrupted batch;
# a damaged item is detected and recomputed; reproduce confirms a run.
set -euo pipefail
exe="$1"
work="$2"
rm -rf "$work"
mkdir -p "$work"
cp scenarios/tutorial.yaml "$work/tutorial.yaml"
cat > "$work/batch.yaml" <<YAML
batch: resume-test
output: out
iterations: 40
items:
  - {scenario: tutorial.yaml, seeds: [1, 2, 3, 4]}
  - {scenario: tutorial.yaml, variants: [short_project], seed: 9, label: "short project only"}
YAML
# 1. Uninterrupted.
"$exe" batch "$work/batch.yaml" --out "$work/clean" --quiet
# 2. Killed (SIGKILL) as soon as the first item is complete, then resumed.
"$exe" batch "$work/batch.yaml" --out "$work/resumed" --quiet &
pid=$!
for _ in $(seq 1 400); do
  if compgen -G "$work/resumed/items/*/item.json" >/dev/null; then break; fi
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
done_before=$(ls "$work"/resumed/items/*/item.json 2>/dev/null | wc -l)
echo "items complete when killed: $done_before of 5"
"$exe" batch "$work/batch.yaml" --out "$work/resumed" > "$work/resume.log"
cat "$work/resume.log"
grep -q "reused" "$work/resume.log"
cmp "$work/clean/batch.csv" "$work/resumed/batch.csv"
cmp "$work/clean/batch_report.html" "$work/resumed/batch_report.html"
cmp "$work/clean/batch.xlsx" "$work/resumed/batch.xlsx"
# 3. A damaged item is recomputed, and the result is still identical.
victim=$(ls -d "$work"/resumed/items/* | head -n 1)
echo "garbage" >> "$victim/money.csv"
"$exe" batch "$work/batch.yaml" --out "$work/resumed" > "$work/repair.log"
grep -q "1 computed now" "$work/repair.log"
cmp "$work/clean/batch.csv" "$work/resumed/batch.csv"
cmp "$work/clean/batch_report.html" "$work/resumed/batch_report.html"
cmp "$work/clean/batch.xlsx" "$work/resumed/batch.xlsx"
if compgen -G "$work/resumed/items/.*partial*" >/dev/null; then echo "staging left behind"; exit 1; fi
# 4. reproduce: a finished run is confirmed; a tampered one is not.
"$exe" run "$work/tutorial.yaml" --iterations 8 --out "$work/run" --quiet
"$exe" reproduce "$work/run" --quiet
sed -i '2s/[0-9]$/7/' "$work/run/money.csv"
if "$exe" reproduce "$work/run" --quiet 2> "$work/repro.err"; then echo "tampering not detected"; exit 1; fi
grep -q "money.csv" "$work/repro.err"
# 5. a run with the monthly reference kernel is reproduced with that kernel (the manifest
#    records it), and differs from the default kernel's run.
"$exe" run "$work/tutorial.yaml" --iterations 8 --kernel monthly --out "$work/monthly" --quiet
"$exe" reproduce "$work/monthly" --quiet
grep -q '"kernel": "monthly"' "$work/monthly/summary.json"
"$exe" run "$work/tutorial.yaml" --iterations 8 --out "$work/events" --quiet
if cmp -s "$work/monthly/money.csv" "$work/events/money.csv"; then echo "the kernel option changed nothing"; exit 1; fi
echo "batch resume and reproduce: ok"
