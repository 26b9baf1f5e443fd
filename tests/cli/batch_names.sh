#!/usr/bin/env bash
# A batch's readable item folders, its closing line and its tornado drivers:
#   * each item's folder is items/<label>-<first 8 digits of its key>, in lower case with
#     æ, ø, å as ae, oe, aa ("Høje tal, 2 frø" -> hoeje-tal-2-froe-...);
#   * the closing line names batch_report.html and batch.xlsx besides batch.csv, batch.json;
#   * batch_report.html shows the tornado item's drivers, the largest swing first (the
#     first row of the item's tornado.csv);
#   * a batch written by an older version (folders named by the full key) resumes: every item
#     is reused, its folder renamed to the readable name, and batch.csv is byte-identical.
#
#   batch_names.sh SOCINVEST
set -euo pipefail
exe=$(realpath "$1")
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp scenarios/tutorial.yaml "$work/tutorial.yaml"
cat > "$work/batch.yaml" <<'YAML'
batch: names-test
output: out
iterations: 12
items:
  - {scenario: tutorial.yaml, seeds: [1, 2], label: "Høje tal, 2 frø"}
  - {scenario: tutorial.yaml, variants: [family_team], sweep: tornado, iterations: 8, label: "What drives it?"}
YAML
fail() { echo "FAIL: $*"; exit 1; }
"$exe" batch "$work/batch.yaml" --threads 1 > "$work/first.log"
cat "$work/first.log"
grep -q "batch.csv, batch.json, batch_report.html, batch.xlsx, items/" "$work/first.log" || fail "the closing line does not name every file"
items="$work/out/items"
ls "$items" > "$work/names"
[ "$(grep -c '^hoeje-tal-2-froe-[0-9a-f]\{8\}$' "$work/names")" = 2 ] || fail "no readable folders for the two seeds: $(tr '\n' ' ' < "$work/names")"
[ "$(grep -c '^what-drives-it-[0-9a-f]\{8\}$' "$work/names")" = 1 ] || fail "no readable folder for the tornado: $(tr '\n' ' ' < "$work/names")"
tornado=$(ls -d "$items"/what-drives-it-*)
first=$(sed -n 2p "$tornado/tornado.csv" | cut -d, -f1)
grep -q 'data-table="drivers"' "$work/out/batch_report.html" || fail "batch_report.html has no drivers table"
drivers=$(sed -n '/data-table="drivers"/,/<\/table>/p' "$work/out/batch_report.html")
echo "$drivers" | grep -o '<td class="code">[^<]*' | head -1 | grep -qF "$first" || fail "the first driver is not $first"
grep -q "\"folder\": \"items/hoeje-tal-2-froe-" "$work/out/batch.json" || fail "batch.json does not name the readable folder"
cp "$work/out/batch.csv" "$work/batch.csv.first"
# An older version's folders: items/<key>.
for d in "$items"/*/; do
  key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key"])' "$d/item.json")
  mv "$d" "$items/$key"
done
"$exe" batch "$work/batch.yaml" --threads 1 > "$work/resume.log"
cat "$work/resume.log"
grep -q "3 runs, 3 reused from an earlier run, 0 computed now" "$work/resume.log" || fail "the older folders were not reused"
[ "$(ls "$items" | grep -c -- '-[0-9a-f]\{8\}$')" = 3 ] || fail "the older folders were not renamed: $(ls "$items" | tr '\n' ' ')"
cmp -s "$work/batch.csv.first" "$work/out/batch.csv" || fail "batch.csv differs after resuming"
echo "batch names: ok"
