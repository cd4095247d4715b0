"""find_numbers' shortcut for a lone digit string builds exactly what its general path builds."""
from __future__ import annotations

import random

import pytest

from policybrief import numerals
from policybrief.textnorm import match_key

NUMBER_BITS = ["12", "3.5", "1,200", "2030", "07", "5 ملايين", "مليار", "مليونين", "الف", "آلاف", "ثلاثه", "عشرين",
               "و200", "و5", "مائه", "نصف مليون", "ثلاثه ارباع", "10 مليار", "ملياري"]
JOINS = ["", " ", " ", "  ", "\n", "، ", "-", " و", "و", "."]


def _reference(key: str) -> list[numerals.NumberSpan]:
    """``find_numbers`` with every number through the general path (``_segment``), as first written."""
    atoms = numerals._atoms(key)
    out, i = [], 0
    while i < len(atoms):
        seg = numerals._segment(atoms, i)
        if seg is None:
            i += 1
            continue
        value, j, scale, words = seg
        start, scaled = atoms[i].start, scale > 1
        while scale > 1 and j < len(atoms) and atoms[j].link == "and":
            nxt = numerals._segment(atoms, j)
            if nxt is None or nxt[0] >= scale:
                break
            value, j, scale, words = value + nxt[0], nxt[1], nxt[2], words or nxt[3]
        plain = j == i + 1 and atoms[i].kind == "digits"
        out.append(numerals.NumberSpan(value, start, atoms[j - 1].end, words, scaled, plain,
                                       key[start:atoms[i].end] if plain else "", scale))
        i = j
    return out


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("بلغ 12 مشروعا و5 ملايين درهم", id="lone-digits-then-scaled"),
        pytest.param("10 مليار و200 مليون", id="compound"),
        pytest.param("2 مليونين", id="dual-does-not-scale"),
        pytest.param("", id="empty"),
    ],
)
def test_examples(key):
    assert numerals.find_numbers(key) == _reference(key)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(4)])
def test_random_sentences(seed, gold_key_words):
    rng = random.Random(seed)
    gold = gold_key_words
    plain = 0
    for _ in range(1500):
        parts = [(rng.choice(NUMBER_BITS) if rng.random() < 0.5 else rng.choice(gold)) + rng.choice(JOINS)
                 for _ in range(rng.randint(1, 12))]
        key = match_key("".join(parts))
        found = numerals.find_numbers(key)
        assert found == _reference(key), key
        plain += sum(n.plain_digits for n in found)
    assert plain > 1000  # the shortcut is taken
