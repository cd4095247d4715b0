"""The bisection lookups of initiatives._Document answer exactly as the scans they replace.

Texts are random sequences of words of the gold articles, head nouns (with proclitics, harakat and letter
variants), clause breaks and sentence ends.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from policybrief.extract.entity_lexicon import lexicon
from policybrief.textnorm import fold_keep_offsets, raw_pattern, word_key
from policybrief.extract.initiatives import _CLAUSE_BREAK, _Clauses, _Document, _Spans
from policybrief.segment import paragraph_spans, sentence_spans

_ARTICLES = Path(__file__).parent / "gold" / "articles"
_PIECES = ["المركز", "والمركز", "بالمختبر", "للمنصة", "فالبرنامج", "المَركز", "ٱلمركز", "المركزُ", "المراكز",
           "الاستراتيجية", "الأكاديمية", "بالإستراتيجية", "الهاكاثون", "المركزي", "مركز", "ال", "،", ",", ";", "؛", ":", ".", "!", "؟", "\n", "\n\n", " ",
           "ـ", "ُ", "10.5", "د.م.", "x"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    words = " ".join(p.read_text(encoding="utf-8") for p in sorted(_ARTICLES.glob("*.txt"))).split()
    rng = random.Random(11)
    out = []
    for _ in range(800):
        parts = [rng.choice(_PIECES) if rng.random() < 0.5 else rng.choice(words) for _ in range(rng.randrange(1, 40))]
        out.append("".join(part + rng.choice(["", " ", " ", " ", "\n"]) for part in parts))
    return out


def _original_backref_regex() -> re.Pattern[str]:
    """The back-reference pattern as first written (heads not grouped by first letter), the reference."""
    lex = lexicon()
    heads = sorted({h for h in lex.initiative_heads if " " not in h} | set(lex.unnamed_heads), key=len, reverse=True)
    assert all(fold_keep_offsets(h[0]) == h[0] for h in heads)  # folded first letters: the grouping needs them
    return re.compile(r"(?<![\w\u0621-\u064a])(?:[\u0648\u0641]?[\u0628\u0644]?)" + raw_pattern("\u0627\u0644")
                      + "(?P<head>" + "|".join(raw_pattern(h) for h in heads) + r")(?![\w\u0621-\u064a])")


def _span_of_by_scan(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return pos, pos + 1


def _clause_of_by_regex(text: str, sentence: tuple[int, int], pos: int) -> tuple[int, int]:
    start, end = sentence
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() < pos:
            start = m.end()
        else:
            end = m.start()
            break
    return start, end


def test_spans_and_clauses_equal_the_scans(texts):
    for text in texts:
        sentences, paragraphs, clauses = sentence_spans(text), paragraph_spans(text), _Clauses(text)
        for pos in range(len(text) + 1):
            sentence = _Spans(sentences).at(pos)
            assert sentence == _span_of_by_scan(sentences, pos)
            assert _Spans(paragraphs).at(pos) == _span_of_by_scan(paragraphs, pos)
            assert clauses.of(sentence, pos) == _clause_of_by_regex(text, sentence, pos), (text, pos)


def test_backrefs_of_a_sentence_equal_a_scan_of_the_whole_text(texts):
    found = 0
    for text in texts:
        every = [(m.start(), word_key(fold_keep_offsets(m.group("head")))) for m in _original_backref_regex().finditer(text)]
        doc = _Document(text, [])
        sentences = _Spans(sentence_spans(text))
        for s, e in {sentences.at(pos) for pos in range(len(text) + 1)}:  # sentences and spans between them
            assert list(doc._backrefs((s, e))) == [head for pos, head in every if s <= pos < e], (text, s, e)
        found += len(every)
    assert found > 1000
