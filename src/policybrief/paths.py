"""Folder constants of the project checkout. Importing this module does nothing else."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# The project root is two levels above src/policybrief in a checkout (editable install).
PROJECT_DIR = PACKAGE_DIR.parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
BUILD_DIR = PROJECT_DIR / "build"
BUILD_DATA_DIR = BUILD_DIR / "data"
BUILD_NOTEBOOKS_DIR = BUILD_DIR / "notebooks"
FIGURES_DIR = PROJECT_DIR / "figures"
REPORT_DIR = PROJECT_DIR / "report"


class OutputLayout:
    """Where one build writes: ``root/build/data``, ``root/build/notebooks``, ``root/figures``, ``root/report``.

    >>> OutputLayout("/tmp/x").report_dir.as_posix()
    '/tmp/x/report'
    """

    def __init__(self, root: str | Path = PROJECT_DIR) -> None:
        self.root = Path(root)
        self.build_dir = self.root / "build"
        self.data_dir = self.build_dir / "data"
        self.notebooks_dir = self.build_dir / "notebooks"
        self.cache_dir = self.build_dir / "cache"
        self.figures_dir = self.root / "figures"
        self.report_dir = self.root / "report"

    @classmethod
    def flat(cls, folder: str | Path) -> "OutputLayout":
        """A layout whose tables (and chart index) all sit directly in ``folder`` (``policybrief extract --out``).

        >>> OutputLayout.flat("/tmp/x").data_dir.as_posix()
        '/tmp/x'
        """
        layout = cls(folder)
        layout.data_dir = layout.figures_dir = Path(folder)
        return layout
