#!/usr/bin/env python3
"""A signal stops a run cleanly: the engine catches it and exits with its own code (not
killed by the signal), writes no result folder, leaves no staging folder behind, and keeps
an earlier result folder (with --force) as it was.

    interrupt.py SOCINVEST SIGNAL EXPECTED_EXIT      e.g. interrupt.py build/release/socinvest INT 130

Works in a new temporary folder, removed at the end. The signal is sent once the run's
staging folder (.NAME.partial-PID-XXXXXX next to the output folder, made just before
the simulation starts) exists, to a run far longer than the test (1000 iterations of the
reference scenario, about half a minute on 2 threads): it always lands mid-run, however fast
the machine. Python's returncode tells a clean exit (EXPECTED_EXIT) from a death by the
signal (negative), which bash's $? cannot (128 + N for both).
"""
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

exe, signame, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
sig = getattr(signal, "SIG" + signame)
SCENARIO = "benchmarks/scenarios/reference-10k.yaml"


def fail(message):
    print(f"FAIL (SIG{signame}): {message}", file=sys.stderr)
    sys.exit(1)


def interrupted_run(out, *extra):
    """Starts a run into `out`, signals it once its staging folder exists, returns (rc, stderr)."""
    proc = subprocess.Popen([exe, "run", SCENARIO, "--iterations", "1000", "--threads", "2", "--out", out, "--quiet",
                             *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # .NAME.partial-PID-XXXXXX (a unique suffix, mkdtemp)
    staging = os.path.join(os.path.dirname(out), f".{os.path.basename(out)}.partial-{proc.pid}-")
    deadline = time.monotonic() + 120  # loading the scenario under the sanitizers takes a while
    while not glob.glob(glob.escape(staging) + "*"):
        if proc.poll() is not None:
            fail(f"the run ended (exit {proc.returncode}) before its staging folder {staging} appeared:\n"
                 + proc.stderr.read())
        if time.monotonic() > deadline:
            proc.kill()
            fail(f"no staging folder {staging} after 120 s")
        time.sleep(0.01)
    if proc.poll() is not None:
        fail(f"the run ended (exit {proc.returncode}) before it could be signalled")
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("the run did not stop within 60 s of the signal")
    if proc.returncode < 0:
        fail(f"the run was killed by signal {-proc.returncode} instead of catching it and exiting {expected}")
    if proc.returncode != expected:
        fail(f"exit code {proc.returncode}, expected {expected}; stderr:\n{err}")
    if "interrupted: no results were written" not in err:
        fail(f"stderr does not say the run was interrupted:\n{err}")
    return staging


with tempfile.TemporaryDirectory(prefix="socinvest-interrupt-") as work:
    os.makedirs(os.path.join(work, "earlier"))
    # --force replaces only a socinvest result folder: one with the marker file.
    with open(os.path.join(work, "earlier", ".socinvest-results"), "w") as f:
        f.write("socinvest result folder\n")
    with open(os.path.join(work, "earlier", "money.csv"), "w") as f:
        f.write("keep me\n")

    # 1. A new folder: nothing is written.
    new = os.path.join(work, "new")
    interrupted_run(new)
    if os.path.exists(new):
        fail(f"a result folder was written: {new}")

    # 2. --force over an earlier folder: the earlier results stay as they were.
    earlier = os.path.join(work, "earlier")
    interrupted_run(earlier, "--force")
    with open(os.path.join(earlier, "money.csv")) as f:
        if f.read() != "keep me\n":
            fail("the earlier results were changed")
    if sorted(os.listdir(earlier)) != [".socinvest-results", "money.csv"]:
        fail(f"files were added to the earlier folder: {sorted(os.listdir(earlier))}")

    left = glob.glob(os.path.join(work, ".*"))
    if left:
        fail(f"staging left behind: {left}")
    print(f"interrupt (SIG{signame}, exit {expected}): ok")
