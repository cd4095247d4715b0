"""Paragraph and sentence spans with character offsets into the original text."""
from __future__ import annotations

import re
from collections.abc import Iterator

# A sentence ends at . ! ? ؟ or a newline; a point between digits (10.8, 4.0) or inside an
# abbreviation of single letters (د.م.) is not an end. The pattern starts with the set of end characters
# so that the regex engine skips to them (a look-behind first made it test every position, ~8x slower);
# it matches as (?:\.(?!\d)|[!?\u061f\u2026]+|\n+).
_SENTENCE_END = re.compile(
    r"[.!?\u061f\u2026\n](?:(?<=\.)(?!\d)|(?<=[!?\u061f\u2026])[!?\u061f\u2026]*|(?<=\n)\n*)"
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
_LETTER = re.compile(r"[\u0621-\u064aA-Za-z]")


def _is_abbreviation_point(text: str, point: int) -> bool:
    """A lone letter before the point, as in د.م. or U.S."""
    if point < 1 or not _LETTER.match(text[point - 1]):
        return False
    return point < 2 or text[point - 2].isspace() or text[point - 2] == "."


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines (press articles put one paragraph on a line).

    >>> paragraph_spans("أ\\n\\n ب ج \\n")
    [(0, 1), (4, 7)]
    """
    return list(iter_paragraph_spans(text))


def iter_paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """``paragraph_spans`` lazily, for callers that need only the first few (headline, dateline).

    >>> next(iter_paragraph_spans("\\n\\nأ ب\\nج"))
    (2, 5)
    """
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        span = _trimmed(text, start, m.start())
        if span:
            yield span
        start = m.end()
    span = _trimmed(text, start, len(text))
    if span:
        yield span


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of sentences; the end punctuation stays with its sentence.

    >>> t = "بلغ النمو 10.8 في المائة. وقال الوزير: نعم؟ ثم"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['بلغ النمو 10.8 في المائة.', 'وقال الوزير: نعم؟', 'ثم']
    """
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        point = m.start()
        mark = text[point]
        if mark == "." and _is_abbreviation_point(text, point):
            continue  # single letter before the point: an abbreviation such as د.م.
        span = _trimmed(text, start, point if mark == "\n" else m.end())
        if span:
            spans.append(span)
        start = m.end()
    span = _trimmed(text, start, len(text))
    if span:
        spans.append(span)
    return spans


def sentence_at(text: str, offset: int, spans: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """The sentence span containing ``offset`` (the whole text when none does).

    >>> sentence_at("نعم. ب ج.", 6)
    (5, 9)
    """
    for start, end in spans if spans is not None else sentence_spans(text):
        if start <= offset < end:
            return start, end
    return 0, len(text)


SENTENCE_WINDOW = 600  # characters of a sentence kept in a table row, around the quote
ELLIPSIS = "\u2026"
_WORD_SNAP = 30  # how far a cut may move to fall between words


def sentence_window(text: str, sentence: tuple[int, int], quote: tuple[int, int], limit: int = SENTENCE_WINDOW) -> str:
    """The sentence ``text[sentence[0]:sentence[1]]``, cut to about ``limit`` characters around ``quote`` when longer.

    Each cut falls between words where one is near and is marked with an ellipsis, so a table row stays
    bounded however long the line it comes from (a whole article written as one line): output and memory
    then grow with the article, not with its square. The full sentence stays reachable by its offsets.

    >>> sentence_window("aaa bbb ccc ddd eee", (0, 19), (8, 11), limit=11)
    '…bbb ccc ddd…'
    >>> sentence_window("short one.", (0, 10), (0, 5))
    'short one.'
    """
    s_start, s_end = sentence
    if s_end - s_start <= limit:
        return text[s_start:s_end]
    q_start, q_end = max(quote[0], s_start), min(max(quote[1], quote[0]), s_end)
    if q_end - q_start >= limit:
        w_start, w_end = q_start, q_start + limit
    else:
        w_start = max(s_start, q_start - (limit - (q_end - q_start)) // 2)
        w_end = min(s_end, w_start + limit)
        w_start = max(s_start, w_end - limit)
        if w_start > s_start and not text[w_start - 1].isspace():
            space = text.find(" ", w_start, min(q_start, w_start + _WORD_SNAP))
            w_start = space + 1 if space >= 0 else w_start
        if w_end < s_end and not text[w_end].isspace():
            space = text.rfind(" ", max(q_end, w_end - _WORD_SNAP), w_end)
            w_end = space if space >= 0 else w_end
    return (ELLIPSIS if w_start > s_start else "") + text[w_start:w_end] + (ELLIPSIS if w_end < s_end else "")
