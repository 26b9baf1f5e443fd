#!/usr/bin/env bash
# Regression tests for the command-line faults an adversarial test found (issue 11).
# Usage: hostile.sh EXE CASE. Each case works in its own temporary folder, checks exit
# codes and messages, and prints "CASE: ok" (the CTest pass condition) or why it failed.
set -uo pipefail
exe="$1"
case_name="$2"
src="$(pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
tutorial="$src/scenarios/tutorial.yaml"

# shellcheck source=case_helpers.sh
source "$src/tests/cli/case_helpers.sh"
# How a process ended, from outside the shell (which reports 130 for both): "exit N" or
# "signal N". Usage: ended PID-FILE (written by start_bg).
start_bg() { # start_bg OUTFILE CMD...: runs CMD in the background under a reporter
  local out="$1"
  shift
  python3 -c '
import subprocess, sys
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[1] + ".err", "w"))
open(sys.argv[1] + ".pid", "w").write(str(p.pid))
rc = p.wait()
open(sys.argv[1], "w").write(("signal %d" % -rc) if rc < 0 else ("exit %d" % rc))
' "$out" "$@" &
  for _ in $(seq 100); do [ -s "$out.pid" ] && break; sleep 0.05; done
}
wait_for() { # wait_for SECONDS TEST...: polls until TEST succeeds
  local limit="$1"
  shift
  for _ in $(seq $((limit * 20))); do "$@" && return 0; sleep 0.05; done
  return 1
}

case "$case_name" in
fifo)
  # 1. A FIFO as scenario, include target or batch manifest is refused at once; a signal
  # during loading ends the process (before: blocked in open, SIGTERM ignored).
  mkfifo pipe.yaml
  expect 4 "is a FIFO" timeout 5 "$exe" validate pipe.yaml
  expect 4 "is a FIFO" timeout 5 "$exe" run pipe.yaml --out o
  expect 4 "is a FIFO" timeout 5 "$exe" batch pipe.yaml
  printf 'include: pipe.yaml\n' > inc.yaml
  expect 3 "included file 'pipe.yaml' cannot be read.*is a FIFO" timeout 5 "$exe" validate inc.yaml
  ;;
signals)
  # 1 and 19. SIGTERM while loading ends the process with 143 at once; SIGINT and SIGTERM
  # during a run stop it cleanly with 130 / 143 (an exit, not a death by signal), and no
  # folder or staging debris is left.
  python3 -c 'print("x: [" + ",".join(["1"] * 2000000) + "]")' > slow.yaml # ~4 MB: loading takes a while
  start_bg load.st "$exe" validate slow.yaml
  sleep 0.2
  kill -TERM "$(cat load.st.pid)"
  wait_for 5 test -s load.st || fail "validate did not end on SIGTERM"
  [ "$(cat load.st)" = "exit 143" ] || fail "SIGTERM while loading: $(cat load.st), expected exit 143"
  for sig in INT TERM; do
    want=$([ $sig = INT ] && echo 130 || echo 143)
    rm -f run.st*
    start_bg run.st "$exe" run "$src/benchmarks/scenarios/reference-10k.yaml" --iterations 400 --out "r$sig" --quiet
    # Signal once the run is under way: its staging folder exists.
    wait_for 30 compgen -G ".r$sig.partial-*" >/dev/null || fail "the run never started"
    kill -"$sig" "$(cat run.st.pid)"
    wait_for 30 test -s run.st || fail "the run did not stop on SIG$sig"
    [ "$(cat run.st)" = "exit $want" ] || fail "SIG$sig during a run: $(cat run.st), expected exit $want"
    [ ! -e "r$sig" ] || fail "SIG$sig: a result folder was written"
    ! compgen -G ".r$sig.partial-*" >/dev/null || fail "SIG$sig: staging left behind"
    grep -q "interrupted: no results were written" run.st.err || fail "SIG$sig: message: $(cat run.st.err)"
  done
  ;;
alias-bomb)
  # 2. The expanded tree is bounded: refused in well under a second.
  start=$(date +%s)
  expect 3 "expands to more than 200000 values" "$exe" validate "$src/tests/invalid/alias-bomb-eligible.yaml"
  [ $(($(date +%s) - start)) -lt 5 ] || fail "took too long"
  ;;
too-large)
  # 3. Refused with the figure and the key that drives it, before running; never an
  # "internal error ... bug".
  expect 5 "too large.*GiB.*outcome tables.*run.horizon_years" "$exe" validate "$src/tests/hostile/outcomes-16x60-states.yaml"
  expect 5 "too large.*outcome tables" "$exe" run "$src/tests/hostile/outcomes-16x60-states.yaml" --out o
  [ ! -e o ] || fail "a folder was written"
  ;;
force)
  # 5. --force replaces only a socinvest result folder.
  mkdir userdir && echo "years of work" > userdir/thesis.docx
  expect 4 "not a socinvest result folder" "$exe" run "$tutorial" --iterations 2 --out userdir --force --quiet
  [ -f userdir/thesis.docx ] || fail "the user's file was deleted"
  expect 0 "" "$exe" run "$tutorial" --iterations 2 --out res --quiet
  [ -f res/.socinvest-results ] || fail "no marker file in a result folder"
  expect 0 "" "$exe" run "$tutorial" --iterations 3 --out res --force --quiet
  ;;
ids)
  # 6. An id that is a path never leaves out/: refused where it is defined.
  mkdir -p sub/out/victim && echo keep > sub/out/victim/data.txt
  sed 's/^scenario: .*/scenario: "..\/..\/victim"/' "$tutorial" > sub/evil.yaml
  cd sub || exit 1
  expect 3 "'\.\./\.\./victim' is not a valid scenario name" "$exe" run evil.yaml --force --quiet
  [ -f out/victim/data.txt ] || fail "another folder was touched"
  ;;
batch-race)
  # 7. Identical units are run once: no race on one staging folder, no "Success" error.
  cat > b.yaml <<EOF
batch: race
output: out
iterations: 3
items:
  - {scenario: $tutorial, seeds: [1, 1]}
  - {scenario: $tutorial, seed: 1}
  - {scenario: $tutorial, label: same, seed: 1}
EOF
  for _ in 1 2 3; do
    rm -rf out
    expect 0 "1 runs, 0 reused" "$exe" batch b.yaml
  done
  [ "$(ls out/items | wc -l)" -eq 1 ] || fail "expected one item folder: $(ls out/items)"
  ;;
kill9)
  # 8. kill -9 leaves a staging folder; the next run into the same parent clears it.
  "$exe" run "$src/benchmarks/scenarios/reference-10k.yaml" --iterations 400 --out r --quiet &
  pid=$!
  wait_for 30 compgen -G ".r.partial-*" >/dev/null || fail "the run never started"
  kill -9 $pid
  wait $pid 2>/dev/null
  compgen -G ".r.partial-*" >/dev/null || fail "no debris to clear (the kill came too late?)"
  expect 0 "" "$exe" run "$tutorial" --iterations 2 --out other --quiet
  ! compgen -G ".r.partial-*" >/dev/null || fail "stale staging folder not removed"
  ;;
reproduce)
  # 10. reproduce checks every output: the report, the workbook, and summary.json beyond
  # a string "manifest".
  sed 's/^scenario: .*/scenario: manifest/' "$tutorial" > manifest.yaml
  expect 0 "" "$exe" run manifest.yaml --iterations 3 --out r --quiet
  expect 0 "every output is identical" "$exe" reproduce r
  cp -r r r-html && sed -i 's/kr\./kr,/' r-html/report.html
  expect 1 "NOT reproduced.*report.html" "$exe" reproduce r-html
  cp -r r r-xlsx && echo garbage > r-xlsx/results.xlsx
  expect 1 "NOT reproduced.*results.xlsx" "$exe" reproduce r-xlsx
  cp -r r r-json && python3 - r-json/summary.json <<'EOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["variants"][0]["npv"]["mean"] += 1000.0
json.dump(d, open(p, "w"))
EOF
  expect 1 "NOT reproduced.*summary.json" "$exe" reproduce r-json
  cp -r r r-extra && echo x > r-extra/notes.csv
  expect 1 "notes.csv \(not written by this run\)" "$exe" reproduce r-extra
  ;;
trace)
  # 11. trace.csv quotes and guards ids from a population CSV: 10 fields on every line.
  mkdir data
  cat > data/households.csv <<'EOF'
household_id,person_id,role,age,employment,employment_months
"=HYPERLINK(""http://x"")",@SUM(1),adult,40,cash_benefit,12
"a,b",p2,adult,35,job,3
EOF
  cp "$src/tests/hostile/csv-population.yaml" s.yaml
  expect 0 "" "$exe" run s.yaml --trace 2 --out r --quiet --format csv
  python3 - r/trace.csv <<'EOF' || fail "trace.csv is not safe"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
for r in rows[1:]:
    assert not r[1].startswith("=") and not r[2].startswith("@"), r
assert any(r[1] == "a,b" for r in rows[1:])
EOF
  ;;
sweep-checks)
  # 12. Swept values are range-checked; --account is checked before simulating.
  hr="variants.family_team.interventions.team.effects[0].hazard_ratio"
  for bad in -1 nan inf; do
    expect 2 "out of range \(allowed: a number above 0\)" "$exe" sweep "$tutorial" --iterations 2 --out "g$bad" \
      --grid "$hr=1,$bad" --grid "variants.family_team.interventions.team.capacity.households=10,20"
  done
  expect 2 "out of range" "$exe" sweep "$tutorial" --iterations 2 --out t --threshold "$hr" --range -1,2
  start=$(date +%s%N)
  expect 2 "unknown account 'totl'; did you mean 'total'" "$exe" sweep "$tutorial" --account totl --out a
  expect 2 "unknown account 'totl'" "$exe" compare "$tutorial" --account totl --out c
  [ $((($(date +%s%N) - start) / 1000000)) -lt 3000 ] || fail "the account was checked only after simulating"
  ;;
numbers)
  # 13. Full 64-bit seeds; decimal-only command-line numbers; an empty --format.
  expect 0 "" "$exe" run "$tutorial" --iterations 2 --seed 9223372036854775808 --out a --format csv --quiet
  expect 0 "" "$exe" run "$tutorial" --iterations 2 --seed 18446744073709551615 --out b --format csv --quiet
  cmp -s a/money.csv b/money.csv && fail "seeds above 2^63 give the same results (clamped)"
  expect 2 "" "$exe" run "$tutorial" --seed 18446744073709551616 --out c
  expect 0 "" "$exe" run "$tutorial" --iterations 010 --out d --format json --quiet
  grep -q '"iterations": 10,' d/summary.json || fail "--iterations 010 was not ten"
  expect 2 "not a whole decimal number" "$exe" run "$tutorial" --iterations 0x10 --out e
  expect 2 "no format given" "$exe" run "$tutorial" --format , --out f
  [ ! -e f ] || fail "an empty result folder was written"
  ;;
one-iteration)
  # 14. One iteration: a warning, and n/a for what it cannot estimate.
  expect 0 "warning: only 1 iteration" "$exe" run "$tutorial" --iterations 1 --out a --format csv
  out=$("$exe" run "$tutorial" --iterations 1 --out b --format csv 2>/dev/null)
  printf '%s' "$out" | grep -q "Chance of breaking even: n/a" || fail "probabilities from one iteration: $out"
  printf '%s' "$out" | grep -Eq "Net present value, total .* n/a" || fail "an interval from one iteration: $out"
  out=$("$exe" compare "$tutorial" --iterations 1 --out c 2>/dev/null)
  printf '%s' "$out" | grep -Eq "baseline .* n/a" || fail "P(best) from one iteration: $out"
  ;;
overflow)
  # 15. An amount whose totals cannot be represented is refused.
  sed 's/amount: 12000/amount: 1e308/' "$tutorial" > big.yaml
  grep -q 1e308 big.yaml || fail "fixture: no amount replaced"
  expect 3 "an amount from -1e12 to 1e12 kr" "$exe" validate big.yaml
  ;;
control-characters)
  # 16. Control characters in scenario text are refused; none reach the terminal or XML.
  sed 's/^title: .*/title: "\\e[2J\\e]0;owned\\a Tutorial"/' "$tutorial" > esc.yaml
  expect 3 "control characters" "$exe" validate esc.yaml
  ;;
columns)
  # 17. Danish letters are cut whole; a mean below 0.5 households is not "0 households".
  out=$("$exe" run "$src/tests/hostile/danish-names.yaml" --iterations 4 --out a --format csv 2>/dev/null) || fail "run failed: $out"
  printf '%s' "$out" | iconv -f UTF-8 -t UTF-8 >/dev/null || fail "invalid UTF-8 in the summary"
  printf '%s' "$out" | grep -Eq "Participants: [0-9]+\.[0-9] households" || fail "participants without a decimal: $out"
  # The department's name (31 characters: y and 30 Danish letters), cut by characters, not
  # bytes (a cut by bytes would split a letter): to 26 in the department table, 22 in the
  # budget table.
  printf '%s' "$out" | grep -q "^  yæøåæøåæøåæøåæøåæøåæøåæøåæ " || fail "the name was not cut to 26 characters: $out"
  printf '%s' "$out" | grep -q "^  yæøåæøåæøåæøåæøåæøåæøå " || fail "the name was not cut to 22 characters: $out"
  ;;
population-csv)
  # 18. Implausible persons and broken files are refused by line and column.
  mkdir data
  head='household_id,person_id,role,age,employment,employment_months'
  check_csv() { # check_csv REGEX LINES...
    local regex="$1"
    shift
    printf '%s\n' "$head" "$@" > data/households.csv
    expect 3 "$regex" "$exe" validate s.yaml
  }
  cp "$src/tests/hostile/csv-population.yaml" s.yaml
  check_csv "households.csv:2:.*age: an adult aged 5" "h1,p1,adult,5,,"
  check_csv "households.csv:3:.*age: a child aged 90" "h1,p1,adult,40,job,1" "h1,p2,child,90,,"
  rows=()
  for i in $(seq 21); do rows+=("h1,a$i,adult,40,job,1"); done
  check_csv "household 'h1' has 21 adults and 0 children \(at most 20 adults" "${rows[@]}"
  printf 'household_id,person_id,role,age\nh1,p1,adult,40\n' > data/households.csv
  expect 3 "no domain column" "$exe" validate s.yaml
  printf '%s\nh1,p\0x,adult,40,job,1\n' "$head" > data/households.csv
  expect 3 "households.csv:2:4: person_id: contains a control character \(U\+0000\)" "$exe" validate s.yaml
  ;;
small-things)
  # 19. Exit codes and messages that were wrong.
  expect 2 "unknown command 'frobnicate'" "$exe" frobnicate --help
  expect 0 "" "$exe" run "$tutorial" --iterations 2 --out "with space" --format csv,json --quiet
  line=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifest"]["command_line"])' "with space/summary.json")
  case "$line" in *"'with space'"*) ;; *) fail "command_line is not shell-quoted: $line" ;; esac
  grep -q "NaN" "with space/money.csv" && fail "NaN written in money.csv"
  # A self-include through a symlinked folder is an include cycle naming both paths.
  mkdir real && ln -s . real/link
  printf 'include: link/self.yaml\n' > real/self.yaml
  expect 3 "include cycle: real/self.yaml -> real/link/self.yaml \(the same file as real/self.yaml\)" "$exe" validate real/self.yaml
  ;;
batch-interrupt)
  # 19. After Ctrl-C a batch says what it kept.
  cat > b.yaml <<EOF
batch: kept
output: out
iterations: 60
items:
  - {scenario: $src/benchmarks/scenarios/reference-10k.yaml, seeds: [1, 2, 3, 4, 5, 6, 7, 8]}
EOF
  start_bg b.st "$exe" batch b.yaml --quiet
  wait_for 120 compgen -G "out/items/*/item.json" >/dev/null || fail "no item finished"
  kill -INT "$(cat b.st.pid)"
  wait_for 60 test -s b.st || fail "the batch did not stop"
  [ "$(cat b.st)" = "exit 130" ] || fail "batch after Ctrl-C: $(cat b.st)"
  grep -Eq "interrupted: [1-7] of 8 runs are finished and kept in out/items/" b.st.err || fail "message: $(cat b.st.err)"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "$case_name: ok"
