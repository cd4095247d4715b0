"""Match keys fold only what should not matter for matching, and every span maps back exactly."""
from __future__ import annotations

import random

import pytest

from policybrief.textnorm import (
    ARABIC_LETTERS,
    _normalize_by_char,
    arabic_share,
    match_key,
    normalize,
)


@pytest.mark.parametrize(
    "original, key",
    [
        pytest.param("\u0623\u0625\u0622\u0671", "\u0627\u0627\u0627\u0627", id="alef-variants"),
        pytest.param("\u0645\u0633\u062a\u0634\u0641\u0649", "\u0645\u0633\u062a\u0634\u0641\u064a", id="alef-maqsura"),
        pytest.param("\u0648\u0632\u0627\u0631\u0629", "\u0648\u0632\u0627\u0631\u0647", id="ta-marbuta"),
        pytest.param("\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f", "\u0645\u062d\u0645\u062f", id="harakat-shadda"),
        pytest.param("\u0639\u0640\u0640\u0644\u0645", "\u0639\u0644\u0645", id="tatweel"),
        pytest.param("\u0662\u0660\u0663\u0660 \u06f1\u06f2", "2030 12", id="arabic-indic-and-persian-digits"),
        pytest.param("\u0661\u0660\u066b\u0668", "10.8", id="arabic-decimal-separator"),
        pytest.param("\u200f\u0627\u200e\u202b\u0628\u202c\u200b", "\u0627\u0628", id="bidi-and-zero-width"),
        pytest.param("\u201c\u0623\u201d \u00ab\u0628\u00bb", '"\u0627" "\u0628"', id="quote-marks"),
        pytest.param("\ufefb", "\u0644\u0627", id="lam-alef-presentation-form"),
        pytest.param("Maroc IA", "Maroc IA", id="latin-kept"),
    ],
)
def test_match_key(original, key):
    assert match_key(original) == key


ALPHABET = list("\u0627\u0623\u0625\u0644\u0645\u063a\u0631\u0628\u0629\u0649\u064e\u0651\u0640\u0661\u066b\u200f\ufefb\u201c Ab1.")


@pytest.mark.parametrize("seed", range(20))
def test_every_span_of_the_key_maps_back_to_original_text_with_the_same_key(seed):
    rng = random.Random(seed)
    original = "".join(rng.choice(ALPHABET) for _ in range(60))
    norm = normalize(original)
    for _ in range(50):
        start = rng.randrange(len(norm.text) + 1)
        end = rng.randrange(start, len(norm.text) + 1)
        o_start, o_end = norm.to_original(start, end)
        assert 0 <= o_start <= o_end <= len(original)
        if start < end:
            # the original span folds to a key that contains the key span (a ligature may add one letter)
            assert norm.text[start:end] in match_key(original[o_start:o_end])


def test_to_original_rejects_spans_outside_the_key():
    with pytest.raises(ValueError):
        normalize("\u0627\u0628").to_original(1, 5)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("بلغ الاستثمار ١٠٫٨ مليار دولار", id="arabic-indic"),
        pytest.param("أرضًا خصبةً للمُبتكِرين", id="harakat"),
        pytest.param("الـــذكاء \u200fالاصطناعي\u200e", id="tatweel-and-bidi"),
        pytest.param("\ufefb\ufe8e\ufedf \ufe8e\ufee3", id="presentation-forms"),
        pytest.param("إطلاق “المغرب الرقمي 2030” – رسميا", id="quotes-and-dashes"),
        pytest.param("", id="empty"),
    ],
)
def test_fast_path_equals_character_loop(text):
    assert normalize(text) == _normalize_by_char(text, casefold=False)


def test_fast_path_equals_character_loop_on_random_strings():
    rng = random.Random(7)
    alphabet = "اأإآبتةثىيکک \u064b\u064e\u0651\u0640\u200f\u0661\u0662\u066b\u066c12.,\u201c\u2013\ufefbab"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert normalize(text) == _normalize_by_char(text, casefold=False), text


def _arabic_share_by_char(text):
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch in ARABIC_LETTERS for ch in letters) / len(letters) if letters else 0.0


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Fes فاس", 0.5, id="half-latin"),
        pytest.param("123 , . ؟ !", 0.0, id="no-letters"),
        pytest.param("", 0.0, id="empty"),
        pytest.param("ab² ½ سلام", 4 / 6, id="superscript-and-fraction-are-not-letters"),
        pytest.param("الـــذكاء_الاصطناعي", 1.0, id="tatweel-is-an-arabic-letter"),
    ],
)
def test_arabic_share(text, expected):
    assert arabic_share(text) == pytest.approx(expected)


def test_arabic_share_equals_character_loop_on_random_strings():
    rng = random.Random(11)
    alphabet = "اأبةىيکپ \n\t.,،؟_-0123٣²½ⅫabcÉé\u064e\u0640\u200f\ufefb"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 50)))
        assert arabic_share(text) == _arabic_share_by_char(text), text


def test_fast_path_equals_character_loop_for_every_folded_character():
    chars = [chr(c) for c in range(0x3100) if not (0xD800 <= c < 0xE000)]
    text = " ".join(chars)
    assert normalize(text) == _normalize_by_char(text, casefold=False)


def test_every_character_of_the_presentation_form_blocks_folds_without_error():
    # Symbols (U+FBB2 ARABIC SYMBOL DOT ABOVE) and unassigned points there have no decomposition.
    blocks = [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]
    text = "".join(chr(code) for code in blocks)
    norm = normalize(text)
    assert len(norm.origin) == len(norm.text)
    assert match_key("\ufbb2") == "\ufbb2"
    assert match_key("\u0645\ufbb2\ufefb") == "\u0645\ufbb2\u0644\u0627"
