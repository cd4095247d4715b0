"""Match keys for Arabic text: pure ``str -> str`` folds with an offset map back to the original.

Normalise only to match: the original text is kept for quoting and display, and every
offset found in a match key is mapped back into the original string.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from bisect import bisect_right
from functools import lru_cache

TATWEEL = "\u0640"
ALEF = "\u0627"
ALEF_VARIANTS = "\u0622\u0623\u0625\u0671"  # آ أ إ ٱ
ALEF_MAQSURA = "\u0649"
YEH = "\u064a"
FARSI_YEH = "\u06cc"
TEH_MARBUTA = "\u0629"
HEH = "\u0647"
KEHEH = "\u06a9"
KAF = "\u0643"
ARABIC_DECIMAL_SEPARATOR = "\u066b"
ARABIC_THOUSANDS_SEPARATOR = "\u066c"

# Harakat, tanwin, shadda, sukun, superscript alef and Quranic marks.
DIACRITICS = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"] + [chr(c) for c in range(0x06D6, 0x06EE)]
)
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
DOUBLE_QUOTES = frozenset("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u275d\u275e\u301d\u301e")
SINGLE_QUOTES = frozenset("\u2018\u2019\u201a\u201b\u2032\u2039\u203a")
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")

_SIMPLE_FOLDS = {
    **{c: ALEF for c in ALEF_VARIANTS},
    ALEF_MAQSURA: YEH,
    FARSI_YEH: YEH,
    TEH_MARBUTA: HEH,
    KEHEH: KAF,
    ARABIC_DECIMAL_SEPARATOR: ".",
    ARABIC_THOUSANDS_SEPARATOR: ",",
    "\u066a": "%",  # Arabic percent sign
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    **{c: '"' for c in DOUBLE_QUOTES},
    **{c: "'" for c in SINGLE_QUOTES},
    **{c: "-" for c in DASHES},
    "\u00a0": " ",
    "\u202f": " ",
}


def _is_presentation_form(ch: str) -> bool:
    code = ord(ch)
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def fold_char(ch: str, casefold: bool = False) -> str:
    """The match key of one character: '' to drop it, one or more characters otherwise.

    >>> fold_char("\u0623"), fold_char("\u0640"), fold_char("\u0663")
    ('ا', '', '3')
    """
    if ch in DIACRITICS or ch == TATWEEL or ch in BIDI_CONTROLS or ch in ZERO_WIDTH:
        return ""
    if _is_presentation_form(ch):
        # Pasted from PDFs: fold ligatures and contextual forms back to letters, then fold those.
        # Symbols and unassigned points of these blocks have no decomposition: they stay as they are.
        letters = unicodedata.normalize("NFKC", ch)
        if letters != ch:
            return "".join(fold_char(c, casefold) for c in letters)
    folded = _SIMPLE_FOLDS.get(ch, ch)
    return folded.casefold() if casefold else folded


@dataclass(frozen=True)
class NormalizedText:
    """A match key plus, for each of its characters, the index of the original character it came from."""

    original: str
    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the match key to the smallest original span that produced it.

        >>> n = normalize("\u0623\u064e\u0644\u0641 \u0661\u0662")
        >>> n.text
        'الف 12'
        >>> n.to_original(4, 6)
        (5, 7)
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside match key of length {len(self.text)}")
        if start == end:
            pos = self.origin[start] if start < len(self.origin) else len(self.original)
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str | None]:
    """``str.translate`` table equal to ``fold_char`` for every one-to-one or deleting fold."""
    table: dict[int, str | None] = {}
    for code in range(0x3100):
        ch = chr(code)
        if _is_presentation_form(ch):
            continue
        folded = fold_char(ch)
        if folded != ch:
            table[code] = folded or None
    return table


@lru_cache(maxsize=1)
def _dropped_chars() -> re.Pattern[str]:
    """Runs of characters that ``fold_char`` deletes (diacritics, tatweel, bidi and zero-width marks)."""
    dropped = sorted(code for code, value in _fold_table().items() if value is None)
    return re.compile("[" + "".join(re.escape(chr(c)) for c in dropped) + "]+")


_NEEDS_SLOW_PATH = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


@lru_cache(maxsize=1)
def _one_to_one_folds() -> tuple[re.Pattern[str], dict[str, str]]:
    """A regex for the characters ``_fold_table`` maps to one other character, and their folds."""
    folds = {chr(code): value for code, value in _fold_table().items() if value}
    if set(folds.values()) & set(folds):
        raise ValueError("a fold must not produce a character that folds again")
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(folds)) + "]"), folds


def _fold_present(text: str) -> str:
    """``text.translate(_fold_table())`` for a text without dropped characters: one ``str.replace`` per
    folded character present (a handful in a press article), much faster than a per-character table.

    >>> _fold_present("\u0625\u0644\u0649 \u0661\u0660")
    'الي 10'
    """
    present, folds = _one_to_one_folds()
    for ch in set(present.findall(text)):  # findall: only the folded characters become strings
        text = text.replace(ch, folds[ch])
    return text


def normalize(text: str, casefold: bool = False) -> NormalizedText:
    """Fold ``text`` to its match key and keep where each key character came from.

    The common case (no presentation forms, no case folding) maps one character to at most one, so
    ``str.replace`` of the few folded characters present and a regex for the dropped runs do it about
    ten times faster than the character loop.
    """
    if casefold or _NEEDS_SLOW_PATH.search(text):
        return _normalize_by_char(text, casefold)
    folded = _fold_present(text)  # one-to-one: offsets unchanged
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for m in _dropped_chars().finditer(folded):
        parts.append(folded[position : m.start()])
        origin.extend(range(position, m.start()))
        position = m.end()
    if not position:
        return NormalizedText(text, folded, tuple(range(len(text))))
    parts.append(folded[position:])
    origin.extend(range(position, len(text)))
    return NormalizedText(text, "".join(parts), tuple(origin))


def _normalize_by_char(text: str, casefold: bool) -> NormalizedText:
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = fold_char(ch, casefold)
        out.append(folded)
        origin.extend([index] * len(folded))
    return NormalizedText(text, "".join(out), tuple(origin))


def match_key(text: str, casefold: bool = False) -> str:
    """Only the folded string, for comparing names and words.

    >>> match_key("\u0625\u062f\u0627\u0631\u0629\u0640")
    'اداره'
    >>> match_key("JAZARI Root", casefold=True)
    'jazari root'
    """
    return normalize(text, casefold).text


ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B)) | frozenset("\u0671\u067e\u0686\u06a4\u06a9\u06af\u06cc")


def arabic_share(text: str) -> float:
    """Share of letters in ``text`` that are Arabic letters (0.0 when there are no letters).

    >>> arabic_share("Maroc \u0627\u0644\u0645\u063a\u0631")
    0.5
    """
    letters = _NOT_LETTERS.sub("", text.replace(" ", ""))  # dropping spaces first halves the regex work
    if not letters.isalpha():  # empty, or a numeric character that is not a digit (\u00b2, \u00bd)
        letters = "".join(ch for ch in letters if ch.isalpha())
        if not letters:
            return 0.0
    return (len(letters) - len(_ARABIC_LETTER_RUNS.sub("", letters))) / len(letters)


# Removing these leaves the letters (str.isalpha) plus, rarely, a numeric character that is not a digit.
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ARABIC_LETTER_RUNS = re.compile("[" + "".join(sorted(ARABIC_LETTERS)) + "]+")


def has_arabic(text: str) -> bool:
    """True when ``text`` holds a right-to-left letter (Arabic script, or Hebrew).

    >>> has_arabic("Mistral AI"), has_arabic("مختبر Mistral AI")
    (False, True)
    """
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def name_key(text: object) -> str:
    """The loose comparison key of a name: match key, case folded, spaces squeezed; '' for a non-string.

    >>> name_key("  الإستراتيجية   الوطنية ") == name_key("الاستراتيجيه الوطنية"), name_key(None)
    (True, '')
    """
    return " ".join(match_key(text, casefold=True).split()) if isinstance(text, str) else ""


# ---------------------------------------------------------------- a fold that keeps offsets (rules over words)
# The entity rules scan a fold of the text with the same length: letter variants, quotes, dashes and digits
# unified one character for one; diacritics and tatweel stay (``word_key`` drops them per word); bidi and
# zero-width marks become spaces. Offsets found in it are offsets in the original.


@lru_cache(maxsize=1)
def _same_length_table() -> dict[int, str]:
    """``str.translate`` table of every one-to-one fold of ``textnorm.fold_char`` (lengths kept)."""
    table: dict[int, str] = {}
    for code in range(0x3100):
        ch = chr(code)
        if ch in DIACRITICS or ch == TATWEEL or ch in BIDI_CONTROLS or ch in ZERO_WIDTH:
            continue
        folded = fold_char(ch)
        if len(folded) == 1 and folded != ch:
            table[code] = folded
    for ch in BIDI_CONTROLS | ZERO_WIDTH:
        table[ord(ch)] = " "
    return table


_MARKS_DROP = {ord(ch): None for ch in DIACRITICS | {TATWEEL}}
_HAS_MARKS = re.compile("[" + "".join(sorted(DIACRITICS | {TATWEEL})) + "]")


def fold_keep_offsets(text: str) -> str:
    """A fold of ``text`` with the same length: letter variants, quotes, dashes and digits unified.

    >>> fold_keep_offsets("\u00ab\u0625\u062f\u0627\u0631\u0629\u00bb \u2013 \u0663")
    '"اداره" - 3'
    """
    table, present = _same_length_pairs()
    # A few str.replace calls beat a per-character translate. No fold yields a folding character, so each
    # search resumes where the last one stopped: every folding character before it is already replaced.
    m = present.search(text)
    while m:
        ch = m.group()
        text = text.replace(ch, table[ch])
        m = present.search(text, m.end())
    return text


@lru_cache(maxsize=1)
def _same_length_pairs() -> tuple[dict[str, str], re.Pattern[str]]:
    """The one-to-one folds as a character map, and a pattern finding the characters that fold."""
    table = {chr(code): out for code, out in _same_length_table().items()}
    return table, re.compile("[" + "".join(re.escape(ch) for ch in sorted(table)) + "]")


def word_key(word: str) -> str:
    """The lookup key of a folded word: diacritics and tatweel removed.

    >>> word_key("\u0646\u064f\u0638\u0645\u062a")
    'نظمت'
    """
    return word.translate(_MARKS_DROP)


def without_marks(key: str):
    """``key`` without harakat and tatweel, and a function mapping its offsets back to ``key``.

    >>> bare, back = without_marks("\u0646\u064f\u0638\u0645\u062a \u0627\u0644\u0645\u0631\u0643\u0632")
    >>> bare.index("\u0627\u0644\u0645\u0631\u0643\u0632"), back(bare.index("\u0627\u0644\u0645\u0631\u0643\u0632"))
    (5, 6)
    """
    marks = [m.start() for m in _HAS_MARKS.finditer(key)]
    if not marks:
        return key, lambda b: b
    shifted = [pos - i for i, pos in enumerate(marks)]
    return word_key(key), lambda b: b + bisect_right(shifted, b)


VARIANTS = {"\u0627": "\u0627\u0623\u0625\u0622\u0671", "\u0647": "\u0647\u0629", "\u064a": "\u064a\u0649\u06cc",
             "\u0643": "\u0643\u06a9"}
_MARKS_CLASS = "[\u064b-\u065f\u0670\u0640]*"


def raw_pattern(folded: str) -> str:
    """A regex matching the original spellings of a folded word (letter variants, harakat, tatweel).

    >>> re.fullmatch(raw_pattern("المركز"), "المَركز") is not None, re.fullmatch(raw_pattern("مبادره"), "مبادرة") is not None
    (True, True)
    """
    out = []
    for ch in folded:
        out.append(f"[{VARIANTS[ch]}]" if ch in VARIANTS else re.escape(ch))
        out.append(_MARKS_CLASS)
    return "".join(out)
