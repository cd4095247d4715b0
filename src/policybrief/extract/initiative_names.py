"""Initiative rules: quoted and Latin names after a head or a launch word, Arabic names with an eponym or a
year, laws by number or by subject, initiatives described by a head and its purpose or named by a construct
chain; and the unnamed initiatives that ``initiatives.py`` links figures to (a creation word then a head noun
phrase)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..textnorm import TATWEEL, VARIANTS, fold_keep_offsets, raw_pattern, word_key
from .entity_lexicon import (
    INI_HEAD, INITIATIVE_BITS, PLACE, PLACE_HEAD_ANY, TITLE, is_back_reference, is_generic_word, is_stop_word,
    is_trigger, lexicon, longest_step, word_is_head,
)
from .entity_scanner import COMPLEMENT_LIMIT, ROLE_END, Candidate, any_in
from .entity_tokens import YEAR, mostly_latin, tokenize
from .morphology import DEFINITE, LAM, is_definite, is_future_verb, is_nisba, stems

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
            if i > 0 and joins[i] and self.word(i - 1) in lex.draft_words:
                start = starts[i - 1]
            if numbers[n] and (n == k or joins[n]):
                self.cands.append(Candidate("initiative", start, ends[n], "law-number", 3, head=head))
                return
            e = self._construct_end(k)
            if e > k and e + 1 < n_toks and joins[e] and self.word(e) in lex.year_words and numbers[e + 1] \
                    and joins[e + 1] and YEAR.match(self.words[e + 1]):
                # قانون تنظيم الشركات الناشئة لسنة 2026: a law named by its subject and year
                self.cands.append(Candidate("initiative", start, ends[e + 1], "law-year", 3, head=head))
                return
        if kind not in ("event", "law") and not any_in(self.anchors, k, k + COMPLEMENT_LIMIT + longest_step()):
            self._described_initiative(i, m, head, kind)  # no eponym or year within reach: a description?
            return
        definite = m[1].startswith(DEFINITE)
        end = self.complement(k, "event" if kind == "event" else "org")
        has_eponym = any(self.eponym_len(x) for x in range(k, end))
        year = end < n_toks and joins[end] and numbers[end] and bool(YEAR.match(self.words[end]))
        first_proper = k < end and (self.word(k).startswith(DEFINITE) or self.place_word(k) or self.eponym_len(k))
        specific = ((definite or (kind == "event" and first_proper)) and kind in ("event", "law") and end - k >= 2
                    and any(self.word(x).startswith("\u0644\u0644") or self.word(x) == lex.topic_preposition
                            for x in range(k, end)))
        if not (has_eponym or (year and end > k) or specific):
            self._described_initiative(i, m, head, kind)
            return
        if year:
            end += 1
            if end + 1 < n_toks and numbers[end] and self._dash_gap(end) and YEAR.match(self.words[end]):
                end += 1  # … 2020-2027: the span of years is part of the name
            if kind == "strategy" and not definite and not is_nisba(self.word(k)) and head not in lex.heads_in_name:
                start = starts[k]  # the name proper: استراتيجية المغرب الرقمي 2030 -> المغرب الرقمي 2030
        rule = "head-arabic-name" if not specific or has_eponym or year else "head-definite-complement"
        self.cands.append(Candidate("initiative", start, ends[end - 1], rule, 3, head=head))

    def _described_initiative(self, i: int, m: tuple[int, str, int], head: str, kind: str) -> None:
        """An initiative named by what it is for: a head, agreeing adjectives, then a ل complement
        (منصة وطنية للتكوين عن بعد، المخطط الوطني لتطوير الهيدروجين الأخضر، اتفاقية إطار للتعاون التقني),
        or an indefinite head in construct with a specific genitive of two words or more (برنامج تنمية
        القدرات البشرية، مخطط التسريع الصناعي). Not a bare head with adjectives (مركز تميز)."""
        if kind == "other" or head not in self.lex.described_heads:
            return  # (سياسة …، تطوير …، منظومة …: too vague to name a programme by its description)
        words, joins, n_toks = self.words, self.joins, self.n
        definite = m[1].startswith(DEFINITE)
        k = i + m[0]
        j = k
        accusative = words[i].endswith("\u0627")  # مختبرا مشتركا …: the adjectives take the accusative too
        while j < n_toks and joins[j] and j - k < 2 and (
                self._agrees(j, definite) or accusative and words[j].endswith("\u0627") and not self.is_stop(j)
                and not is_definite(words[j]) and words[j][:1] not in "\u0644\u0628\u0648\u0641"):
            j += 1
        if (not definite and j == k and j + 1 < n_toks and joins[j + 1] and not is_definite(words[j])
                and self._purpose_start(j + 1) and not self.is_stop(j) and not self.is_head_word(j)):
            j += 1  # اتفاقية إطار للتعاون: a noun that qualifies the head
        rule = "head-purpose"
        if definite and j == k:
            return  # يهدف المشروع لرفع …: a definite head with no adjective refers back
        before = i - 1 if i > 0 and joins[i] else -1
        if before >= 0 and words[before] in self.lex.adverbs_before_predicate and before > 0 and joins[before]:
            before -= 1  # يمثلان معا منصة …
        if before >= 0 and (self.numbers[before]
                            or any(st in self.lex.predicate_verbs for _, st in stems(words[before]))):
            return  # 55 اتفاقية …، يمثل منصة أساسية لـ…: a count or a predicate, not a named thing
        if not definite and words[i][:m[2]].endswith("\u0643"):
            purpose_ok = False  # كمركز إقليمي لـ…، منظومة متكاملة لـ…: a comparison or a vague noun
        else:
            purpose_ok = True
        if purpose_ok and j < n_toks and joins[j] and self._purpose_start(j):
            end = self._purpose_end(j)
            if end - j < 2:
                return  # استراتيجية للتنمية: one word says too little
        elif not definite and k < n_toks and joins[k]:
            end = self._construct_end(k)
            first = words[k]
            if first[:1] == "\u064a" or first[:2] == "\u062a\u062a":
                return  # رؤية تتجاوز …: an imperfect verb, not a genitive
            if end - k < (2 if first.startswith(DEFINITE) or kind == "law" else 3):
                return  # مشروع الميزانية، منصة تبادل المعطيات: too little to name a programme
            if any((is_generic_word(words[x]) or is_back_reference(words[x])) and not self.masks[x] & PLACE_HEAD_ANY
                   for x in range(k, min(k + 2, end))):
                return  # خطة الحكومة، برنامج عمل الوزارة: whose, not which
            rule = "head-construct"
        else:
            return
        if end <= k:
            return
        if end < n_toks and joins[end] and self.numbers[end] and YEAR.match(words[end]):
            end += 1  # البرنامج الوطني للتزويد … 2020-2027
            if end + 1 < n_toks and self.numbers[end] and self._dash_gap(end) and YEAR.match(words[end]):
                end += 1
        self._initiative_span(i, m, end, rule, head)

    def _construct_end(self, k: int) -> int:
        """Index after a genitive chain from token k: up to three indefinite nouns that reach a definite one
        (إعادة هيكلة شركات البيئة), then its definite words and adjectives (القدرات البشرية)."""
        words, joins, n_toks = self.words, self.joins, self.n
        j = k
        while j < n_toks and j - k < 3 and joins[j] and not is_definite(words[j]) and not self.is_stop(j) \
                and not self.latin[j] and not self.numbers[j] and not self.is_head_word(j) \
                and words[j][:1] not in "\u0644\u0628\u0648\u0641" and not words[j].endswith("\u064a"):  # سيادي: an adjective
            j += 1
        if j >= n_toks or not joins[j] or not is_definite(words[j]) or words[j][:1] in "\u0644\u0628":
            return k
        return self.complement(j, "org")

    def _initiative_span(self, i: int, m: tuple[int, str, int], end: int, rule: str, head: str) -> None:
        """A candidate from the head at token i to token ``end``; a contracted لل keeps the whole word
        (للاستراتيجية …) and the citation form restores the article."""
        word, prefix = self.words[i], m[2]
        stem = next((st for p, st in stems(word) if p == prefix and st == m[1].split()[0]), word[prefix:])
        contracted = stem.startswith(DEFINITE) and not word[prefix:].startswith(DEFINITE)
        start = self.starts[i] if contracted else self.starts[i] + prefix
        if self.lex.initiative_heads.get(head) == "law" and i > 0 and self.joins[i] and self.word(i - 1) in self.lex.draft_words:
            start, contracted = self.starts[i - 1], False  # مشروع قانون …: the draft is part of the name
        stop = self.ends[end - 1]
        self.cands.append(Candidate("initiative", start, stop, rule, 3, head=head,
                                    name=self._citation(start, stop, i, prefix, stem) if contracted else ""))

    def _agrees(self, j: int, definite: bool) -> bool:
        """Token j is an adjective agreeing with a (definite) head: وطنية، الوطني، مشترك، إقليمي."""
        w = self.words[j]
        if self.latin[j] or self.numbers[j] or self.is_stop(j) or w[:1] in "\u0644\u0628\u0648\u0641":
            return False  # (a head noun may agree as an adjective: الرؤية الاستراتيجية لإصلاح التعليم)
        return is_nisba(w) and w.startswith(DEFINITE) == definite and not self.place_word(j)

    def _place_without_clitic(self, j: int) -> bool:
        """Token j is a place name as written (بيروت), not ب + a place (بالرديف)."""
        match = self._place_match(j) if self.masks[j] & PLACE else None
        return match is not None and match[2] == 0

    def _purpose_start(self, j: int) -> bool:
        """Token j opens a purpose complement: ل + a verbal noun or noun (لتحلية، للتكوين، لأمن)."""
        w = self.words[j]
        return not self.latin[j] and w[:1] == LAM and len(w) > 3 and not self.is_stop(j)

    def _purpose_end(self, j: int) -> int:
        """Index after a purpose complement from token j: its construct chain and adjectives, with one
        preposition of a verbal noun (عن بعد، على تقنيات، في مجال), to a verb, number, stop word or ب."""
        words, joins, latin, numbers, n_toks = self.words, self.joins, self.latin, self.numbers, self.n
        end, used_prep, seen_definite = j + 1, False, is_definite(words[j])
        while end < n_toks and joins[end] and end - j < 10 and not latin[end] and not numbers[end]:
            w = words[end]
            if (w in self.lex.complement_prepositions and not used_prep and end + 1 < n_toks and joins[end + 1]
                    and (all(is_nisba(words[x]) for x in range(j + 1, end)) or w == self.lex.field_preposition)):
                # للتدريب على …، للتدريب الرقمي عن بعد: a preposition the verbal noun governs, after it and its
                # adjectives; في …
                # (في مجال …) anywhere; not تأهيل الميناء على مرحلتين (how, not what)
                nxt = words[end + 1]
                if (numbers[end + 1] or latin[end + 1] or is_definite(nxt) or self.place_word(end + 1)
                        or self.masks[end + 1] & PLACE_HEAD_ANY or self.is_head_word(end + 1)):
                    break  # … في المحافظات، في حي …: where, not what
                used_prep = True
                end += 2
                continue
            if w == self.lex.negation_word and end + 1 < n_toks and joins[end + 1] and is_definite(words[end + 1]):
                end += 2  # الصادرات غير النفطية: a negated adjective
                continue
            definite = is_definite(w)
            if self.is_stop(end) or self.masks[end] & TITLE or is_future_verb(w):
                break
            if w[:1] == "\u0628" and not (end == j + 1 and definite) and not self._place_without_clitic(end):
                break  # بقدرة، بالرباط: a new clause (للتزويد بالماء: the object of the verbal noun stays)
            if w[:1] == "\u0648" and self.is_head_word(end):
                break
            if seen_definite and w[:1] == LAM:
                break  # … للذكاء الاصطناعي لتكوين …: a second purpose is another phrase
            if seen_definite and not definite and w[:1] not in "\u0648\u0644" and not (
                    end + 1 < n_toks and joins[end + 1] and is_definite(words[end + 1])):
                break  # … للتعاون التقني تهم …: a bare indefinite word after a definite one starts a new phrase
                # (منخفض الكربون, in construct with a definite word, is an adjective of the noun before)
            prev = words[end - 1]
            if definite and is_definite(prev) and (is_nisba(prev) or prev.endswith("\u0647")) and not (
                    is_nisba(w) or w.endswith("\u0647") or w[:1] == "\u0648"):
                break  # … للتجارة الحرة الولوج: a noun after the adjective opens the predicate
            seen_definite = seen_definite or definite
            end += 1
        return end

    def quoted_bare(self) -> None:
        """Short quoted names with a year, mostly Latin letters, or opening with an initiative head noun
        ("قانون الشركات الناشئة"، "ملتقى المناولة الصناعية"), not quoted speech."""
        heads = self.lex.initiative_heads_all
        for q in self.quotes:
            s, e = q[2], q[3]
            inner = self.key[s:e].strip()
            words = inner.split()
            if not words or len(words) > 6:
                continue
            i = self._index_from(s)
            head = self.match_phrase(i, heads) if i is not None and len(words) >= 2 else None
            second = word_key(words[1]) if len(words) > 1 else ""
            named = (head is not None and head[2] == 0 and not is_stop_word(second)
                     and second[:1] != "\u064a" and second[:2] != "\u062a\u062a")  # not "رؤية تتجاوز …"
            if YEAR_IN.search(inner) or mostly_latin(inner) or named:
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
