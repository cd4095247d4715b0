"""Arabic word shapes the entity rules read: clitic readings, the article, verb and adjective endings.

Pure functions over folded words (``textnorm.fold_keep_offsets`` then ``word_key``), cached per word.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..rules import load
from ..textnorm import fold_keep_offsets, match_key, word_key

DEFINITE = "\u0627\u0644"  # ال
LAM = "\u0644"
_PREFIXES = ("\u0648", "\u0641")  # و ف
_PREPOSITIONS = ("\u0628", "\u0644", "\u0643")  # ب ل ك


@lru_cache(maxsize=1)
def _unsplit_words() -> frozenset[str]:
    """Words that look like a clitic and a stem but are one word (``unsplit_words`` of ``data/entities.yml``)."""
    return frozenset(word_key(fold_keep_offsets(w)) for w in load("entities")["unsplit_words"])


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[tuple[int, str], ...]:
    """Readings of a folded word as (prefix length, stem): clitics و ف ب ل ك stripped, لل read as ل + ال.

    >>> stems("للوكاله")
    ((0, 'للوكاله'), (1, 'لوكاله'), (1, 'الوكاله'))
    >>> stems("وبالرباط")[-1]
    (2, 'الرباط')
    """
    out = [(0, word)]
    if word in _unsplit_words():
        return tuple(out)  # بليون is a number word, not ب + ليون
    for i, first in enumerate(("", *_PREFIXES)):
        if first and not word.startswith(first):
            continue
        rest = word[len(first):]
        if first and len(rest) >= 2:
            out.append((len(first), rest))
        for prep in _PREPOSITIONS:
            if rest.startswith(prep) and len(rest) > len(prep) + 1:
                stem = rest[len(prep):]
                out.append((len(first) + len(prep), stem))
                if prep == LAM and stem.startswith(LAM) and len(stem) > 2:
                    # ل + ال is written لل: the stem is ال + the rest; the span keeps the whole word.
                    out.append((len(first) + len(prep), DEFINITE + stem[1:]))
    seen, unique = set(), []
    for item in out:
        if item not in seen:
            seen.add(item)
            unique.append(item)
    return tuple(unique)


@lru_cache(maxsize=262144)
def is_definite(word: str) -> bool:
    """The word (after clitics) carries the article.

    >>> is_definite("والصادرات"), is_definite("لتنميه"), is_definite("للوكاله")
    (True, False, True)
    """
    return any(stem.startswith(DEFINITE) and len(stem) > 3 for _, stem in stems(word))




def is_future_verb(w: str) -> bool:
    """س + an imperfect prefix (ستوسع، سيعمل، سنطلق), not a plural or feminine noun (سيارات).

    >>> is_future_verb("\u0633\u062a\u0648\u0633\u0639"), is_future_verb("\u0633\u064a\u0627\u0631\u0627\u062a")
    (True, False)
    """
    return (len(w) >= 5 and w[0] == "\u0633" and w[1] in "\u064a\u062a\u0646"
            and not w.endswith(("\u0627\u062a", "\u0647", "\u0629")))


def is_nisba(w: str) -> bool:
    """A relative adjective (…ي، …ية، …يين)."""
    return w.endswith(("\u064a", "\u064a\u0647", "\u064a\u064a\u0646", "\u064a\u0648\u0646"))




_STRIP_CHARS = re.compile(r"[\"'()\[\]\u00ab\u00bb\u201c\u201d\u2033.,\u060c:;!?\u061f]")
_DASH = re.compile(r"\s*-\s*")


@lru_cache(maxsize=65536)
def canonical_base(text: str) -> str:
    """Match key, casefolded, quotes and punctuation dropped, the article ال stripped from each word.

    >>> canonical_base("“المغرب الرقمي 2030″")
    'مغرب رقمي 2030'
    >>> canonical_base("JAZARI Root")
    'jazari root'
    """
    key = _STRIP_CHARS.sub(" ", match_key(text, casefold=True))
    key = _DASH.sub(" - ", key)
    words = [w[2:] if w.startswith(DEFINITE) and len(w) > 4 else w for w in key.split()]
    return " ".join(words)
