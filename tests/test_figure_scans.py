"""Figures' shortcuts find exactly what the regex scans they replaced found."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from policybrief.extract import figures
from policybrief.textnorm import match_key

GOLD = Path(__file__).parent / "gold" / "articles"
HEADS = ["المرتبه", "الرتبه", "المركز"]


def _spans(matches) -> list[tuple[int, int, int]]:
    return [(m.start(), m.start("head"), m.end()) for m in matches]


def _reference_rank_heads(key: str) -> list[tuple[int, int, int]]:
    return _spans(figures.rules().rank_head_ordinal.finditer(key))


def test_heads_are_the_data_heads():
    assert sorted(figures.rules().rank_head_pieces) == sorted(HEADS)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("احتل المغرب المرتبه الثامنه", id="head-then-ordinal"),
        pytest.param("المرتبه 87 وبالمرتبه  الاولي", id="head-at-offset-0-and-two-letter-clitic"),
        pytest.param("فالمركز\tالاول ولالمركز الثاني", id="one-letter-clitic-and-no-match"),
        pytest.param("المرتبهالمرتبه الاولي", id="glued-heads"),
        pytest.param("كالمرتبه المرتبه المركز", id="heads-in-a-row"),
        pytest.param("المرتبه", id="no-space-after"),
        pytest.param("", id="empty"),
    ],
)
def test_rank_head_examples(key):
    assert _spans(figures._rank_heads(key, figures.rules())) == _reference_rank_heads(key)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(4)])
def test_rank_heads_on_random_sentences(seed):
    rng = random.Random(seed)
    gold = sorted({w for p in sorted(GOLD.glob("*.txt")) for w in match_key(p.read_text("utf-8")).split()})
    clitics = ["", "", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "ا", "ال"]
    joins = ["", " ", " ", "  ", "\t", "\n", "، ", ".", " \t "]
    for _ in range(1500):
        words = []
        for _ in range(rng.randint(1, 12)):
            word = rng.choice(HEADS) if rng.random() < 0.35 else rng.choice(gold)
            words.append(rng.choice(clitics) + word + rng.choice(joins))
        key = "".join(words)
        assert _spans(figures._rank_heads(key, figures.rules())) == _reference_rank_heads(key), key
