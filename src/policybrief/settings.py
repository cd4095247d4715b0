"""The one corpus setting, and the guard that stops a notebook when the tables on disk come from other files.

The analyst names the folder of articles once, for every notebook and the CLI: the environment variable
``POLICYBRIEF_CORPUS`` wins, else ``corpus:`` in a ``policybrief.yml`` found in the working folder or one of
its parents (a relative folder is read from the file's folder), else the project's ``seeds/``.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from . import paths
from .display import OneLineError

CORPUS_VARIABLE = "POLICYBRIEF_CORPUS"
PROJECT_FILE = "policybrief.yml"


class SettingsError(OneLineError, ValueError):
    """A project file the analyst must fix; the message is one line naming it."""


class CorpusMismatch(OneLineError, RuntimeError):
    """The tables on disk were extracted from another folder or older files (one line in a notebook)."""


def find_project_file(start: str | Path | None = None) -> Path | None:
    """The nearest ``policybrief.yml`` in ``start`` (default: the working folder) or one of its parents."""
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / PROJECT_FILE).is_file():
            return candidate / PROJECT_FILE
    return None


def corpus_from_project_file(path: Path) -> Path | None:
    """The ``corpus:`` folder named in a project file (relative to the file), or None when it names none."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SettingsError(f"{path}: cannot be read as YAML ({reason})") from None
    if not isinstance(content, Mapping):
        raise SettingsError(f"{path}: expected lines such as 'corpus: ../my-articles'")
    corpus = content.get("corpus")
    if corpus in (None, ""):
        return None
    if not isinstance(corpus, str):
        raise SettingsError(f"{path}: 'corpus' must be a folder name, not {corpus!r}")
    return (path.parent / Path(corpus).expanduser()).resolve()


def corpus_dir(start: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The folder of articles every notebook and the CLI read (see the module docstring for the order)."""
    environ = os.environ if environ is None else environ
    if environ.get(CORPUS_VARIABLE, "").strip():
        return Path(environ[CORPUS_VARIABLE].strip()).expanduser().resolve()
    project_file = find_project_file(start)
    if project_file is not None:
        named = corpus_from_project_file(project_file)
        if named is not None:
            return named
    return paths.SEEDS_DIR


def _fingerprints(documents: pd.DataFrame) -> dict[str, str]:
    return dict(zip(documents["file"].astype(str), documents["sha256"].astype(str)))


def corpus_mismatch(
    current: pd.DataFrame, extracted_from: pd.DataFrame, tables: Mapping[str, pd.DataFrame] | None = None
) -> str:
    """Why the extracted tables do not belong to the ``current`` documents, in one line ('' when they do).

    ``current`` is the documents table of the corpus folder now, ``extracted_from`` the saved documents table
    written with the tables; both carry ``file`` and ``sha256``. ``tables`` with a ``doc_id`` column must
    only cite documents of ``extracted_from``.
    """
    now, then = _fingerprints(current), _fingerprints(extracted_from)
    changed = sorted(f for f in now.keys() & then.keys() if now[f] != then[f])
    added, removed = sorted(now.keys() - then.keys()), sorted(then.keys() - now.keys())
    parts = [
        f"{label}: {', '.join(files[:3])}{' …' if len(files) > 3 else ''}"
        for label, files in (("changed", changed), ("not extracted", added), ("no longer in the folder", removed))
        if files
    ]
    known = set(extracted_from["doc_id"].astype(str))
    for name, table in (tables or {}).items():
        if "doc_id" in table.columns:
            strangers = sorted(set(table["doc_id"].astype(str)) - known - {""})
            if strangers:
                parts.append(f"{name} cites {len(strangers)} document(s) not in the documents table ({strangers[0]})")
    return "; ".join(parts)


def check_same_corpus(current: pd.DataFrame, extracted_from: pd.DataFrame, corpus: str | Path,
                      tables: Mapping[str, pd.DataFrame] | None = None) -> None:
    """Raise ``CorpusMismatch`` (one line: what differs, what to run) unless the tables fit the corpus."""
    problem = corpus_mismatch(current, extracted_from, tables)
    if problem:
        raise CorpusMismatch(
            f"the tables in build/data were extracted from another folder or older files than {corpus} "
            f"({problem}); run notebooks 01 and 02 on it again (or `policybrief build`)"
        )


def check_tables_on_disk(corpus: str | Path, out_dir: str | Path) -> None:
    """Stop (``CorpusMismatch``) unless ``out_dir``'s tables were extracted from the files now in ``corpus``."""
    from . import store
    from .corpus import CorpusError, load_corpus
    from .schemas import TABLES

    layout = paths.OutputLayout(out_dir)
    if not store.has_table("documents", layout):
        raise CorpusMismatch(f"{store.table_path('documents', layout)} is missing: run notebooks 01 and 02 on {corpus} first")
    try:
        current = load_corpus(corpus).documents
    except CorpusError as exc:
        raise CorpusMismatch(str(exc)) from None
    saved = [name for name, table in TABLES.items()
             if name != "documents" and table.folder != "input" and store.has_table(name, layout)]
    tables = {name: store.read_table(name, layout) for name in saved}
    check_same_corpus(current, store.read_table("documents", layout), corpus, tables)
