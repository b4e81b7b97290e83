"""Click's own cost for an element, measured with a Click binary you give
(`pktlab bench elements --click PATH`): vanilla Click's userlevel driver,
FastClick's, or any drop-in that takes Click's `-e` and `-t` options.

Click has no per-element cycle counters in a default build, so the cost is a
difference of CPU times: the driver runs

    InfiniteSource(DATA <frame>, LIMIT N, BURST 32, STOP true)
      -> EtherMirror -> EtherMirror [-> Strip(14) -> CheckIPHeader]
      -> x :: CLASS(CONFIG) -> Discard

and the same graph with `x :: Null`, alternately, `repeat` times each (so a
change in the machine's load hits both alike); the figure is the least CPU
time (user + system, from `-t`) of the first less the least of the second,
per packet: what the element costs in Click above an element call that
does nothing. InfiniteSource's packets are clones of one packet: the first
EtherMirror makes each one unique (one copy, in both graphs), so an element
that writes pays no copy of its own, as it would not behind a device.
"""

from __future__ import annotations

import re
import subprocess

# Click requires one pattern per connected output: the extra outputs of the
# cases' configurations go to Discard too.
EXTRA_OUTPUTS = {"Classifier": 1, "IPClassifier": 1}
TIMES = re.compile(r"(\d+(?:\.\d+)?)u\s+(\d+(?:\.\d+)?)s")


class ClickUnavailable(RuntimeError):
    """The Click binary cannot run a graph (missing, not executable, or the
    class is not in that build): the message says which and why."""


def cpu_seconds(output: str) -> float:
    """CPU seconds (user + system) from the last line of Click's `-t`
    timing in `output`, e.g. '0.055u 0.001s 0:00.26'."""
    m = None
    for m in TIMES.finditer(output):
        pass
    if m is None:
        raise ClickUnavailable(f"no '-t' timing line in the driver's output: {output.strip()[-200:]!r}")
    return float(m.group(1)) + float(m.group(2))


def graph(cls: str, config: str, kind: str, frame: bytes, packets: int) -> str:
    data = "\\<" + frame.hex() + ">"
    head = (f"InfiniteSource(DATA {data}, LIMIT {packets}, BURST 32, STOP true)"
            " -> EtherMirror -> EtherMirror")
    if kind == "ip":
        head += " -> Strip(14) -> CheckIPHeader"
    extra = "".join(f" x[{i + 1}] -> Discard;" for i in range(EXTRA_OUTPUTS.get(cls, 0)))
    return f"{head} -> x :: {cls}({config}) -> Discard;{extra}"


def run_once(click: str, text: str, timeout: float = 120.0) -> float:
    try:
        p = subprocess.run([click, "-t", "-e", text], capture_output=True, text=True,
                           timeout=timeout)
    except FileNotFoundError:
        raise ClickUnavailable(f"{click}: no such file") from None
    except PermissionError:
        raise ClickUnavailable(f"{click}: not executable") from None
    except subprocess.TimeoutExpired:
        raise ClickUnavailable(f"{click}: did not finish in {timeout:.0f} s") from None
    if p.returncode != 0:
        first = next((ln for ln in p.stderr.splitlines() if ln.strip()), "").strip()
        raise ClickUnavailable(f"{click} exited {p.returncode}: {first}")
    return cpu_seconds(p.stdout + "\n" + p.stderr)       # Click prints it on standard output


def click_costs(click: str, cases: dict[str, tuple[str, str]], frame: bytes,
                packets: int = 10_000_000, repeat: int = 3) -> dict[str, dict]:
    """Per class: ns per packet above Null in `click`, or the reason it could
    not be measured. Null is measured beside each class, in turn with it."""
    out: dict[str, dict] = {}
    for cls, (config, kind) in cases.items():
        if cls == "Null":
            continue
        null, mine = graph("Null", "", kind, frame, packets), graph(cls, config, kind, frame, packets)
        ref = t = float("inf")
        try:
            for _ in range(max(1, repeat)):
                ref = min(ref, run_once(click, null))
                t = min(t, run_once(click, mine))
        except ClickUnavailable as exc:
            out[cls] = {"error": str(exc)}
            continue
        out[cls] = {"ns_above_null": (t - ref) / packets * 1e9, "cpu_s": t, "null_cpu_s": ref}
    return out
