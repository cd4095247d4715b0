"""The token columns of one document and the helpers the entity rules share (complements, names, quotes).

The rule families (``persons``, ``organizations``, ``initiative_names``, ``places``) are mixins over
``ScannerBase``; ``entities.Scanner`` combines them.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import and_

from ..textnorm import ALEF_MAQSURA, fold_keep_offsets, word_key
from .entity_lexicon import (
    ANCHOR_BITS, DEF, EPO, HEAD, HON, LATIN_TOKEN, PLACE, PLACE_HEAD_ANY, PLACEW, PLAIN_DEFINITE, ROLE, SCAN_BITS, STOP,
    TITLE, VERB, could_start, is_stop_word, is_stop_word_only, lexicon, phrase_table, verbs_and_stop_words,
    word_prefixes,
)
from .entity_tokens import LATIN_LETTER, token_columns
from .morphology import DEFINITE, LAM, is_definite, is_future_verb, is_nisba, stems

BI_DEFINITE = "\u0628\u0627\u0644"  # بال
TANWEEN_FATH = "\u064b"
PRONOUN_SUFFIXES = ("\u0647\u0627", "\u0647\u0645", "\u0647\u0645\u0627", "\u0643\u0645")  # ها هم هما كم

COMPLEMENT_LIMIT = 12
_QUOTE = re.compile(r'"([^"\n]{1,150})"')
_BRACKET = re.compile(r"\(\s*([^()\n\d]{2,60}?)\s*\)")
ROLE_END = re.compile(r"[\u060c,.;:\u061b\n()]")
_LATIN_CONNECTORS = frozenset(["de", "of", "the", "for", "du", "des", "la", "le", "and", "in", "et", "&", "on", "at", "to", "by"])


@dataclass(slots=True)
class Candidate:
    kind: str
    start: int
    end: int
    rule: str
    priority: int
    role: str = ""
    name: str = ""
    head: str = ""




class ScannerBase:
    """A document's tokens and the helpers every rule family shares; the rules append to ``cands``.

    Tokens are held as columns (``starts``, ``ends``, ``words``, ``latin``, ``numbers``, ``joins``,
    ``masks``): the rules read a property of a neighbour far more often than a whole token.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.key = fold_keep_offsets(text)
        (self.starts, self.ends, self.words, self.latin, self.numbers, self.joins,
         self.masks) = token_columns(self.key)
        self.n = len(self.starts)
        # the tokens that may start some rule, found in one pass; each rule pass filters this short list
        self.active = list(compress(count(), map(and_, self.masks, repeat(SCAN_BITS))))
        self.active_masks = list(map(self.masks.__getitem__, self.active))
        # a role phrase after punctuation (what ``name، role`` patterns need), as sorted token indices
        self.role_breaks = [j for j in self.flagged(ROLE) if not self.joins[j]]
        self.anchors = self.flagged(ANCHOR_BITS)
        self.lex = lexicon()
        self.cands: list[Candidate] = []
        self.quotes = [(m.start(), m.end(), m.start(1), m.end(1)) for m in _QUOTE.finditer(self.key)]
        self.quote_at = {}  # index of the token right after an opening quote -> quote
        for q in self.quotes:
            i = self._index_from(q[2])
            if i is not None:
                self.quote_at[i] = q
        self.latin_runs, run_tokens = self._latin_runs()
        self.run_at = {r[0]: r for r in self.latin_runs}
        # tokens where a quoted or Latin name starts (``_name_after_head`` finds nothing away from them)
        # bracketed names (مجموعة ( أكسيونا )، (AMICA)): the same shape as a quote
        self.brackets = [(m.start(), m.end(), m.start(1), m.end(1)) for m in _BRACKET.finditer(self.key)]
        self.bracket_at = {}
        for b in self.brackets:
            i = self._index_from(b[2])
            if i is not None:
                self.bracket_at[i] = b
        self.name_starts = sorted(set(self.quote_at) | set(run_tokens) | set(self.bracket_at))

    # -- helpers
    def flagged(self, bits: int) -> list[int]:
        """Indices of the tokens whose mask has any of ``bits`` (a subset of ``SCAN_BITS``)."""
        return list(compress(self.active, map(and_, self.active_masks, repeat(bits))))

    def _before_role_breaks(self) -> set[int]:
        """Tokens 2-4 tokens before a role phrase that follows punctuation (``name، role`` patterns need one)."""
        return {j - d for j in self.role_breaks for d in (2, 3, 4)}

    def _place_match(self, i: int) -> tuple[int, str, int, str] | None:
        """Longest gazetteer place at token i, dash or space between parts: (n, phrase, prefix, stem)."""
        words, joins, latin, n_toks = self.words, self.joins, self.latin, self.n
        places, prefixes = self.lex.places, word_prefixes(id(self.lex.places))
        best = None
        for prefix, stem in stems(words[i]):
            if stem not in prefixes:
                continue
            phrase, n = stem, 1
            while True:
                if phrase in places and (best is None or n > best[0]):
                    best = (n, phrase, prefix, stem)
                j = i + n
                if j >= n_toks or not (joins[j] or self._dash_gap(j)) or latin[j]:
                    break
                phrase = phrase + " " + words[j]
                if phrase not in prefixes:
                    break
                n += 1
        return best

    def _index_from(self, offset: int) -> int | None:
        """The token starting within 4 characters from ``offset``."""
        i = bisect_left(self.starts, offset)
        return i if i < self.n and self.starts[i] < offset + 4 else None

    def word(self, i: int) -> str:
        return self.words[i] if 0 <= i < self.n else ""

    def joined(self, i: int) -> bool:
        return 0 <= i < self.n and self.joins[i]

    def match_phrase(self, i: int, table) -> tuple[int, str, int] | None:
        """Longest phrase of ``table`` starting at token i (clitics allowed on the first word): (n, key, prefix)."""
        n_toks = self.n
        if i >= n_toks:
            return None
        words, joins, latin = self.words, self.joins, self.latin
        bit, prefixes = phrase_table(id(table))
        if bit:
            if not self.masks[i] & bit:
                return None
        elif latin[i] or self.numbers[i] or not could_start(words[i], id(table)):
            return None
        best = None
        for prefix, stem in stems(words[i]):
            if stem not in prefixes:
                continue
            phrase, n = stem, 1
            while True:
                if phrase in table and (best is None or n > best[0]):
                    best = (n, phrase, prefix)
                j = i + n
                if j >= n_toks or not joins[j] or latin[j]:
                    break
                phrase = phrase + " " + words[j]
                if phrase not in prefixes:
                    break
                n += 1
        return best

    def is_stop(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & STOP != 0

    def is_head_word(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & HEAD != 0

    def eponym_len(self, i: int) -> int:
        """Number of tokens of an eponym starting at token i (0 when none)."""
        best = 0
        if not (0 <= i < self.n and self.masks[i] & EPO):
            return 0
        first = self.word(i)
        if not could_start(first, id(self.lex.eponyms)):
            return 0
        for prefix, stem in stems(first):
            words = [stem]
            for n in range(1, 7):
                if n > 1:
                    j = i + n - 1
                    if not self.joined(j):
                        break
                    words.append(self.word(j))
                if " ".join(words) in self.lex.eponyms:
                    best = max(best, n)
        return best

    def is_first_name(self, i: int) -> bool:
        w = self.word(i)
        if 0 <= i < self.n and self.text[self.ends[i] - 1] == ALEF_MAQSURA and is_stop_word(w):
            return False  # على (a preposition) folds to the name علي
        if w in self.lex.first_names or (w.startswith(self.lex.name_prefix) and len(w) > 4):
            return True
        return (could_start(w, id(self.lex.first_names)) and i + 1 < self.n and self.joined(i + 1)
                and f"{w} {self.word(i + 1)}" in self.lex.first_names)

    # -- complements
    def complement(self, i: int, mode: str, limit: int = COMPLEMENT_LIMIT) -> int:
        """Index after the complement that starts at token i (``mode`` org, role or event).

        A complement word is definite, an eponym, a place, or an indefinite word in a construct chain
        that reaches a definite word within two words (لمراقبة حماية المعطيات). It ends at punctuation,
        a stop word or verb, و + a new head noun, a title, and (org mode) ب + a new organisation head
        (لجنة … بمجلس النواب); ``event`` mode lets حول in (المناظرة الوطنية الأولى حول الذكاء الاصطناعي).
        """
        j = i
        words, joins, latin, numbers, masks = self.words, self.joins, self.latin, self.numbers, self.masks
        n_toks = self.n
        seen_lil = False
        not_role = mode != "role"
        org_mode = mode in ("org", "org_fi")
        while j < n_toks and j - i < limit:
            if not joins[j] or latin[j] or numbers[j]:
                break
            m = masks[j]
            if m & PLAIN_DEFINITE and not seen_lil:
                j += 1
                continue  # the checks below all let a plain definite word in
            w = words[j]
            definite = m & DEF
            place = m & PLACEW
            prev_definite = j > i and masks[j - 1] & DEF
            if j > i and not_role and not definite and not place and len(w) > 3 and w.endswith("\u0627") \
                    and w[-2] not in "\u064a\u0648\u0627":
                break  # قرضا، تقريرا: an indefinite accusative is the object of the verb, not part of the name
            if j > i and not definite and is_future_verb(w):
                break  # … ستوسع البرنامج: a future verb opens the predicate
            if (org_mode and seen_lil and prev_definite and not place and w.startswith(DEFINITE)
                    and not is_nisba(w) and not w.endswith("\u0647") and not self.eponym_len(j)):
                break  # صندوق … للتنمية الاقتصادية المشروع: a noun (not an agreeing adjective) after لل… is the object
            if (org_mode and prev_definite and not definite and not place and w[:1] not in "\u0648\u0641\u0628\u0644\u0643"
                    and not m & EPO and (is_nisba(words[j - 1]) or j + 1 < n_toks and masks[j + 1] & HEAD)):
                break  # البنك المركزي المغربي انخفاض …، مجلس الوزراء أعضاء مجلس …: a bare noun after a definite
                # adjective, or opening another body, starts a new phrase
            if w.startswith("\u0644\u0644"):
                seen_lil = True
            if m & PLACE_HEAD_ANY:
                n = self._region_len(j)
                if n:
                    j += n
                    continue
            stop = m & STOP
            if (stop and j > i and w == self.lex.negation_word and j + 1 < n_toks and joins[j + 1]
                    and masks[j + 1] & DEF and not masks[j + 1] & STOP):
                j += 2  # المنظمات غير الحكومية: a negated adjective
                continue
            if (j > i and not_role and m & VERB and not prev_definite and not is_stop_word_only(w)
                    and not masks[j - 1] & HEAD and self._chain_reaches_definite(j)):
                j += 1
                continue  # لأمن نظم المعلومات: نظم after an indefinite construct word is a noun, not a verb
            if (not_role and seen_lil and prev_definite and not definite and not place and not stop
                    and w[:1] not in "\u0648\u0641\u0628\u0644\u0643" and not self.eponym_len(j)):
                break  # … للشغل غياب المشاورات: a bare indefinite noun after a definite one starts a new phrase
            if stop:
                if (mode == "org_fi" and w == self.lex.field_preposition and j > i and j + 1 < n_toks
                        and joins[j + 1] and not self.place_word(j + 1) and self._chain_reaches_definite(j + 1)):
                    j += 1
                    continue
                if (mode == "role" and w == self.lex.constituency_preposition and j > i and j + 1 < n_toks and joins[j + 1]
                        and not latin[j + 1] and not self.is_stop(j + 1)):
                    j += 1
                    continue  # النائب البرلماني عن دائرة …
                if mode == "event" and w == self.lex.topic_preposition and j + 1 < n_toks and is_definite(
                        self.word(j + 1)) and joins[j + 1]:
                    j += 1
                    continue
                break
            if j > i and m & HEAD and w[:1] == "\u0648":
                break
            if m & HON and j == i and org_mode and j + 1 < n_toks and joins[j + 1] and w in self.lex.royal_titles:
                name_end = self.name_words(j + 1, need_first=False, limit=3)
                if name_end > j + 1:
                    j = name_end
                    continue  # جامعة الملك سعود، صندوق الملك عبدالله للتنمية: a titled eponym
            if m & TITLE and not (mode == "role" and j == i):
                break
            if m & HON and not (mode == "role" and j == i) and self.match_phrase(j, self.lex.honorifics):
                break  # مجموعة رجل الأعمال …: a title (of several words) opens a person
            if not_role and j > i and not definite and self.is_first_name(j) and not self.eponym_len(j):
                break  # … ميلود الشعبي: an organisation never runs into the person named after it
            if mode not in ("role", "event") and j > i and w[:1] == "\u0628" and self._org_head_stem(w[1:]):
                break
            if m & EPO:
                n = self.eponym_len(j)
                if n:
                    j += n
                    continue
            if mode == "role" and not definite and self.is_first_name(j):
                break
            if not_role and w[:1] == "\u0628" and (place or (mode != "event" and definite)) and (
                    j > i or w.startswith(BI_DEFINITE)):
                break  # بفاس، بالتزاماتها، المؤسسة بالقيمة …: where or how, not part of the name
            if m & PLACE:
                n = self.place_len(j)
                if n > 1:
                    j += n
                    continue
            if definite or place:
                j += 1
                continue
            if mode == "role" and self.is_first_name(j):
                break
            if self._chain_reaches_definite(j):
                j += 1
                continue
            break
        return j

    def _region_len(self, j: int) -> int:
        """Tokens of a place head noun and the gazetteer place after it (جهة بني ملال خنيفرة), else 0."""
        if j + 1 >= self.n or not self.joins[j + 1] or self.masks[j + 1] & PLACE == 0:
            return 0
        w = self.word(j)
        lex = self.lex
        if w in lex.place_heads_kept or w in lex.place_heads_dropped:
            n = self.place_len(j + 1)
            return n + 1 if n else 0
        return 0

    def _chain_reaches_definite(self, j: int) -> bool:
        words, joins, latin, numbers = self.words, self.joins, self.latin, self.numbers
        for nxt in (j + 1, j + 2):
            if nxt >= self.n or not joins[nxt] or latin[nxt] or numbers[nxt]:
                return False
            if is_stop_word_only(words[nxt]) or self._is_person_title(nxt) or self.is_first_name(nxt):
                return False
            if words[nxt].startswith(DEFINITE) or self.place_word(nxt) or self.eponym_len(nxt):
                return True
        return False

    def _org_head_stem(self, word: str) -> bool:
        return any((s[2:] if s.startswith(DEFINITE) else s) in self.lex.org_heads for _, s in stems(word))

    def _is_person_title(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & TITLE != 0

    def name_words(self, i: int, need_first: bool, limit: int = 4, closed: bool = False) -> int:
        """Index after a 1-4 word person name starting at token i (i when there is none; 5 with بن، آل …)."""
        words, joins, latin, numbers, lex = self.words, self.joins, self.latin, self.numbers, self.lex
        n_toks = self.n
        if i < n_toks and need_first and not (self.is_first_name(i) or latin[i]):
            return i
        epo = self.eponym_len(i) if i < n_toks else 0
        if epo >= 2:
            return i + epo  # الملك محمد السادس: a listed eponym is the whole name
        connectors = lex.name_connectors
        if any(w in connectors for w in words[i + 1:i + limit]):
            limit += 1  # فيصل بن سلطان آل سعود: a name with a connector runs to five words
        j = i
        while j < n_toks and j - i < limit and (j == i or joins[j]):
            w = words[j]
            if numbers[j] or len(w) < 2 or (self.is_stop(j) and not (j == i and self.is_first_name(j))):
                break
            if self._is_person_title(j) or self.is_head_word(j):
                break
            if latin[j] and not w[:1].isupper():
                break
            if latin[j] and w.casefold() in lex.latin_not_names:
                break
            if not latin[j] and w[:3] in ("\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0641\u0627\u0644",
                                          "\u0643\u0627\u0644") or w[:2] == "\u0644\u0644":
                break  # وال بال فال كال لل: a common noun with a clitic, not a name
            if j > i and self.place_word(j) or w in lex.year_words or w in lex.not_name_words:
                break  # (جلالة الملك سنة 2014، الحاجة أكثر إلحاحا: no name)
            if j - i >= 2 and not latin[j] and w.endswith(PRONOUN_SUFFIXES):
                break  # … حسن البناني أبوابها: a word with an attached pronoun is the object, not a surname
            if not latin[j] and TANWEEN_FATH in self.text[self.starts[j]:self.ends[j]]:
                break  # إلحاحاً: an accusative with tanween is an adverb or an object, never a name
            if j - i >= 2 and not latin[j] and w[:1] == LAM and not self.is_first_name(j):
                break  # … لمواجهة: a third word with ل is a verbal noun, not a surname
            if (j - i >= 2 and not closed and not latin[j] and w.startswith(DEFINITE) and not w.endswith("\u064a")
                    and words[j - 1] not in lex.compound_name_ends and words[j - 1] not in connectors
                    and not (j - 2 >= i and words[j - 2] == lex.name_prefix)  # عبد الله المقرن
                    and w not in connectors):
                break  # السيد مراد الشامي الوفد: a third definite word that is not a nisba is the object
            j += 1
        return j

    def place_len(self, i: int) -> int:
        """Number of tokens of the longest gazetteer place starting at token i (dash or space between parts)."""
        if i >= self.n or not (self.masks[i] & PLACE):
            return 0
        best = self._place_match(i)
        return best[0] if best else 0

    def place_word(self, i: int) -> bool:
        return 0 <= i < self.n and self.masks[i] & PLACEW != 0

    def role_after(self, j: int) -> tuple[int, int] | None:
        """(start, end) offsets of a ``، <role phrase>`` that follows a name ending before token j."""
        if j >= self.n:
            return None
        start = self.starts[j]
        gap = self.key[self.ends[j - 1]:start]
        if gap.strip() not in ("\u060c", ",", "") or "\n" in gap:
            return None
        if not self._is_role_start(j):
            return None
        stop = ROLE_END.search(self.key, start, start + 200)
        end = stop.start() if stop else min(len(self.key), start + 200)
        while end > start and self.key[end - 1].isspace():
            end -= 1
        return start, end

    def _is_role_start(self, j: int) -> bool:
        if j >= self.n or not self.masks[j] & ROLE:
            return False
        m = self.match_phrase(j, self.lex.role_heads)
        return m is not None and m[2] == 0

    def _latin_runs(self) -> tuple[list[tuple[int, int]], list[int]]:
        """Runs of capitalised Latin words (and their glue) as (start, end) offsets, and their first tokens."""
        runs, firsts = [], []
        starts, ends, words, joins, latin, numbers = (self.starts, self.ends, self.words, self.joins, self.latin,
                                                      self.numbers)
        n_toks = self.n
        done = 0
        for i in self.flagged(LATIN_TOKEN):
            if i < done:
                continue
            w = words[i]
            if not (w[:1].isupper() or any(c.isupper() for c in w[1:])):
                continue
            j = i + 1
            while j < n_toks and joins[j] or (j < n_toks and self._latin_glue(j)):
                u = words[j]
                if latin[j] and (u[:1].isupper() or u.casefold() in _LATIN_CONNECTORS or u == "&") or numbers[j]:
                    j += 1
                else:
                    break
            while j > i + 1 and words[j - 1].casefold() in _LATIN_CONNECTORS:
                j -= 1
            runs.append((starts[i], ends[j - 1]))
            firsts.append(i)
            done = j
        return runs, firsts

    def _latin_glue(self, j: int) -> bool:
        """A Latin token after a hyphen or a period-free join (``Maroc-IA``)."""
        if j == 0 or j >= self.n:
            return False
        gap = self.key[self.ends[j - 1]:self.starts[j]]
        return gap.strip() in ("-", "&") and self.latin[j] and self.latin[j - 1]

    def _span_candidate(self, i: int, m: tuple[int, str, int], kind: str, rule: str, priority: int) -> None:
        word = self.words[i]
        stem = next((s for p, s in stems(word) if p == m[2] and s == m[1].split()[0]), word)
        contracted = stem.startswith(DEFINITE) and not word[m[2]:].startswith(DEFINITE)
        start = self.starts[i] if contracted else self.starts[i] + m[2]
        end = self.ends[i + m[0] - 1]
        self.cands.append(Candidate(kind, start, end, rule, priority, name=self._citation(start, end, i, m[2], stem)))

    def _citation(self, start: int, end: int, i: int, prefix: int, stem: str) -> str:
        """The span text, with ال restored when the span begins with the contracted لل (للوكالة -> الوكالة)."""
        t_start = self.starts[i]
        if start == t_start and prefix and stem.startswith(DEFINITE) and not self.words[i][prefix:].startswith(DEFINITE):
            return DEFINITE + self.text[t_start + prefix + 1:end]
        return self.text[start:end]

    def _name_after_head(self, i: int, m: tuple[int, str, int], kind: str, rule: str, max_between: int = 4) -> bool:
        """A quoted or Latin name within ``max_between`` adjective words after the head at token i."""
        starts, ends, words, joins, latin, numbers = (self.starts, self.ends, self.words, self.joins, self.latin,
                                                      self.numbers)
        k = i + m[0]
        nxt = bisect_left(self.name_starts, k)  # (``any_in`` inlined: this runs at every head)
        if nxt == len(self.name_starts) or self.name_starts[nxt] > k + max_between:
            return False  # no quote or Latin run within reach
        for _ in range(max_between + 1):
            if k >= self.n:
                return False
            adjectives_only = all(is_nisba(words[x]) for x in range(i + m[0], k))
            if kind == "organization" and not adjectives_only and (k in self.quote_at or k in self.bracket_at):
                return False  # شركة المناطق الاقتصادية “مناطق”: the head has its own name; the quote is its alias
            q = self.quote_at.get(k)
            if q is None and kind == "organization" and adjectives_only:
                q = self.bracket_at.get(k)  # مجموعة ( أكسيونا )، not جمعية منتجي الإسمنت (APC): an acronym
            if q:
                between = self.key[ends[k - 1]:q[0]]
                if between.strip() == "" and "\n" not in between and self._name_like(q):
                    self._quoted(q, kind, rule, m[1])
                    return True
            if not joins[k]:
                return False
            if latin[k] and starts[k] in self.run_at:
                if kind == "organization" and k > i + m[0] and self.key[ends[k - 1]:starts[k]].strip() == "(":
                    return False  # جمعية منتجي الإسمنت (APC): the acronym of the full name, not the name itself
                s, e = self.run_at[starts[k]]
                self.cands.append(Candidate(kind, s, e, rule, 1, head=m[1]))
                return True
            if latin[k] or numbers[k] or self.is_stop(k) or self.is_head_word(k):
                return False
            if kind == "organization" and words[k][:1] in ("\u0644", "\u0628"):
                return False  # الوكالة المغربية للطاقة …: a full name, not an adjective before a name
            k += 1
        return False

    def _name_like(self, q) -> bool:
        """A quoted segment reads as a name, not as quoted speech."""
        inner = self.key[q[2]:q[3]]
        words = [word_key(w) for w in inner.split()]
        if not words or len(words) > 12 or "\u060c" in inner:
            return False
        if len(words) >= 2 and not LATIN_LETTER.search(inner) and any(w[:1] == "\u0648" for w in words[1:]) and all(
                not is_definite(w) and w.endswith(("\u0647", "\u064a", "\u0627\u062a")) for w in words):
            return False  # "فريدة ورائدة"، "جدي ومسؤول": adjectives in quotes describe, they do not name
        first = words[0]
        verbs = verbs_and_stop_words()
        if first in verbs or (len(first) > 3 and first[:1] in "\u0633\u0648\u0641" and first[1:] in verbs):
            return False
        return len(words) <= 6 or LATIN_LETTER.search(inner) is not None

    def _quoted(self, q, kind: str, rule: str, head: str) -> None:
        s, e = q[2], q[3]
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and (self.text[e - 1].isspace() or self.text[e - 1] in ".,\u060c"):
            e -= 1
        if e > s:
            self.cands.append(Candidate(kind, s, e, rule, 1, head=head))

    def _dash_gap(self, j: int) -> bool:
        gap = self.key[self.ends[j - 1]:self.starts[j]]
        return gap.strip() == "-" and "\n" not in gap




def any_in(indices: list[int], lo: int, hi: int) -> bool:
    """Some index of the sorted list ``indices`` lies in ``range(lo, hi)``."""
    k = bisect_left(indices, lo)
    return k < len(indices) and indices[k] < hi
