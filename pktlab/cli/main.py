"""The `pktlab` command line: run, check, bench, elements, Click's own commands
(click, flatten, provides, shims: pktlab/cli/click/), and remote control (serve,
read, write, call: pktlab.cli.serve and pktlab.cli.control)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from . import checks


def _defines(pairs: list[str]) -> dict[str, str]:
    out = {}
    for p in pairs:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise SystemExit(f"pktlab: expected NAME=VALUE, got '{p}'")
        out[name.lstrip("$")] = value
    return out


def _load(path: str, defines: dict[str, str]):
    from ..lang import ConfigError, parse_file

    try:
        return parse_file(path, defines=defines)
    except ConfigError as e:
        print(str(e), file=sys.stderr)
        raise SystemExit(1) from None
    except OSError as e:
        raise SystemExit(f"pktlab: {e}") from None


def _rate_line(eng, last: dict, dt: float) -> str:
    st = eng.stats()
    parts = []
    for name in eng.elements:
        outs = st.output_packets(name)
        ins = st.input_packets(name)
        n = int(outs.sum()) if len(outs) else int(ins.sum())
        prev = last.get(name, 0)            # counters start at 0 with the engine
        last[name] = n
        if len(outs) or len(ins):
            parts.append(f"{name} {(n - prev) / dt / 1e6:.2f}")
    return "Mpps: " + "  ".join(parts)


def cmd_run(args) -> int:
    from ..engine import Engine, EngineError

    graph = _load(args.config, _defines(args.defines))
    try:
        eng = Engine(graph, threads=args.threads, per_packet=args.per_packet,
                     cycles=args.cycles, pin=args.pin, dpdk=args.dpdk,
                     timestamps=args.timestamps)
    except EngineError as e:
        located = e.loc is not None or e.line
        print(f"{e}" if located else f"{args.config}: {e}", file=sys.stderr)
        return 1
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True

    old = signal.signal(signal.SIGINT, on_signal)
    from .serve import start_server

    with open(args.config, encoding="utf-8", errors="replace") as f:
        text = f.read()
    srv = start_server(eng, args, text, hotconfig=args.allow_reconfigure,
                       on_stop=lambda: stop.update(now=True))
    live = not args.json and not args.quiet
    recorder = None
    if args.report:
        from .report import Recorder

        recorder = Recorder(eng, duration=args.duration)
    if args.duration is None and not _has_source(eng):
        print("pktlab: note: no element of this configuration produces packets (no source "
              "or device input): it runs until Ctrl-C", file=sys.stderr)
    try:
        eng.start()
    except EngineError as e:
        signal.signal(signal.SIGINT, old)
        print(f"{e}", file=sys.stderr)
        return 1
    t_start = time.monotonic()             # after the start: --duration is time running
    last: dict = {}
    t_last = t_start
    logged: list[str] = []                  # Print's lines, as they come (--json: at the end)
    out = sys.stderr if args.handlers else sys.stdout     # -h: stdout holds Click's output only
    try:
        while not stop["now"] and not eng.done:
            now = time.monotonic()
            if args.duration is not None and now - t_start >= args.duration:
                break
            time.sleep(min(0.05, args.interval))
            _pass_log(eng, args.json, logged, out)
            now = time.monotonic()
            if live and now - t_last >= args.interval:
                print(f"[{now - t_start:6.1f}s] " + _rate_line(eng, last, now - t_last),
                      file=sys.stderr, flush=True)
                t_last = now
    finally:
        eng.stop()
        if srv is not None:
            srv.close()
        signal.signal(signal.SIGINT, old)
    _pass_log(eng, args.json, logged, out)
    elapsed = eng.elapsed
    report = {
        "config": args.config,
        "settings": {"threads": args.threads, "per_packet": args.per_packet,
                     "duration_requested": args.duration, "duration": elapsed,
                     "defines": _defines(args.defines)},
        "elements": eng.summary(),
        "pools": eng.pools(),
        "core": eng.core_counters(),
    }
    if recorder is not None:
        with open(args.config, encoding="utf-8", errors="replace") as f:
            recorder.write(args.report, title=f"pktlab run {args.config}",
                           settings=report["settings"], config=f.read())
        print(f"report: {args.report}", file=sys.stderr)
    if args.json:
        report["log"] = "".join(logged)
        report["log_lost"] = eng.log_dropped
        print(json.dumps(report, indent=2), file=out)
    else:
        print(_summary_table(report), file=out)
    if args.handlers:
        from ..serve.handlers import EngineHandlers
        from .serve import print_handlers

        space = srv.space if srv is not None else EngineHandlers(eng, config_text=text)
        return print_handlers(space, args.handlers)
    return 0


def _has_source(eng) -> bool:
    """Does any element run as a task (a source, a device input, a queue's drain)?"""
    return any(eng.element_thread(n) is not None for n in eng.elements)


def _pass_log(eng, keep: bool, kept: list[str], out) -> None:
    """The engine's log (Print, warnings) to `out` while it runs, or kept
    for the JSON report; its 64 KiB never fill between two reads."""
    text = eng.log()
    if not text:
        return
    if keep:
        kept.append(text)
    else:
        out.write(text)
        out.flush()


def _summary_table(report: dict) -> str:
    dur = report["settings"]["duration"] or 1e-9
    lines = [f"ran {dur:.2f} s on {report['settings']['threads']} thread(s)",
             f"{'element':<24} {'class':<16} {'in':>14} {'out':>14} {'Mpps out':>9}  drops"]
    for name, e in report["elements"].items():
        tin = sum(e["inputs"])
        tout = sum(e["outputs"])
        drops = ", ".join(f"{k}={v}" for k, v in e["drops"].items() if v)
        lines.append(f"{name:<24} {e['class']:<16} {tin:>14} {tout:>14} "
                     f"{tout / dur / 1e6:>9.2f}  {drops}")
    slow = ", ".join(f"{k} {v}" for k, v in report.get("core", {}).items() if v)
    if slow:
        lines.append(f"slow path: {slow} (packets moved to a larger buffer / made contiguous)")
    return "\n".join(lines)


def cmd_elements(args) -> int:
    from ..engine.classes import element_class, element_classes

    if args.name:
        try:
            print(element_class(args.name).manual())
        except KeyError as e:
            print(f"pktlab: {e.args[0]}", file=sys.stderr)
            return 1
        return 0
    if args.json:
        import dataclasses

        print(json.dumps({n: dataclasses.asdict(c) for n, c in element_classes().items()}, indent=2))
        return 0
    for c in element_classes().values():
        if args.all:
            print(c.manual() + "\n\n" + "-" * 72)
        else:
            print(f"{c.name:<20} {c.summary}")
    return 0


def cmd_check(args) -> int:
    from .check import main as check_main

    return check_main(args.configs, _defines(args.define), quiet=args.quiet,
                      as_json=args.json)


def cmd_bench(args) -> int:
    from .. import bench

    if args.name not in bench.BENCHMARKS:
        print(f"pktlab: unknown benchmark '{args.name}' (have: {', '.join(bench.BENCHMARKS)})",
              file=sys.stderr)
        return 2
    if args.breakdown:
        if args.name not in ("io", "breakdown"):
            print(f"pktlab: --breakdown: only `pktlab bench io` has one (not '{args.name}')",
                  file=sys.stderr)
            return 2
        args.name = "breakdown"
    run, fmt = bench.get(args.name)
    kw = {k: v for k, v in (("duration", args.duration), ("repeat", args.repeat)) if v is not None}
    if args.name not in bench.FIGURES:       # the paper's figures have short sweeps of their own
        kw = {"duration": 1.0, "repeat": 3} | kw
    if args.csv and args.name not in bench.FIGURES:
        print(f"pktlab: --csv: benchmark '{args.name}' has no table of rows (the paper's figures "
              f"have: {', '.join(bench.FIGURES)}); use --json", file=sys.stderr)
        return 2
    if args.click:
        if args.name != "elements":
            print("pktlab: --click: only `pktlab bench elements` measures Click beside pktlab",
                  file=sys.stderr)
            return 2
        kw["click"] = args.click
    result = run(**kw)
    if args.csv:
        from ..bench.figures.base import rows_csv

        sys.stdout.write(rows_csv(result["rows"]))
    else:
        print(json.dumps(result, indent=2) if args.json else fmt(result))
    return 0


# Click's commands read their arguments as Click's tools do (cli/click/options.py),
# not as argparse does: `pktlab click -qh c.count`, `pktlab flatten -e ...`.
def _click_face(name: str):
    from .click import driver, flatten, provides, shims

    return {"click": driver.main, "flatten": flatten.main, "provides": provides.main,
            "shims": shims.main, "click-buildtool": provides.buildtool_main}[name]


CLICK_FACES = ("click", "flatten", "provides", "shims", "click-buildtool")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pktlab", description="Interactive packet-processing lab.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a Click configuration", add_help=False)
    r.add_argument("--help", action="help", help="show this help message and exit")
    r.add_argument("config")
    r.add_argument("defines", nargs="*", metavar="NAME=VALUE", help="override define()s")
    r.add_argument("--threads", type=checks.count, default=1)
    r.add_argument("--duration", type=checks.seconds, default=None,
                   help="seconds to run (default: until the sources stop, or Ctrl-C)")
    r.add_argument("--json", action="store_true", help="print one JSON report at the end")
    r.add_argument("--per-packet", action="store_true", help="batches of one (Click-style)")
    r.add_argument("--cycles", action="store_true", help="count cycles per element")
    r.add_argument("--timestamps", action="store_true",
                   help="stamp packets at receive/generation (LatencyHistogram; docs/latency.md)")
    r.add_argument("--pin", action="store_true", help="pin worker threads to CPUs 0..N-1")
    r.add_argument("--dpdk", metavar="EAL_ARGS", default=None,
                   help='DPDK EAL arguments, e.g. --dpdk "--vdev net_null0 --vdev net_null1" '
                        "(laptop defaults added; see docs/io.md)")
    r.add_argument("--interval", type=checks.period, default=1.0, help="live view period (s)")
    r.add_argument("--quiet", action="store_true", help="no live view")
    r.add_argument("--report", metavar="HTML", default=None, type=checks.new_file,
                   help="write a self-contained HTML report of the run (Bokeh, inline)")
    from .control import add_control_commands
    from .serve import add_serve_command, add_server_options

    add_server_options(r, run=True)
    r.set_defaults(fn=cmd_run)

    e = sub.add_parser("elements", help="element classes and their documentation")
    e.add_argument("name", nargs="?")
    e.add_argument("--all", action="store_true", help="full manual of every class")
    e.add_argument("--json", action="store_true")
    e.set_defaults(fn=cmd_elements)

    k = sub.add_parser("check", help="say which classes or arguments of configurations pktlab "
                                     "does not support (FILE:LINE:COLUMN), without running them")
    k.add_argument("configs", nargs="+", metavar="CONFIG")
    k.add_argument("-D", "--define", action="append", default=[], metavar="NAME=VALUE",
                   help="override a define()")
    k.add_argument("--quiet", action="store_true", help="print nothing for supported files")
    k.add_argument("--json", action="store_true",
                   help="one JSON object: file -> problems (loc, kind, message)")
    k.set_defaults(fn=cmd_check)

    b = sub.add_parser("bench", help="benchmarks (the paper's experiments)")
    b.add_argument("name", nargs="?", default="forward")
    b.add_argument("--duration", type=checks.period, default=None,
                   help="seconds per measurement (default 1; the paper's figures: 0.2-0.3)")
    b.add_argument("--repeat", type=checks.count, default=None,
                   help="measurements per figure, median (default 3; the paper's figures: 1)")
    b.add_argument("--json", action="store_true")
    b.add_argument("--breakdown", action="store_true",
                   help="io: the engine's per-packet cost in parts (RX/TX conversion, dispatch, "
                        "statistics) beside the bare io loop")
    b.add_argument("--csv", action="store_true",
                   help="the paper's figures (fig3, fig5, ...): one CSV line per measurement")
    b.add_argument("--click", metavar="PATH", default=None,
                   help="elements: a Click userlevel driver to measure the same elements in")
    b.set_defaults(fn=cmd_bench)

    for name, text in (("flatten", "print the flattened configuration (click-flatten's "
                                    "options)"),
                       ("click", "run a configuration as Click's driver does (its options, "
                                 "output and exit status)"),
                       ("provides", "click-buildtool provides: exit 0 iff every class or "
                                    "feature named exists"),
                       ("shims", "write click, click-flatten and click-buildtool drop-ins "
                                 "into DIR")):
        sub.add_parser(name, help=text, add_help=False)
    add_serve_command(sub, _load, _defines)
    from .lab import add_lab_command

    add_lab_command(sub)
    from .course import add_course_command

    add_course_command(sub)
    add_control_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in CLICK_FACES:
        try:
            return _click_face(argv[0])(argv[1:])
        except BrokenPipeError:
            return 0
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
