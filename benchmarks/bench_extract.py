"""Extraction speed and memory: `policybrief extract` on N made-up articles of ~3,000 characters.

The articles are shuffled paragraphs of the project's own fixtures (seeds and tests/gold/articles), so
every extractor meets realistic text. Target: 10,000 articles under 20 s on 2 cores.
Usage: python benchmarks/bench_extract.py [N_DOCUMENTS=10000] [WORKERS=2] [--engine default|dask] [--keep DIR]
(``--keep DIR`` generates the articles once into DIR and reuses them on later runs.)
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
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_documents", nargs="?", type=int, default=10_000)
    parser.add_argument("workers", nargs="?", default="2")
    parser.add_argument("--engine", choices=("default", "dask"), default="default")
    parser.add_argument("--keep", type=Path, default=None, help="folder to generate the articles into once and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seeds, out = args.keep or Path(tmp) / "seeds", Path(tmp) / "out"
        if not (seeds / f"doc_{args.n_documents - 1:05d}.txt").exists():
            seeds.mkdir(parents=True, exist_ok=True)
            make_corpus(seeds, args.n_documents)
        chars = sum(p.stat().st_size for p in seeds.glob("doc_*.txt")) / 2  # Arabic: about 2 bytes a character
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "policybrief.cli", "extract", str(seeds), "--out", str(out),
             "--workers", args.workers, "--engine", args.engine],
            check=True,
        )
        elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024
    print(f"documents: {args.n_documents} (about {chars / args.n_documents:.0f} chars), engine: {args.engine}, "
          f"workers: {args.workers}")
    print(f"wall time: {elapsed:.1f} s  ({args.n_documents / elapsed:.0f} documents/s)")
    print(f"peak memory of the largest process: {peak_mb:.0f} MB")
    # CPU seconds of all processes: on a shared machine less noisy than the wall time.
    print(f"CPU time: {usage.ru_utime + usage.ru_stime:.1f} s ({(usage.ru_utime + usage.ru_stime) / args.n_documents * 1000:.2f} ms per document)")


if __name__ == "__main__":
    main()
