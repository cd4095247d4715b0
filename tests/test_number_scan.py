"""numerals._atoms (two class-led scans) finds exactly the atoms of the single ``atom_regex`` scan it replaced."""
from __future__ import annotations

import random

import pytest

from policybrief import numerals
from policybrief.numerals import (
    _AND,
    _SPACE,
    _SPACES,
    _Atom,
    _decimal_before_scale,
    _parse_key_digits,
    atom_regex,
    word_table,
)


def _reference_atoms(key: str) -> list[_Atom]:
    """``_atoms`` as first written: one ``atom_regex`` scan, gaps tested with the two regexes."""
    table = word_table()
    atoms: list[_Atom] = []
    prev_end = -10
    # Added later: agency decimals written with ر ("5ر22") are one digit atom, read fraction first.
    ra = list(numerals._RA_DECIMAL.finditer(key))
    matches = [m for m in atom_regex().finditer(key) if not any(r.start() < m.end() and m.start() < r.end() for r in ra)]
    prev_start = -10
    for m in sorted(matches + ra, key=lambda m: m.start()):
        start = m.start("word") if m.re is not numerals._RA_DECIMAL and m.group("word") is not None else m.start()
        bracketed = prev_start > 0 and key[prev_start - 1] == "(" and key[prev_end:prev_end + 1] == ")"
        if bracketed:
            prev_end += 1  # Added later: "(120) مليار": the bracket closes the number, the scale word joins it
        prev_start = start
        if m.re is numerals._RA_DECIMAL:
            gap = key[prev_end:m.start()] if prev_end >= 0 else None
            link = "" if gap is None else "and" if _AND.fullmatch(gap) else "space" if _SPACE.fullmatch(gap) else ""
            atoms.append(_Atom(m.start(), m.end(), "digits", numerals.ra_decimal(m.group()), "", False, link))
            prev_end = m.end()
            continue
        if m.group("word") is not None:
            w = table[_SPACES.sub(" ", m.group("word"))]
            pre = m.group("pre")
            gap = key[prev_end:m.start()] if prev_end >= 0 else None
            if gap is None:
                link = ""
            elif (pre.startswith("و") or (not pre and m.group("word")[:1] == "و" and m.group("word")[1:] in table)) \
                    and _SPACE.fullmatch(gap):
                link = "and"
            elif not pre and _SPACE.fullmatch(gap):
                link = "space"
            elif not pre and _AND.fullmatch(gap):
                link = "and"
            else:
                link = ""
            atoms.append(_Atom(m.start("word"), m.end(), w.kind, w.value, w.form, w.teen_ten, link))
        else:
            try:
                value = _parse_key_digits(m.group())
            except ValueError:
                prev_end = -10
                continue
            gap = key[prev_end:m.start()] if prev_end >= 0 else None
            link = "" if gap is None else "and" if _AND.fullmatch(gap) else "space" if _SPACE.fullmatch(gap) else ""
            # Added later: the decimal reading before a scale word ("4.783 مليار"), same for both scans.
            before_scale = _decimal_before_scale(m.group()) if "." in m.group() or "," in m.group() else None
            separator = ("." if "." in m.group() else ",") if before_scale is not None else ""
            atoms.append(_Atom(m.start(), m.end(), "digits", value, "", False, link, before_scale, separator))
        prev_end = m.end()
    return atoms


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("ثلاثه مليار و200 مليون درهم", id="compound-with-and"),
        pytest.param("مليون في البدايه", id="word-at-offset-0"),
        pytest.param("3 ملايين", id="digits-at-offset-0"),
        pytest.param("و3 وخمسه وبالف ولمليون", id="clitics-before-digits-and-words"),
        pytest.param("1.200.300,5 و1.200.300.5 و1 200 و10,8", id="separators-and-a-bad-group"),
        pytest.param("ثلاثه\nارباع مليون و ثلاثه  ارباع", id="multi-word-entry-across-spaces"),
        pytest.param("x12 ab3 _5 ٣ 12ab", id="digits-glued-to-latin"),
        pytest.param("«خمسه»-سته/سبعه:ثمانيه", id="words-after-punctuation"),
        pytest.param("\u00a0و\u00a0ست\t\tعشر", id="no-break-space-and-tabs"),
        pytest.param("مليار   و  200 مليون   و   ثلاثه", id="longest-and-gap-and-one-too-long"),
        pytest.param("", id="empty"),
    ],
)
def test_examples_give_the_reference_atoms(key):
    assert numerals._atoms(key) == _reference_atoms(key)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(4)])
def test_random_sentences_give_the_reference_atoms(seed, gold_key_words):
    rng = random.Random(seed)
    gold = gold_key_words
    numbers = sorted(word_table())
    pieces = ["3", "12", "1,200", "1.200.300", "1 200", "10.8", "0", "2030", "1.200,5.3", "x1", "_"]
    clitics = ["", "", "", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب"]
    joins = ["", " ", " ", " ", "  ", "   ", "    ", "\n", "\t", "\u00a0", "، ", " و", "و", " و ", "   و  ", "   و   ",
             ".", ",", "-", "«"]
    assert len(gold) > 500
    for _ in range(1500):
        words = []
        for _ in range(rng.randint(1, 14)):
            roll = rng.random()
            word = rng.choice(gold) if roll < 0.4 else rng.choice(pieces) if roll < 0.6 else rng.choice(numbers)
            words.append(rng.choice(clitics) + word + rng.choice(joins))
        key = "".join(words)
        assert numerals._atoms(key) == _reference_atoms(key), key


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("1200", "1200", id="plain"),
        pytest.param("007", "7", id="leading-zeros"),
        pytest.param("1,200", "1200", id="group"),
        pytest.param("3 500,75", "3500.75", id="space-group-and-decimal-comma"),
    ],
)
def test_parse_key_digits(text, expected):
    assert str(_parse_key_digits(text)) == expected
