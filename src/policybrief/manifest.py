"""Build manifest: input files with sha256, package versions, build time and the duration of each step."""
from __future__ import annotations

import hashlib
import platform
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "policybrief", "pandas", "numpy", "matplotlib", "arabic-reshaper", "python-bidi", "pyyaml",
    "pyarrow", "trafilatura", "nbformat", "nbclient", "nbconvert", "ipykernel",
    "jupyter_client", "mistune", "jinja2", "weasyprint",
)
INPUT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".csv")


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(seeds_dir: str | Path) -> list[dict]:
    """One record per input file of the seeds folder (name, bytes, sha256), sorted by name."""
    folder = Path(seeds_dir)
    records = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.startswith(".") or path.suffix.lower() not in INPUT_SUFFIXES:
            continue
        records.append({
            "file": path.relative_to(folder).as_posix(),
            "bytes": path.stat().st_size,
            "sha256": sha256_file(path),
        })
    return records


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each distribution in ``names`` (missing ones are left out).

    >>> "pandas" in package_versions(("pandas", "surely-not-installed-xyz"))
    True
    """
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def utc_now() -> str:
    """Current UTC time as ISO 8601 with seconds (``2026-11-23T12:00:00Z``)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_manifest(
    seeds_dir: str | Path,
    steps: list[dict],
    built_at: str,
    outputs: dict[str, str] | None = None,
    extra: dict | None = None,
) -> dict:
    """The manifest as a JSON-ready dict; ``steps`` are ``{"step": name, "seconds": s}`` records."""
    return {
        "built_at": built_at,
        "seeds_dir": str(Path(seeds_dir).resolve()),
        "inputs": input_files(seeds_dir),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
        "steps": [{"step": s["step"], "seconds": round(float(s["seconds"]), 3)} for s in steps],
        "total_seconds": round(sum(float(s["seconds"]) for s in steps), 3),
        "outputs": outputs or {},
        **(extra or {}),
    }
