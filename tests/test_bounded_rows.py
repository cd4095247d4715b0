"""Rows stay bounded: a table row keeps a window of its sentence, never a whole article written as one line."""
from __future__ import annotations

import pytest

from policybrief.extract.pipeline import extract_document
from policybrief.segment import ELLIPSIS, SENTENCE_WINDOW, sentence_window

CLAUSE = "خصصت الوزارة {n} مليون درهم لبرنامج التكوين المهني في مارس 2024 بشراكة مع وكالة التنمية"


def one_line_article(n_clauses: int) -> str:
    """An article of comma-joined clauses with no full stop: the whole text is one sentence."""
    return "، ".join(CLAUSE.format(n=10 + i) for i in range(n_clauses))


@pytest.mark.parametrize(
    "text, sentence, quote, limit, expected",
    [
        pytest.param("نص قصير.", (0, 8), (0, 2), 300, "نص قصير.", id="short-sentence-whole"),
        pytest.param("aaa bbb ccc ddd eee", (0, 19), (8, 11), 11, "…bbb ccc ddd…", id="cut-both-sides-between-words"),
        pytest.param("aaa bbb ccc ddd eee", (0, 19), (0, 3), 8, "aaa bbb…", id="quote-at-sentence-start"),
        pytest.param("aaa bbb ccc ddd eee", (0, 19), (16, 19), 8, "…ddd eee", id="quote-at-sentence-end"),
        pytest.param("abcdefghijklmnopqrstuvwxyz", (0, 26), (2, 20), 10, "…cdefghijkl…", id="quote-longer-than-window"),
    ],
)
def test_sentence_window(text, sentence, quote, limit, expected):
    assert sentence_window(text, sentence, quote, limit=limit) == expected


@pytest.mark.parametrize("n_clauses", [1, 40, 400], ids=["one-clause", "4kb-line", "40kb-line"])
def test_rows_of_a_one_line_article_are_bounded_and_point_at_the_whole_sentence(n_clauses):
    text = one_line_article(n_clauses)
    tables = extract_document("line", text)
    assert len(tables["figures"]) >= n_clauses and len(tables["dates"]) >= n_clauses
    for name in ("figures", "dates"):
        for row in tables[name].itertuples():
            assert len(row.sentence) <= SENTENCE_WINDOW + 2 * len(ELLIPSIS)
            assert row.quote in row.sentence
            assert row.sentence_start <= row.start < row.end <= row.sentence_end
            whole = text[row.sentence_start:row.sentence_end]
            assert row.sentence.strip(ELLIPSIS) in whole
            assert (row.sentence == whole) == (len(whole) <= SENTENCE_WINDOW)


def _random_text(rng, size: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


ARABIC_WORDS = "خصصت الوزارة مليون مليار درهم دولار في المائة سنة برنامج مارس يناير 2030 12.5 أكثر من نحو".split()
ALPHABETS = {
    # any BMP code point but surrogates: controls, bidi marks, combining marks, presentation forms
    "random-bmp": "".join(chr(c) for c in range(0x20, 0xFFFF) if not 0xD800 <= c <= 0xDFFF),
    "markup": "<>/=\"' &;#{}[]()$\\\u202e\u200c\u200f\n\tabcdefghij0123456789" + "".join(ARABIC_WORDS),
}


@pytest.mark.parametrize("seed", range(2), ids=lambda s: f"seed-{s}")
@pytest.mark.parametrize("kind", ["random-bmp", "markup", "arabic-words-one-line"])
def test_extraction_of_any_text_raises_nothing_and_keeps_rows_bounded(seed, kind):
    import random
    import tracemalloc

    rng = random.Random(seed)
    if kind == "arabic-words-one-line":
        text = " ".join(rng.choice(ARABIC_WORDS) for _ in range(12_000))  # ~60,000 characters, no full stop
    else:
        text = _random_text(rng, 50_000, ALPHABETS[kind])
    tracemalloc.start()
    try:
        tables = extract_document("any", text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    for name in ("figures", "dates"):
        for row in tables[name].itertuples():
            assert text[row.start:row.end] == row.quote
            assert len(row.sentence) <= SENTENCE_WINDOW + 2 * len(ELLIPSIS)
    assert peak < 200 * len(text) + 20_000_000  # linear in the text (whole sentences per row were quadratic)
