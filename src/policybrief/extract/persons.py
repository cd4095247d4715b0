"""Person rules: titles and honorifics, roles before or after the name, verbs of saying, appositions."""
from __future__ import annotations

from .entity_lexicon import HEAD, HON, PERSON_BITS, PLACE_HEAD_ANY, ROLE, STOP, VERB, is_speech_verb
from .entity_scanner import Candidate
from .morphology import DEFINITE, is_definite


class PersonRules:
    """Person candidates of ``ScannerBase`` (mixed into ``entities.Scanner``)."""

    def persons(self) -> None:
        """Titled names, role-then-name, appositions (``رئيس الجامعة، محمد …،``) and ``name، role``."""
        used: set[int] = set()
        after = 0
        masks, words, before_role = self.masks, self.words, self._before_role_breaks()
        # flagged tokens, and those 2-4 tokens before a role after punctuation (an unknown name may open there)
        candidates = sorted(set(self.flagged(PERSON_BITS)) | {j for j in before_role if 0 <= j < self.n})
        for i in candidates:
            # without a title, a role or a verb of saying here, the two remaining patterns need a comma and a
            # role 2-4 tokens later
            if i < after or not (masks[i] & (HON | ROLE) or i in before_role
                                 or masks[i] & VERB and self._name_may_follow(i) and is_speech_verb(words[i])):
                continue
            nxt = self._person_at(i, used)
            after = nxt or i + 1

    def _person_at(self, i: int, used: set[int]) -> int | None:
        """Try every person pattern at token i; the index after the person found, else None.

        ``persons`` calls it only at a title or role, or 2-4 tokens before a role after punctuation.
        """
        lex = self.lex
        starts, ends, joins, masks, n_toks = self.starts, self.ends, self.joins, self.masks, self.n
        mask = masks[i]
        hon = self.match_phrase(i, lex.honorifics) if mask & HON else None
        if hon and hon[1] == "\u062f" and self.key[ends[i]:ends[i] + 1] != ".":
            hon = None  # د alone is only a title as د.
        if hon and mask & ROLE:
            role = self.match_phrase(i, lex.role_heads)
            if role and role[0] > hon[0]:
                hon = None  # الكاتب العام: the longer role phrase wins over the title الكاتب
        if hon and i > 0 and joins[i] and masks[i - 1] & (HEAD | PLACE_HEAD_ANY) and hon[1] in lex.royal_titles:
            return None  # جامعة الملك سعود: a title inside the name of a body or a place
        if hon:
            k = self._skip_nisba(self._skip_nisba(i + hon[0]))
            more = self.match_phrase(k, lex.honorifics) if k < n_toks and joins[k] else None
            while more:  # معالي المهندس …، سمو الشيخ …: titles in a row
                k += more[0]
                more = self.match_phrase(k, lex.honorifics) if k < n_toks and joins[k] else None
            if k < n_toks and joins[k] and self._is_role_start(k):
                return self._role_first(k, used, honorific_first=i)
            field = self._skip_field(k)
            need_first = hon[1] in lex.titles_need_name or field != k
            k = field
            if k < n_toks and (joins[k] or self.key[ends[k - 1]:starts[k]].strip() == "."):
                end = self.name_words(k, need_first=need_first)
                if end > k:
                    title = "" if hon[1] in lex.courtesy_titles else self.text[starts[i] + hon[2]:ends[k - 1]]
                    self._person(k, end, "honorific-name", used, i, fallback_role=title)
                    return end
            if mask & ROLE and self._is_role_start(i):
                # النائب البرلماني عن …، رشيد …،: the title opens a role
                return self._role_first(i, used) or self._title_phrase_comma_name(i, hon, used)
            return self._title_phrase_comma_name(i, hon, used)
        if mask & ROLE and self._is_role_start(i):
            # المدير العام لإدارة …، جورج أبي نادر،: a role whose complement the rules cannot close, then a name
            return self._role_first(i, used) or self._title_phrase_comma_name(
                i, self.match_phrase(i, lex.role_heads), used)
        if mask & VERB and i + 1 < n_toks and joins[i + 1]:
            # قال لارس إيكلوند، الرئيس التنفيذي …: a name of 2-3 words between a speech verb and a role,
            # which may follow without a comma (قال فلان الفلاني وزير …).
            k = i + 1
            if self.words[k] in lex.verb_objects and k + 1 < n_toks and joins[k + 1]:
                k += 1  # أعلن عنها فلان الفلاني رئيس …: a preposition with a pronoun before the subject
            end = self.name_words(k, need_first=False, limit=3)
            if (end - k >= 2 and end < n_toks and (not joins[end] or self._is_role_start(end))
                    and not masks[k] & ROLE and self.role_after(end)):
                self._person(k, end, "verb-name-role", used, k)
                return end
        if self.is_first_name(i) and (i == 0 or not self._is_person_title(i - 1)):
            end = self.name_words(i, need_first=True)
            if end - i >= 2 and end < n_toks and self.role_after(end):
                self._person(i, end, "name-comma-role", used, i)
                return end
        elif self._opens_clause(i) and not is_definite(self.words[i]) and not self.is_stop(i):
            # أما رضوان العلوي، وزير …، فذكّر: an unknown name that opens a clause, then a role after a comma
            end = self.name_words(i, need_first=False, limit=3)
            if 2 <= end - i <= 3 and end < n_toks and not joins[end] and self.role_after(end):
                self._person(i, end, "name-comma-role", used, i)
                return end
        return None

    def _name_may_follow(self, i: int) -> bool:
        """The token after i is joined to it and could open a name (not a title, role, stop word or number:
        a title is tried at its own position)."""
        j = i + 1
        return j < self.n and self.joins[j] and not self.masks[j] & (HON | ROLE | STOP) and not self.numbers[j] \
            and not self.latin[j]

    def _opens_clause(self, i: int) -> bool:
        """Token i follows a topic particle (أما): what comes next is the subject (a sentence start alone is
        not enough: تصريح صحفي، وزير …)."""
        return i > 0 and self.joins[i] and self.words[i - 1] in self.lex.topic_particles

    def _title_phrase_comma_name(self, i: int, hon: tuple[int, str, int], used: set[int]) -> int | None:
        """A title and its complement, a comma, then a 2-4 word name closed by punctuation:
        الخبير لدى معهد …، جوناثان ويتفيلد، …"""
        starts, ends, joins, n_toks = self.starts, self.ends, self.joins, self.n
        c = i + hon[0]
        while c < n_toks and joins[c] and c - i < 12 and not self.numbers[c]:
            c += 1
        if c >= n_toks or c - i > 11 or c == i + hon[0] or self.key[ends[c - 1]:starts[c]].strip() not in ("\u060c", ","):
            return None
        end = self.name_words(c, need_first=False, limit=4, closed=True)
        after = self.key[ends[end - 1]:starts[end] if end < n_toks else len(self.key)].strip()[:1]
        if not (2 <= end - c <= 4 and (end == n_toks or not joins[end]) and after in ("\u060c", ",", ".", "")):
            return None
        if is_definite(self.words[c]) and not self.is_first_name(c):
            return None
        role = self.text[starts[i] + hon[2]:ends[c - 1]]
        self._person(c, end, "title-comma-name", used, i, role_text=role)
        return end

    def _skip_field(self, k: int) -> int:
        """Skip a field after a title (الباحث في علم الاجتماع يونس …): في and 1-3 words before a given name."""
        words, joins, latin, numbers = self.words, self.joins, self.latin, self.numbers
        if self.word(k) != self.lex.field_preposition or not self.joined(k):
            return k
        for m in range(k + 2, min(k + 5, self.n)):
            x = m - 1
            if not (joins[x] and joins[m]) or latin[x] or numbers[x] or self.is_stop(x) \
                    or self.is_head_word(x) or words[x][:1] in "\u0628\u0644\u0648":
                return k
            if self.is_first_name(m) and not self.eponym_len(m):
                return m
        return k

    def _skip_nisba(self, k: int) -> int:
        """Skip a nationality adjective after a title (الخبيرة الجزائرية ليلى …)."""
        w = self.word(k)
        if (k + 1 < self.n and self.joins[k] and self.joins[k + 1] and w.startswith(DEFINITE)
                and w.endswith(("\u064a", "\u064a\u0647")) and not self.place_word(k)
                and not self._is_person_title(k)):
            return k + 1
        return k

    def _role_first(self, i: int, used: set[int], honorific_first: int | None = None) -> int | None:
        """A role phrase at token i then a name: directly (وزيرة … أمل الفلاح) or after a comma (رئيس الجامعة، محمد …،)."""
        lex = self.lex
        starts, ends, joins, n_toks = self.starts, self.ends, self.joins, self.n
        role = self.match_phrase(i, lex.role_heads)
        k = i + role[0]
        comp = self.complement(k, "role") if k < n_toks and joins[k] else k
        n = comp
        hon2 = self.match_phrase(n, lex.honorifics) if n < n_toks and joins[n] else None
        if hon2:
            n += hon2[0]
        role_start = starts[i] + role[2]
        role_text = self.text[role_start:ends[comp - 1]]
        first = honorific_first if honorific_first is not None else i
        if n < n_toks and joins[n]:
            end = self.name_words(n, need_first=hon2 is None and honorific_first is None)
            if end - n >= (1 if hon2 or honorific_first is not None else 2):
                self._person(n, end, "role-name", used, first, role_text=role_text)
                return end
        # apposition: <role>، <name>، (the name then ends at punctuation)
        if n < n_toks and not joins[n] and self.key[ends[n - 1]:starts[n]].strip() in ("\u060c", ","):
            end = self.name_words(n, need_first=False, limit=4, closed=True)
            after = self.key[ends[end - 1]:starts[end] if end < n_toks else len(self.key)].strip()[:1]
            closes = (end == n_toks or not joins[end]) and after in ("\u060c", ",", ".", "")
            if 2 <= end - n <= 4 and closes and (self.is_first_name(n) or not is_definite(self.words[n])):
                self._person(n, end, "role-comma-name", used, first, role_text=role_text)
                return end
        return None

    def _person(self, k: int, end: int, rule: str, used: set[int], first: int, role_text: str = "",
                fallback_role: str = "") -> None:
        start, stop = self.starts[k], self.ends[end - 1]
        if not role_text:
            span = self.role_after(end)
            role_text = self.text[span[0]:span[1]] if span else fallback_role
        used.update(range(first, end))
        self.cands.append(Candidate("person", start, stop, rule, 2, role=role_text.strip()))
