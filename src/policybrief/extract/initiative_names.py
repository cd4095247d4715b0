"""Initiative rules: quoted and Latin names after a head or a launch word, Arabic names with an eponym or a
year, laws by number; and the unnamed initiatives (a creation word then a head noun phrase)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..textnorm import TATWEEL, VARIANTS, fold_keep_offsets, raw_pattern
from .entity_lexicon import INI_HEAD, INITIATIVE_BITS, is_stop_word, is_trigger, lexicon, longest_step, word_is_head
from .entity_scanner import COMPLEMENT_LIMIT, ROLE_END, Candidate, any_in
from .entity_tokens import YEAR, mostly_latin, tokenize
from .morphology import DEFINITE

YEAR_IN = re.compile(r"(?:19|20)\d\d")


class InitiativeRules:
    """Initiative candidates of ``ScannerBase`` (mixed into ``entities.Scanner``)."""

    def initiatives(self) -> None:
        lex, masks, words, joins = self.lex, self.masks, self.words, self.joins
        heads = lex.initiative_heads_all
        for i in self.flagged(INITIATIVE_BITS):
            m = self.match_phrase(i, heads) if masks[i] & INI_HEAD else None
            if m and i > 0 and joins[i] and self.word(i - 1) in lex.demonstratives:
                continue
            if m:
                head = m[1][2:] if m[1].startswith(DEFINITE) and m[1] not in lex.initiative_heads else m[1]
                if self._name_after_head(i, (m[0], head, m[2]), "initiative", "head-quoted"):
                    continue
                self._arabic_initiative(i, m, head)
                continue
            if is_trigger(words[i]):
                self._name_after_head(i, (1, "", 0), "initiative", "trigger-quoted", max_between=1)

    def _arabic_initiative(self, i: int, m: tuple[int, str, int], head: str) -> None:
        """Unquoted Arabic initiative names: a law by number (مشروع القانون رقم 27.25), a head whose
        complement holds an eponym or ends in a year, or a definite event / law head with a specific
        complement (المنتدى المغاربي للذكاء الاصطناعي)."""
        lex, starts, ends, joins, numbers, n_toks = self.lex, self.starts, self.ends, self.joins, self.numbers, self.n
        kind = lex.initiative_heads.get(head, "other")
        k = i + m[0]
        if k >= n_toks or not joins[k]:
            return
        start = starts[i] + m[2]
        if kind == "law":
            n = k + 1 if self.word(k) == lex.number_word and self.joined(k + 1) else k
            if numbers[n] and (n == k or joins[n]):
                if i > 0 and joins[i] and self.word(i - 1) in lex.draft_words:
                    start = starts[i - 1]
                self.cands.append(Candidate("initiative", start, ends[n], "law-number", 3, head=head))
                return
        if kind not in ("event", "law") and not any_in(self.anchors, k, k + COMPLEMENT_LIMIT + longest_step()):
            return  # no eponym or year within reach of the complement: nothing makes the name specific
        definite = m[1].startswith(DEFINITE)
        end = self.complement(k, "event" if kind == "event" else "org")
        has_eponym = any(self.eponym_len(x) for x in range(k, end))
        year = end < n_toks and joins[end] and numbers[end] and bool(YEAR.match(self.words[end]))
        first_proper = k < end and (self.word(k).startswith(DEFINITE) or self.place_word(k) or self.eponym_len(k))
        specific = ((definite or (kind == "event" and first_proper)) and kind in ("event", "law") and end - k >= 2
                    and any(self.word(x).startswith("\u0644\u0644") or self.word(x) == lex.topic_preposition
                            for x in range(k, end)))
        if not (has_eponym or (year and end > k) or specific):
            return
        if year:
            end += 1
            if kind == "strategy":
                start = starts[k]  # the name proper: استراتيجية المغرب الرقمي 2030 -> المغرب الرقمي 2030
        rule = "head-arabic-name" if not specific or has_eponym or year else "head-definite-complement"
        self.cands.append(Candidate("initiative", start, ends[end - 1], rule, 3, head=head))

    def quoted_bare(self) -> None:
        """Short quoted names with a year or mostly Latin letters (not quoted speech)."""
        for q in self.quotes:
            s, e = q[2], q[3]
            inner = self.key[s:e].strip()
            words = inner.split()
            if not words or len(words) > 6:
                continue
            if YEAR_IN.search(inner) or mostly_latin(inner):
                self._quoted(q, "initiative", "quoted-name", "")


def unnamed_initiatives(text: str) -> list[tuple[int, int, str]]:
    """(start, end, head) of specific unnamed initiatives: a creation word then a head noun phrase.

    >>> t = "سيتم إحداث مركز تميز في مجال البيانات والذكاء الاصطناعي، بالرباط."
    >>> [(t[s:e], h) for s, e, h in unnamed_initiatives(t)]
    [('مركز تميز في مجال البيانات والذكاء الاصطناعي', 'مركز')]
    """
    found = [_unnamed_phrase(text, m.start("head")) for m in _creation_matches(text)]
    return [f for f in found if f]


def _creation_matches(text: str):
    """The matches of ``_creation_regex`` in ``text``, as ``finditer`` gives them, found from the head nouns.

    Searching for a head noun after a space skips text about three times faster than trying the creation
    regex at every position. A creation match holds one head noun and its creation word is the run of
    creation characters just before that head's spaces, so trying the full regex at each position of that
    run, left to right and never before the previous match's end, finds exactly the matches of ``finditer``.
    """
    regex, heads, creation_chars = _creation_regex(), _head_regex(), _creation_chars()
    last_end = 0
    for h in heads.finditer(text):
        ws = h.start()
        while ws > last_end and text[ws - 1] in " \t\u00a0":
            ws -= 1
        q = ws
        while q > last_end and text[q - 1] in creation_chars:
            q -= 1
        for p in range(q, ws):
            m = regex.match(text, p)
            if m:
                last_end = m.end()
                yield m
                break


@lru_cache(maxsize=1)
def _creation_regex() -> re.Pattern[str]:
    """A creation word then an unnamed-initiative head noun, on the original text."""
    lex = lexicon()
    creation = "|".join(raw_pattern(w) for w in sorted(lex.creation, key=len, reverse=True))
    heads = "|".join(raw_pattern(w) for w in sorted(lex.unnamed_heads, key=len, reverse=True))
    return re.compile(r"(?<![\u0621-\u064a\w])[\u0648\u0641]?[\u0628\u0644]?(?:" + creation + r")[ \t\u00a0]+"
                      r"(?P<head>(?:" + heads + r"))(?![\u0621-\u064a\w])")


@lru_cache(maxsize=1)
def _head_regex() -> re.Pattern[str]:
    """A space then an unnamed-initiative head noun (where a ``_creation_regex`` match can end).

    Heads are grouped by their first letter, so after a space re tests each first letter once, not once per
    head (~20% faster); each group keeps the longest-first order.
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(lexicon().unnamed_heads, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(word)
    heads = "|".join(raw_pattern(first) + "(?:" + "|".join(raw_pattern(w[1:]) for w in words) + ")"
                     for first, words in by_first.items())
    return re.compile(r"[ \t\u00a0](?:" + heads + r")(?![\u0621-\u064a\w])")


@lru_cache(maxsize=1)
def _creation_chars() -> frozenset[str]:
    """Every character the creation word of a ``_creation_regex`` match can hold (prefixes, variants, marks)."""
    marks = [chr(code) for code in range(0x064B, 0x0660)] + ["\u0670", TATWEEL]  # as in _MARKS_CLASS
    chars = set("\u0648\u0641\u0628\u0644" + "".join(marks))  # the optional prefixes, then the marks
    for word in lexicon().creation:
        for ch in word:
            chars.update(VARIANTS.get(ch, ch))
    return frozenset(chars)


def _unnamed_phrase(text: str, start: int) -> tuple[int, int, str] | None:
    """The head noun phrase that starts at ``start``: up to ten words, في once, to a stop word or break."""
    key = fold_keep_offsets(text[start:start + 240])
    stop = ROLE_END.search(key)
    toks = tokenize(key[:stop.start()] if stop else key)
    if not toks:
        return None
    head = toks[0].word
    field = lexicon().field_preposition
    j, used_fi = 1, False
    while j < len(toks) and toks[j].joined and j < 10:
        w = toks[j].word
        if w == field and not used_fi:  # في once: مركز تميز في مجال …
            used_fi = True
            j += 1
            continue
        if toks[j].number or toks[j].latin or is_stop_word(w) or (w[:1] == "\u0648" and word_is_head(w)):
            break
        j += 1
    while j > 1 and toks[j - 1].word == field:
        j -= 1
    return start, start + toks[j - 1].end, head
