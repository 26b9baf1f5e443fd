#!/usr/bin/env bash
# Loads an HTML report in Debian's headless Chromium and checks that it works as a
# self-contained page: no console errors or exceptions, no network requests (everything is
# inline), every chart (<svg class="chart" data-chart=...>) has drawn content with a real
# size, chart labels stay inside their chart, and the page does not overflow sideways on a
# desktop or a phone (what scrolls inside its own box shows a shadow at the hidden edge).
# Saves a screenshot.
#
#   tests/browser/check_report.sh REPORT.html SCREENSHOT.png
#
# Environment:
#   REQUIRED_CHARTS  charts that must be present (default:
#                    "cumulative invested-harvested flows npv-distribution outcomes")
#   WINDOW           window size for the screenshot (default 1280,2400)
#   FULL_PAGE=1      also save SCREENSHOT-full.png (the whole page) and SCREENSHOT-pNN.png
#                    slices of the page, for reviewing the design
#   PRINT=1          also save SCREENSHOT-print.png rendered with print media
#   CHROMIUM         the browser binary (default: chromium)
# Exit code: 0 all checks passed, 1 a check failed, 2 usage or setup problem.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 REPORT.html SCREENSHOT.png" >&2
  exit 2
fi
report=$(realpath "$1")
shot=$(realpath -m "$2")
[[ -f "$report" ]] || { echo "no such file: $report" >&2; exit 2; }

CHROMIUM=${CHROMIUM:-chromium}
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
  echo "installing chromium ..." >&2
  apt-get install -y chromium >/dev/null || { echo "cannot install chromium" >&2; exit 2; }
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed" >&2; exit 2; }

# Static check first: nothing in the file may point outside it.
if grep -Eiq '<script|<link[^>]+href=|<img|<iframe|@import|url\(|src="(https?:)?//|href="https?://' "$report"; then
  echo "FAIL: the report refers to scripts or external resources:" >&2
  grep -Eion '<script|<link[^>]+href=|<img|<iframe|@import|url\(|src="(https?:)?//|href="https?://' "$report" | head -5 >&2
  exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

CHROMIUM_BIN=$(command -v "$CHROMIUM") REPORT="$report" SHOT="$shot" PROFILE="$profile" \
REQUIRED_CHARTS="${REQUIRED_CHARTS:-cumulative invested-harvested flows npv-distribution outcomes}" \
WINDOW="${WINDOW:-1280,2400}" FULL_PAGE="${FULL_PAGE:-0}" PRINT="${PRINT:-0}" \
python3 - <<'PY'
# Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
# fd 3, replies on fd 4, NUL-separated JSON), so console errors, exceptions and network
# requests are seen as events rather than scraped from logs.
import base64, json, os, select, subprocess, sys, time

env = os.environ
report, shot, profile = env["REPORT"], env["SHOT"], env["PROFILE"]
required = env["REQUIRED_CHARTS"].split()
width, height = (int(x) for x in env["WINDOW"].split(","))

to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()

def child_fds():
    a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(a, 3)
    os.dup2(b, 4)

args = [env["CHROMIUM_BIN"], "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        f"--user-data-dir={profile}", "--remote-debugging-pipe", f"--window-size={width},{height}", "about:blank"]
# close_fds=False: the fds 3 and 4 made in child_fds must survive into Chromium.
proc = subprocess.Popen(args, preexec_fn=child_fds, close_fds=False,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)

failures = []
events = []
buf = b""
next_id = 0
deadline = time.time() + 90

def read_message():
    global buf
    while b"\0" not in buf:
        left = deadline - time.time()
        if left <= 0:
            raise TimeoutError("Chromium did not answer in time")
        ready, _, _ = select.select([from_chrome_r], [], [], left)
        if not ready:
            continue
        chunk = os.read(from_chrome_r, 1 << 20)
        if not chunk:
            raise RuntimeError("Chromium closed the pipe")
        buf += chunk
    msg, buf = buf.split(b"\0", 1)
    return json.loads(msg)

def note(ev):
    m, p = ev.get("method"), ev.get("params", {})
    if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
        text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
        failures.append(f"console {p['type']}: {text}")
    elif m == "Runtime.exceptionThrown":
        failures.append("exception: " + p["exceptionDetails"].get("text", "") + " " +
                        p["exceptionDetails"].get("exception", {}).get("description", ""))
    elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
        failures.append("console error: " + p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
    elif m == "Network.requestWillBeSent":
        url = p["request"]["url"]
        if not (url.startswith("file:") or url.startswith("data:") or url.startswith("about:")):
            failures.append("network request (the report must be self-contained): " + url)
    events.append(m)

def send(method, params=None, session=None):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(to_chrome_w, json.dumps(msg).encode() + b"\0")
    while True:
        reply = read_message()
        if reply.get("id") == next_id:
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            return reply.get("result", {})
        note(reply)

def wait_for(method):
    while method not in events:
        note(read_message())
    events.remove(method)

def evaluate(session, expr):
    r = send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
    if "exceptionDetails" in r:
        raise RuntimeError("check script failed: " + json.dumps(r["exceptionDetails"]))
    return r["result"]["value"]

def save_png(session, path, clip=None):
    params = {"format": "png", "captureBeyondViewport": clip is not None}
    if clip:
        params["clip"] = dict(clip, scale=1)
    data = send("Page.captureScreenshot", params, session)["data"]
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))

CHECK = r"""
(() => {
  const charts = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const vb = svg.viewBox.baseVal;
    let drawn = 0, outside = [];
    for (const s of svg.querySelectorAll('path,rect,circle,line,polygon,polyline')) {
      const b = s.getBBox();
      if ((b.width > 0 || b.height > 0) && getComputedStyle(s).display !== 'none' &&
          getComputedStyle(s).visibility !== 'hidden') drawn++;
    }
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < vb.x - 1 || b.y < vb.y - 1 || b.x + b.width > vb.x + vb.width + 1 || b.y + b.height > vb.y + vb.height + 1)
        outside.push(t.textContent);
    }
    const r = svg.getBoundingClientRect();
    charts.push({chart: svg.dataset.chart, variant: svg.dataset.variant || '', drawn, w: r.width, h: r.height, outside});
  }
  const wide = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.parentElement && e.parentElement.closest('.scroll, figure');
    if (box) continue; // scrolls inside its own box
    const r = e.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && wide.length < 5)
      wide.push(e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined && e.className ? '.' + e.className : '') + ' ' + Math.round(r.right) + 'px');
  }
  return {charts, wide, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          height: document.documentElement.scrollHeight, title: document.title};
})()
"""

try:
    target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        send(domain + ".enable", {}, session)
    send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
    send("Page.navigate", {"url": "file://" + report}, session)
    wait_for("Page.loadEventFired")
    time.sleep(0.3)  # let late console messages arrive
    send("Runtime.evaluate", {"expression": "1"}, session)

    result = evaluate(session, CHECK)
    charts = result["charts"]
    if not charts:
        failures.append("no <svg class=\"chart\"> in the page")
    for c in charts:
        name = c["chart"] + (f" ({c['variant']})" if c["variant"] else "")
        if c["drawn"] == 0:
            failures.append(f"chart {name}: nothing drawn")
        if c["w"] < 50 or c["h"] < 50:
            failures.append(f"chart {name}: rendered at {c['w']:.0f}x{c['h']:.0f} px")
        if c["outside"]:
            failures.append(f"chart {name}: labels outside the chart: {c['outside'][:3]}")
    present = {c["chart"] for c in charts}
    for r in required:
        if r not in present:
            failures.append(f"chart {r}: missing")
    # On a desktop (1280 px and wider) no table needs its scroll box: a last column cut off
    # there is missed (the contract table's was).
    if width >= 1280:
        cut = evaluate(session, r"""
(() => [...document.querySelectorAll('.scroll')].filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.querySelector('table') && e.querySelector('table').dataset.table || e.querySelector('th,td') && e.querySelector('th,td').textContent.slice(0, 30) || '?') +
            ' ' + e.scrollWidth + '>' + e.clientWidth + 'px'))()
""")
        if cut:
            failures.append(f"at {width} px, {len(cut)} tables are wider than the page (their last columns hidden): {cut[:3]}")
    if result["scrollWidth"] > result["innerWidth"] + 1:
        failures.append(f"page overflows sideways at {width} px: {result['scrollWidth']} px wide; widest: {result['wide']}")
    print(f"{len(charts)} charts: " + ", ".join(sorted(f"{c['chart']}={c['drawn']}" for c in charts)))

    save_png(session, shot)
    print("screenshot:", shot)
    page_h = result["height"]
    if env["FULL_PAGE"] == "1":
        base = shot[:-4] if shot.endswith(".png") else shot
        save_png(session, base + "-full.png", {"x": 0, "y": 0, "width": width, "height": page_h})
        k, y = 1, 0
        while y < page_h:
            h = min(1600, page_h - y)
            save_png(session, f"{base}-p{k:02d}.png", {"x": 0, "y": y, "width": width, "height": h})
            y += h
            k += 1
        print(f"full page ({page_h} px): {base}-full.png and {k - 1} slices")
    if env["PRINT"] == "1":
        send("Emulation.setEmulatedMedia", {"media": "print"}, session)
        send("Emulation.setDeviceMetricsOverride", {"width": 794, "height": 1123, "deviceScaleFactor": 1, "mobile": False}, session)
        base = shot[:-4] if shot.endswith(".png") else shot
        save_png(session, base + "-print.png")
        send("Emulation.setEmulatedMedia", {"media": ""}, session)

    # A phone: the page must reflow, not scroll sideways.
    send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}, session)
    time.sleep(0.2)
    narrow = evaluate(session, CHECK)
    if narrow["scrollWidth"] > narrow["innerWidth"] + 1:
        failures.append(f"page overflows sideways on a phone: {narrow['scrollWidth']} px wide at {narrow['innerWidth']} px; "
                        f"widest: {narrow['wide']}")
    # What scrolls sideways on a phone (a wide table, a chart) must show that it does: the
    # scroll box carries the edge shadows (gradients that scroll with the content).
    hidden = evaluate(session, r"""
(() => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(e);
    if (!['auto', 'scroll'].includes(cs.overflowX) || e.scrollWidth <= e.clientWidth + 1) continue;
    if (!(cs.backgroundImage.includes('gradient') && cs.backgroundAttachment.includes('local')))
      out.push(e.tagName.toLowerCase() + '.' + (e.className || '') + ' ' + e.scrollWidth + '>' + e.clientWidth + 'px');
  }
  return out;
})()
""")
    if hidden:
        failures.append(f"on a phone, {len(hidden)} boxes scroll sideways without a cue: {hidden[:3]}")
    send("Runtime.evaluate", {"expression": "1"}, session)
    try:
        send("Browser.close")
    except Exception:
        pass
except Exception as e:  # noqa: BLE001
    failures.append(f"browser check could not run: {e}")
finally:
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()

if failures:
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    sys.exit(1)
print("OK:", report)
PY
