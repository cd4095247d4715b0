"""Years and version numbers that belong to a name: not dates, not figures.

A 4-digit year (or a year range such as 2020-2030) is part of a name when

* it follows a Latin word that is not a month or a preposition: ``Maroc IA 2030``, ``Vision 2030``;
* it closes a quoted segment: ``“المغرب الرقمي 2030”``, ``«الجيل الأخضر 2020-2030»``;
* it follows a name head (``رؤية``, ``استراتيجية``, ``برنامج``... in ``data/date_markers.yml``, also with
  ``ال``) and at most seven plain words, none of them a time cue: ``رؤية 2030``, ``استراتيجية المغرب الرقمي
  2030``, ``البرنامج الوطني للتزويد بالماء الشروب ومياه السقي 2020-2027`` (but ``استراتيجية الحكومة في
  أفق 2030`` is a target date);
* it follows two definite words with no time cue: ``المغرب الرقمي 2030``.

A version number ``N.M`` is part of a name after a Latin word or a definite Arabic word when no unit
or percentage follows: ``الصناعة 4.0``, ``Web 3.0``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..rules import load
from ..textnorm import NormalizedText, match_key, normalize

_YEAR = r"(?:19|20)\d\d"
# The look-behinds come after the first digits ((?<![\d.,]..) after "20" is (?<![\d.,]) before it), so
# the patterns start with a literal and the regex engine skips to candidate positions (~3-4x faster).
_YEAR_OR_RANGE = re.compile(
    r"(?:19|20)(?<![\d.,]..)\d\d(?:\s*[-/]\s*" + _YEAR + r")?(?![\d%]|[.,]\d)"
)
_VERSION = re.compile(r"\d(?<![\d.,].)\d?\.\d(?![\d%]|[.,]\d)")
_POINT_DIGIT = re.compile(r"\.\d")
# A literal is found by a fast string search, where "(?:19|20)" makes the engine test every character.
_CENTURIES = (re.compile("19"), re.compile("20"))  # the point of a version: a literal the regex engine jumps to
_WORD = re.compile(r"[^\s\"'()\[\]،,.:;!?؛؟\-]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&+.'_-]*$")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_CLAUSE_BREAK = re.compile(r"[\n.،,:;!?؛؟()]")
# Greedy: runs to the end, then backs up to the last break, where a finditer would list every break.
_UP_TO_LAST_BREAK = re.compile(r".*" + _CLAUSE_BREAK.pattern, re.DOTALL)
_AFTER_UNIT = re.compile(r"\s*(?:%|في الما[يئ]ه|بالما[يئ]ه)")
_DEFINITE = re.compile(r"^(?:[وفبلك]?ال|لل)\S{2,}")


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    rules = load("date_markers")
    keys = lambda name: frozenset(match_key(w) for w in rules[name])
    cues = keys("year_cues_strong") | keys("year_cues_weak") | keys("target_cues")
    from ..dates import month_lookup

    return {
        "cues": cues | {"و" + c for c in cues} | {"ف" + c for c in cues},
        "heads": keys("name_heads") | {"و" + h for h in keys("name_heads")},
        "latin_skip": frozenset(w.casefold() for w in rules["latin_months"] + rules["latin_not_names"]),
        "months": frozenset(month_lookup()),
        "units": keys("counted_nouns"),
    }


def _previous_words(key: str, pos: int, n: int) -> list[str]:
    """Up to ``n`` words before ``pos`` in the same clause, nearest last."""
    start = max(0, pos - 120)
    last_break = _UP_TO_LAST_BREAK.match(key, start, pos)
    return _WORD.findall(key, last_break.end() if last_break else start, pos)[-n:]


def _inside_quotes(key: str, pos: int) -> bool:
    """True when an odd number of double quotes precede ``pos`` on its line (within 100 characters)."""
    line_start = max(key.rfind("\n", 0, pos) + 1, pos - 100)
    return key.count('"', line_start, pos) % 2 == 1


def _closes_quote(key: str, end: int) -> bool:
    rest = key[end:end + 3].lstrip(" ")
    return rest.startswith('"')


def _is_plain_word(word: str, words: dict[str, frozenset[str]]) -> bool:
    return word not in words["cues"] and word not in words["months"] and not any(map(str.isdigit, word))


def _is_definite(word: str) -> bool:
    return _DEFINITE.match(word) is not None


def _year_is_named(key: str, start: int, end: int, words: dict[str, frozenset[str]]) -> bool:
    before = _previous_words(key, start, 9)
    gap = key[max(0, start - 3):start]
    if before and _LATIN_WORD.match(before[-1]) and before[-1].casefold() not in words["latin_skip"]:
        if key[max(0, start - 80):start].rstrip().endswith(before[-1]):  # the Latin word is right before the year
            return True
    if _closes_quote(key, end) and _inside_quotes(key, start):
        return True
    is_range = not key[start:end].isdigit()
    for i in range(len(before) - 1, max(-1, len(before) - 9), -1):
        word = before[i]
        if word in words["heads"] or (word.startswith("ال") and word[2:] in words["heads"] and i < len(before) - 1):
            # (a definite head far back: البرنامج الوطني للتزويد بالماء الشروب ومياه السقي 2020-2027)
            # "رؤية 2030" is a name; "الخطة 2025-2030" is a period unless words name it
            return not (is_range and i == len(before) - 1)
        if not _is_plain_word(word, words):
            break
    if len(before) >= 2 and all(_is_definite(w) and _is_plain_word(w, words) for w in before[-2:]):
        if '"' not in gap:
            return True
    return False


def _version_is_named(key: str, start: int, end: int, words: dict[str, frozenset[str]]) -> bool:
    if _AFTER_UNIT.match(key, end):
        return False
    after = _WORD.match(key, end + 1) if key[end:end + 1] == " " else None
    if after and after.group() in words["units"]:
        return False
    before = _previous_words(key, start, 1)
    if not before or not key[max(0, start - 80):start].rstrip().endswith(before[-1]):
        return False
    word = before[-1]
    latin = bool(_LATIN_WORD.match(word)) and word.casefold() not in words["latin_skip"]
    return latin or (_is_definite(word) and _is_plain_word(word, words))


def named_year_spans(text: str) -> list[tuple[int, int]]:
    """Spans (into ``text``) of years, year ranges and version numbers that are part of a name.

    >>> t = "خارطة “Maroc IA 2030” ورؤية 2030 والصناعة 4.0 في أفق 2030"
    >>> [t[s:e] for s, e in named_year_spans(t)]
    ['2030', '2030', '4.0']
    """
    return _named_spans(normalize(text))


def century_starts(key: str) -> list[int]:
    """Where ``19`` or ``20`` starts in ``key``, in order: every 19xx / 20xx year starts at one of them.

    >>> century_starts("1920 و2019")
    [0, 2, 6, 8]
    """
    # Neither literal overlaps itself, so finditer finds every occurrence.
    return sorted(m.start() for pattern in _CENTURIES for m in pattern.finditer(key))


def finditer_at(pattern: re.Pattern[str], key: str, starts: list[int]) -> list[re.Match[str]]:
    """``list(pattern.finditer(key))`` for a pattern whose (non-empty) matches all start at one of ``starts``.

    finditer tries every position from the end of its last match; only ``starts`` can succeed, so trying
    them alone, in order, finds the same matches. A look-behind sees the text before the position either way.
    """
    out, pos = [], 0
    for start in starts:
        if start >= pos:
            m = pattern.match(key, start)
            if m:
                out.append(m)
                pos = m.end()
    return out


def _named_spans(norm: NormalizedText, centuries: list[int] | None = None) -> list[tuple[int, int]]:
    """``named_year_spans`` on an already normalised text (``centuries``: its ``century_starts``)."""
    key = norm.text
    words = _words()
    centuries = century_starts(key) if centuries is None else centuries
    spans = []
    for m in finditer_at(_YEAR_OR_RANGE, key, centuries):
        if _year_is_named(key, m.start(), m.end(), words):
            spans.append(norm.to_original(m.start(), m.end()))
    for start, end in _version_spans(key):
        if _version_is_named(key, start, end, words):
            spans.append(norm.to_original(start, end))
    return sorted(spans)


def _version_spans(key: str) -> list[tuple[int, int]]:
    """Spans of the ``_VERSION`` matches, as its finditer finds them, ~10x faster: tried only at points.

    A match has a digit after its point, and one or two digits before it with no digit, point or comma
    before those: so one start at most fits a point, and matches never overlap.

    >>> _version_spans("Web 3.0 و10.5 و1.2.3 و123.4")
    [(4, 7), (9, 13)]
    """
    spans = []
    for point in _POINT_DIGIT.finditer(key):
        for start in (point.start() - 2, point.start() - 1):
            m = _VERSION.match(key, start) if start >= 0 else None
            if m:
                spans.append(m.span())
                break
    return spans


def in_spans(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` overlaps any of ``spans``.

    >>> in_spans(3, 5, [(4, 8)]), in_spans(0, 4, [(4, 8)])
    (True, False)
    """
    for s, e in spans:  # a loop, not any() over a generator: most lists are short and this is hot
        if s < end and start < e:
            return True
    return False
