#!/usr/bin/env python3
"""MPI runs write what a single process writes (README, "Many machines: MPI").

    python3 tests/cli/mpi_identity.py SOCINVEST MPIRUN RANKS CASE

CASE run: `run` of the tutorial (csv, json, html, xlsx, trace, evidence shares) with RANKS
ranks x 1 thread against one process with 2 threads; compare: `compare` of the tutorial and
three files that differ from it only in prices (re-priced from its kept simulation; one
prices the baseline's cash benefit otherwise), with evidence shares, likewise. Every
output file must be byte-identical after taking out only the run-environment fields of the
manifest (start time, seconds, threads, command line, output folder), as
scripts/output-digest.py normalises them; the manifest's other fields are compared too, and
so is the terminal text (but its timing). CASE sweep: `sweep` (sweep_case). CASE batch,
batchdie: `batch` (batch_case). CASE fail: a rank that fails makes the job fail with one
clear message, said once, and no output folder; CASE die: likewise for a rank
killed while it simulates; CASE sweepfail, sweepdie: likewise for a sweep. Exit 0: all
checks passed.
"""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("digest", os.path.join(SRC, "scripts", "output-digest.py"))
digest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(digest)

ENVIRONMENT = {"started_at", "seconds", "threads", "command_line"}


def manifest_fields(folder):
    path = os.path.join(folder, "summary.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        m = json.load(f).get("manifest", {})
    return {k: v for k, v in m.items() if k not in ENVIRONMENT}


def terminal(text, work):
    text = re.sub(rb"\d+(\.\d+)? s\b", b"T s", text)
    text = re.sub(rb"\d+ threads?", b"N threads", text)
    return text.replace(os.fsencode(work), b"WORK")


def folder_digest(folder, name):
    return [line.replace(name + "/", "") for line in digest.digest_folder(folder, name, folder)]


def sweep_case(exe, launch, work, env):
    """sweep: a tornado (price-only bars re-priced from the central run, another bar
    simulated), a grid (a price-only axis against one that changes the simulation), a
    threshold on a parameter that changes the simulation and one on a price-only parameter
    (every point's iterations shared; the price-only one's simulation kept a share on each
    rank), and a sweep by evidence grade: under the ranks each writes the single process's
    files and terminal text, with the same counts of simulated and re-priced."""
    failures = []
    tutorial = "scenarios/tutorial.yaml"
    hr = "variants.family_team.interventions.team.effects[0].hazard_ratio"
    uptake = "variants.family_team.interventions.team.uptake"
    cost = "costs.employment.cash_benefit[0].amount"
    staff = "variants.family_team.interventions.team.costs[0].monthly_cost_per_fte"
    sweeps = {
        "tornado": ["--iterations", "3", "--parameter", cost, "--parameter", staff, "--parameter", uptake],
        "grid": ["--iterations", "3", "--grid", cost + "=9000,15000", "--grid", hr + "=1,2"],
        "threshold": ["--iterations", "6", "--threshold", hr, "--range", "1,3", "--probability", "0.05",
                      "--tolerance", "0.5"],
        "price-threshold": ["--iterations", "4", "--threshold", staff, "--range", "0,200000", "--probability",
                            "0.5", "--tolerance", "20000"],
        "grade": ["--iterations", "5", "--grade", "expert_guess", "--scale", "0,1"],
    }
    for what, args in sweeps.items():
        got = {}
        for name, prefix, threads in (("single", [], "2"), ("ranks", launch, "1")):
            folder = os.path.join(work, what + "-" + name)
            r = subprocess.run(prefix + [exe, "sweep", tutorial] + args + ["--threads", threads, "--out", folder],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)
            if r.returncode != 0:
                failures.append(f"sweep {what} {name}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
                continue
            got[name] = (terminal(r.stdout.replace(os.fsencode(folder), b"FOLDER"), work),
                         folder_digest(folder, what + "-" + name))
        if len(got) == 2:
            if got["single"][1] != got["ranks"][1] or not got["single"][1]:
                failures.append(f"sweep {what}: outputs differ: {got['single'][1]} != {got['ranks'][1]}")
            if got["single"][0] != got["ranks"][0]:
                failures.append(f"sweep {what}: terminal text differs:\n" + got["single"][0].decode() + "\n---\n" +
                                got["ranks"][0].decode())
            if what == "tornado" and b"3 simulated, 4 re-priced" not in got["ranks"][0]:
                failures.append("sweep tornado: not 3 simulated and 4 re-priced:\n" + got["ranks"][0].decode())
    return failures


def batch_case(exe, launch, ranks, case, work, env):
    """batch: the items shared over the ranks give the single process's folder, byte for
    byte (the items and the consolidated files); a rerun after losing one item and damaging
    another recomputes just those two, under the ranks, with the same bytes. batchdie: the
    highest rank is killed (SIGKILL) mid-batch: the job fails, writes no batch.csv, keeps the
    items finished (at least one, not all), and the same command then finishes the rest, with
    the same bytes."""
    failures = []
    manifest = os.path.join(work, "batch.yaml")
    tutorial = os.path.join(SRC, "scenarios", "tutorial.yaml")
    seeds = "[1, 2, 3, 4, 5]" if case == "batch" else "[1, 2, 3, 4, 5, 6, 7, 8]"
    iterations = 6 if case == "batch" else 30
    with open(manifest, "w") as f:
        f.write("batch: mpi-test\noutput: out\niterations: %d\nitems:\n" % iterations)
        f.write("  - {scenario: %s, seeds: %s}\n" % (tutorial, seeds))
        f.write("  - {scenario: %s, variants: [short_project], seed: 9, label: \"short project only\"}\n" % tutorial)

    def batch(prefix, folder, threads, script=None):
        command = prefix + ([script] if script else []) + [exe, "batch", manifest, "--threads", threads, "--out", folder]
        return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)

    single, shared = os.path.join(work, "single"), os.path.join(work, "ranks")
    r = batch([], single, "2")
    if r.returncode != 0:
        return [f"batch single: exit {r.returncode}: {r.stderr.decode(errors='replace')}"]
    expected = folder_digest(single, "single")
    if len([f for f in expected if "/item.json" in f]) < 6:
        failures.append("batch: too few items in the single process's folder: " + str(expected))
    if case == "batch":
        r = batch(launch, shared, "1")
        if r.returncode != 0:
            return failures + [f"batch ranks: exit {r.returncode}: {r.stderr.decode(errors='replace')}"]
        if folder_digest(shared, "ranks") != expected:
            failures.append("batch: outputs differ:\n  " + "\n  ".join(expected) + "\n---\n  " +
                            "\n  ".join(folder_digest(shared, "ranks")))
        # Resumability under the ranks: one item lost, another damaged.
        items = sorted(os.listdir(os.path.join(shared, "items")))
        shutil.rmtree(os.path.join(shared, "items", items[0]))
        with open(os.path.join(shared, "items", items[1], "money.csv"), "a") as f:
            f.write("damage\n")
        os.remove(os.path.join(shared, "batch.csv"))
        r = batch(launch, shared, "1")
        out = r.stdout.decode(errors="replace")
        if r.returncode != 0:
            failures.append(f"batch resume: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
        elif "6 runs, 4 reused from an earlier run, 2 computed now" not in out:
            failures.append("batch resume: not 4 reused and 2 computed:\n" + out)
        if folder_digest(shared, "ranks") != expected:
            failures.append("batch resume: outputs differ from the single process's")
        return failures
    # batchdie: the highest rank is killed as soon as the first item is in (whichever rank
    # wrote it), so that the batch is under way and not yet done, on a fast or a slow machine.
    script = os.path.join(work, "rank.sh")
    items_dir = os.path.join(shared, "items")
    with open(script, "w") as f:
        f.write('#!/bin/sh\nrank="${OMPI_COMM_WORLD_RANK:-0}"\n')
        f.write('[ "$rank" = %d ] || exec "$@"\n"$@" & pid=$!\n' % (int(ranks) - 1))
        f.write('while [ -z "$(ls %s 2>/dev/null)" ]; do sleep 0.02; done\nkill -9 $pid\nwait $pid\n' % items_dir)
    os.chmod(script, 0o755)
    r = batch(launch, shared, "1", script)
    if r.returncode == 0:
        failures.append("batchdie: exit 0")
    if os.path.exists(os.path.join(shared, "batch.csv")):
        failures.append("batchdie: batch.csv was written")
    kept = [n for n in os.listdir(os.path.join(shared, "items")) if not n.startswith(".")] \
        if os.path.isdir(os.path.join(shared, "items")) else []
    if not 1 <= len(kept) < 9:
        failures.append(f"batchdie: {len(kept)} of 9 items finished at the kill; the test did not test")
    r = batch(launch, shared, "1")
    if r.returncode != 0:
        failures.append(f"batchdie rerun: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    elif folder_digest(shared, "ranks") != expected:
        failures.append("batchdie rerun: outputs differ from the single process's")
    return failures


def main():
    exe, mpirun, ranks, case = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    os.chdir(SRC)
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    launch = [mpirun, "--oversubscribe", "-np", ranks]
    work = tempfile.mkdtemp(prefix="socinvest-mpi.")
    failures = []
    try:
        if case in ("fail", "die", "sweepfail", "sweepdie"):
            # sweepfail, sweepdie: the same for a sweep (a tornado whose points are shared).
            command = ["sweep"] if case.startswith("sweep") else ["run"]
            extra = ["--parameter", "variants.family_team.interventions.team.uptake", "--parameter",
                     "variants.family_team.interventions.team.effects[0].hazard_ratio"] \
                if case.startswith("sweep") else []
            kind = case[len("sweep"):] if case.startswith("sweep") else case
            # fail: the ranks but 0 are given a scenario that is not there (as a file missing
            # on one node), so they fail at once while rank 0 simulates. die: the rank with
            # the highest number is killed (SIGKILL) while it simulates. Either way the job
            # must fail, say why, and leave no output folder and no staging folder.
            script = os.path.join(work, "rank.sh")
            last = str(int(ranks) - 1)
            with open(script, "w") as f:
                f.write('#!/bin/sh\nrank="${OMPI_COMM_WORLD_RANK:-0}"\n')
                if kind == "fail":
                    f.write('[ "$rank" = 0 ] || { exe="$1"; command="$2"; shift 3; '
                            'set -- "$exe" "$command" "%s/missing.yaml" "$@"; }\nexec "$@"\n' % work)
                else:
                    f.write('[ "$rank" = %s ] || exec "$@"\n"$@" & pid=$!\nsleep 1\nkill -9 $pid\nwait $pid\n' % last)
            os.chmod(script, 0o755)
            out = os.path.join(work, "out")
            iterations = "40" if kind == "fail" else "2000"
            r = subprocess.run(launch + [script, exe] + command + ["scenarios/tutorial.yaml", "--iterations", iterations,
                                                                  "--threads", "1", "--quiet", "--out", out] + extra,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)
            err = r.stderr.decode(errors="replace")
            if r.returncode == 0:
                failures.append(f"{case}: exit 0")
            if kind == "fail":
                if r.returncode != 4:
                    failures.append(f"{case}: exit {r.returncode}, not 4 (a file error):\n" + err)
                if "rank 1 of " + ranks + ": " not in err or "missing.yaml" not in err:
                    failures.append(f"{case}: the message does not name the rank and the file:\n" + err)
                if err.count("missing.yaml") != 1:
                    failures.append(f"{case}: the message is not said once:\n" + err)
            if os.path.exists(out):
                failures.append(f"{case}: the output folder was written")
            debris = [n for n in os.listdir(work) if n.startswith(".")]
            if debris:
                failures.append(f"{case}: staging debris {debris}")
        elif case == "sweep":
            failures += sweep_case(exe, launch, work, env)
        elif case in ("batch", "batchdie"):
            failures += batch_case(exe, launch, ranks, case, work, env)
        else:
            if case == "run":
                # --evidence-shares: its extra runs are shared over the ranks too.
                args = ["run", "scenarios/tutorial.yaml", "--iterations", "7", "--seed", "7",
                        "--format", "csv,json,html,xlsx", "--trace", "2", "--evidence-shares"]
            else:
                # The tutorial, a copy with cheaper staff and one with another discount rate:
                # the two are re-priced from the tutorial's simulation, kept a share on each rank.
                with open("scenarios/tutorial.yaml") as f:
                    text = f.read()
                cheap = os.path.join(work, "cheap.yaml")
                with open(cheap, "w") as f:
                    f.write(text.replace("scenario: tutorial-family-team", "scenario: cheap-staff")
                            .replace("monthly_cost_per_fte: 52000", "monthly_cost_per_fte: 41000"))
                discount = os.path.join(work, "discount.yaml")
                with open(discount, "w") as f:
                    f.write("include: %s\nscenario: other-discount\nrun:\n  discount: {rate: 0.05}\n"
                            % os.path.abspath("scenarios/tutorial.yaml"))
                # A copy with another cash benefit: its baseline differs (the same persons at
                # another rate), so its options are valued against its own baseline.
                rates = os.path.join(work, "rates.yaml")
                with open(rates, "w") as f:
                    f.write(text.replace("scenario: tutorial-family-team", "scenario: rates-2025")
                            .replace("amount: 12000, reimbursement: staircase", "amount: 12432, reimbursement: staircase"))
                # --evidence-shares: each file's extra runs shared over the ranks too.
                args = ["compare", "scenarios/tutorial.yaml", cheap, discount, rates, "--iterations", "7", "--seed", "7",
                        "--format", "csv,json,html,xlsx", "--evidence-shares"]
            results = {}
            for name, prefix, threads in (("single", [], "2"), ("ranks", launch, "1")):
                folder = os.path.join(work, name)
                r = subprocess.run(prefix + [exe] + args + ["--threads", threads, "--out", folder],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60)
                if r.returncode != 0:
                    failures.append(f"{name}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
                    continue
                text = terminal(r.stdout.replace(os.fsencode(folder), b"FOLDER"), work)
                files = [line.replace(name + "/", "") for line in digest.digest_folder(folder, name, folder)]
                results[name] = (text, files, manifest_fields(folder))
            if len(results) == 2:
                (t1, f1, m1), (t2, f2, m2) = results["single"], results["ranks"]
                if len(f1) < 3:
                    failures.append("too few output files: " + str(f1))
                if f1 != f2:
                    failures.append("outputs differ:\n  single: " + "\n          ".join(f1) + "\n  ranks:  " +
                                    "\n          ".join(f2))
                if t1 != t2:
                    failures.append("terminal text differs:\n" + t1.decode() + "\n---\n" + t2.decode())
                if case == "compare" and b"4 files: 1 simulated, 3 re-priced" not in t2:
                    failures.append("compare: not 1 simulated and 3 re-priced:\n" + t2.decode())
                if case == "compare" and b"Baseline of rates-2025" not in t2:
                    failures.append("compare: the copy's own baseline is not stated:\n" + t2.decode())
                if case == "compare" and b"How much of the result rests on each evidence grade" not in t2:
                    failures.append("compare: no evidence shares:\n" + t2.decode())
                if m1 is not None and {k: v for k, v in m1.items() if k != "out"} != \
                        {k: v for k, v in m2.items() if k != "out"}:
                    failures.append(f"manifest differs: {m1} != {m2}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print(f"mpi {case} with {ranks} ranks: " + ("ok" if not failures else f"{len(failures)} failure(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
