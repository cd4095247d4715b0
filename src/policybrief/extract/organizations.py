"""Organisation rules: a head noun and its complement, names after company heads, known names, aliases."""
from __future__ import annotations

import re

from ..textnorm import word_key
from .entity_lexicon import (
    KNOWN_ORG, LATIN_HEAD, ORG_BITS, is_back_reference, is_generic_word, is_stop_word, word_is_head,
)
from .entity_scanner import Candidate
from .entity_tokens import YEAR
from .morphology import DEFINITE, LAM, is_definite, is_nisba, stems


_LATIN = re.compile("[A-Za-z]")


def _is_nationality(word: str) -> bool:
    """A definite relative adjective, possibly after و or ك (الفرنسية، والصينية، كالإسبانية)."""
    return any(stem.startswith(DEFINITE) and is_nisba(stem) and len(stem) > 5 for _, stem in stems(word))


class OrganizationRules:
    """Organisation candidates of ``ScannerBase`` (mixed into ``entities.Scanner``)."""

    def organizations(self) -> None:
        """Latin / quoted names after a generic head, head noun + complement, known names, quoted aliases."""
        lex, masks, words = self.lex, self.masks, self.words
        latin_heads = lex.org_latin_heads_all
        for i in self.flagged(ORG_BITS):
            m = self.match_phrase(i, latin_heads) if masks[i] & LATIN_HEAD else None
            if m and self._name_after_head(i, m, "organization", "head-latin"):
                continue
            if m and self._brand_after_head(i + m[0], m[1]):
                continue
            known = self.match_phrase(i, lex.known_organizations) if masks[i] & KNOWN_ORG else None
            if known:
                self._span_candidate(i, known, "organization", "known-name", 2)
            readings = stems(words[i])
            if words[i].startswith(LAM + LAM):  # للجنة: ل + اللجنة before ل + لجنة
                readings = sorted(readings, key=lambda r: not r[1].startswith(DEFINITE))
            for prefix, stem in readings:
                definite = stem.startswith(DEFINITE)
                bare = stem[2:] if definite else stem
                if bare in lex.org_heads:
                    self._head_complement(i, prefix, stem, bare, definite)
                    break
        self._quoted_aliases()

    def _head_complement(self, i: int, prefix: int, stem: str, bare: str, definite: bool) -> None:
        lex, toks_words, joins, n_toks = self.lex, self.words, self.joins, self.n
        k = i + 1
        if k >= n_toks or not joins[k] or self.latin[k]:
            return
        mode = "org_fi" if bare in lex.org_heads_with_fi else "org"
        end = self.complement(k, mode)
        if end == k and not definite:
            end = self._unknown_name_then_field(k)
        words = list(toks_words[k:end])
        if not words:
            return
        if (bare in lex.place_heads_dropped or bare in lex.place_heads_kept) and self.place_len(k) == end - k:
            return  # ولاية قفصة، مدينة طنجة: a place head and its place name a place, not a body
        first = words[0]
        genitive = ((is_definite(first) and first.startswith(DEFINITE)) or self.eponym_len(k) or self.place_word(k)
                    or self._region_len(k))
        if definite and not (is_definite(first) or genitive):
            return  # للمؤسسة رفع رأس المال: a definite noun takes no genitive; an indefinite word starts a new phrase
        if not definite and not genitive:
            nxt_ok = k + 1 < end and not first.startswith(("\u0644", "\u0628")) and not toks_words[k + 1].startswith(("\u0644", "\u0628"))
            if not (nxt_ok or end - k >= 2 and is_definite(toks_words[end - 1]) and self._unknown_ok(k, end)):
                return
        if definite and len(words) == 1 and bare in lex.located_heads and is_nisba(words[0]) \
                and end < n_toks and joins[end] and toks_words[end][:1] == "\u0628" and self.place_len(end):
            end += self.place_len(end)  # الجامعة الأورومتوسطية بفاس: an institution named by one adjective and its city
            words.append(toks_words[end - 1])
        elif (definite and len(words) == 1 and bare in lex.located_heads and is_nisba(words[0]) and end + 1 < n_toks
              and joins[end] and toks_words[end] == lex.field_preposition and joins[end + 1] and self.place_len(end + 1)):
            end += 1 + self.place_len(end + 1)  # الجامعة الأميركية في بيروت: the same with في
            words.append(toks_words[end - 1])
        if definite and len(words) < 2:
            return
        if len(words) == 1 and words[0] in lex.generic_complements:
            return
        generic = 0
        while generic < len(words) and is_generic_word(words[generic]):
            generic += 1
        if generic and is_back_reference(words[generic - 1]) and (
                generic == len(words) or (words[generic][:1] == LAM and not words[generic].startswith(LAM * 2))):
            return  # مجلس إدارة الوكالة، مجلس الجماعة (لدراسة …): a back-reference to a body named earlier or local
        contracted = definite and not toks_words[i][prefix:].startswith(DEFINITE)
        start = self.starts[i] if contracted else self.starts[i] + prefix
        name = self._citation(start, self.ends[end - 1], i, prefix, stem)
        self.cands.append(Candidate("organization", start, self.ends[end - 1], "head-noun", 3, name=name, head=bare))

    def _brand_after_head(self, k: int, head: str) -> bool:
        """شركة هواوي، مجموعة رونو: an unknown Arabic word (one or two) after a company head is its name.

        Not a feminine adjective (…ة), not definite, not the first word of a construct, not a stop word,
        verb, title, place or listed common adjective.
        """
        lex, words, joins, latin, numbers, n_toks = self.lex, self.words, self.joins, self.latin, self.numbers, self.n
        if head.startswith(DEFINITE):
            return False
        end = k
        while end < n_toks and end - k < 2 and joins[end] and not latin[end] and not numbers[end]:
            w = words[end]
            if (w.endswith(("\u0647", "\u0627\u062a")) or is_definite(w) or self.is_stop(end) or w in lex.not_brand
                    or self.is_head_word(end) or self.place_word(end) or self.is_first_name(end) or len(w) < 3
                    or w[:1] in "\u0644\u0628\u0648\u0641"):
                break
            end += 1
        if end == k:
            return False
        if end < n_toks and joins[end] and self.place_len(end) == 1 and is_definite(words[end]) \
                and words[end].startswith(DEFINITE):
            end += 1  # مجموعة رونو المغرب: the brand and its country subsidiary
        nxt = end
        if (nxt < n_toks and joins[nxt] and not latin[nxt] and words[nxt].startswith(DEFINITE)
                and not self.is_stop(nxt)):
            return False  # شركة تطوير البرمجيات: a construct, not a brand
        if nxt < n_toks and joins[nxt] and words[nxt][:1] == "\u0648" and self._chain_reaches_definite(nxt):
            return False  # جمعية مصنعي ومركبي السيارات: coordinated nouns of a construct, not a brand
        self.cands.append(Candidate("organization", self.starts[k], self.ends[end - 1], "head-brand", 3, head=head))
        return True

    def _unknown_name_then_field(self, k: int) -> int:
        """جامعة هواري بومدين للعلوم …: 1-3 unknown words, then a ل + definite field (or a ل construct) and its complement."""
        words, joins, latin, numbers = self.words, self.joins, self.latin, self.numbers
        for n in (1, 2, 3):
            j = k + n
            if j >= self.n or not all(joins[x] and not latin[x] and not numbers[x]
                                      and not is_definite(words[x]) and not self.is_stop(x)
                                      and not self.is_head_word(x) for x in range(k, j)):
                return k
            w = words[j]
            if joins[j] and not all(is_nisba(words[x]) or words[x].endswith("\u0647") for x in range(k, j)) and (
                    w.startswith("\u0644\u0644") and len(w) > 4
                    or w[:1] == LAM and len(w) > 3 and self._chain_reaches_definite(j)):
                return self.complement(j, "org")  # … للعلوم، معهد أكسفورد لدراسات الطاقة
        return k

    def _unknown_ok(self, k: int, end: int) -> bool:
        words = self.words
        if any(words[x].startswith("\u0644\u0644") for x in range(k + 1, end)):
            return True
        # معهد أكسفورد لدراسات الطاقة: ل + a construct after an unknown name (not after an adjective: صندوق
        # استثماري وطني لدعم …، سلطة مستقلة لمراقبة … describe, they do not name)
        lam = next((x for x in range(k + 1, end) if words[x][:1] == LAM), None)
        return lam is not None and not all(is_nisba(words[x]) or words[x].endswith("\u0647") for x in range(k, lam))

    def _quoted_aliases(self) -> None:
        """A short quoted name right after an organisation name is a second name of it (… “مازن”)."""
        org_ends = {c.end: c for c in self.cands if c.kind == "organization" and c.rule == "head-noun"}
        bracketed = [b for b in self.brackets if self._bare_name(b)]
        for q in self.quotes + bracketed:
            before = q[0]
            while before > 0 and self.key[before - 1] == " ":
                before -= 1
            if before in org_ends and len(self.key[q[2]:q[3]].split()) <= 3:
                self._quoted(q, "organization", "quoted-alias", "")

    def _bare_name(self, q) -> bool:
        """The words of a quote or bracket could be a short name: no article, stop word, verb or head noun.

        (سدايا)، (إنتاج) are; (البرلمان)، (حزيران)، (الأجور) are glosses.
        """
        words = [word_key(w) for w in self.key[q[2]:q[3]].split()]
        return bool(words) and len(words) <= 3 and not any(
            is_definite(w) or is_stop_word(w) or word_is_head(w) or w in self.lex.month_words for w in words)

    def outlets(self) -> None:
        """A quoted name that a statement was given to (لـ«X», the preposition written apart) or that obtained
        a document (حصلت عليها «X»، توصلت «X») is a news outlet naming itself."""
        cues = self.lex.outlet_cues
        for q in self.quotes:
            before = [word_key(w) for w in self.key[max(0, q[0] - 40):q[0]].split()]
            if not before or len(self.key[q[2]:q[3]].split()) > 4:
                continue
            last = before[-1]
            if last in cues or " ".join(before[-2:]) in cues or last == LAM:  # (لـ«…»: told to an outlet)
                self._quoted(q, "organization", "outlet", "")

    def bracketed_names(self) -> None:
        """Bracketed names of companies: after a noun such as مصنع or صحيفة, after or before a nationality
        adjective (كالفرنسية ( X )، ( Y ) الكورية), or joined by و to a bracketed name just taken (( X ) و( Y ))."""
        key, taken_end = self.key, -1
        for b in self.brackets:
            inner = [word_key(w) for w in key[b[2]:b[3]].split()]
            if _LATIN.search(key[b[2]:b[3]]) or not self._bare_name(b) or any(
                    w.endswith(("\u0647", "\u0627\u062a")) for w in inner):
                continue  # (موازنة): a common noun glossing the word before, not a company
            before = key[:b[0]].rstrip()
            after = key[b[1]:b[1] + 40].split()
            prev_word = word_key(before.split()[-1]) if before.split() else ""
            listed = (prev_word == "\u0648" and key[taken_end:b[0]].strip(" \u0648") == "") if taken_end >= 0 else False
            after_head = any(stem in self.lex.bracket_name_heads for _, stem in stems(prev_word))
            if listed or after_head or _is_nationality(prev_word) or (after and _is_nationality(word_key(after[0]))):
                self._quoted(b, "organization", "bracketed-name", "")
                taken_end = b[1]

    def latin_bare(self) -> None:
        lex = self.lex
        for s, e in self.latin_runs:
            words = self.key[s:e].split()
            if len(words) == 1 and words[0].casefold() in lex.latin_not_names:
                continue
            if " ".join(words).casefold() in lex.latin_not_names:
                continue
            if e - s < 2 or self.key[s - 1:s].isdigit():
                continue  # 5G, 4.0: part of a number
            kind = "organization"
            if any(YEAR.match(w) for w in words) or any(w.casefold() in lex.latin_initiative_words for w in words):
                kind = "initiative"
            self.cands.append(Candidate(kind, s, e, "latin-name", 4))
