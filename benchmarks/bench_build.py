"""Build times: cold build of the seeds against the naive chain, a no-op build, one article added to 500.

Usage: ``.venv/bin/python benchmarks/bench_build.py [--runs 3] [--corpus-size 500] [--skip-corpus] [--no-pdf]``.

- **cold**: ``policybrief build`` of the seeds into an empty folder, in a fresh process (wall time).
- **naive chain**, measured in the same run, alternating with the cold builds: five
  ``jupyter nbconvert --execute`` processes (one kernel each), ``jupyter nbconvert --to html`` of the
  brief and a headless Chromium ``--print-to-pdf``; the ratio is cold / naive (target <= 0.4).
- **no-op**: ``policybrief build`` again with nothing changed (target < 1 s).
- **one added article**: a corpus of ``--corpus-size`` articles generated from the project's fixture
  paragraphs (``bench_extract.make_corpus``), built cold, then one more article and built again.

Outside the test suite: it prints, it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import make_corpus  # noqa: E402

NAIVE_TARGET_RATIO = 0.4
NOOP_TARGET_S = 1.0


def timed(command: list[str], cwd: Path = PROJECT) -> float:
    """Wall time of a command; its error output when it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])}... failed:\n{done.stderr[-3000:]}")
    return wall


def build(seeds: Path, out: Path, pdf: bool, notebooks: Path | None = None) -> float:
    """Wall time of ``policybrief build`` in a fresh process (the library call when it needs other notebooks)."""
    command = [str(BIN / "policybrief"), "build", str(seeds), "--out", str(out)]
    if not pdf or notebooks:
        code = ("from policybrief.build import build_brief; "
                f"build_brief({str(seeds)!r}, {str(out)!r}, pdf={pdf}, notebooks_dir={str(notebooks or '') or None!r})")
        command = [sys.executable, "-c", code]
    return timed(command)


def notebooks_without_label_check(folder: Path) -> Path:
    """A copy of the notebooks whose chart-label OCR check reports but does not stop the build.

    At corpus size the check rejects some crowded labels and aborts the build (a known problem of the
    charts, issue 14); the build times are measured without that stop, as in the issue.
    """
    shutil.copytree(PROJECT / "notebooks", folder)
    for path in folder.glob("04_*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            cell["source"] = [line for line in cell["source"] if not line.lstrip().startswith("assert checks")]
        path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return folder


def steps(out: Path) -> str:
    found = json.loads((out / "report" / "manifest.json").read_text(encoding="utf-8"))["steps"]
    return "  ".join(f"{s['step']} {s['seconds']:.2f}" for s in found)


def naive_chain(seeds: Path, work: Path) -> float:
    """Five nbconvert executions, an HTML export and a Chromium print, as a user would chain them by hand."""
    notebooks = work / "notebooks"
    shutil.copytree(PROJECT / "notebooks", notebooks)
    (work / "seeds").symlink_to(seeds)  # the notebooks' default parameters: ../seeds, output under ..
    started = time.perf_counter()
    for path in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")):
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--inplace", str(path)], cwd=notebooks)
    brief = sorted(notebooks.glob("05_*.ipynb"))[-1]
    timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--output-dir", str(work), str(brief)])
    from policybrief.pdf import find_chromium

    chromium = find_chromium()
    if chromium:
        html = work / f"{brief.stem}.html"
        timed([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={work / 'brief.pdf'}",
               html.as_uri()])
    return time.perf_counter() - started


def seeds_benchmark(runs: int, pdf: bool) -> None:
    colds, naives, noops = [], [], []
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="policybrief-bench-") as tmp:
            out = Path(tmp) / "out"
            cold = build(PROJECT / "seeds", out, pdf)
            detail = steps(out)
            noop = build(PROJECT / "seeds", out, pdf)
            naive = naive_chain((PROJECT / "seeds").resolve(), Path(tmp) / "naive")
        colds.append(cold)
        naives.append(naive)
        noops.append(noop)
        print(f"run {run}: cold {cold:5.2f} s  naive chain {naive:5.2f} s  ratio {cold / naive:.2f}  "
              f"no-op {noop:4.2f} s   [{detail}]", flush=True)
    ratio = statistics.median(c / n for c, n in zip(colds, naives))
    print(f"seeds, median of {runs}: cold {statistics.median(colds):.2f} s, naive chain {statistics.median(naives):.2f} s, "
          f"ratio {ratio:.2f} (target <= {NAIVE_TARGET_RATIO}), no-op {statistics.median(noops):.2f} s "
          f"(target < {NOOP_TARGET_S:.0f} s)")


def corpus_benchmark(size: int, pdf: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="policybrief-bench-") as tmp:
        seeds, out = Path(tmp) / "articles", Path(tmp) / "out"
        seeds.mkdir()
        make_corpus(seeds, size + 1)
        extra = seeds / f"doc_{size:05d}.txt"
        added = Path(tmp) / extra.name
        extra.rename(added)
        notebooks = notebooks_without_label_check(Path(tmp) / "notebooks")
        cold = build(seeds, out, pdf, notebooks)
        cold_steps = steps(out)
        noop = build(seeds, out, pdf, notebooks)
        added.rename(extra)
        one_more = build(seeds, out, pdf, notebooks)
        print(f"{size} articles: cold {cold:.1f} s [{cold_steps}]")
        print(f"{size} articles: no-op {noop:.2f} s; one added article {one_more:.1f} s "
              f"({one_more / cold:.2f} of the cold build) [{steps(out)}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus-size", type=int, default=500)
    parser.add_argument("--skip-corpus", action="store_true", help="only the seeds (cold, naive chain, no-op)")
    parser.add_argument("--skip-seeds", action="store_true", help="only the generated corpus")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_seeds:
        seeds_benchmark(args.runs, pdf=not args.no_pdf)
    if not args.skip_corpus:
        corpus_benchmark(args.corpus_size, pdf=not args.no_pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
