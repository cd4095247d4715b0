"""Is the brief up to date? A stamp of everything a build reads, compared with the one of the last good build.

The stamp hashes every file in the articles folder (articles, ``sources.csv``, the review file), the
notebooks, the package's code, rules and templates, and the build settings. A build writes it only
after it succeeded and removes it before it starts, so an interrupted build is never taken as done.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import store
from .paths import PACKAGE_DIR

STAMP_FILE = "stamp.json"
# Package files that can change what a build makes (code, rules, templates); caches and bytecode cannot.
_IGNORED_PARTS = {"__pycache__"}


def _tree_digest(folder: Path, pattern: str = "**/*") -> str:
    """sha256 of the relative paths and contents of the files under ``folder``."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
            relative = path.relative_to(folder)
            if _IGNORED_PARTS & set(relative.parts) or path.name.startswith("."):
                continue
            digest.update(relative.as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_stamp(seeds_dir: Path, notebooks_dir: Path, settings: dict) -> dict:
    """What a build reads, as digests: articles folder, notebooks, package code and data, settings."""
    return {
        "articles": _tree_digest(Path(seeds_dir)),
        "notebooks": _tree_digest(Path(notebooks_dir), "*.ipynb"),
        "code": _tree_digest(PACKAGE_DIR),
        "settings": json.dumps(settings, sort_keys=True, default=str),
    }


def read_stamp(build_dir: Path) -> dict | None:
    """The stamp of the last good build in ``build_dir``, or None (none, or unreadable)."""
    try:
        return json.loads((Path(build_dir) / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(stamp: dict, build_dir: Path) -> Path:
    return store.write_json(stamp, Path(build_dir) / STAMP_FILE)


def remove_stamp(build_dir: Path) -> None:
    (Path(build_dir) / STAMP_FILE).unlink(missing_ok=True)


def is_up_to_date(stamp: dict, build_dir: Path, outputs: list[Path]) -> bool:
    """The last good build read the same inputs and all its outputs are still there."""
    return read_stamp(build_dir) == stamp and all(Path(p).is_file() for p in outputs)
