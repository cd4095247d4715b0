"""Cold build of the seeds, timed: a fresh Python process per run, output in a temporary folder.

Usage: ``.venv/bin/python benchmarks/bench_build.py [--runs 3] [--seeds seeds] [--no-pdf]``.
Prints the wall time of each run (process start to exit), the per-step times the build records in
``report/manifest.json``, and the median against the 8 s target. Outside the test suite: no assertion.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 8.0
PROJECT = Path(__file__).resolve().parent.parent


def cold_build(seeds: Path, out: Path, pdf: bool) -> tuple[float, list[dict]]:
    """Run one build in a new interpreter; return its wall time and the manifest's step times."""
    code = (
        "from policybrief.build import build_brief; "
        f"build_brief({str(seeds)!r}, {str(out)!r}, progress=False, pdf={pdf})"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    steps = json.loads((out / "report" / "manifest.json").read_text(encoding="utf-8"))["steps"]
    return wall, steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seeds", type=Path, default=PROJECT / "seeds")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args(argv)
    walls = []
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="policybrief-bench-") as out:
            wall, steps = cold_build(args.seeds.resolve(), Path(out), pdf=not args.no_pdf)
        walls.append(wall)
        detail = "  ".join(f"{s['step']} {s['seconds']:.2f}" for s in steps)
        print(f"run {run}: {wall:5.2f} s   [{detail}]")
    median = statistics.median(walls)
    verdict = "within" if median <= TARGET_S else "OVER"
    print(f"median cold build: {median:.2f} s ({verdict} the {TARGET_S:.0f} s target, {len(walls)} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
