#!/usr/bin/env python3
"""MPI runs write what a single process writes (README, "Many machines: MPI").

    python3 tests/cli/mpi_identity.py SOCINVEST MPIRUN RANKS CASE

CASE run: `run` of the tutorial (csv, json, html, xlsx, trace) with RANKS ranks x 1 thread
against one process with 2 threads; compare: `compare` of the tutorial likewise. Every
output file must be byte-identical after taking out only the run-environment fields of the
manifest (start time, seconds, threads, command line, output folder), as
scripts/output-digest.py normalises them; the manifest's other fields are compared too, and
so is the terminal text (but its timing). CASE fail: a rank that fails makes the job fail
with one clear message, said once, and no output folder; CASE die: likewise for a rank
killed while it simulates. Exit 0: all checks passed.
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


def main():
    exe, mpirun, ranks, case = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    os.chdir(SRC)
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    launch = [mpirun, "--oversubscribe", "-np", ranks]
    work = tempfile.mkdtemp(prefix="socinvest-mpi.")
    failures = []
    try:
        if case in ("fail", "die"):
            # fail: the ranks but 0 are given a scenario that is not there (as a file missing
            # on one node), so they fail at once while rank 0 simulates. die: the rank with
            # the highest number is killed (SIGKILL) while it simulates. Either way the job
            # must fail, say why, and leave no output folder and no staging folder.
            script = os.path.join(work, "rank.sh")
            last = str(int(ranks) - 1)
            with open(script, "w") as f:
                f.write('#!/bin/sh\nrank="${OMPI_COMM_WORLD_RANK:-0}"\n')
                if case == "fail":
                    f.write('[ "$rank" = 0 ] || { exe="$1"; command="$2"; shift 3; '
                            'set -- "$exe" "$command" "%s/missing.yaml" "$@"; }\nexec "$@"\n' % work)
                else:
                    f.write('[ "$rank" = %s ] || exec "$@"\n"$@" & pid=$!\nsleep 1\nkill -9 $pid\nwait $pid\n' % last)
            os.chmod(script, 0o755)
            out = os.path.join(work, "out")
            iterations = "40" if case == "fail" else "2000"
            r = subprocess.run(launch + [script, exe, "run", "scenarios/tutorial.yaml", "--iterations", iterations,
                                         "--threads", "1", "--quiet", "--out", out],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)
            err = r.stderr.decode(errors="replace")
            if r.returncode == 0:
                failures.append(f"{case}: exit 0")
            if case == "fail":
                if r.returncode != 4:
                    failures.append(f"fail: exit {r.returncode}, not 4 (a file error):\n" + err)
                if "rank 1 of " + ranks + ": " not in err or "missing.yaml" not in err:
                    failures.append("fail: the message does not name the rank and the file:\n" + err)
                if err.count("missing.yaml") != 1:
                    failures.append("fail: the message is not said once:\n" + err)
            if os.path.exists(out):
                failures.append(f"{case}: the output folder was written")
            debris = [n for n in os.listdir(work) if n.startswith(".")]
            if debris:
                failures.append(f"{case}: staging debris {debris}")
        else:
            if case == "run":
                args = ["run", "scenarios/tutorial.yaml", "--iterations", "7", "--seed", "7",
                        "--format", "csv,json,html,xlsx", "--trace", "2"]
            else:
                args = ["compare", "scenarios/tutorial.yaml", "--iterations", "7", "--seed", "7"]
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
