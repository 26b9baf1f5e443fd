#!/usr/bin/env bash
# Prints an HTML report to PDF (A4, the report's own print stylesheet) in Debian's headless
# Chromium and checks the paper layout from the PDF's structure tree (Chromium writes a
# tagged PDF: every heading, caption, table and figure is a structure element whose marked
# content names the page it is drawn on):
#   * the page count is at most MAX_PAGES (and at least 1);
#   * no chart or figure is spread over two pages;
#   * no heading (h1-h4) or caption ends a page while what follows it starts the next.
#
#   tests/browser/check_print.sh REPORT.html MAX_PAGES [PDF]
#
# Environment: CHROMIUM, the browser binary (default: chromium).
# Exit code: 0 all checks passed, 1 a check failed, 2 usage or setup problem.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 REPORT.html MAX_PAGES [PDF]" >&2
  exit 2
fi
report=$(realpath "$1")
max_pages=$2
[[ -f "$report" ]] || { echo "no such file: $report" >&2; exit 2; }
CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" >/dev/null 2>&1 || { echo "chromium is needed" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pdf=${3:-$work/report.pdf}
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --disable-extensions --user-data-dir="$work/profile" \
  --no-pdf-header-footer --print-to-pdf="$pdf" "file://$report" >/dev/null 2>&1 || true
[[ -s "$pdf" ]] || { echo "FAIL: Chromium wrote no PDF" >&2; exit 1; }

PDF="$pdf" MAX_PAGES="$max_pages" python3 - <<'PY'
import os, re, sys

d = open(os.environ["PDF"], "rb").read()
max_pages = int(os.environ["MAX_PAGES"])
# Chromium writes the structure tree and the page tree as plain (uncompressed) objects.
objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(?:^|\n)(\d+) 0 obj\n?(.*?)\nendobj", d, re.S)}
catalog = re.search(rb"/Type /Catalog.*?/Pages (\d+) 0 R", d, re.S)
if not catalog:
    print("FAIL: no page tree in the PDF", file=sys.stderr)
    sys.exit(1)

def leaf_pages(n):
    o = objs[n]
    kids = re.search(rb"/Kids \[([^\]]*)\]", o)
    if b"/Type /Pages" not in o or not kids:
        return [n]
    out = []
    for r in re.findall(rb"(\d+) 0 R", kids.group(1)):
        out += leaf_pages(int(r))
    return out

pages = leaf_pages(int(catalog.group(1)))
page_no = {p: i + 1 for i, p in enumerate(pages)}
elems = {n: o for n, o in objs.items() if b"/Type /StructElem" in o}
if not elems:
    print("FAIL: the PDF has no structure tree (not tagged): cannot check the layout", file=sys.stderr)
    sys.exit(1)

def kids_of(o):
    m = re.search(rb"/K (\[.*\]|\d+ 0 R|\d+)\s*(?:/|>>)", o, re.S)
    return m.group(1) if m else b""

def kind(n):
    m = re.search(rb"/S /(\w+)", elems[n])
    return m.group(1).decode() if m else "?"

def children(n):
    body = re.sub(rb"<<[^>]*>>", b"", kids_of(elems[n]))
    return [int(r) for r in re.findall(rb"(\d+) 0 R", body) if int(r) in elems]

memo = {}
def pages_of(n):
    """The pages element n (with everything inside it) is drawn on."""
    if n in memo:
        return memo[n]
    o = elems[n]
    found = set()
    k = kids_of(o)
    for mcr in re.findall(rb"<<[^>]*/Pg (\d+) 0 R[^>]*>>", k):  # marked content on a named page
        found.add(page_no[int(mcr)])
    body = re.sub(rb"<<[^>]*>>", b"", k)
    own = re.sub(rb"\d+ 0 R", b"", body)  # plain MCIDs: on the element's /Pg
    pg = re.search(rb"/Pg (\d+) 0 R", o)
    if pg and re.search(rb"\d", own):
        found.add(page_no[int(pg.group(1))])
    for c in children(n):
        found |= pages_of(c)
    memo[n] = found
    return found

def name(n):
    alt = re.search(rb"/Alt \((.*?)\)\n", elems[n])
    return kind(n) + (" '" + alt.group(1).decode("latin-1") + "'" if alt else "")

failures = []
n_pages = len(pages)
if n_pages < 1 or n_pages > max_pages:
    failures.append(f"{n_pages} pages (at most {max_pages} expected)")
for n in elems:
    if kind(n) == "Figure" and len(pages_of(n)) > 1:
        failures.append(f"{name(n)} is split over pages {sorted(pages_of(n))}")
    kids = children(n)
    for i, c in enumerate(kids):
        if kind(c) in ("H1", "H2", "H3", "H4", "Caption") and i + 1 < len(kids):
            a, b = pages_of(c), pages_of(kids[i + 1])
            if a and b and max(a) < min(b):
                failures.append(f"{kind(c)} at the foot of page {max(a)}, its {name(kids[i + 1])} on page {min(b)}")
figures = sum(1 for n in elems if kind(n) == "Figure" and b"/Alt" in elems[n])
print(f"{n_pages} pages, {figures} charts")
for f in failures:
    print("FAIL:", f, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
echo "OK: $report"
