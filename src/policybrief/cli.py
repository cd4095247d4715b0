"""The ``policybrief`` command: ``extract``, ``build`` and ``evaluate``; errors are one line, not a traceback."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import paths

EXIT_ERROR = 1
EXIT_INTERNAL = 3
CORPUS_HELP = ("folder of articles (.txt, .md, .html; optional sources.csv); default: $POLICYBRIEF_CORPUS, "
               "else 'corpus:' in policybrief.yml, else seeds/")


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


def _report_problems(problems: list, stream=sys.stderr) -> None:
    for problem in problems:
        print(f"policybrief: {problem}", file=stream)


def _report(corpus, seeds_dir: Path):
    _report_problems(corpus.problems)
    if corpus.documents.empty:
        raise UserError(f"{seeds_dir}: no readable article (.txt, .md or .html)")
    return corpus


def _load(seeds_dir: Path, strict: bool):
    from .corpus import CorpusError, load_corpus

    try:
        return _report(load_corpus(seeds_dir, strict=strict), seeds_dir)
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
    from . import steps
    from .corpus import CorpusError
    from .extract.dask_engine import DaskEngineError
    from .extract.streaming import extract_streamed
    from .paths import OutputLayout

    out, seeds_dir = Path(args.out), _corpus_dir(args.seeds_dir)
    layout = OutputLayout.flat(out)
    try:
        corpus = _report(steps.read_documents(seeds_dir, layout, args.strict, args.workers), seeds_dir)
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    try:  # the extract step, streamed: a batch of articles at a time, each written as it finishes
        counts = extract_streamed(corpus.documents, layout, workers=args.workers, progress=True, cache_dir=args.cache,
                                  engine=args.engine, scheduler=args.scheduler,
                                  parquet=args.parquet or args.engine == "dask")
    except DaskEngineError as exc:
        raise UserError(str(exc)) from None
    summary = ", ".join(f"{counts[n]} {n}" for n in steps.EXTRACTED_TABLES)
    print(f"extracted {len(corpus.documents)} documents in {time.perf_counter() - started:.1f} s: {summary} -> {out}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build_brief, previous_build

    seeds_dir = _corpus_dir(args.seeds_dir)
    if not args.force and seeds_dir.is_dir() and (done := previous_build(seeds_dir, Path(args.out))):
        print(done)  # nothing changed: not even the articles are read again
        return 0
    _load(seeds_dir, args.strict)  # fail early, with the corpus problems, before starting a kernel
    try:
        result = build_brief(seeds_dir, Path(args.out), progress=True, strict=args.strict, force=args.force)
    except BuildError as exc:
        raise UserError(str(exc)) from None
    print(result)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    import pandas as pd

    from .evaluate import evaluate_dirs

    scores, mismatches = evaluate_dirs(Path(args.gold_dir), [Path(d) for d in args.seeds_dirs])
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
                       help="treat any warning about an input file, or a chart label suspected of being drawn wrongly, as an error")
    build.add_argument("--force", action="store_true",
                       help="rebuild everything, even when nothing changed, and empty the extraction cache")
    build.set_defaults(func=cmd_build)

    evaluate = sub.add_parser("evaluate", help="score the extraction against gold annotations")
    evaluate.add_argument("gold_dir", help="folder of gold JSON files, one per document")
    evaluate.add_argument("seeds_dirs", nargs="+", help="folder(s) holding the annotated articles")
    evaluate.add_argument("--details", action="store_true", help="also list missed and spurious items")
    evaluate.set_defaults(func=cmd_evaluate)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "workers", 1) < 1:
        parser().error("--workers must be at least 1")
    try:
        return args.func(args)
    except UserError as exc:
        print(f"policybrief: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("policybrief: interrupted; no output was half-written", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: no traceback as the user interface
        if args.debug:
            raise
        print(f"policybrief: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
