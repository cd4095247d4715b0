"""Word tokens of a folded text as columns, with the cached ``Tag`` mask of each word."""
from __future__ import annotations

import re
from itertools import accumulate
from operator import itemgetter

from ..textnorm import word_key
from .entity_lexicon import LATIN_TOKEN, YEAR_NUMBER, _tags

YEAR = re.compile(r"(?:19|20)\d\d$")
_ARABIC_LETTER = "[\u0621-\u065f\u0670-\u06d3\u06fa-\u06ff]"
_LATIN_WORD = "[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f&'\u2019_+]*(?:[.\\-][A-Za-z0-9\u00c0-\u024f]+)*"
# X+ written XX*: each branch then starts with a character set, and re skips the gaps by that first set
_SPLIT = re.compile(f"({_ARABIC_LETTER}{_ARABIC_LETTER}*|{_LATIN_WORD}|\\d\\d*(?:[.,]\\d+)*|&)")
LATIN_LETTER = re.compile("[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")


class Token(tuple):
    """A word token: (start, end, word, latin, number, joined, mask), as ``tokenize`` returns them."""

    __slots__ = ()
    start = property(itemgetter(0))
    end = property(itemgetter(1))
    word = property(itemgetter(2))  # folded lookup key
    latin = property(itemgetter(3))
    number = property(itemgetter(4))
    joined = property(itemgetter(5))  # only spaces (no punctuation, no newline) since the previous token
    mask = property(itemgetter(6))  # rule families the word may start (``_tags``)


class _Memo(dict):
    """A per-key cache that ``map(memo.__getitem__, …)`` reads in C (an lru_cache call costs twice as much).

    Emptied when it holds ``maxsize`` keys, so memory stays bounded on any corpus.
    """

    def __init__(self, fn, maxsize: int) -> None:
        super().__init__()
        self.fn, self.maxsize = fn, maxsize

    def __missing__(self, key):
        if len(self) >= self.maxsize:
            self.clear()
        value = self[key] = self.fn(key)
        return value


def _word_info(word: str) -> tuple[str, bool, bool, int]:
    """(lookup key, latin, number, rule mask) of a token's surface."""
    ch = word[0]
    if ch.isdigit():
        return word, False, True, YEAR_NUMBER if YEAR.match(word) else 0
    if ch < "\u0600":
        return word, True, False, LATIN_TOKEN
    key = word_key(word)
    return key, False, False, _tags(key)


def _gap_joins(gap: str) -> bool:
    """The gap between two tokens holds only spaces (no punctuation, no newline)."""
    return not gap.strip() and "\n" not in gap


_WORD_INFO = _Memo(_word_info, 262144)
_GAP_JOINS = _Memo(_gap_joins, 4096)


def token_columns(key: str) -> tuple[list[int], list[int], tuple, tuple, tuple, list[bool], tuple]:
    """The tokens of a folded text as columns: (starts, ends, words, latin, number, joined, masks).

    One ``re.split`` gives gaps and tokens alternately; offsets are running sums of their lengths, and
    every per-word property comes from a cache, so no Python code runs per token.
    """
    parts = _SPLIT.split(key)
    if len(parts) == 1:
        return [], [], (), (), (), [], ()
    offsets = list(accumulate(map(len, parts)))
    words, latin, number, masks = zip(*map(_WORD_INFO.__getitem__, parts[1::2]))
    joined = [False, *map(_GAP_JOINS.__getitem__, parts[2:-1:2])]
    return offsets[0:-1:2], offsets[1::2], words, latin, number, joined, masks


def tokenize(key: str) -> list[Token]:
    """Word tokens of a folded text with their offsets and whether they follow the previous one directly.

    >>> [(t.word, t.joined) for t in tokenize("وزارة الصحة، Onepoint")]
    [('وزارة', False), ('الصحة', True), ('Onepoint', False)]
    """
    return list(map(Token, zip(*token_columns(key))))


def mostly_latin(text: str) -> bool:
    """More than 60% of the letters of ``text`` are Latin (no letter: False).

    >>> mostly_latin("Maroc IA 2030"), mostly_latin("\u0627\u0644\u0645\u063a\u0631\u0628 AI")
    (True, False)
    """
    if not LATIN_LETTER.search(text):
        return False  # most quotes are Arabic speech: no need to count
    return len(LATIN_LETTER.findall(text)) / (len(_LETTER.findall(text)) or 1) > 0.6
