"""Arabic chart labels that render right on any matplotlib: one decision, one function every label goes through.

matplotlib >= 3.11 shapes (joins) and orders (right to left) Arabic itself, so labels stay plain logical
strings; text already passed through arabic-reshaper + python-bidi would be drawn reversed there. Older
matplotlib draws code points one by one, left to right, so only there labels are reshaped and reordered.
"""
from __future__ import annotations

import re
import unicodedata

import matplotlib

from .textnorm import has_arabic

NATIVE_SHAPING_SINCE = (3, 11)
PRESENTATION_FORM_RANGES = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
BIDI_EMBEDDINGS = frozenset("\u202a\u202b\u202c\u202d\u202e")  # LRE RLE PDF LRO RLO
ZWNJ = "\u200c"
RLM = "\u200f"  # right-to-left mark: a strong RTL character that draws nothing


def version_tuple(version: str) -> tuple[int, int]:
    """Major and minor numbers of a version string.

    >>> version_tuple("3.10.8"), version_tuple("3.11.0rc1")
    ((3, 10), (3, 11))
    """
    numbers = re.findall(r"\d+", version)[:2]
    return int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else 0


def matplotlib_shapes_arabic(version: str | None = None) -> bool:
    """True when the running (or given) matplotlib shapes and orders Arabic text itself.

    >>> matplotlib_shapes_arabic("3.11.2"), matplotlib_shapes_arabic("3.8.4")
    (True, False)
    """
    return version_tuple(version or matplotlib.__version__) >= NATIVE_SHAPING_SINCE


def starts_left_to_right(text: str) -> bool:
    """True when the first strong character of ``text`` is left-to-right (a Latin name first).

    >>> starts_left_to_right("Maroc IA 2030: هدف"), starts_left_to_right("2030 هدف")
    (True, False)
    """
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return False
        if kind == "L":
            return True
    return False


def prepare_label(text: str, native: bool | None = None) -> str:
    """The string to hand matplotlib for a logical Arabic ``text`` (unchanged when matplotlib shapes itself).

    An Arabic label that opens with a Latin name gets a leading RLM so it reads as a right-to-left line
    (``Maroc IA 2030: هدف`` keeps the name at the right end).

    >>> prepare_label("مليار دولار", native=True)
    'مليار دولار'
    >>> prepare_label("Maroc IA: هدف", native=True) == RLM + "Maroc IA: هدف"
    True
    >>> has_presentation_forms(prepare_label("مليار دولار", native=False))
    True
    """
    if native is None:
        native = matplotlib_shapes_arabic()
    lines = text.split("\n") if text else []
    if native:
        return "\n".join(RLM + line if has_arabic(line) and starts_left_to_right(line) else line for line in lines)
    from arabic_reshaper import reshape
    from bidi.algorithm import get_display

    return "\n".join(get_display(reshape(line), base_dir="R") if has_arabic(line) else line for line in lines)


def has_presentation_forms(text: str) -> bool:
    """True when ``text`` holds Arabic presentation forms (pre-shaped glyphs).

    >>> has_presentation_forms("\ufe8d\ufedf"), has_presentation_forms("ال")
    (True, False)
    """
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in PRESENTATION_FORM_RANGES)


def has_bidi_embeddings(text: str) -> bool:
    """True when ``text`` holds bidi embedding or override controls (U+202A to U+202E).

    >>> has_bidi_embeddings("\u202bنص\u202c"), has_bidi_embeddings("نص")
    (True, False)
    """
    return any(ch in BIDI_EMBEDDINGS for ch in text)


def label_problems(labels: list[str], native: bool | None = None) -> list[str]:
    """Static guard: labels that cannot render right on this matplotlib, each with the reason.

    On native shaping, pre-shaped glyphs (drawn reversed or unjoined) or embedding controls mean the label
    was prepared by hand; on any matplotlib a zero-width non-joiner unjoins Arabic letters.

    >>> label_problems(["نص", "\ufe8d\ufedf"], native=True)
    ['presentation forms: ﺍﻟ']
    """
    if native is None:
        native = matplotlib_shapes_arabic()
    problems = []
    for label in labels:
        if native and has_presentation_forms(label):
            problems.append(f"presentation forms: {label}")
        elif native and has_bidi_embeddings(label):
            problems.append(f"bidi embedding controls: {label}")
        elif ZWNJ in label and has_arabic(label):
            problems.append(f"zero-width non-joiner: {label}")
    return problems
