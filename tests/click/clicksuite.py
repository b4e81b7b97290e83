"""Click's own regression suite, run by Click's own runner against pktlab.

Unpacks `click-tests-*.tar.gz` (Click's `test/`, unmodified) from the
project's shared folder, writes pktlab's `click`, `click-flatten` and
`click-buildtool` drop-ins (`pktlab shims`), and runs Click's Perl runner
(`test/clicktest -p SHIMS -t 20 TEST`) on every test of
`click-tests-scope.txt`, each test alone (a `%require` that skips a test
makes it a failure here: a missing class must not look like a pass).

    python tests/click/clicksuite.py [--per-packet] [--jobs N] [TEST...]

prints one line per test, the totals and the time taken; the pytest test
beside it (test_click_suite.py) fails when a test listed as passing fails.
The shared folder is $PKTLAB_SHARED, else the first of ../shared and
../../shared from the repository root that holds the suite.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TIMEOUT_S = 20
_TOTALS = re.compile(r"clicktest: (\d+) success(?:es)?, (\d+) failures?, (\d+) skipped")


def shared_dir() -> Path:
    candidates = [Path(os.environ["PKTLAB_SHARED"])] if os.environ.get("PKTLAB_SHARED") else []
    candidates += [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    for c in candidates:
        if list((c / "third_party").glob("click-tests-*.tar.gz")):
            return c
    raise FileNotFoundError("Click's test suite (third_party/click-tests-*.tar.gz) is in none of "
                            + ", ".join(str(c) for c in candidates)
                            + "; set PKTLAB_SHARED to the folder that holds third_party/")


def scope(shared: Path) -> list[str]:
    text = (shared / "third_party" / "click-tests-scope.txt").read_text()
    return [line.strip() for line in text.splitlines() if line.strip()
            and not line.startswith("#")]


def unpack(shared: Path, into: Path) -> Path:
    """The suite's test/ folder, unpacked under `into`."""
    tarball = sorted((shared / "third_party").glob("click-tests-*.tar.gz"))[-1]
    with tarfile.open(tarball) as tf:
        tf.extractall(into, filter="tar")
    found = list(into.glob("*/test/clicktest"))
    if not found:
        raise FileNotFoundError(f"{tarball} holds no test/clicktest")
    return found[0].parent


def write_shims(into: Path, per_packet: bool) -> Path:
    args = [sys.executable, "-m", "pktlab", "shims", str(into)]
    if per_packet:
        args.append("--per-packet")
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
    return into


@dataclass
class Result:
    test: str
    ok: bool
    why: str
    seconds: float
    output: str


def _why(out: str) -> str:
    """The runner's first complaint, with the message under a 'failure at' line."""
    lines = [ln.split(": ", 1)[-1].strip() for ln in out.splitlines()
             if ln.strip() and not ln.startswith("clicktest:")]
    if not lines:
        return "failed"
    if lines[0].startswith("failure at") and len(lines) > 1:
        return f"{lines[1]}  [{lines[0][:60]}]"
    return "; ".join(lines[:3])


def run_one(testdir: Path, shims: Path, test: str) -> Result:
    t0 = time.monotonic()
    env = dict(os.environ)
    env.pop("VALGRIND", None)
    try:
        r = subprocess.run(["perl", "clicktest", "-p", str(shims), "-t", str(TIMEOUT_S), test],
                           cwd=testdir, capture_output=True, text=True, errors="replace", env=env,
                           timeout=TIMEOUT_S + 15)
        out = r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        out = f"{e.stdout or ''}{e.stderr or ''}"
        return Result(test, False, "runner timed out", time.monotonic() - t0, str(out))
    m = _TOTALS.search(out)
    dt = time.monotonic() - t0
    if not m:
        return Result(test, False, "no totals from clicktest", dt, out)
    ok, failed, skipped = (int(x) for x in m.groups())
    if skipped:
        return Result(test, False, "skipped (%require not met)", dt, out)
    if failed or not ok:
        return Result(test, False, _why(out)[:200], dt, out)
    return Result(test, True, "", dt, out)


def run_suite(tests: list[str] | None = None, per_packet: bool = False,
              jobs: int = 2, workdir: Path | None = None, log=print) -> list[Result]:
    shared = shared_dir()
    tests = tests or scope(shared)
    work = Path(workdir or tempfile.mkdtemp(prefix="pktlab-clicksuite-"))
    testdir = unpack(shared, work / "suite")
    shims = write_shims(work / "shims", per_packet)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = []
        for r in pool.map(lambda t: run_one(testdir, shims, t), tests):
            log(f"{'PASS' if r.ok else 'FAIL'} {r.seconds:5.1f}s {r.test}"
                + (f"  -- {r.why}" if not r.ok else ""))
            results.append(r)
    return results


def listed_passing(per_packet: bool) -> list[str]:
    path = HERE / ("passing-per-packet.txt" if per_packet else "passing.txt")
    if not path.exists():
        return []
    return [ln.strip() for ln in path.read_text().splitlines()
            if ln.strip() and not ln.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("tests", nargs="*")
    p.add_argument("--per-packet", action="store_true")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--show", action="store_true", help="print each failure's runner output")
    args = p.parse_args(argv)
    t0 = time.monotonic()
    results = run_suite(args.tests or None, args.per_packet, args.jobs)
    passed = sum(r.ok for r in results)
    mode = "per-packet" if args.per_packet else "batched"
    print(f"{passed} passed, {len(results) - passed} failed  ({mode}, {len(results)} tests, "
          f"{time.monotonic() - t0:.1f} s)")
    if args.show:
        for r in results:
            if not r.ok:
                print(f"==== {r.test}\n{r.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
