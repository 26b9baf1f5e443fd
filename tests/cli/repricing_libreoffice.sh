#!/usr/bin/env bash
# The re-pricing sheets of results.xlsx in a real spreadsheet program: LibreOffice (headless,
# from Debian) opens the workbook, recalculates every formula (the file holds no cached
# results, so a formula that was not recalculated reads 0 and fails), and exports the sheets
# as CSV. Then:
#   1. every formula cell of "Re-priced costs" (cost, savings, savings in present value, net)
#      equals the engine's mean beside it to the krone, in English and in Danish (whose sheet
#      names, with æ and a comma, are in the formulas' references), and for a scenario with a
#      facility (whose empty places enter as the engine's values);
#   2. doubling one unit cost in a copy of the workbook (the caseworker line of cash benefit,
#      a service line without refusion, all jobcenter's) changes jobcenter's savings in each
#      budget year by exactly amount x (baseline's - variant's person-months on cash benefit),
#      summed by hand here from the quantities sheet.
# Uses --central (every iteration draws the same unit costs), the case in which the
# formulas are exact.
#
#   tests/cli/repricing_libreoffice.sh SOCINVEST [SCENARIO]
#
# Environment: SOFFICE, the LibreOffice program (default soffice).
#
# Exit code: 0 passed, 1 a check failed, 77 skipped (no soffice, outside CI: CI=true makes a
# missing soffice a failure, as scripts/setup.sh --tests installs it).
set -euo pipefail

exe=$1
scenario=${2:-scenarios/aarhus-opgang-til-opgang.yaml}
soffice=${SOFFICE:-soffice} # the program; SOFFICE=/nonexistent shows the skip
if ! command -v "$soffice" >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL: soffice (LibreOffice) is missing; scripts/setup.sh --tests installs it" >&2
    exit 1
  fi
  echo "SKIPPED: soffice (LibreOffice) is not installed; scripts/setup.sh --tests (or apt-get install libreoffice-calc-nogui) installs it"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A LibreOffice profile of its own: recalculate every formula when a file is loaded (Tools >
# Options > Calc > Formula > Recalculation on file load: Always), for OOXML and ODF.
mkdir -p "$work/profile/user"
cat >"$work/profile/user/registrymodifications.xcu" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
EOF
# Every sheet to its own tab-separated UTF-8 file, raw values (not as shown): FILE-SHEET.csv.
to_csv() {
  "$soffice" "-env:UserInstallation=file://$work/profile" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):9,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$2" "$1" >>"$work/soffice.log" 2>&1 || { cat "$work/soffice.log" >&2; echo "FAIL: soffice could not convert $1" >&2; exit 1; }
}

# Check 1: formulas = engine, to the krone. Columns (1-based): 6/7 cost, 9/10 savings,
# 12/13 savings PV, 17/18 net; the data range ends at the first blank row.
check_costs() {
  awk -F'\t' -v what="$2" -v least="${3:-10}" '
    NR == 1 { next }
    $1 == "" { exit }
    {
      rows++
      for (i = 0; i < 4; i++) {
        a = (i == 0 ? 6 : i == 1 ? 9 : i == 2 ? 12 : 17); b = a + 1
        if ($a == "") continue
        cells++
        if ($b + 0 != 0) engine_nonzero++
        d = $a - $b; if (d < 0) d = -d
        if (d > 0.5) { bad++; if (bad <= 5) printf "FAIL: %s: %s %s %s column %d: formula %s, engine %s\n", what, $1, $2, $4, a, $a, $b }
      }
    }
    END {
      if (rows < least || engine_nonzero < least) { printf "FAIL: %s: only %d rows, %d non-zero engine figures\n", what, rows, engine_nonzero; exit 1 }
      if (bad) exit 1
      printf "%s: %d formula cells in %d rows equal the engine'"'"'s means to the krone\n", what, cells, rows
    }' "$1"
}

"$exe" run "$scenario" --iterations 4 --central --format xlsx --out "$work/en" --quiet
"$exe" run "$scenario" --iterations 4 --central --format xlsx --lang da --out "$work/da" --quiet
to_csv "$work/en/results.xlsx" "$work/en/csv"
to_csv "$work/da/results.xlsx" "$work/da/csv"
costs="$work/en/csv/results-Re-priced costs.csv"
[ -f "$costs" ] || { echo "FAIL: no sheet 'Re-priced costs' in results.xlsx" >&2; ls "$work/en/csv" >&2; exit 1; }
[ -f "$work/da/csv/results-Genprisede udgifter.csv" ] || { echo "FAIL: no sheet 'Genprisede udgifter' with --lang da" >&2; exit 1; }
check_costs "$costs" "English"
check_costs "$work/da/csv/results-Genprisede udgifter.csv" "Danish"
# A facility (tests/fixtures/repricing-facility.yaml): its empty places enter the formulas'
# cost as the engine's values, in columns of their own.
"$exe" run tests/fixtures/repricing-facility.yaml --iterations 3 --central --format xlsx --out "$work/facility" --quiet
to_csv "$work/facility/results.xlsx" "$work/facility/csv"
head -1 "$work/facility/csv/results-Re-priced costs.csv" | grep -q "Facilities' empty places" ||
  { echo "FAIL: no column of the facilities' empty places" >&2; exit 1; }
check_costs "$work/facility/csv/results-Re-priced costs.csv" "A facility" 6
# Costs by attribute (tests/fixtures/repricing-by-attribute.yaml): a takst by area with a
# dated change, and a cost per move by area. Each area has its own input rows, and the
# quantities are split by area, so the formulas still equal the engine's means.
"$exe" run tests/fixtures/repricing-by-attribute.yaml --iterations 3 --central --format xlsx --out "$work/area" --quiet
to_csv "$work/area/results.xlsx" "$work/area/csv"
for row in "care.placed (area: island)" "care: placed \xe2\x86\x92 home (area: rural)"; do
  want=$(printf "$row")
  awk -F'\t' -v want="$want" '$2 == want { found = 1 } END { exit !found }' "$work/area/csv/results-Re-pricing inputs.csv" ||
    { echo "FAIL: no input row '$want' in the re-pricing inputs of a scenario with costs by attribute" >&2; exit 1; }
done
[ "$(awk -F'\t' '$2 == "care.placed (area: island)"' "$work/area/csv/results-Re-pricing inputs.csv" | wc -l)" = 2 ] ||
  { echo "FAIL: the island's placement should have two input rows (the start and the change of 2025-07)" >&2; exit 1; }
check_costs "$work/area/csv/results-Re-priced costs.csv" "Costs by attribute" 6

# Check 2: double one unit cost in a copy and compare the change in savings with a hand sum.
line="sagsbehandling og aktivering"
state="employment.cash_benefit"
row=$(awk -F'\t' -v line="$line" '$4 == line && $2 == "'"$state"'" { print NR; exit }' "$work/en/csv/results-Re-pricing inputs.csv")
[ -n "$row" ] || { echo "FAIL: no input row for '$line'" >&2; exit 1; }
mkdir -p "$work/x" && (cd "$work/x" && unzip -q "$work/en/results.xlsx")
sheet=$(grep -o '<sheet name="[^"]*" sheetId="[0-9]*"' "$work/x/xl/workbook.xml" | awk -F'"' '$2 == "Re-pricing inputs" { print $4 }')
xml="$work/x/xl/worksheets/sheet$sheet.xml"
amount=$(grep -o "<c r=\"H$row\"[^>]*><v>[^<]*</v>" "$xml" | sed 's/.*<v>\(.*\)<\/v>/\1/')
[ -n "$amount" ] || { echo "FAIL: no amount in cell H$row of the inputs sheet" >&2; exit 1; }
doubled=$(awk -v a="$amount" 'BEGIN { printf "%.17g", 2 * a }')
sed -i "s|\(<c r=\"H$row\"[^>]*><v>\)[^<]*</v>|\1$doubled</v>|" "$xml"
(cd "$work/x" && zip -q -X -r "$work/doubled.xlsx" '[Content_Types].xml' _rels docProps xl)
to_csv "$work/doubled.xlsx" "$work/doubled"
# Hand sum: per budget year, amount x (baseline - variant) person-months on cash benefit, for
# each variant; then the same years' change of jobcenter's formula savings. A variant is
# known by its id, the last column of both sheets (the first shows its title).
awk -F'\t' -v a="$amount" -v state="$state" '
  FNR == 1 { file++ }
  file == 1 && FNR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9][0-9][0-9][0-9]$/) col[$i] = i; next }
  file == 1 && $2 == state { for (y in col) pm[$NF, y] += $(col[y]); variants[$NF] = 1; next }
  file == 2 && FNR > 1 && $1 != "" && $2 == "jobcenter" && $9 != "" { before[$NF, $4] = $9 }
  file == 3 && FNR > 1 && $1 != "" && $2 == "jobcenter" && $9 != "" {
    expected = a * (pm["baseline", $4] - pm[$NF, $4])
    d = ($9 - before[$NF, $4]) - expected; if (d < 0) d = -d
    n++
    if (expected != 0) moved++
    if (d > 0.5) { bad++; printf "FAIL: doubling %s: %s %s: savings changed by %.2f, by hand %.2f\n", state, $NF, $4, $9 - before[$NF, $4], expected }
  }
  END {
    if (n < 5 || moved < 5) { printf "FAIL: doubling: only %d rows compared, %d with a change\n", n, moved; exit 1 }
    if (bad) exit 1
    printf "doubling the unit cost %s: jobcenter savings change as the hand sum in %d budget years\n", a, n
  }' "$work/en/csv/results-Re-pricing quantities.csv" "$costs" "$work/doubled/doubled-Re-priced costs.csv"
echo "re-pricing in LibreOffice: ok"
