#!/usr/bin/env bash
# A batch killed part-way and resumed gives exactly the result of an uninterrupted batch, and
# reuses (does not recompute) the items finished before the kill; a damaged item is detected
# and recomputed; reproduce confirms a run.
#
#   batch_resume.sh SOCINVEST        (works in a new temporary folder, removed at the end)
set -euo pipefail
exe="$1"
work=$(mktemp -d -t socinvest-batch-resume.XXXXXXXX)
trap 'rm -rf "$work"' EXIT
cp scenarios/tutorial.yaml "$work/tutorial.yaml"
# The last item has 6 times the iterations of the others: whatever the number of cores, it
# cannot be finished when the first item is, so the kill below always interrupts something.
cat > "$work/batch.yaml" <<YAML
batch: resume-test
output: out
iterations: 20
items:
  - {scenario: tutorial.yaml, seeds: [1, 2, 3, 4]}
  - {scenario: tutorial.yaml, variants: [short_project], seed: 9, label: "short project only", iterations: 120}
YAML
# 1. Uninterrupted.
"$exe" batch "$work/batch.yaml" --out "$work/clean" --quiet
# 2. Killed (SIGKILL) as soon as the first item is complete, then resumed.
"$exe" batch "$work/batch.yaml" --out "$work/resumed" --quiet &
pid=$!
for _ in $(seq 1 3000); do # up to a minute (the sanitizer build is slow)
  if compgen -G "$work/resumed/items/*/item.json" >/dev/null; then break; fi
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
finished() { for f in "$work"/resumed/items/*/item.json; do [ -e "$f" ] && stat -c '%n %i %y' "$f"; done; true; }
finished > "$work/finished.before"
done_before=$(wc -l < "$work/finished.before")
echo "items complete when killed: $done_before of 5"
[ "$done_before" -ge 1 ] || { echo "no item was complete when the batch was killed"; exit 1; }
[ "$done_before" -lt 5 ] || { echo "the kill interrupted nothing: every item was complete"; exit 1; }
"$exe" batch "$work/batch.yaml" --out "$work/resumed" > "$work/resume.log"
cat "$work/resume.log"
# The finished items were reused (same files, not rewritten), the others computed now.
grep -q "5 runs, $done_before reused from an earlier run, $((5 - done_before)) computed now" "$work/resume.log" ||
  { echo "expected $done_before reused and $((5 - done_before)) computed"; exit 1; }
finished > "$work/finished.after"
[ "$(wc -l < "$work/finished.after")" -eq 5 ] || { echo "not every item is complete after the resume"; exit 1; }
grep -Fxv -f "$work/finished.after" "$work/finished.before" &&
  { echo "an item finished before the kill was rewritten (listed above)"; exit 1; }
cmp "$work/clean/batch.csv" "$work/resumed/batch.csv"
cmp "$work/clean/batch_report.html" "$work/resumed/batch_report.html"
cmp "$work/clean/batch.xlsx" "$work/resumed/batch.xlsx"
# 3. A damaged item is recomputed, and the result is still identical.
victim=$(ls -d "$work"/resumed/items/* | head -n 1)
echo "garbage" >> "$victim/money.csv"
"$exe" batch "$work/batch.yaml" --out "$work/resumed" > "$work/repair.log"
grep -q "5 runs, 4 reused from an earlier run, 1 computed now" "$work/repair.log" ||
  { echo "the damaged item was not (the only one) recomputed"; exit 1; }
cmp "$work/clean/batch.csv" "$work/resumed/batch.csv"
cmp "$work/clean/batch_report.html" "$work/resumed/batch_report.html"
cmp "$work/clean/batch.xlsx" "$work/resumed/batch.xlsx"
if compgen -G "$work/resumed/items/.*partial*" >/dev/null; then echo "staging left behind"; exit 1; fi
# 4. reproduce: a finished run is confirmed; a tampered one is not.
"$exe" run "$work/tutorial.yaml" --iterations 8 --out "$work/run" --quiet
"$exe" reproduce "$work/run" --quiet
cp "$work/run/money.csv" "$work/money.orig"
sed -i '2s/\([0-9]\)$/\1\1/' "$work/run/money.csv"
if cmp -s "$work/money.orig" "$work/run/money.csv"; then echo "the tampering changed nothing"; exit 1; fi
rc=0
"$exe" reproduce "$work/run" --quiet 2> "$work/repro.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "reproduce of a tampered run: exit $rc, expected 1"; cat "$work/repro.err"; exit 1; }
grep -q "NOT reproduced: these files differ from a fresh run: money.csv$" "$work/repro.err" ||
  { echo "reproduce did not name money.csv:"; cat "$work/repro.err"; exit 1; }
# 5. a run with the monthly reference kernel is reproduced with that kernel (the manifest
#    records it), and differs from the default kernel's run.
"$exe" run "$work/tutorial.yaml" --iterations 8 --kernel monthly --out "$work/monthly" --quiet
"$exe" reproduce "$work/monthly" --quiet
grep -q '"kernel": "monthly"' "$work/monthly/summary.json"
"$exe" run "$work/tutorial.yaml" --iterations 8 --out "$work/events" --quiet
if cmp -s "$work/monthly/money.csv" "$work/events/money.csv"; then echo "the kernel option changed nothing"; exit 1; fi
echo "batch resume and reproduce: ok"
