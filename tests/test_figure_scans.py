"""Figures' shortcuts find exactly what the regex scans they replaced found."""
from __future__ import annotations

import random
import re

import pytest

from policybrief.extract import figures

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
def test_rank_heads_on_random_sentences(seed, gold_key_words):
    rng = random.Random(seed)
    gold = gold_key_words
    clitics = ["", "", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "ا", "ال"]
    joins = ["", " ", " ", "  ", "\t", "\n", "، ", ".", " \t "]
    for _ in range(1500):
        words = []
        for _ in range(rng.randint(1, 12)):
            word = rng.choice(HEADS) if rng.random() < 0.35 else rng.choice(gold)
            words.append(rng.choice(clitics) + word + rng.choice(joins))
        key = "".join(words)
        assert _spans(figures._rank_heads(key, figures.rules())) == _reference_rank_heads(key), key


# ---------------------------------------------------------------------------------------------- the windows before a number

LABELS = ["رقم", "القانون رقم", "الماده", "سنه", "عام", "version", "v", "V", "VERSION", "Version"]
QUALIFIERS = ["نحو", "حوالي", "اكثر من", "ما يزيد علي", "حتي", "في حدود", "من", "دون"]
BEFORE_BITS = ["", " ", "  ", "\t", "\n", " \n", "\t \n", ":", "/", "-", "2-", "3/", "2-\n", ":\n", "،", "و", "ب", " و", " ب",
               "و\n"]


def _reference_is_label(key: str, n, r) -> bool:
    before = key[max(0, n.start - 28):n.start]
    if figures._DIGITS_CONTEXT_BEFORE.search(before) or figures._DIGITS_CONTEXT_AFTER.match(key, n.end):
        return True
    if n.plain_digits and re.search(r"(?<!\w)ال[ \-]?$", before):
        return True  # added later: "الـ30", an ordinal written with digits
    if not r.label_before.search(before):
        return False
    # added later: after a year word, a number with a unit that is no year is a quantity ("الدين العام 65 %")
    year_word = before.rstrip().endswith(("عام", "العام", "سنه", "السنه"))
    return not (year_word and not 1900 <= n.value <= 2100 and r.unit.match(key, n.end))


def _reference_qualifier(key: str, start: int, end: int, r) -> str:
    before = key[max(0, start - 28):start]
    before = figures._TRAILING_CLITIC.sub("", before)
    m = r.qualifier_before.search(before)
    if m:
        return r.qualifier_of[figures._SPACES.sub(" ", m.group("q"))]
    m = r.qualifier_after.match(key, end)
    if m:
        return r.qualifier_after_of[figures._SPACES.sub(" ", m.group("q"))]
    return ""


def _random_keys(seed: int, count: int, gold: list[str]):
    rng = random.Random(seed)
    words = LABELS + QUALIFIERS + HEADS + ["افضل", "احسن", "12", "2030", "3.5", "مليون", "ثلاثه"]
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 10)):
            word = rng.choice(words) if rng.random() < 0.5 else rng.choice(gold)
            parts.append(rng.choice(["", "", "و", "ب", "ل", "فب"]) + word + rng.choice(BEFORE_BITS))
        yield "".join(parts) + rng.choice(["", " "]) + rng.choice(["5", "12", "300", "1.5", "خمسه"]) + rng.choice(
            ["", " ", "/4", ":30", " تقريبا", " علي الاقل"])


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(4)])
def test_windows_before_numbers_answer_as_the_regexes(seed, gold_key_words):
    """Labels, qualifiers and rank words before each number: the cheap tests never rule out a match."""
    r = figures.rules()
    ruled_out = 0
    for key in _random_keys(seed, 1500, gold_key_words):
        for n in figures.find_numbers(key):
            before = key[max(0, n.start - 28):n.start]
            assert figures._is_label(key, n, r) == _reference_is_label(key, n, r), key
            assert figures._qualifier(key, n.start, n.end, r) == _reference_qualifier(key, n.start, n.end, r), key
            if r.rank_head_before.search(before):
                assert figures._contains_any(before, r.rank_head_pieces), key
            if r.rank_best_before.search(before):
                assert figures._contains_any(before, r.rank_best_pieces), key
            ruled_out += not figures._may_end_with_label(before, r)
    assert ruled_out > 1000  # the shortcut is taken, not only the regex


@pytest.mark.parametrize(
    "before, expected",
    [
        pytest.param("صدر القانون رقم ", True, id="label-then-space"),
        pytest.param("الماده\t\n", True, id="label-then-tab-and-final-newline"),
        pytest.param("الماده\n\n", False, id="two-newlines"),
        pytest.param("النسخه VERSION", True, id="latin-label-any-case"),
        pytest.param("بلغ عدد", False, id="no-label"),
        pytest.param("", False, id="empty"),
    ],
)
def test_label_examples(before, expected):
    r = figures.rules()
    assert bool(r.label_before.search(before)) == expected
    assert figures._may_end_with_label(before, r) or not expected
