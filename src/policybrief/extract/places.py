"""Place rules: gazetteer names, ambiguous names in a place context, unknown names after a place head."""
from __future__ import annotations

from .entity_lexicon import (
    DIRECTION_STEM, PLACE, PLACE_DROPPED_STEM, PLACE_HEAD, PLACE_KEPT_STEM, VERB, is_generic_word, is_place_word,
    is_stop_word, word_is_head,
)
from .entity_scanner import Candidate
from .morphology import DEFINITE, is_definite, is_nisba, stems

class PlaceRules:
    """Place candidates of ``ScannerBase`` (mixed into ``entities.Scanner``)."""

    def places(self) -> None:
        """Gazetteer names (dash or space between the parts of a region), with جهة kept and a direction
        (شمال …) joined; ambiguous names only after a place noun, a preposition, or opening a dateline."""
        lex, starts, ends, words, joins, masks = self.lex, self.starts, self.ends, self.words, self.joins, self.masks
        for i in self.flagged(PLACE):
            best = self._place_match(i)
            if not best:
                continue
            n, phrase, prefix, stem = best
            before = masks[i - 1] if i > 0 and joins[i] else 0
            head_kept = before & PLACE_KEPT_STEM
            head_dropped = before & PLACE_DROPPED_STEM
            direction = prefix == 0 and before & DIRECTION_STEM
            if phrase in lex.ambiguous_places and n == 1 and not (
                    head_kept or head_dropped or direction or self._place_context(i, prefix)):
                continue
            if n == 1 and prefix == 0 and stem.endswith("\u064a\u0647") and self._after_noun(i):
                continue  # شركة Aramco السعودية: a feminine nationality adjective, not the country
            contracted = stem.startswith(DEFINITE) and not words[i][prefix:].startswith(DEFINITE)
            start = starts[i] if contracted else starts[i] + prefix
            if head_kept or direction:
                table = lex.place_heads_kept if head_kept else lex.place_directions
                start = starts[i - 1] + next(p for p, s in stems(words[i - 1]) if s in table)
            end = ends[i + n - 1]
            name = DEFINITE + self.text[starts[i] + prefix + 1:end] if contracted else self.text[start:end]
            self.cands.append(Candidate("place", start, end, "gazetteer", 5, name=name))

    def _after_noun(self, i: int) -> bool:
        """Token i directly follows a noun or a name it could qualify (not a verb, particle or preposition)."""
        if i == 0 or not self.joins[i]:
            return False
        p = i - 1
        if self.latin[p]:
            return True
        if self.numbers[p] or self.is_stop(p) or self.masks[p] & VERB or self.words[p] in self.lex.place_prepositions:
            return False
        if self.place_word(p):
            return False
        # a feminine adjective agrees with a feminine or plural noun, or qualifies a brand (أرامكو السعودية)
        return self.words[p].endswith(("\u0647", "\u0627\u062a")) or not is_definite(self.words[p])

    def listed_places(self) -> None:
        """Unknown names after an indefinite place head, alone or in a list: إقليم X، أقاليم X وY وZ."""
        lex, starts, ends, words, joins, n_toks = self.lex, self.starts, self.ends, self.words, self.joins, self.n
        for i in self.flagged(PLACE_HEAD):
            w = words[i]
            head = w if w in lex.place_list_heads else w[1:]
            if head not in lex.place_list_heads:
                continue
            j, first = i + 1, True
            while j < n_toks and j - i <= 8:
                if first:
                    if not joins[j]:
                        break
                    prefix = 0
                else:
                    gap = self.key[ends[j - 1]:starts[j]].strip()
                    if gap not in ("", "\u060c", ",") or "\n" in self.key[ends[j - 1]:starts[j]]:
                        break
                    prefix = 1 if words[j][:1] == "\u0648" and len(words[j]) > 3 else 0
                    if not prefix and gap == "":
                        break
                word = words[j][prefix:]
                if not self._name_like_place(j, word) or (
                        word.startswith(DEFINITE) and head not in lex.place_list_heads_definite):
                    break
                n = self.place_len(j) if not prefix else 0
                if not n and not is_place_word(word):
                    end = j
                    if word in lex.place_name_prefixes and j + 1 < n_toks and joins[j + 1] \
                            and not self.latin[j + 1] and not self.numbers[j + 1] \
                            and not is_stop_word(words[j + 1]) and not word_is_head(words[j + 1]):
                        end = j + 1  # أولاد تايمة، آيت ملول: a two-word name
                    self.cands.append(Candidate("place", starts[j] + prefix, ends[end], "place-head-name", 5))
                    j = end
                j += max(n, 1)
                first = False

    def _name_like_place(self, j: int, word: str) -> bool:
        """An Arabic word that can be a place name after a place head (not an adjective, verb or particle)."""
        if self.latin[j] or self.numbers[j] or len(word) < 3 or is_stop_word(word) or word_is_head(word):
            return False
        if any(s in self.lex.verbs for _, s in stems(word)):
            return False
        if word.startswith(DEFINITE):
            return (not is_nisba(word) and word[2:] not in self.lex.back_references and not is_generic_word(word)
                    and word[2:] not in self.lex.place_directions)
        if is_place_word(word):
            return True
        if word.endswith(("\u0647", "\u064a", "\u0627\u062a")) or word in self.lex.not_brand:
            return False
        # فعيل (بعيد، كبير) and participles (متوسط، مستقل) are adjectives
        return not (len(word) == 4 and word[2] == "\u064a") and not word.startswith(("\u0645\u062a", "\u0645\u0633\u062a"))

    def _place_context(self, i: int, prefix: int) -> bool:
        """An ambiguous place name reads as a place: after في / من / إلى or ب, or opening a dateline."""
        if prefix and self.words[i][:prefix].endswith("\u0628"):
            return True
        if i > 0 and self.joins[i] and self.word(i - 1) in self.lex.place_prepositions:
            return True
        line_start = i == 0 or "\n" in self.key[self.ends[i - 1]:self.starts[i]]
        after = self.key[self.ends[i]:self.ends[i] + 3].strip()[:1]
        return line_start and after in ("-", "\u060c", ",")
