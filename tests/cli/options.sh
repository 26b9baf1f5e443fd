#!/usr/bin/env bash
# The shared run options on every command that takes them (--threads, --kernel, --lang,
# --format, --quiet on compare, sweep and batch; what reproduce takes from the manifest):
# each must reach what the command runs. Usage: options.sh EXE CASE; each case works in its
# own temporary folder and prints "CASE: ok" (the CTest pass condition) or why it failed.
set -uo pipefail
exe="$1"
case_name="$2"
src="$(pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
tutorial="$src/scenarios/tutorial.yaml"
hr="variants.family_team.interventions.team.effects[0].hazard_ratio"
uptake="variants.family_team.interventions.team.uptake"

# shellcheck source=case_helpers.sh
source "$src/tests/cli/case_helpers.sh"
same() { cmp -s "$1" "$2" || fail "$1 and $2 differ"; }
differ() { cmp -s "$1" "$2" && fail "$1 and $2 are identical"; return 0; }
# csv_value FILE ROW-PREFIX COLUMN: one field of the first row starting with ROW-PREFIX.
csv_value() { grep -m1 "^$2" "$1" | cut -d, -f"$3"; }
# A small batch of the tutorial: two seeds of the run, and a tornado.
batch_manifest() {
  cat > "$1" <<EOF2
batch: options
output: out
iterations: 4
items:
  - {scenario: $tutorial, seeds: [1, 2], label: "Tutorial"}
  - {scenario: $tutorial, variants: [family_team], sweep: tornado, iterations: 3, label: "Tornado"}
EOF2
}

case "$case_name" in
compare-kernel)
  # --kernel reaches the simulation: monthly differs from events, and each option's mean is
  # the one `run` finds with the same kernel, seed and iterations.
  expect 0 "" "$exe" compare "$tutorial" --iterations 6 --seed 3 --out ce --quiet
  expect 0 "" "$exe" compare "$tutorial" --iterations 6 --seed 3 --kernel events --out ce2 --quiet
  expect 0 "" "$exe" compare "$tutorial" --iterations 6 --seed 3 --kernel monthly --out cm --quiet
  same ce/compare_options.csv ce2/compare_options.csv
  differ ce/compare_options.csv cm/compare_options.csv
  grep -q '"kernel": "monthly"' cm/compare.json || fail "compare.json does not record the kernel"
  for kernel in events monthly; do
    expect 0 "" "$exe" run "$tutorial" --iterations 6 --seed 3 --kernel $kernel --format csv --out "r$kernel" --quiet
  done
  for v in family_team short_project; do
    want=$(csv_value rmonthly/money.csv "$v,total,total,total,[0-9]*,npv,mean," 8)
    got=$(csv_value cm/compare_options.csv "$v," 4)
    [ -n "$want" ] && [ "$want" = "$got" ] || fail "$v: compare --kernel monthly $got, run --kernel monthly $want"
    [ "$(csv_value ce/compare_options.csv "$v," 4)" = "$(csv_value revents/money.csv "$v,total,total,total,[0-9]*,npv,mean," 8)" ] ||
      fail "$v: compare and run disagree on the events kernel"
  done
  expect 2 "--kernel" "$exe" compare "$tutorial" --kernel weekly --out cx
  ;;
compare-format)
  # --format chooses the files; a bad one is refused before anything runs.
  expect 0 "" "$exe" compare "$tutorial" --iterations 3 --format csv --out c1 --quiet
  [ "$(ls c1 | tr '\n' ' ')" = "compare_options.csv compare_pairs.csv " ] || fail "--format csv wrote: $(ls c1)"
  expect 0 "" "$exe" compare "$tutorial" --iterations 3 --format html,json --out c2 --quiet
  [ "$(ls c2 | tr '\n' ' ')" = "compare.json compare_report.html " ] || fail "--format html,json wrote: $(ls c2)"
  expect 0 "" "$exe" compare "$tutorial" --iterations 3 --out c3 --quiet
  [ "$(ls c3 | wc -l)" -eq 5 ] || fail "the default formats wrote: $(ls c3)"
  same c1/compare_options.csv c3/compare_options.csv
  expect 2 "unknown format 'pdf'" "$exe" compare "$tutorial" --format csv,pdf --out c4
  [ ! -e c4 ] || fail "a folder was written for a bad --format"
  ;;
compare-lang)
  # --lang: the report in Danish, and Danish numbers on the terminal; the figures the same.
  out=$("$exe" compare "$tutorial" --iterations 3 --lang da --out da 2>/dev/null) || fail "compare --lang da failed"
  printf '%s' "$out" | grep -q "mio. kr." || fail "no Danish amounts on the terminal: $out"
  grep -q '<html lang="da">' da/compare_report.html || fail "compare_report.html is not Danish"
  out=$("$exe" compare "$tutorial" --iterations 3 --out en 2>/dev/null) || fail "compare failed"
  printf '%s' "$out" | grep -q " m kr\." || fail "no English amounts on the terminal: $out"
  grep -q '<html lang="en">' en/compare_report.html || fail "compare_report.html is not English"
  same da/compare_options.csv en/compare_options.csv
  # The workbook in the run's language: its sheet names and headers, the same numbers.
  unzip -p da/compare.xlsx xl/workbook.xml | grep -q 'name="Rangfølge"' || fail "compare.xlsx is not Danish"
  unzip -p en/compare.xlsx xl/workbook.xml | grep -q 'name="Ranking"' || fail "compare.xlsx is not English"
  ;;
sweep-threads)
  # Results do not depend on --threads.
  for t in 1 2 3; do
    expect 0 "" "$exe" sweep "$tutorial" --iterations 4 --threads $t --parameter "$uptake" --out "t$t" --quiet
  done
  same t1/tornado.csv t2/tornado.csv
  same t1/tornado.csv t3/tornado.csv
  ;;
sweep-kernel)
  # --kernel reaches every evaluation of a tornado, a grid and a threshold.
  for k in events monthly; do
    expect 0 "" "$exe" sweep "$tutorial" --iterations 4 --kernel $k --parameter "$uptake" --out "t$k" --quiet
    expect 0 "" "$exe" sweep "$tutorial" --iterations 3 --kernel $k --out "g$k" --quiet \
      --grid "$hr=1,2" --grid "variants.family_team.interventions.team.capacity.households=10,20"
    expect 0 "" "$exe" sweep "$tutorial" --iterations 10 --kernel $k --out "h$k" --quiet \
      --threshold "$hr" --range 1,3 --probability 0.05 --tolerance 0.2
  done
  expect 0 "" "$exe" sweep "$tutorial" --iterations 4 --parameter "$uptake" --out tdefault --quiet
  same tevents/tornado.csv tdefault/tornado.csv
  differ tevents/tornado.csv tmonthly/tornado.csv
  differ gevents/grid.csv gmonthly/grid.csv
  differ hevents/threshold.csv hmonthly/threshold.csv
  ;;
sweep-reprice)
  # Price-only points (unit costs, staff costs, payments) are re-priced from one kept
  # simulation: tornado, grid and threshold write the bytes of a run that simulates every
  # point (--reprice-memory 0), and the tornado also as tornado.html and tornado.xlsx.
  cost="costs.employment.cash_benefit[0].amount"
  staff="variants.family_team.interventions.team.costs[0].monthly_cost_per_fte"
  for m in 0 512; do
    out=$("$exe" sweep "$tutorial" --iterations 3 --parameter "$cost" --parameter "$staff" --parameter "$uptake" \
      --reprice-memory $m --out "t$m" 2>/dev/null) || fail "sweep --reprice-memory $m failed"
    [ $m = 0 ] || printf '%s' "$out" | grep -q "3 simulated, 4 re-priced" || fail "not re-priced: $out"
    expect 0 "" "$exe" sweep "$tutorial" --iterations 3 --reprice-memory $m --out "g$m" --quiet \
      --grid "$cost=9000,15000" --grid "$hr=1,2"
    expect 0 "" "$exe" sweep "$tutorial" --iterations 4 --reprice-memory $m --out "h$m" --quiet \
      --threshold "$staff" --range 0,200000 --probability 0.5 --tolerance 2000
  done
  same t0/tornado.csv t512/tornado.csv
  same t0/tornado.xlsx t512/tornado.xlsx
  same g0/grid.csv g512/grid.csv
  same h0/threshold.csv h512/threshold.csv
  grep -q 'data-chart="tornado"' t512/tornado.html || fail "tornado.html has no chart"
  ;;
compare-reprice)
  # Files that differ from the first only in prices (a copy with cheaper staff, one with
  # another discount rate) are priced from the first file's kept
  # simulation: every output equals a compare that simulates every file (--reprice-memory
  # 0), the terminal and compare.json say how many were simulated and re-priced, and a file
  # that changes the simulation (the uptake) is simulated.
  sed -e 's/^scenario: tutorial-family-team/scenario: cheap-staff/' -e 's/monthly_cost_per_fte: 52000/monthly_cost_per_fte: 41000/' \
    "$tutorial" > cheap.yaml
  grep -q "monthly_cost_per_fte: 41000" cheap.yaml || fail "no cheaper staff in the copy"
  printf 'include: %s\nscenario: other-discount\nrun:\n  discount: {schedule: [{from_year: 0, rate: 0.05}]}\n' \
    "$tutorial" > discount.yaml
  sed -e 's/^scenario: tutorial-family-team/scenario: other-uptake/' -e 's/uptake: {beta: {mean: 0.6, sd: 0.1}}/uptake: {beta: {mean: 0.5, sd: 0.1}}/' \
    "$tutorial" > uptake.yaml
  grep -q "mean: 0.5, sd: 0.1" uptake.yaml || fail "no other uptake in the copy"
  for m in 0 512; do
    out=$("$exe" compare "$tutorial" cheap.yaml discount.yaml uptake.yaml --iterations 4 --reprice-memory $m \
      --format csv,json,html,xlsx --out "c$m" 2>/dev/null) || fail "compare --reprice-memory $m failed"
    if [ $m = 0 ]; then
      printf '%s' "$out" | grep -q "4 files: 4 simulated$" || fail "not all simulated: $out"
    else
      printf '%s' "$out" | grep -q "4 files: 2 simulated, 2 re-priced from a kept simulation" || fail "not re-priced: $out"
    fi
  done
  for f in compare_options.csv compare_pairs.csv compare_report.html compare.xlsx; do same "c0/$f" "c512/$f"; done
  grep -q '"simulations": 2, "re_priced": 2' c512/compare.json || fail "compare.json does not count: $(cat c512/compare.json)"
  grep -q '"simulations": 4, "re_priced": 0' c0/compare.json || fail "compare.json does not count: $(cat c0/compare.json)"
  # The figures differ between the files (the prices did change something).
  [ "$(tail -n +2 c512/compare_options.csv | cut -d, -f4 | sort -u | wc -l)" -ge 7 ] || fail "the options' figures do not differ"
  ;;
compare-baselines)
  # The tutorial at its cash benefit of 12,000 kr. a month against a copy at 12,432 kr. (2024
  # x 1.036): the baseline pays the benefit, so the files' baselines differ. The copy is
  # re-priced from the tutorial's simulation, every option is valued against its own
  # file's baseline, the terminal, compare_baselines.csv, compare.json and the report say
  # which, in both languages, and every output equals simulating both files.
  sed -e 's/^scenario: tutorial-family-team/scenario: rates-2025/' \
    -e 's/amount: 12000, reimbursement: staircase/amount: 12432, reimbursement: staircase/' "$tutorial" > rates.yaml
  grep -q "amount: 12432, reimbursement: staircase" rates.yaml || fail "no other cash benefit in the copy"
  for m in 0 512; do
    out=$("$exe" compare "$tutorial" rates.yaml --iterations 4 --reprice-memory $m --format csv,json,html,xlsx \
      --out "b$m" 2>/dev/null) || fail "compare --reprice-memory $m failed: $out"
  done
  printf '%s' "$out" | grep -q "2 files: 1 simulated, 1 re-priced from a kept simulation" || fail "not re-priced: $out"
  printf '%s' "$out" | grep -q "The files price the baseline differently" || fail "no word of the baselines: $out"
  printf '%s' "$out" | grep -q "^  Baseline of rates-2025 (Tutorial" || fail "no line for the copy's baseline: $out"
  printf '%s' "$out" | tr -s ' \n' ' ' | grep -q "Baseline of rates-2025 ([^)]*): services cost [0-9.]* m kr. over the horizon (nominal); valued against it: rates-2025: Family team, 3 years, rates-2025: Family team, 2 years" ||
    fail "the copy's baseline line does not say its cost and options: $out"
  # Each variant at the copy's prices against the tutorial's: the change in its net present value.
  for v in "Family team, 3 years" "Family team, 2 years"; do
    printf '%s' "$out" | tr -s ' \n' ' ' | grep -q "$v, rates-2025 against tutorial-family-team: -*[0-9,]* kr. (90 %" ||
      fail "no line for $v at the copy's prices: $out"
  done
  printf '%s' "$out" | grep -q "baseline (each file's own)" || fail "the do-nothing row does not say whose baseline: $out"
  for f in compare_options.csv compare_pairs.csv compare_baselines.csv compare.json compare_report.html compare.xlsx; do
    [ "$f" = compare.json ] || same "b0/$f" "b512/$f"
  done
  [ "$(grep -c ',rates-2025,' b512/compare_baselines.csv)" = 2 ] || fail "the copy's two options are not against its baseline"
  [ "$(grep -c ',tutorial-family-team,' b512/compare_baselines.csv)" = 2 ] || fail "the tutorial's options are not against its baseline"
  grep -q '"shared_baseline": false' b512/compare.json || fail "compare.json does not say: $(cat b512/compare.json)"
  grep -q 'id="baselines"' b512/compare_report.html || fail "no baselines section in the report"
  unzip -p b512/compare.xlsx xl/workbook.xml | grep -q 'name="Baselines"' || fail "no Baselines sheet"
  out=$("$exe" compare "$tutorial" rates.yaml --iterations 4 --lang da --out da 2>/dev/null) || fail "compare --lang da failed"
  printf '%s' "$out" | grep -q "Filerne prissætter basisforløbet forskelligt" || fail "no Danish word of the baselines: $out"
  printf '%s' "$out" | grep -q "price the baseline" && fail "English in the Danish terminal: $out"
  unzip -p da/compare.xlsx xl/workbook.xml | grep -q 'name="Basisforløb"' || fail "no Danish Basisforløb sheet"
  # One shared baseline (the copy changes only the staff's pay) is said in one line.
  sed -e 's/^scenario: tutorial-family-team/scenario: cheap-staff/' -e 's/monthly_cost_per_fte: 52000/monthly_cost_per_fte: 41000/' \
    "$tutorial" > cheap.yaml
  out=$("$exe" compare "$tutorial" cheap.yaml --iterations 3 --out s 2>/dev/null) || fail "compare of a shared baseline failed"
  printf '%s' "$out" | grep -q "One baseline for every option" || fail "the shared baseline is not said: $out"
  [ ! -e s/compare_report.html ] || ! grep -q 'id="baselines"' s/compare_report.html || fail "a shared baseline got a section"
  ;;
sweep-lang)
  out=$("$exe" sweep "$tutorial" --iterations 3 --parameter "$uptake" --lang da --out da 2>/dev/null) || fail "sweep failed"
  printf '%s' "$out" | grep -q "mio. kr." || fail "no Danish amounts: $out"
  expect 0 "" "$exe" sweep "$tutorial" --iterations 3 --parameter "$uptake" --out en --quiet
  same da/tornado.csv en/tornado.csv
  ;;
batch-kernel)
  # --kernel reaches every item: the item records it, its key differs (so an events batch
  # is never reused for a monthly one), and an item's money.csv is what `run` writes with
  # the same kernel, seed and iterations.
  batch_manifest b.yaml
  expect 0 "3 runs, 0 reused" "$exe" batch b.yaml --kernel monthly --out m
  expect 0 "3 runs, 0 reused" "$exe" batch b.yaml --out e
  expect 0 "3 runs, 3 reused" "$exe" batch b.yaml --kernel events --out e
  [ "$(grep -l '"kernel": "monthly"' m/items/*/item.json | wc -l)" -eq 3 ] || fail "item.json does not record monthly"
  [ "$(grep -l '"kernel": "events"' e/items/*/item.json | wc -l)" -eq 3 ] || fail "item.json does not record events"
  differ e/batch.csv m/batch.csv
  # Into the events batch's folder: nothing reused, and the same results as the monthly batch.
  expect 0 "3 runs, 0 reused" "$exe" batch b.yaml --kernel monthly --out e
  same e/batch.csv m/batch.csv
  for k in events monthly; do
    expect 0 "" "$exe" run "$tutorial" --iterations 4 --seed 2 --kernel $k --format csv --out "r$k" --quiet
  done
  item=$(grep -l '"seed": 2,' m/items/*/item.json | head -1)
  same "$(dirname "$item")/money.csv" rmonthly/money.csv
  differ "$(dirname "$item")/money.csv" revents/money.csv
  ;;
batch-threads)
  # Results do not depend on --threads.
  batch_manifest b.yaml
  expect 0 "3 runs" "$exe" batch b.yaml --threads 1 --out t1
  expect 0 "3 runs" "$exe" batch b.yaml --threads 2 --out t2
  same t1/batch.csv t2/batch.csv
  expect 2 "--threads" "$exe" batch b.yaml --threads 0 --out t0
  ;;
batch-lang)
  batch_manifest b.yaml
  expect 0 "" "$exe" batch b.yaml --lang da --out da
  grep -q '<html lang="da">' da/batch_report.html || fail "batch_report.html is not Danish"
  grep -q "Nettonutidsværdi" da/batch_report.html || fail "batch_report.html has no Danish text"
  expect 0 "" "$exe" batch b.yaml --out en
  grep -q '<html lang="en">' en/batch_report.html || fail "batch_report.html is not English"
  grep -q "Nettonutidsværdi" en/batch_report.html && fail "Danish text in the English report"
  # The language is not part of an item's key: a resume in Danish reuses every item.
  expect 0 "3 kørsler, 3 genbrugt" "$exe" batch b.yaml --lang da --out en
  grep -q '<html lang="da">' en/batch_report.html || fail "the resumed batch was not reported in Danish"
  ;;
batch-format)
  batch_manifest b.yaml
  expect 0 "Results in out/ \(batch.csv, items/\)" "$exe" batch b.yaml --format csv
  [ "$(ls out | tr '\n' ' ')" = "batch.csv items " ] || fail "--format csv wrote: $(ls out)"
  expect 0 "3 reused.*\(batch.csv, batch.json, batch_report.html, batch.xlsx, items/\)" "$exe" batch b.yaml
  [ "$(ls out | wc -l)" -eq 5 ] || fail "the default formats wrote: $(ls out)"
  expect 2 "unknown format 'pdf'" "$exe" batch b.yaml --format pdf --out x
  [ ! -e x ] || fail "a folder was written for a bad --format"
  ;;
quiet)
  # --quiet: nothing on stdout, from any command; without it each says where its results are.
  batch_manifest b.yaml
  expect 0 "" "$exe" run "$tutorial" --iterations 2 --out r --quiet
  for mode in quiet loud; do
    commands=(
      "run $tutorial --iterations 2 --out r-$mode"
      "compare $tutorial --iterations 2 --out c-$mode"
      "sweep $tutorial --iterations 2 --parameter $uptake --out s-$mode"
      "batch b.yaml --out b-$mode"
      "reproduce r"
    )
    for c in "${commands[@]}"; do
      # shellcheck disable=SC2086 # the words of the command
      if [ $mode = quiet ]; then
        out=$("$exe" $c --quiet 2>/dev/null) || fail "'$c --quiet' failed"
        [ -z "$out" ] || fail "'$c --quiet' printed: $out"
      else
        out=$("$exe" $c 2>/dev/null) || fail "'$c' failed"
        printf '%s' "$out" | grep -Eq "Results in|Reproduced" || fail "'$c' printed: $out"
      fi
    done
  done
  ;;
reproduce-kernel)
  # reproduce re-runs with the recorded kernel: a monthly run reproduces, and the same
  # results labelled events do not.
  expect 0 "" "$exe" run "$tutorial" --iterations 3 --kernel monthly --format csv,json --out m --quiet
  expect 0 "every output is identical" "$exe" reproduce m
  cp -r m e && sed -i 's/"kernel": "monthly"/"kernel": "events"/' e/summary.json
  grep -q '"kernel": "events"' e/summary.json || fail "fixture: the kernel was not replaced"
  expect 1 "NOT reproduced.*money.csv" "$exe" reproduce e
  # A kernel the engine does not have is refused (exit 4), not silently replaced by events.
  cp -r m u && sed -i 's/"kernel": "monthly"/"kernel": "quantum"/' u/summary.json
  expect 4 "records the kernel 'quantum', which this engine does not have \\(events, monthly\\)" "$exe" reproduce u
  ;;
reproduce-threads)
  # reproduce re-runs on the recorded thread count unless --threads is given: a run on one
  # thread is reproduced by a process that never has a second one.
  scenario="$src/benchmarks/scenarios/reference-10k.yaml"
  expect 0 "" "$exe" run "$scenario" --iterations 4 --threads 1 --format csv,json --out r1 --quiet
  grep -q '"threads": 1,' r1/summary.json || fail "the run did not record one thread"
  most_threads() { # most_threads CMD...: runs CMD, prints the most threads it had at once
    # (Under AddressSanitizer without the leak check, whose tracer is a thread of its own.)
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@" > /dev/null 2>&1 &
    local pid=$! most=0 n
    while kill -0 $pid 2>/dev/null; do
      n=$(awk '/^Threads:/ {print $2}' /proc/$pid/status 2>/dev/null)
      [ -n "$n" ] && [ "$n" -gt "$most" ] && most=$n
      sleep 0.02
    done
    wait $pid || fail "'$*' failed"
    echo "$most"
  }
  [ "$(most_threads "$exe" reproduce r1 --quiet)" -eq 1 ] || fail "reproduce used more threads than the run recorded"
  if [ "$(nproc)" -ge 2 ]; then
    [ "$(most_threads "$exe" reproduce r1 --quiet --threads 2)" -ge 2 ] || fail "reproduce --threads 2 ran on one thread"
  fi
  ;;
help-width)
  # --help reads in an 80-column terminal: every line of every command's help fits (but the
  # usage line, which holds the program's path as it was called), and
  # the shared options are listed by every command that takes them.
  for c in "" validate run compare sweep power panel calibrate batch reproduce; do
    # shellcheck disable=SC2086 # no command: the main help
    out=$("$exe" $c --help) || fail "'$c --help' failed"
    wide=$(printf '%s\n' "$out" | awk '!/^Usage:/ && length($0) > 80')
    [ -z "$wide" ] || fail "'$c --help' has lines wider than 80 columns: $wide"
  done
  for c in compare sweep batch; do
    for o in --threads --kernel --lang --quiet; do
      "$exe" $c --help | grep -q -- "^  $o " || fail "'$c --help' does not list $o"
    done
  done
  ;;
budget-year)
  # --budget-year chooses B of the budget-period table (default: the year after the start,
  # 2026 for the tutorial's 2025-01), is recorded and reproduced, and a year the run does
  # not simulate is refused before anything runs.
  expect 0 "" "$exe" run "$tutorial" --iterations 3 --format csv,json --out d --quiet
  grep -q '^family_team,jobcenter,department,2026,B,12,net,mean,' d/budget.csv || fail "the default budget year is not 2026"
  expect 0 "" "$exe" run "$tutorial" --iterations 3 --budget-year 2031 --format csv,json --out b --quiet
  grep -q '^family_team,jobcenter,department,2031,B,12,net,mean,' b/budget.csv || fail "--budget-year 2031 is not B"
  grep -q '^family_team,jobcenter,department,2034,B+3,12,net,mean,' b/budget.csv || fail "B+3 is not 2034"
  grep -q '"budget_year": 2031' b/summary.json || fail "summary.json does not record the budget year"
  expect 0 "every output is identical" "$exe" reproduce b
  expect 2 "--budget-year: budget year 2040 is not simulated: the run covers 2025 to 2034" \
    "$exe" run "$tutorial" --budget-year 2040 --out x
  [ ! -e x ] || fail "a refused --budget-year left a folder"
  expect 2 "--budget-prices current: the scenario has no run.price_projection" \
    "$exe" run "$tutorial" --budget-prices current --out y
  [ ! -e y ] || fail "a refused --budget-prices left a folder"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "$case_name: ok"
