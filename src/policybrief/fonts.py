"""Arabic font files found on this machine and registered with matplotlib, never assumed.

matplotlib keeps a cached list of the system's fonts and never looks again: built before the Arabic
fonts were installed (or while they were unreachable), it hides them, every label falls back to a font
without Arabic glyphs and the OCR check rejects every chart without a word of the cause. So the charts
ask fontconfig (``fc-list``, then ``fc-match``) and the known Debian paths for the font files and add
them to matplotlib's font manager themselves (``addfont``); with no Arabic font at all, one line names
the package to install.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ARABIC_FAMILIES = ("Noto Sans Arabic", "Noto Naskh Arabic", "Amiri")
# Where Debian's fonts-noto-core and fonts-hosny-amiri put them, for machines without fontconfig tools.
KNOWN_FONT_FILES = {
    "Noto Sans Arabic": "/usr/share/fonts/truetype/noto/NotoSansArabic-{style}.ttf",
    "Noto Naskh Arabic": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-{style}.ttf",
    "Amiri": "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-{style}.ttf",
}
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
INSTALL_HINT = ("no Arabic font found (Noto Sans Arabic, Noto Naskh Arabic or Amiri): charts would show empty "
                "boxes; install the Debian package fonts-noto-core (apt install fonts-noto-core)")


def _fontconfig(*args: str) -> list[str]:
    """Output lines of a fontconfig tool, or none when it is missing or fails."""
    if not shutil.which(args[0]):
        return []
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=20, check=True).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return []


def font_file(family: str, bold: bool = False) -> Path | None:
    """Path of an installed font file for ``family`` (fontconfig first, then the known Debian paths)."""
    style = "Bold" if bold else "Regular"
    out = _fontconfig("fc-match", "-f", "%{family}\n%{file}", f"{family}:{style.lower()}")
    if len(out) == 2 and family.lower() in out[0].lower() and Path(out[1]).is_file():
        return Path(out[1])
    known = KNOWN_FONT_FILES.get(family)
    if known and Path(known.format(style=style)).is_file():
        return Path(known.format(style=style))
    return None


def arabic_font_files(families: tuple[str, ...] = ARABIC_FAMILIES) -> list[Path]:
    """Every installed file of ``families`` (all styles), found by fontconfig and at the known paths."""
    found: dict[Path, None] = {}
    for family in families:
        for line in _fontconfig("fc-list", family, "file"):
            path = Path(line.rstrip().rstrip(":"))
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                found[path] = None
        for bold in (False, True):
            path = font_file(family, bold)
            if path is not None:
                found[path] = None
    return list(found)


def register_arabic_fonts(manager=None, files: list[Path] | None = None) -> list[str]:
    """Add the Arabic font files matplotlib does not know yet to its font manager; the Arabic families it then has."""
    if manager is None:
        from matplotlib.font_manager import fontManager as manager
    known = {str(Path(entry.fname).resolve()) for entry in manager.ttflist}
    added = False
    for path in arabic_font_files() if files is None else files:
        if str(path.resolve()) not in known:
            manager.addfont(str(path))
            added = True
    if added and hasattr(manager, "_findfont_cached"):
        manager._findfont_cached.cache_clear()  # lookups made before may have fallen back
    return sorted({entry.name for entry in manager.ttflist if entry.name in ARABIC_FAMILIES})


@lru_cache(maxsize=1)
def ensure_arabic_fonts() -> tuple[str, ...]:
    """``register_arabic_fonts`` once per process; says once on stderr which package to install if none exists."""
    families = tuple(register_arabic_fonts())
    if not families:
        print(f"policybrief: warning: {INSTALL_HINT}", file=sys.stderr)
    return families
