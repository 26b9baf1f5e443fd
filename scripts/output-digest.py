#!/usr/bin/env python3
"""A digest of every output socinvest writes for the shipped, example, benchmark and test
scenarios: `run` on both kernels (csv, json, trace), `run` with the report and the workbook
in English and Danish, `compare`, `sweep` (tornado and grid) and a small `batch`; one line per
file with its SHA-256. Two builds whose digests are equal wrote identical results, so a
refactoring that must not change behaviour (issue 12) is checked by comparing digests.

What differs between two builds or two runs by design is taken out before hashing, and only
that: the manifest (engine commit, time stamps, run time, command line, thread count) in
summary.json, report.html, results.xlsx and the compare/batch outputs; the workbook's
creation time (docProps/core.xml); batch item keys, which contain the engine's identity; the
name of the temporary folder the outputs are written to.

    python3 scripts/output-digest.py BINARY > digest.txt
    scripts/output-identity.sh BASE_COMMIT     # builds BASE_COMMIT and compares both digests

Environment: ITERATIONS (default 20), KERNELS (default "events monthly").
"""
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ITERATIONS = os.environ.get("ITERATIONS", "20")
KERNELS = os.environ.get("KERNELS", "events monthly").split()
MANIFEST_SHEETS = {"Manifest", "Kørselsdata"}
ITEM_KEY = re.compile(rb"\b[0-9a-f]{16}\b")
# A batch item's folder, items/<label>-<the key's first 8 hex digits> (engine/batch/batch.cpp).
ITEM_FOLDER = re.compile(rb"(items/[^/\"\s]*?-)[0-9a-f]{8}\b")
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def drop_manifest(value):
    """JSON without its manifest (at any depth: batch and compare nest it)."""
    if isinstance(value, dict):
        return {k: drop_manifest(v) for k, v in value.items() if k != "manifest"}
    if isinstance(value, list):
        return [drop_manifest(v) for v in value]
    return value


def normalise_html(data: bytes) -> bytes:
    # The manifest is its own <section id="manifest">, and the footer repeats the engine's
    # commit and the start time; everything else must be identical.
    data = re.sub(rb'<section id="manifest">.*?</section>', b"<manifest/>", data, flags=re.S)
    def footer(m):
        text = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"TIME", m.group(0))
        return re.sub(rb"\([0-9a-f]{7,40}(-dirty-[0-9a-f]+)?\)", b"(COMMIT)", text)
    return re.sub(rb"<footer>.*?</footer>", footer, data, flags=re.S)


def normalise_xlsx(data: bytes) -> bytes:
    """The workbook as text: every cell of every sheet but the manifest, strings resolved, plus
    the styles and the other parts byte for byte (a changed format or column width counts)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    strings = []
    if "xl/sharedStrings.xml" in names:
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    out = io.StringIO()
    sheet_parts = set()
    for sheet in book.find("m:sheets", NS):
        rid = sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        part = "xl/" + target[rid]
        sheet_parts.add(part)
        name = sheet.get("name")
        out.write(f"== sheet {name}\n")
        if name in MANIFEST_SHEETS:
            continue
        root = ET.fromstring(z.read(part))
        for c in root.iter("{%s}c" % NS["m"]):
            v = c.find("m:v", NS)
            f = c.find("m:f", NS)
            text = "" if v is None else (v.text or "")
            if c.get("t") == "s" and text:
                text = strings[int(text)]
            formula = "" if f is None else (f.text or "")
            out.write(f"{c.get('r')}\t{c.get('s', '')}\t{c.get('t', '')}\t{text}\t{formula}\n")
        # Everything but the cells (column widths, panes, filters, merged cells) as is.
        for child in root:
            if child.tag != "{%s}sheetData" % NS["m"]:
                out.write(ET.tostring(child, encoding="unicode") + "\n")
    for part in sorted(names):
        if part in sheet_parts or part in ("xl/sharedStrings.xml", "docProps/core.xml"):
            continue
        out.write(f"== part {part} {sha(z.read(part))}\n")
    return out.getvalue().encode()


def normalise(path: str, batch: bool, work: str) -> bytes:
    with open(path, "rb") as f:
        # The temporary folder's name differs from run to run; where it is written, it is WORK.
        data = f.read().replace(os.fsencode(work), b"WORK")
    if path.endswith(".json"):
        data = json.dumps(drop_manifest(json.loads(data)), sort_keys=True).encode()
    elif path.endswith(".html"):
        data = normalise_html(data)
    elif path.endswith(".xlsx"):
        data = normalise_xlsx(data)
    if batch:
        data = ITEM_FOLDER.sub(rb"\1KEY", ITEM_KEY.sub(b"KEY", data))
    return data


def digest_folder(folder: str, name: str, work: str, batch: bool = False):
    lines = []
    for root, _, files in os.walk(folder):
        for f in sorted(files):
            path = os.path.join(root, f)
            rel = os.path.relpath(path, folder)
            if f == ".socinvest-results" or (batch and f == "item.json"):
                continue
            if batch:
                rel = ITEM_FOLDER.sub(rb"\1KEY", ITEM_KEY.sub(b"KEY", rel.encode())).decode()
            lines.append(f"{sha(normalise(path, batch, work))}  {name}/{rel}")
    return sorted(lines)


def main():
    exe = os.path.realpath(sys.argv[1])
    os.chdir(SRC)
    work = tempfile.mkdtemp(prefix="socinvest-digest.")
    out = []
    try:
        def call(name, args):
            folder = os.path.join(work, name)
            r = subprocess.run([exe] + args + ["--out", folder], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            # The exit code is part of the behaviour; so is the terminal text of every command
            # except its last line's timing ("in 0.3 s on 2 threads").
            text = re.sub(rb"\d+([.,]\d+)? s\b", b"T s", r.stdout)
            text = re.sub(rb"\d+ (threads?|tr\xc3\xa5de?)", b"N threads", text)  # and Danish "2 tråde"
            text = text.replace(os.fsencode(work), b"WORK")
            out.append(f"{sha(text)}  {name}/(terminal, exit {r.returncode})")
            out.extend(digest_folder(folder, name, work, batch=args[0] == "batch"))

        scenarios = (sorted("scenarios/" + f for f in os.listdir("scenarios") if f.endswith(".yaml")) +
                     sorted("scenarios/examples/" + f for f in os.listdir("scenarios/examples") if f.endswith(".yaml")) +
                     ["tests/fixtures/sketch.yaml"] +
                     # The national-scale example (a million households) is left out: it takes
                     # minutes; it is the reference benchmark's model at a larger size.
                     sorted("benchmarks/scenarios/" + f for f in os.listdir("benchmarks/scenarios")
                            if f.endswith(".yaml") and not f.startswith("national-")) +
                     ["tests/hostile/danish-names.yaml"])
        common = ["--seed", "7", "--threads", "2"]
        for kernel in KERNELS:
            for s in scenarios:
                # The benchmark scenario is large: fewer iterations keep this quick.
                n = "3" if s.startswith("benchmarks/") else ITERATIONS
                name = os.path.basename(s)[:-5] + "-" + kernel
                call(name, ["run", s, "--iterations", n, "--kernel", kernel, "--format", "csv,json", "--trace", "2", "--quiet"] + common)
        shipped = sorted("scenarios/" + f for f in os.listdir("scenarios") if f.endswith(".yaml"))
        for lang in ("en", "da"):
            for s in shipped:
                name = os.path.basename(s)[:-5] + "-report-" + lang
                call(name, ["run", s, "--iterations", ITERATIONS, "--format", "html,xlsx", "--lang", lang] + common)
        call("compare-tutorial", ["compare", "scenarios/tutorial.yaml", "--iterations", "8"] + common)
        call("compare-viborg", ["compare", "scenarios/viborg-relationel-velfaerd.yaml", "--iterations", "8"] + common)
        call("sweep-tornado", ["sweep", "scenarios/tutorial.yaml", "--iterations", "4"] + common)
        call("sweep-grid", ["sweep", "scenarios/tutorial.yaml", "--iterations", "4",
                            "--grid", "variants.family_team.interventions.team.effects[0].hazard_ratio=1,2",
                            "--grid", "variants.family_team.interventions.team.capacity.households=10,20"] + common)
        batch_dir = os.path.join(work, "batch-input")
        os.mkdir(batch_dir)
        shutil.copy("scenarios/tutorial.yaml", batch_dir)
        with open(os.path.join(batch_dir, "batch.yaml"), "w") as f:
            f.write("batch: digest\noutput: out\niterations: 10\nitems:\n"
                    "  - {scenario: tutorial.yaml, seeds: [1, 2]}\n"
                    "  - {scenario: tutorial.yaml, variants: [short_project], sweep: tornado, iterations: 4, label: tornado}\n")
        call("batch", ["batch", os.path.join(batch_dir, "batch.yaml"), "--quiet"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(out))


if __name__ == "__main__":
    main()
