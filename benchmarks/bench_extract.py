"""Extraction speed and memory: `policybrief extract --workers 2` on 10,000 made-up articles of ~3,000 chars.

The articles are shuffled paragraphs of the project's own fixtures (seeds and tests/gold/articles), so
every extractor meets realistic text. Target: the whole run under 20 s on 2 cores.
Usage: python benchmarks/bench_extract.py [N_DOCUMENTS] [WORKERS]
"""
from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_CHARS = 3000


def fixture_paragraphs() -> list[str]:
    paragraphs = []
    for folder in (ROOT / "seeds", ROOT / "tests" / "gold" / "articles"):
        for path in sorted(folder.glob("*.txt")):
            paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 40]
    return paragraphs


def make_corpus(folder: Path, n_documents: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    paragraphs = fixture_paragraphs()
    total = 0
    for index in range(n_documents):
        chosen: list[str] = []
        while sum(len(p) + 1 for p in chosen) < TARGET_CHARS:
            chosen.append(rng.choice(paragraphs))
        text = "\n".join(chosen) + "\n"
        total += len(text)
        (folder / f"doc_{index:05d}.txt").write_text(text, encoding="utf-8")
    return total


def main() -> None:
    n_documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    workers = sys.argv[2] if len(sys.argv) > 2 else "2"
    with tempfile.TemporaryDirectory() as tmp:
        seeds, out = Path(tmp) / "seeds", Path(tmp) / "out"
        seeds.mkdir()
        chars = make_corpus(seeds, n_documents)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "policybrief.cli", "extract", str(seeds), "--out", str(out), "--workers", workers],
            check=True,
        )
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"documents: {n_documents} (mean {chars / n_documents:.0f} chars), workers: {workers}")
    print(f"wall time: {elapsed:.1f} s  ({n_documents / elapsed:.0f} documents/s)")
    print(f"peak memory of the largest process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
