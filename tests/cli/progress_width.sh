#!/usr/bin/env bash
# The progress line fits an 80-column terminal: runs `socinvest compare` on the shipped case
# with the longest id in a pseudo-terminal (script(1), so stderr is a terminal and the
# progress line is drawn), in English and Danish, and checks that every piece of output
# of the progress line between carriage returns and newlines is at most 79 characters wide, and that a progress
# line was drawn at all.
#
#   tests/cli/progress_width.sh SOCINVEST
set -euo pipefail
exe=$(realpath "$1")
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for lang in en da; do
  COLUMNS=80 script -q -e -c "$exe compare scenarios/viborg-relationel-velfaerd.yaml --iterations 40 --threads 1 --lang $lang --out $work/$lang" \
    "$work/$lang.typescript" >/dev/null
done
python3 - "$work/en.typescript" "$work/da.typescript" <<'PY'
import re, sys
bad, bars = [], 0
for path in sys.argv[1:]:
    text = open(path, "rb").read().decode("utf-8", "replace")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # terminal control sequences
    for piece in re.split(r"[\r\n]", text):
        if not re.search(r"\[[= ]+\] \d+/\d+", piece):
            continue  # the table after it is not the progress line's business
        bars += 1
        if len(piece) > 79:
            bad.append(f"{len(piece)} columns: {piece!r}")
if bars == 0:
    print("FAIL: no progress line was drawn")
    sys.exit(1)
for b in bad[:5]:
    print("FAIL:", b)
if not bad:
    print(f"{bars} progress lines, each within 79 columns")
sys.exit(1 if bad else 0)
PY
echo "OK: progress within 80 columns"
