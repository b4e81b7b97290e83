"""Issue #23's number: of Click's and FastClick's conf/ configurations without
wireless or grid classes, how many use only classes pktlab has, and how many
`pktlab check` finds nothing wrong with (every element configures).

    .venv/bin/python tools/conf_count.py /work/.mirror/kohler+click/repo \\
        /work/.mirror/tbarbette+fastclick/repo

Each argument is a git directory (the `fetch` tool's mirrors: no work tree);
their conf/ folders are extracted to a scratch directory (nothing of theirs is
kept here). Wireless and grid classes are those that Click's and FastClick's
elements/wifi, elements/grid and elements/radio export; a configuration under
a wifi or grid folder, or using one of those classes, is left out. `pktlab
check` runs in a network namespace made for it, since it configures the
elements (KernelTun makes its device there).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path

WG = ("elements/wifi", "elements/grid", "elements/radio")


def wg_classes(git: str) -> set[str]:
    r = subprocess.run(["git", "--git-dir", git, "grep", "-h", "-o", r"EXPORT_ELEMENT([A-Za-z0-9_]*)",
                        "HEAD", "--", *WG], capture_output=True, text=True)
    return {m[len("EXPORT_ELEMENT("):-1] for m in r.stdout.split()}


def main(gits: list[str]) -> int:
    wg: set[str] = set()
    tmp = Path(tempfile.mkdtemp(prefix="conf-count-"))
    files: list[Path] = []
    for i, git in enumerate(gits):
        wg |= wg_classes(git)
        out = tmp / str(i)
        out.mkdir()
        arch = subprocess.run(["git", "--git-dir", git, "archive", "HEAD", "conf"],
                              capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(out)], input=arch, check=True)
        files += sorted(out.rglob("*.click"))
    ns = f"plcount{uuid.uuid4().hex[:6]}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-m", "pktlab.cli.main",
                            "check", "--json", *map(str, files)], capture_output=True, text=True)
    finally:
        subprocess.run(["ip", "netns", "del", ns])
    report = json.loads(r.stdout)
    kept = only = clean = 0
    missing: Counter[str] = Counter()
    for f in files:
        text = f.read_text(errors="replace")
        words = set(re.findall(r"\b([A-Z]\w*)\s*\(", text)) | set(re.findall(r"::\s*([A-Z]\w*)", text))
        if "/wifi/" in str(f) or "grid" in str(f) or words & wg:
            continue
        kept += 1
        probs = report.get(str(f), [])
        unknown = {m.group(1) for p in probs if p["kind"] == "class"
                   for m in [re.search(r"class '([^']+)'", p["message"])] if m}
        missing.update(unknown)
        if unknown or any(p["kind"] == "syntax" for p in probs):
            continue
        only += 1
        clean += not any(p["kind"] == "argument" for p in probs)
    print(f"configurations without wireless/grid classes: {kept}")
    print(f"  use only classes pktlab has: {only}")
    print(f"  of those, every element configures here: {clean}")
    print("  classes most missing:", ", ".join(f"{c} {n}" for c, n in missing.most_common(12)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
