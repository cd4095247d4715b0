"""The faster scans behind ``entities.unnamed_initiatives`` give what the plain ones gave.

Random texts mix the gold articles' and seeds' words with creation words and head nouns written in
their variant spellings, with prefixes, harakat, tatweel and unusual spaces, so that matches sit next to,
inside and right after each other.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from policybrief import textnorm
from policybrief.extract import entity_lexicon as L
from policybrief.extract import initiative_names as I
from policybrief.paths import SEEDS_DIR

SOURCES = sorted((Path(__file__).parent / "gold" / "articles").glob("*.txt")) + sorted(SEEDS_DIR.glob("*.txt"))
VOCABULARY = [w for path in SOURCES for w in path.read_text(encoding="utf-8").split()]
SEPARATORS = [" "] * 10 + ["  ", "\t", "\u00a0", " \u00a0 ", "، ", ". ", "\n", ": ", "-", " (", '" ', ""]
MARKS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0670", "\u0640"]


def _spelling(word: str, rng: random.Random) -> str:
    """``word`` with random letter variants, harakat or tatweel, and sometimes a prefix."""
    out = []
    for ch in word:
        out.append(rng.choice(textnorm.VARIANTS.get(ch, ch)))
        if rng.random() < 0.1:
            out.append(rng.choice(MARKS))
    return rng.choice(["", "", "", "\u0648", "\u0641", "\u0628", "\u0644", "\u0648\u0628", "\u0641\u0644", "\u0643"]) + "".join(out)


def _random_text(rng: random.Random) -> str:
    lex = L.lexicon()
    creation, heads = sorted(lex.creation), sorted(lex.unnamed_heads)
    out = []
    for _ in range(rng.randint(1, 120)):
        r = rng.random()
        if r < 0.1:
            out.append(_spelling(rng.choice(creation), rng))
        elif r < 0.2:  # a creation word right before a head noun: most of these match
            out.append(_spelling(rng.choice(creation), rng) + rng.choice(SEPARATORS) + _spelling(rng.choice(heads), rng))
        elif r < 0.3:
            out.append(_spelling(rng.choice(heads), rng))
        else:
            out.append(rng.choice(VOCABULARY))
        out.append(rng.choice(SEPARATORS))
    return "".join(out)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("سيتم إحداث مركز تميز", id="plain"),
        pytest.param("إحداث  \u00a0مركز وإطلاق برنامج", id="two-matches-odd-spaces"),
        pytest.param("وبإنشاء مَركز", id="prefixes-and-harakat"),
        pytest.param("إحداثات مركز", id="creation-inside-a-longer-word"),
        pytest.param("مركز مركز إحداث", id="heads-without-creation"),
        pytest.param("إحداث مركزي", id="head-inside-a-longer-word"),
    ],
)
def test_creation_matches_examples(text):
    expected = [(m.start(), m.end(), m.start("head")) for m in I._creation_regex().finditer(text)]
    assert [(m.start(), m.end(), m.start("head")) for m in I._creation_matches(text)] == expected


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(8)])
def test_creation_matches_equal_finditer_on_random_texts(seed):
    rng = random.Random(seed)
    found = 0
    for _ in range(150):
        text = _random_text(rng)
        expected = [(m.start(), m.end(), m.start("head")) for m in I._creation_regex().finditer(text)]
        assert [(m.start(), m.end(), m.start("head")) for m in I._creation_matches(text)] == expected
        found += len(expected)
    assert found > 100  # the texts do exercise the matches


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(4)])
def test_grouped_head_regex_equals_one_branch_per_head(seed):
    heads = "|".join(textnorm.raw_pattern(w) for w in sorted(L.lexicon().unnamed_heads, key=len, reverse=True))
    flat = re.compile(r"[ \t\u00a0](?:" + heads + r")(?![\u0621-\u064a\w])")
    rng = random.Random(seed)
    for _ in range(150):
        text = _random_text(rng)
        assert [m.span() for m in I._head_regex().finditer(text)] == [m.span() for m in flat.finditer(text)]
