"""The ``policybrief`` command: ``extract``, ``build`` and ``evaluate``; errors are one line, not a traceback."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import paths

EXIT_ERROR = 1
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
CORPUS_HELP = ("folder of articles (.txt, .md, .html; optional sources.csv); default: $POLICYBRIEF_CORPUS, "
               "else 'corpus:' in policybrief.yml, else seeds/")


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def _report_problems(problems: list, stream=sys.stderr) -> None:
    for problem in problems:
        print(f"policybrief: {problem}", file=stream)


def _report(corpus, seeds_dir: Path):
    _report_problems(corpus.problems)
    skipped = sorted({p.file for p in corpus.problems if p.level == "error"})
    if skipped:
        print(f"policybrief: skipped {len(skipped)} file(s): {', '.join(skipped)}", file=sys.stderr)
    if corpus.documents.empty:
        raise UserError(f"{seeds_dir}: no readable article (.txt, .md or .html)")
    return corpus


def _load(seeds_dir: Path, strict: bool, workers: int = 1):
    from .corpus import CorpusError, load_corpus

    try:
        return _report(load_corpus(seeds_dir, strict=strict, workers=workers), seeds_dir)
    except CorpusError as exc:
        raise UserError(str(exc)) from None


def _corpus_dir(given: str | None) -> Path:
    """The folder named on the command line, else the project's corpus setting (policybrief.settings)."""
    from .settings import SettingsError, corpus_dir

    try:
        return Path(given) if given else corpus_dir()
    except SettingsError as exc:
        raise UserError(str(exc)) from None


def cmd_extract(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from . import steps, transaction
    from .extract.dask_engine import DaskEngineError
    from .extract.streaming import extract_streamed
    from .paths import OutputLayout

    out, seeds_dir = Path(args.out), _corpus_dir(args.seeds_dir)
    corpus = _load(seeds_dir, args.strict, args.workers)  # bad input stops here, before --out is touched
    # Every table is written into a staging folder, then renamed into place only when all are written.
    with transaction.output_lock(out, "policybrief extract"), transaction.staging_folder(out) as staging:
        layout = OutputLayout.flat(staging)
        steps.write_tables("read_documents", {"documents": corpus.documents}, layout)
        try:  # the extract step, streamed: a batch of articles at a time, each written as it finishes
            counts = extract_streamed(corpus.documents, layout, workers=args.workers, progress=True,
                                      cache_dir=args.cache, engine=args.engine, scheduler=args.scheduler,
                                      parquet=args.parquet or args.engine == "dask")
        except DaskEngineError as exc:
            raise UserError(str(exc)) from None
        transaction.swap_in(staging, out, tuple(sorted(p.name for p in staging.iterdir())))
    summary = ", ".join(f"{counts[n]} {n}" for n in steps.EXTRACTED_TABLES)
    print(f"extracted {len(corpus.documents)} documents in {time.perf_counter() - started:.1f} s: {summary} -> {out}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build_brief, previous_build

    seeds_dir = _corpus_dir(args.seeds_dir)
    if not args.force and seeds_dir.is_dir() and (done := previous_build(seeds_dir, Path(args.out), strict=args.strict)):
        print(done)  # nothing changed: not even the articles are read again
        return 0
    corpus = _load(seeds_dir, args.strict)  # fail early, with the corpus problems, before starting a kernel
    if args.strict:
        _check_review(corpus.documents, seeds_dir)
    skipped = [f"{p.file}: {p.message}" for p in corpus.problems if p.level == "error"]
    try:
        result = build_brief(seeds_dir, Path(args.out), progress=True, strict=args.strict, force=args.force,
                             skipped=skipped)
    except BuildError as exc:
        raise UserError(str(exc)) from None
    print(result)
    return 0


def _check_review(documents, seeds_dir: Path) -> None:
    """``--strict``: any line of review.csv that cannot apply stops the build before it starts."""
    from .extract.pipeline import extract_corpus
    from .review import ReviewError, review_tables

    try:
        review_tables(extract_corpus(documents), seeds_dir, strict=True)
    except ReviewError as exc:
        raise UserError(str(exc)) from None


def cmd_evaluate(args: argparse.Namespace) -> int:
    import pandas as pd

    from .evaluate import evaluate_dirs

    gold_dir = Path(args.gold_dir)
    if not gold_dir.is_dir():
        raise UserError(f"{gold_dir}: no such folder of gold annotations")
    if not any(gold_dir.glob("*.json")):
        raise UserError(f"{gold_dir}: no gold annotation (*.json) in this folder; nothing to score")
    for folder in map(Path, args.seeds_dirs):
        if not folder.is_dir():
            raise UserError(f"{folder}: no such folder of articles")
    scores, mismatches = evaluate_dirs(gold_dir, [Path(d) for d in args.seeds_dirs])
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_rows", 500):
        print(scores.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if args.details and len(mismatches):
            print()
            print(mismatches.to_string(index=False))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="policybrief",
        description="Arabic policy-news articles -> tables, charts and an RTL policy brief (HTML, PDF).",
    )
    main.add_argument("--debug", action="store_true", help="show the full traceback of an internal error")
    sub = main.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="extract figures, dates, entities and initiatives to CSV")
    extract.add_argument("seeds_dir", nargs="?", help=CORPUS_HELP)
    extract.add_argument("--out", required=True, help="folder for documents.parquet and figures/dates/entities/initiatives.csv")
    extract.add_argument("--workers", type=int, default=1, help="processes for large corpora (default 1)")
    extract.add_argument("--strict", action="store_true", help="treat any warning about an input file as an error")
    extract.add_argument("--engine", choices=("default", "dask"), default="default",
                         help="default: this machine's processes; dask: a Dask cluster (local unless --scheduler)")
    extract.add_argument("--scheduler", default=None,
                         help="Dask scheduler address tcp://HOST:PORT (default: $DASK_SCHEDULER_ADDRESS, else a local cluster)")
    extract.add_argument("--cache", default=None, metavar="DIR",
                         help="reuse per-article results kept in DIR; only new or changed articles are extracted")
    extract.add_argument("--parquet", action="store_true",
                         help="also write OUT/parquet/<table>/part-*.parquet (always with --engine dask)")
    extract.set_defaults(func=cmd_extract)

    build = sub.add_parser("build", help="run the notebooks and export the brief to HTML and PDF")
    build.add_argument("seeds_dir", nargs="?", help=CORPUS_HELP)
    build.add_argument("--out", default=str(paths.PROJECT_DIR), help="root for build/, figures/, report/ (default: the project)")
    build.add_argument("--strict", action="store_true",
                       help="treat any warning about an input file, a chart label suspected of being drawn wrongly, "
                            "or a line of review.csv that cannot apply as an error")
    build.add_argument("--force", action="store_true",
                       help="rebuild everything, even when nothing changed, and empty the extraction cache")
    build.set_defaults(func=cmd_build)

    evaluate = sub.add_parser("evaluate", help="score the extraction against gold annotations")
    evaluate.add_argument("gold_dir", help="folder of gold JSON files, one per document")
    evaluate.add_argument("seeds_dirs", nargs="+", help="folder(s) holding the annotated articles")
    evaluate.add_argument("--details", action="store_true", help="also list missed and spurious items")
    evaluate.set_defaults(func=cmd_evaluate)
    return main


def capped_workers(requested: int, cpus: int | None = None) -> int:
    """``--workers`` limited to the CPUs this process may use: more processes than cores only add overhead.

    >>> capped_workers(1000, cpus=2), capped_workers(1, cpus=8)
    (2, 1)
    """
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(requested, cpus))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "workers", 1) < 1:
        parser().error("--workers must be at least 1")
    if hasattr(args, "workers") and capped_workers(args.workers) < args.workers:
        print(f"policybrief: --workers {args.workers} lowered to {capped_workers(args.workers)}, the number of CPUs",
              file=sys.stderr)
        args.workers = capped_workers(args.workers)
    from .transaction import OutputError

    try:
        return args.func(args)
    except (UserError, OutputError) as exc:
        print(f"policybrief: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("policybrief: interrupted; the previous outputs are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # disk full, permission denied, read-only folder...
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"policybrief: error: {exc.strerror or exc}{where}; the previous outputs are unchanged", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # the last line of defence: no traceback as the user interface
        if args.debug:
            raise
        print(f"policybrief: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The ``policybrief`` command: exit with ``main``'s code."""
    from .workers import killed_workers

    code = main()
    if killed_workers():  # a killed pool's manager thread may never end: exit without joining it
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
