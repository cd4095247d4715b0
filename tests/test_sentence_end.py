"""segment.sentence_spans with its end-character-first pattern splits as with the look-behind-first original."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from policybrief import segment

_ORIGINAL_END = re.compile(r"(?:(?<!\d)\.(?!\d)|(?<=\d)\.(?!\d)|[!?\u061f\u2026]+|\n+)")
_ARTICLES = Path(__file__).parent / "gold" / "articles"


def _original_sentence_spans(text: str) -> list[tuple[int, int]]:
    """``sentence_spans`` as first written, the reference."""
    spans, start = [], 0
    for m in _ORIGINAL_END.finditer(text):
        if m.group().startswith(".") and segment._is_abbreviation_point(text, m.start()):
            continue
        span = segment._trimmed(text, start, m.start() if m.group().startswith("\n") else m.end())
        if span:
            spans.append(span)
        start = m.end()
    span = segment._trimmed(text, start, len(text))
    if span:
        spans.append(span)
    return spans


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("بلغ 10.8 مليار. ثم 4. و.5 و3.", id="points-and-digits"),
        pytest.param("حقا؟! نعم!!… لا?؟\n\n\nثم", id="runs-of-marks-and-newlines"),
        pytest.param("خصص 20 مليون د.م. للتكوين. U.S. ok", id="abbreviations"),
        pytest.param(".\n", id="point-then-newline"),
    ],
)
def test_examples_split_as_the_original(text):
    assert segment.sentence_spans(text) == _original_sentence_spans(text)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(3)])
def test_random_texts_split_as_the_original(seed):
    words = " ".join(p.read_text(encoding="utf-8") for p in sorted(_ARTICLES.glob("*.txt"))).split()
    marks = [".", "!", "?", "\u061f", "\u2026", "\n", "\n\n", " ", "3", "10", "د", "a", "،", "\r", "\t"]
    rng = random.Random(seed)
    for _ in range(2000):
        text = "".join(rng.choice(marks) if rng.random() < 0.5 else rng.choice(words)
                       for _ in range(rng.randrange(1, 30)))
        assert segment.sentence_spans(text) == _original_sentence_spans(text), text
