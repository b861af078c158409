"""Machine instructions one request of each kind costs the app: a figure that does not move
with the host's speed.

    .venv/bin/python bench/load/instructions.py URL LOAD.json [--runs 5] [--pages "dokumen RAK,beranda"]

Milliseconds of CPU on this shared machine vary twofold by the hour with nothing of ours
running (bench/README.md, "load/"), so a change worth 10% cannot be seen in them. This
runs pages.py's requests (same Sekretaris, same pages, in-process) under valgrind's
callgrind, which counts the instructions the Python process executes: the same code on
the same data gives the same count whatever else the machine does. Only the requests are
counted (instrumentation is switched on around them with ``callgrind_control``); the
start-up (about 20 s under valgrind) is not. PostgreSQL's own work is not in the figure
(pages.py measures it in CPU time); the client's side of each statement is.

Prints per page the median instructions per request (millions) and, for scale, the ratio
to ``GET /sehat``. Needs valgrind (Debian's package; on every machine here).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))


def parent(url: str, data: Path, runs: int, pages: list[str] | None) -> int:
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    work = Path(tempfile.mkdtemp(prefix="sakip-instr-"))
    out = work / "callgrind.%p"
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-instr=no", "--compress-strings=no",
               f"--callgrind-out-file={out}", sys.executable, __file__, "--child", url, str(data),
               "--runs", str(runs), "--pages", ",".join(pages or []), "--work", str(work)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if done.returncode:
        raise SystemExit(f"the measured process failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    results = json.loads((work / "results.json").read_text())
    shutil.rmtree(work, ignore_errors=True)
    base = results.get("sehat")
    print(f"{'one request alone':<24}{'Minstr':>9}{'x sehat':>9}   (median of {runs}; app process only)")
    for name, counts in results.items():
        median = statistics.median(counts)
        print(f"{name:<24}{median / 1e6:>9.1f}{median / statistics.median(base):>9.1f}" if base else
              f"{name:<24}{median / 1e6:>9.1f}")
    return 0


def _dumped_total(work: Path, before: set[Path]) -> int:
    """Instructions in the dump callgrind just wrote (its ``totals:`` line)."""
    new = sorted(set(work.glob("callgrind.*")) - before, key=lambda p: p.stat().st_mtime)
    return int(re.search(r"^totals:\s+(\d+)", new[-1].read_text(errors="replace"), re.M).group(1))


def child(url: str, data_file: Path, runs: int, pages: list[str], work: Path) -> None:
    from pages import signed_in_client, warm

    data = json.loads(data_file.read_text())
    client, paths = signed_in_client(url, data)
    # The PDF is laid out by another process (webapp/pdf_render.py), which this does not follow.
    chosen = {name: path for name, path in paths.items()
              if "pdf" not in name and (not pages or name in pages or name == "sehat")}
    warm(client, chosen)
    me = str(os.getpid())
    results: dict[str, list[int]] = {}
    for name, path in chosen.items():
        for _ in range(runs):
            before = set(work.glob("callgrind.*"))
            subprocess.run(["callgrind_control", "--instr=on", me], check=True, capture_output=True)
            response = client.get(path)
            subprocess.run(["callgrind_control", "--instr=off", me], check=True, capture_output=True)
            subprocess.run(["callgrind_control", "--dump", me], check=True, capture_output=True)
            subprocess.run(["callgrind_control", "--zero", me], check=True, capture_output=True)
            assert response.status_code == 200, (name, response.status_code)
            results.setdefault(name, []).append(_dumped_total(work, before))
    (work / "results.json").write_text(json.dumps(results))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("data", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", default="", help="comma-separated page names of pages.py (default: all)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    if args.child:
        child(args.url, args.data, args.runs, pages, args.work)
        return 0
    from webapp.config import normalise_database_url

    return parent(normalise_database_url(args.url), args.data, args.runs, pages)


if __name__ == "__main__":
    raise SystemExit(main())
