#!/usr/bin/env python3
"""Run the element fuzzer over every class and report the figures.

    python native/fuzz/campaign.py --time 60          # 60 s per class (make fuzz)
    python native/fuzz/campaign.py --runs 1000000     # until a million executions per class
    python native/fuzz/campaign.py --smoke            # what `make test` runs: ~2 minutes in all
    python native/fuzz/campaign.py --classes IPGWOptions,ICMPError --time 600
    python native/fuzz/campaign.py --runs 1000000 --jobs 2   # two classes at a time

Each class runs alone (PL_FUZZ_CLASS), from the committed seeds
(native/fuzz/corpus/elements) and its own growing corpus (native/fuzz/work/CLASS,
not committed), in a scratch directory (file elements write there), with
libFuzzer's limits: 10 s per input (a hang is a crash), 2 GiB of memory. A crash
does not end the class's time: the input is saved (native/fuzz/work/artifacts),
counted, and the class goes on from its corpus. The inputs in
native/fuzz/regressions (CLASS-*, each a bug found once) run first.

Classes run --jobs at a time (default: one per CPU for --smoke, else 1),
each in its own scratch directory. Prints one line per class (executions, rate, crashes, conservation
violations, corpus) and the totals; --json FILE writes them. Exit status 1 if
anything crashed. Standard library only: CI runs it from a bare venv.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BINARY = ROOT / "native" / "build" / "fuzz_elements"
SEEDS = HERE / "corpus" / "elements"
REGRESSIONS = HERE / "regressions"
WORK = HERE / "work"
SMOKE_SECONDS = 100          # the class runs of `make test`, all together
LIMITS = ["-timeout=10", "-rss_limit_mb=2048", "-malloc_limit_mb=1536", "-max_len=4096",
          "-print_final_stats=1"]

_UNITS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_DONE = re.compile(r"Done (\d+) runs")


def classes(binary: Path) -> list[str]:
    out = subprocess.run([str(binary)], env={**os.environ, "PL_FUZZ_LIST": "1"},
                         capture_output=True, text=True, check=True).stdout
    return [c for c in out.split() if c]


def _execs(log: str) -> int:
    m = _UNITS.findall(log) or _DONE.findall(log)
    return int(m[-1]) if m else 0


def _kind(log: str) -> str:
    if "conservation violated" in log or "buffers not returned" in log:
        return "conservation"
    if "FuzzSink" in log:
        return "batch"
    if "timeout" in log.lower() and "ERROR: libFuzzer: timeout" in log:
        return "hang"
    return "crash"


def run_class(binary: Path, cls: str, seconds: float, runs: int, scratch: Path,
              artifacts: Path, extra: list[str]) -> dict:
    """Fuzz one class for `seconds` (or until `runs` executions); restart after a crash."""
    corpus = WORK / cls
    corpus.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PL_FUZZ_CLASS": cls, "ASAN_OPTIONS": "detect_leaks=1",
           "UBSAN_OPTIONS": "print_stacktrace=1"}
    execs, crashes, kinds, t0 = 0, 0, [], time.monotonic()
    while True:
        left = seconds - (time.monotonic() - t0)
        if (runs and execs >= runs) or (not runs and left < 1 and (execs or crashes)):
            break                   # (every class gets at least one run of a second)
        budget = [f"-runs={runs - execs}"] if runs else [f"-max_total_time={max(1, int(left))}"]
        cmd = [str(binary), *LIMITS, *budget, f"-artifact_prefix={artifacts}/{cls}-",
               *extra, str(corpus), str(SEEDS)]
        p = subprocess.run(cmd, cwd=scratch, env=env, capture_output=True, text=True,
                           errors="replace")
        log = p.stdout + p.stderr
        execs += _execs(log)
        if p.returncode:
            crashes += 1
            kinds.append(_kind(log))
            (artifacts / f"{cls}-{crashes}.log").write_text(log[-20000:])
            if crashes >= 20:
                break
    secs = time.monotonic() - t0
    return {"class": cls, "executions": execs, "seconds": round(secs, 1),
            "per_second": round(execs / secs) if secs else 0, "crashes": crashes,
            "conservation": kinds.count("conservation"), "kinds": kinds,
            "corpus": sum(1 for _ in corpus.iterdir())}


def regressions(binary: Path, scratch: Path) -> tuple[int, int]:
    """Replay every saved bug input once; (inputs, failures)."""
    files = sorted(REGRESSIONS.glob("*-*")) if REGRESSIONS.is_dir() else []
    fails = 0
    for f in files:
        cls = f.name.split("-", 1)[0]
        env = {**os.environ, "PL_FUZZ_CLASS": cls, "ASAN_OPTIONS": "detect_leaks=1"}
        p = subprocess.run([str(binary), "-timeout=10", str(f)], cwd=scratch, env=env,
                           capture_output=True, text=True, errors="replace")
        if p.returncode:
            fails += 1
            print(f"regression {f.name}: FAILED\n{(p.stdout + p.stderr)[-4000:]}")
    return len(files), fails


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", type=Path, default=BINARY)
    ap.add_argument("--time", type=float, default=60, help="seconds per class")
    ap.add_argument("--runs", type=int, default=0, help="executions per class (instead of --time)")
    ap.add_argument("--classes", default="", help="comma-separated class names (default: all)")
    ap.add_argument("--smoke", action="store_true", help=f"about {SMOKE_SECONDS} s in all")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--artifacts", type=Path, default=WORK / "artifacts")
    ap.add_argument("--jobs", type=int, default=0,
                    help="classes fuzzed at the same time (default: CPUs for --smoke, else 1)")
    args, extra = ap.parse_known_args(argv)
    names = classes(args.binary)
    if args.classes:
        wanted = args.classes.split(",")
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            ap.error(f"not fuzzed (no such class, or it takes no packets): {', '.join(unknown)}")
        names = [n for n in names if n in wanted]
    seconds = max(1.0, SMOKE_SECONDS / len(names)) if args.smoke else args.time
    args.artifacts.mkdir(parents=True, exist_ok=True)
    results, t0 = [], time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pktlab-fuzz-") as scratch:
        nreg, regfails = regressions(args.binary, Path(scratch))
        print(f"regressions: {nreg} inputs, {regfails} failed")
        print(f"{'class':<20} {'executions':>11} {'exec/s':>7} {'crashes':>7} {'conserv':>7} "
              f"{'corpus':>6}")
        jobs = args.jobs or (len(os.sched_getaffinity(0)) if args.smoke else 1)

        def one(cls: str) -> dict:
            own = Path(scratch) / cls           # file elements write here
            own.mkdir()
            return run_class(args.binary, cls, seconds, 0 if args.smoke else args.runs,
                             own, args.artifacts, extra)

        with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
            for cls, r in zip(names, pool.map(one, names)):   # (in class order)
                results.append(r)
                print(f"{cls:<20} {r['executions']:>11} {r['per_second']:>7} {r['crashes']:>7} "
                      f"{r['conservation']:>7} {r['corpus']:>6}", flush=True)
    total = sum(r["executions"] for r in results)
    crashes = sum(r["crashes"] for r in results)
    cons = sum(r["conservation"] for r in results)
    low = min((r["executions"] for r in results), default=0)
    print(f"total: {len(results)} classes, {total} executions (fewest for one class: {low}), "
          f"{crashes} crashes, {cons} conservation violations, "
          f"{regfails} regression failures, {time.monotonic() - t0:.0f} s")
    if crashes:
        print(f"inputs and logs: {args.artifacts}")
    if args.json:
        args.json.write_text(json.dumps({"classes": results, "executions": total,
                                         "crashes": crashes, "conservation": cons,
                                         "regressions": nreg, "regression_failures": regfails},
                                        indent=1))
    idle = [r["class"] for r in results if not r["executions"] and not r["crashes"]]
    if idle:                                    # a smoke that ran nothing proves nothing
        print(f"no executions for: {', '.join(idle)}")
    return 1 if crashes or regfails or idle else 0


if __name__ == "__main__":
    sys.exit(main())
