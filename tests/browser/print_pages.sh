#!/usr/bin/env bash
# Every HTML page the engine writes, printed to A4 PDF in headless Chromium and checked by
# check_print.sh (page count within a bound, no chart split, no heading or caption left at
# the foot of a page):
#
#   print_pages.sh SOCINVEST report      report.html of the Viborg case (three variants)
#   print_pages.sh SOCINVEST summaries   compare_report.html, batch_report.html (with a tornado
#                                        item) and tornado.html
#   print_pages.sh SOCINVEST aarhus      report.html of the Aarhus case in Danish (three variants,
#                                        eleven departments, 150 assumptions)
#
# The bounds: a variant of report.html fills at most eight pages (it was nine or more, with
# headings left at the foot of a page, before the print stylesheet kept them with what
# follows), plus the overview, the method, the assumptions and the manifest; with the
# compact paper layout (issue 14) about five, and Viborg and Aarhus printed 20 pages each; with
# a variant in three pages (cards in one row, two charts side by side, the outcome charts in
# one row, wide tables continued) Aarhus prints 17; with the assumptions run on as a list on
# paper ("what: value · unit · price year · source", one row a paragraph) 16, Viborg 18; with
# tighter lines in the variant tables and smaller chart titles Aarhus 16, Viborg 16; with the
# manifest and the run's settings as two columns of "what: value" lines Viborg 15 (its last
# page is full: a longer file path in the manifest may take it to 16, so the bound stays 16).
set -euo pipefail
exe=$(realpath "$1")
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { bash tests/browser/check_print.sh "$@"; }
case "$2" in
  report)
    "$exe" run scenarios/viborg-relationel-velfaerd.yaml --iterations 30 --format html --out "$work/run" --quiet
    check "$work/run/report.html" 16 # 19 with a variant in three pages, 18 with the assumptions as a list, 16 with tighter table lines (issue 14)
    ;;
  summaries)
    "$exe" compare scenarios/viborg-relationel-velfaerd.yaml --iterations 30 --out "$work/compare" --quiet
    check "$work/compare/compare_report.html" 4
    cp scenarios/tutorial.yaml "$work/tutorial.yaml"
    cat > "$work/batch.yaml" <<YAML
batch: print-test
output: out
iterations: 20
items:
  - {scenario: tutorial.yaml, seeds: [1, 2], label: "Tutorial, all variants"}
  - {scenario: tutorial.yaml, variants: [family_team], sweep: tornado, iterations: 10, label: "What drives it"}
YAML
    "$exe" batch "$work/batch.yaml" --out "$work/batch" --quiet
    check "$work/batch/batch_report.html" 6
    "$exe" sweep scenarios/tutorial.yaml --variant family_team --iterations 10 --out "$work/sweep" --quiet
    check "$work/sweep/tornado.html" 3
    ;;
  aarhus)
    # It printed 31 pages before the compact print layout (issue 14), 20 after it, 17 with a
    # variant in three pages, 16 with the assumptions as a list.
    "$exe" run scenarios/aarhus-opgang-til-opgang.yaml --iterations 30 --format html --lang da --out "$work/run" --quiet
    check "$work/run/report.html" 16
    ;;
  *) echo "usage: $0 SOCINVEST report|summaries|aarhus" >&2; exit 2 ;;
esac
