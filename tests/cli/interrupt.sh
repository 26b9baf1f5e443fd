#!/usr/bin/env bash
# Ctrl-C stops a run cleanly: exit code 130, no result folder, no staging debris, and an
# earlier result folder (with --force) left as it was.
set -uo pipefail
exe="$1"
work="$2"
rm -rf "$work"
mkdir -p "$work/earlier"
echo "keep me" > "$work/earlier/money.csv"
# --force replaces only a socinvest result folder (one with the marker file).
echo "socinvest result folder" > "$work/earlier/.socinvest-results"
"$exe" run benchmarks/scenarios/reference-10k.yaml --out "$work/new" --quiet &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || { echo "expected exit 130 after Ctrl-C, got $rc"; exit 1; }
[ ! -e "$work/new" ] || { echo "a result folder was written"; exit 1; }
"$exe" run benchmarks/scenarios/reference-10k.yaml --out "$work/earlier" --force --quiet &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || { echo "expected exit 130 after Ctrl-C, got $rc"; exit 1; }
grep -q "keep me" "$work/earlier/money.csv" || { echo "the earlier results were lost"; exit 1; }
if compgen -G "$work/.*partial*" >/dev/null; then echo "staging left behind"; exit 1; fi
echo "interrupt: ok"
