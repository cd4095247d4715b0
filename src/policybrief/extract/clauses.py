"""Clause breaks of a match key, found once per document for the many clause look-ups of its figures."""
from __future__ import annotations

import re
from bisect import bisect_left

CLAUSE_BREAK = re.compile(r"[\u060c\u061b;!?\u061f\n]|[.,:](?![0-9])")


class Breaks:
    """The clause breaks of a match key found once, for the many ``CLAUSE_BREAK`` look-ups of its figures.

    Every break is one character; a point, comma or colon before a digit is not one (10.8), except at
    the end of a searched window, where the regex's look-ahead sees no digit: the methods keep that rule
    so that they answer exactly as ``CLAUSE_BREAK.finditer`` / ``search`` with the same window.
    """

    _CHARS = "\u060c\u061b;!?\u061f\n.,:"

    def __init__(self, key: str) -> None:
        # A string search per character skips along fast; a character class is tested at every position.
        self.positions: list[int] = []
        self.weak: set[int] = set()  # a break only at the end of a window: [.,:] followed by a digit
        for c in self._CHARS:
            i = key.find(c)
            while i >= 0:
                self.positions.append(i)
                if c in ".,:" and "0" <= key[i + 1:i + 2] <= "9":
                    self.weak.add(i)
                i = key.find(c, i + 1)
        self.positions.sort()

    def last_end(self, lo: int, hi: int) -> int | None:
        """``m.end()`` of the last ``CLAUSE_BREAK.finditer(key, lo, hi)`` match, or None."""
        positions, weak = self.positions, self.weak
        i = bisect_left(positions, hi) - 1
        while i >= 0 and positions[i] >= lo:
            if positions[i] not in weak or positions[i] + 1 == hi:
                return positions[i] + 1
            i -= 1
        return None

    def first_start(self, lo: int, hi: int) -> int | None:
        """``m.start()`` of ``CLAUSE_BREAK.search(key, lo, hi)``, or None."""
        positions, weak = self.positions, self.weak
        i = bisect_left(positions, lo)
        while i < len(positions) and positions[i] < hi:
            if positions[i] not in weak or positions[i] + 1 == hi:
                return positions[i]
            i += 1
        return None


def clause(key: str, start: int, end: int, breaks: Breaks | None = None) -> tuple[int, int]:
    """The clause around ``[start, end)``: from the last break before it to the next break after it."""
    breaks = Breaks(key) if breaks is None else breaks
    lo = max(0, start - 300)
    last = breaks.last_end(lo, start)
    clause_start = lo if last is None else last
    hi = min(len(key), end + 300)
    first = breaks.first_start(end, hi)
    return clause_start, hi if first is None else first
