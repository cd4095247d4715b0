"""Memory and output size of `extract` on one article written as a single line with no sentence end.

Each row of the figures and dates tables keeps a bounded window of its sentence (``segment.sentence_window``),
so memory and CSV size grow with the article, not with its square. The article is the project's fixture
paragraphs joined by commas (no full stop, so the whole article is one sentence) up to each size.
Usage: python benchmarks/bench_long_line.py [SIZE_KB ...]   (default: 10 100 1000)
"""
from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_extract import fixture_paragraphs  # noqa: E402


def one_line_article(size_bytes: int) -> str:
    """Fixture paragraphs without sentence ends (decimal points kept), joined by Arabic commas into one line."""
    parts, total, paragraphs = [], 0, fixture_paragraphs()
    while total < size_bytes:
        paragraph = re.sub(r"[.!?\u061f](?!\d)", "", paragraphs[len(parts) % len(paragraphs)])
        parts.append(paragraph)
        total += len(paragraph.encode()) + 3
    return "\u060c ".join(parts)[: size_bytes // 2 * 2]


def measure(size_kb: int) -> None:
    """Run ``policybrief extract`` on one such article in a fresh process; print its peak memory and output."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds, out = Path(tmp) / "seeds", Path(tmp) / "out"
        seeds.mkdir()
        text = one_line_article(size_kb * 1024)
        (seeds / "one_line.txt").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "policybrief.cli", "extract", str(seeds), "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        csv_mb = sum(p.stat().st_size for p in out.glob("*.csv")) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{size_kb:>6} KB one line: {elapsed:6.1f} s, peak memory {peak_mb:7.0f} MB, CSV tables {csv_mb:8.2f} MB", flush=True)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10, 100, 1000]
    for size_kb in sizes:
        if len(sizes) == 1:
            measure(size_kb)
        else:  # one process per size: the peak memory of children is a maximum over all of them
            subprocess.run([sys.executable, __file__, str(size_kb)], check=True)


if __name__ == "__main__":
    main()
