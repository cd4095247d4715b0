"""Digits, separators, number words, scale words and ordinals -> exact values.

Everything here works on match keys (``textnorm`` folds: Arabic-Indic digits become ASCII, ``٫`` becomes
``.`` and ``٬`` becomes ``,``, harakat and tatweel are dropped); ``find_numbers`` returns spans of the key,
which ``NormalizedText.to_original`` maps back into the original text. Word tables are in
``data/numbers.yml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .rules import load
from .textnorm import match_key

# ---------------------------------------------------------------------------------------------- digits

# Digits glued to a Latin letter or a math mark (G42, x^2, a_1) are part of a name or formula, not a number.
_DIGITS = (
    r"(?<![0-9A-Za-z^_])(?:"
    r"[0-9]{1,3}(?P<sep>[ ,.])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:[.,][0-9]+)?(?![0-9])"
    r"|[0-9]+(?:[.,][0-9]+)?"
    r")(?![0-9])"
)


def parse_digits(s: str) -> Decimal:
    """The number written with ASCII or Arabic-Indic digits and any of the press's separators.

    One kind of separator used more than once, or once before exactly three digits, groups thousands
    (``1,200`` ``1.200.000`` ``1 200``); otherwise it is the decimal point (``10.8`` ``10,8`` ``٣٫٥``).
    With both ``.`` and ``,`` the last one is the decimal point.

    >>> [str(parse_digits(s)) for s in ("1,200", "1.200.000", "1 200", "10.8", "10,8", "\u0663\u066b\u0665")]
    ['1200', '1200000', '1200', '10.8', '10.8', '3.5']
    """
    return _parse_key_digits(match_key(s))


_DIGIT_STRING = re.compile(r"[0-9.,]*[0-9][0-9.,]*")


def _parse_key_digits(s: str) -> Decimal:
    """``parse_digits`` of a string that is already a match key (``find_numbers`` works on keys).

    >>> str(_parse_key_digits("3 500,75"))
    '3500.75'
    """
    if s.isdigit() and s.isascii():
        return Decimal(s)  # most digit strings have no separator
    s = s.replace(" ", "").replace("\u00a0", "")
    if not s or not _DIGIT_STRING.fullmatch(s):
        raise ValueError(f"not a digit string: {s!r}")
    seps = [c for c in s if c in ".,"]
    if not seps:
        return Decimal(s)
    if "." in seps and "," in seps:
        decimal_sep = s[max(s.rfind("."), s.rfind(","))]
        group_sep = "," if decimal_sep == "." else "."
        if s.count(decimal_sep) > 1:
            raise ValueError(f"ambiguous separators: {s!r}")
        return Decimal(s.replace(group_sep, "").replace(decimal_sep, "."))
    sep = seps[0]
    head, _, tail = s.partition(sep)
    if len(seps) > 1:
        if not all(len(g) == 3 for g in s.split(sep)[1:]):
            raise ValueError(f"bad digit groups: {s!r}")
        return Decimal(s.replace(sep, ""))
    if len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0"):
        return Decimal(head + tail)
    return Decimal(head + "." + tail)


def to_number(value: Decimal) -> float:
    """A Decimal as a float, integral values exactly.

    >>> to_number(Decimal("10.8") * 10**9)
    10800000000.0
    """
    return float(value)


# ---------------------------------------------------------------------------------------------- word tables


@dataclass(frozen=True, slots=True)
class _Word:
    kind: str  # unit, teen_one, ten, hundred, scale, frac
    value: Decimal
    form: str = ""  # singular, dual or plural for scales
    teen_ten: bool = False


@lru_cache(maxsize=1)
def word_table() -> dict[str, _Word]:
    """Match key of every cardinal number word -> its kind and value (from ``data/numbers.yml``)."""
    data = load("numbers")
    table: dict[str, _Word] = {}
    teen_ten = {match_key(w) for w in data["teen_ten"]}
    for value, words in data["units"].items():
        for w in words:
            k = match_key(w)
            table[k] = _Word("unit", Decimal(value), teen_ten=k in teen_ten)
    for w in data["teen_one"]:
        table[match_key(w)] = _Word("teen_one", Decimal(1))
    for value, words in data["tens"].items():
        for w in words:
            table[match_key(w)] = _Word("ten", Decimal(value))
    for value, words in data["hundreds"].items():
        for w in words:
            table[match_key(w)] = _Word("hundred", Decimal(value))
    for value, forms in data["scales"].items():
        for form, words in forms.items():
            for w in words:
                table[match_key(w)] = _Word("scale", Decimal(value), form)
    for value, words in data["fractions"].items():
        for w in words:
            table[match_key(w)] = _Word("frac", Decimal(str(value)))
    return table


def trie_regex(words: list[str]) -> str:
    """A regex alternation of ``words`` shaped as a prefix tree (much faster than a flat alternation).

    >>> trie_regex(["مائه", "مائتين", "مليون"])
    'م(?:ائ(?:ه|تين)|ليون)'
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return build(trie).replace(r"\ ", r"\s+")


@lru_cache(maxsize=1)
def atom_regex() -> re.Pattern[str]:
    """One regex for a digit string or a number word (with a clitic و ف ب ل ك before a word), on match keys."""
    alternation = trie_regex(sorted(word_table()))
    return re.compile(
        _DIGITS + r"|(?<!\w)(?P<pre>[وف]??[بلك]??)(?P<word>" + alternation + r")(?!\w)"
    )


# ``atom_regex`` split in two scans that each open with a character class, so that the regex engine jumps
# between candidate starts instead of trying both alternatives at every position (~2x faster together).
# The digit scan checks the look-behind after its first digit; the word scan consumes the non-word
# character before a word (``_atoms`` scans the key behind one space, for a word at offset 0).
# A digit string holds digits and separators, a word letters (and spaces between its words), so a match
# of one scan never overlaps one of the other: together they find exactly the matches of ``atom_regex``.
_DIGITS_SCAN = re.compile(
    r"[0-9](?<![0-9A-Za-z^_][0-9])(?:"
    r"[0-9]{0,2}(?P<sep>[ ,.])[0-9]{3}(?:(?P=sep)[0-9]{3})*(?:[.,][0-9]+)?(?![0-9])"
    r"|[0-9]*(?:[.,][0-9]+)?"
    r")(?![0-9])"
)


@lru_cache(maxsize=1)
def _word_scan() -> re.Pattern[str]:
    """``atom_regex``'s number words, each with the non-word character before it."""
    alternation = trie_regex(sorted(word_table()))
    return re.compile(r"\W(?P<pre>[وف]??[بلك]??)(?P<word>" + alternation + r")(?!\w)")


_SPACES = re.compile(r"\s+")
_SPACE = re.compile(r"[ \t\u00a0]{1,3}")
_AND = re.compile(r"[ \t\u00a0]{0,3}و[ \t\u00a0]{0,2}")
_START = re.Match.start


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build
class _Atom:
    start: int  # of the number itself (after any clitic)
    end: int
    kind: str  # digits or a _Word kind
    value: Decimal
    form: str
    teen_ten: bool
    link: str  # how it joins the atom before: "space", "and" or "" (it cannot)
    before_scale: Decimal | None = None  # the value a scale word after it gives: "4.783 مليار" is 4.783
    separator: str = ""  # the separator of a digit string with a ``before_scale`` reading


@dataclass(slots=True)  # read-only by convention: frozen, it took a quarter of find_numbers to build
class NumberSpan:
    """A number found in a match key: value, span (clitics excluded) and how it was written."""

    value: Decimal
    start: int
    end: int
    words: bool  # some part is written in words
    scaled: bool  # ends with (or contains) a scale word
    plain_digits: bool  # only a digit string, no words at all
    digits: str  # the digit string when plain_digits, else ""
    scale: Decimal = Decimal(1)  # the last scale word's value (1 when none): a range's low end borrows it


def _decimal_before_scale(digits: str) -> Decimal | None:
    """The decimal reading of a digit string with one separator before exactly three digits, else None.

    Alone, ``4.783`` groups thousands (4783); before a scale word the press means a decimal
    (``4.783 مليار`` is 4.783 billion, never 4,783 billion).

    >>> _decimal_before_scale("4.783"), _decimal_before_scale("6,119"), _decimal_before_scale("1.200.000")
    (Decimal('4.783'), Decimal('6.119'), None)
    """
    seps = [c for c in digits if c in ".,"]
    if len(seps) != 1 or " " in digits:
        return None
    head, _, tail = digits.partition(seps[0])
    return Decimal(head + "." + tail) if len(tail) == 3 and head else None


# The agency decimal written with the letter ر (from the Arabic decimal separator it resembles), stored
# with the fraction first: "5ر22" reads 22.5 and "7 ر 1" reads 1.7, as a reader of the page sees them.
_RA_DECIMAL = re.compile(r"(?<![0-9.,])(?P<frac>[0-9]{1,3})(?P<sp>[ ]?)ر(?P=sp)(?P<int>[0-9]{1,4})(?![0-9]|[.,][0-9])")


def ra_decimal(digits: str) -> Decimal | None:
    """The value of an agency decimal written with ر (fraction first), else None.

    >>> ra_decimal("5ر22"), ra_decimal("7 ر 1"), ra_decimal("22 و5")
    (Decimal('22.5'), Decimal('1.7'), None)
    """
    m = _RA_DECIMAL.fullmatch(match_key(digits))
    return Decimal(m.group("int") + "." + m.group("frac")) if m else None


def _atoms(key: str) -> list[_Atom]:
    table = word_table()
    padded = " " + key  # offsets in ``padded`` are one more than in ``key``
    matches = sorted([*_DIGITS_SCAN.finditer(padded), *_word_scan().finditer(padded)], key=_START)
    if "ر" in key:
        ra = list(_RA_DECIMAL.finditer(padded))
        if ra:
            spans = [(m.start(), m.end()) for m in ra]
            matches = sorted([m for m in matches if not any(s < m.end() and m.start() < e for s, e in spans)] + ra,
                             key=_START)
    atoms: list[_Atom] = []
    prev_end = prev_start = -10
    for m in matches:
        if m.re is _DIGITS_SCAN or m.re is _RA_DECIMAL:
            before_scale = None
            try:
                if m.re is _RA_DECIMAL:
                    value = Decimal(m.group("int") + "." + m.group("frac"))
                else:
                    value = _parse_key_digits(m.group())  # already a match key: no second fold
                    if "." in m.group() or "," in m.group():
                        before_scale = _decimal_before_scale(m.group())
                        separator = "." if "." in m.group() else ","
            except ValueError:
                prev_end = -10
                continue
            start = m.start() - 1
            link = _gap_shape(key, prev_end, start, prev_start)
            atoms.append(_Atom(start, m.end() - 1, "digits", value, "", False, link, before_scale,
                               separator if before_scale is not None else ""))
            prev_start = start
        else:
            pre, word = m.group("pre", "word")
            w = table[word] if word.isalpha() else table[_SPACES.sub(" ", word)]
            shape = _gap_shape(key, prev_end, m.start("pre") - 1, prev_start)
            if shape == "space" and (pre.startswith("و") or (not pre and word[:1] == "و" and word[1:] in table)):
                link = "and"  # "وأحد" folds to "واحد": after a number it is "and one"
            else:
                link = "" if pre else shape
            atoms.append(_Atom(m.start("word") - 1, m.end() - 1, w.kind, w.value, w.form, w.teen_ten, link))
            prev_start = m.start("word") - 1
        prev_end = m.end() - 1
    return atoms


def _gap_shape(key: str, lo: int, hi: int, prev_start: int = -10) -> str:
    """"space" when ``key[lo:hi]`` is a short run of spaces, "and" when it is و between them, else "".

    A number in brackets joins the scale word after them: ``(120) مليار`` is 120 billion.
    """
    if lo < 0 or hi - lo > 7:  # _SPACE and _AND match at most 3 and 6 characters, after a bracket
        return ""
    gap = key[lo:hi]
    if gap[:1] == ")" and prev_start > 0 and key[prev_start - 1] == "(":
        gap = gap[1:]
    elif hi - lo > 6:
        return ""
    if gap == " " or _SPACE.fullmatch(gap):
        return "space"
    return "and" if _AND.fullmatch(gap) else ""


def _below_hundred(atoms: list[_Atom], i: int) -> tuple[Decimal, int] | None:
    """Parse 1..99 in words starting at atom i: (value, next index)."""
    a = atoms[i]
    nxt = atoms[i + 1] if i + 1 < len(atoms) else None
    if a.kind == "teen_one":
        if nxt and nxt.link == "space" and nxt.teen_ten:
            return Decimal(11), i + 2
        return None
    if a.kind == "unit":
        if a.value < 10 and nxt and nxt.link == "space" and nxt.teen_ten:
            return a.value + 10, i + 2
        if a.value < 10 and nxt and nxt.link == "and" and nxt.kind == "ten":
            return a.value + nxt.value, i + 2
        return a.value, i + 1
    if a.kind == "ten":
        return a.value, i + 1
    return None


def _small_words(atoms: list[_Atom], i: int) -> tuple[Decimal, int] | None:
    """Parse 1..999 in words starting at atom i: (value, next index)."""
    a = atoms[i]
    nxt = atoms[i + 1] if i + 1 < len(atoms) else None
    if a.kind == "hundred":
        value, j = a.value, i + 1
    elif a.kind == "unit" and 1 < a.value < 10 and nxt and nxt.link == "space" and nxt.kind == "hundred" \
            and nxt.value == 100:
        value, j = a.value * 100, i + 2  # ثلاث مائة
    else:
        return _below_hundred(atoms, i)
    if j < len(atoms) and atoms[j].link == "and" and atoms[j].kind in ("unit", "teen_one", "ten"):
        tail = _below_hundred(atoms, j)
        if tail:
            value, j = value + tail[0], tail[1]
    return value, j


def _segment(atoms: list[_Atom], i: int, comma_groups: bool = False) -> tuple[Decimal, int, Decimal, bool] | None:
    """One group ``small [scale]``: (value, next index, scale or 1, uses words).

    ``comma_groups``: the text writes decimals with a point, so a comma before three digits groups
    thousands even before a scale word (``2,700 مليار`` is 2700 billion there).
    """
    a = atoms[i]
    if a.kind == "scale":
        if a.form == "plural":
            return None  # آلاف الكفاءات: a vague plural, not a number
        return a.value * (2 if a.form == "dual" else 1), i + 1, a.value, True
    if a.kind == "frac":
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if nxt and nxt.link == "space" and nxt.kind == "scale" and nxt.form == "singular":
            return a.value * nxt.value, i + 2, nxt.value, True
        return None
    if a.kind == "digits":
        value, j, words = a.value, i + 1, False
    else:
        parsed = _small_words(atoms, i)
        if parsed is None:
            return None
        (value, j), words = parsed, True
    if _scale_follows(atoms, j):
        if a.kind == "digits" and a.before_scale is not None and not (comma_groups and a.separator == ","):
            value = a.before_scale
        return value * atoms[j].value, j + 1, atoms[j].value, True
    return value, j, Decimal(1), words


def _scale_follows(atoms: list[_Atom], j: int) -> bool:
    """True when atom j is a scale word (not a dual) that multiplies the group before it."""
    return j < len(atoms) and atoms[j].link == "space" and atoms[j].kind == "scale" and atoms[j].form != "dual"


def find_numbers(key: str, comma_groups: bool = False) -> list[NumberSpan]:
    """Every number in a match key, compound forms joined (``مليار و200 مليون``), ranges kept apart.

    A point or comma before exactly three digits and a scale word is a decimal (``4.783 مليار``); with
    ``comma_groups`` (see ``uses_decimal_point``) a comma there groups thousands.

    >>> [(str(n.value), key[n.start:n.end]) for key in ["بين 3 و5 ملايين"] for n in find_numbers(key)]
    [('3', '3'), ('5000000', '5 ملايين')]
    """
    atoms = _atoms(key)
    out: list[NumberSpan] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if a.kind == "digits" and not _scale_follows(atoms, i + 1):
            # A digit string alone, most numbers: built as the general path below would build it.
            out.append(NumberSpan(a.value, a.start, a.end, False, False, True, key[a.start:a.end]))
            i += 1
            continue
        seg = _segment(atoms, i, comma_groups)
        if seg is None:
            i += 1
            continue
        value, j, scale, words = seg
        start, scaled = atoms[i].start, scale > 1
        # Further groups joined by و, each smaller than the scale before it: مليار و200 مليون.
        while scale > 1 and j < len(atoms) and atoms[j].link == "and":
            nxt = _segment(atoms, j, comma_groups)
            if nxt is None or nxt[0] >= scale:
                break
            value, j, scale, words = value + nxt[0], nxt[1], nxt[2], words or nxt[3]
        plain = j == i + 1 and atoms[i].kind == "digits"
        out.append(NumberSpan(value, start, atoms[j - 1].end, words, scaled, plain,
                              key[start:atoms[i].end] if plain else "", scale))
        i = j
    return out


_POINT_DECIMAL = re.compile(r"(?<![0-9.,])[0-9]+\.[0-9]{1,2}(?![0-9])")
_COMMA_DECIMAL = re.compile(r"(?<![0-9.,])[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})(?![0-9])")


def uses_decimal_point(key: str) -> bool:
    """True when a text writes decimals with a point and never with a comma (``7.3`` but no ``52,4``).

    Such a text groups thousands with the comma: ``2,700 مليار`` there is 2700 billion.

    >>> uses_decimal_point("نحو 7.3 تريليونات و2,700 مليار"), uses_decimal_point("52,4 نقطة و4.783 مليار")
    (True, False)
    """
    return bool(_POINT_DECIMAL.search(key)) and not _COMMA_DECIMAL.search(key)


def parse_number(text: str) -> float | None:
    """The value of ``text`` when all of it is one number (digits, words, scale words), else None.

    >>> parse_number("مليار و200 مليون"), parse_number("ألفي"), parse_number("10.8 مليار")
    (1200000000.0, 2000.0, 10800000000.0)
    >>> parse_number("الثالثة عشرة بعد المائة") is None
    True
    """
    key = match_key(text).strip()
    numbers = find_numbers(key)
    if len(numbers) != 1:
        return None
    n = numbers[0]
    prefix = key[:n.start]
    if key[n.end:].strip() or prefix not in ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب"):
        return None
    return to_number(n.value)


# ---------------------------------------------------------------------------------------------- ordinals


@lru_cache(maxsize=1)
def _ordinal_tables() -> tuple[dict[str, int], dict[str, int], dict[str, int], re.Pattern[str]]:
    data = load("numbers")
    units = {match_key(w): int(v) for v, ws in data["ordinals"].items() for w in ws}
    tens = {match_key(w): int(v) for v, ws in data["tens"].items() for w in ws}
    hundreds = {match_key(w): int(v) for v, ws in data["hundreds"].items() for w in ws}
    hundreds.update({match_key(w): 1000 for w in data["scales"][1000]["singular"]})
    teen = "|".join(re.escape(match_key(w)) for w in data["teen_ten"])
    after = "|".join(re.escape(match_key(w)) for w in data["ordinal_after"])

    def alt(words: dict[str, int]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    hundred_tail = r"(?:\s+(?:" + after + r")\s+ال(?P<{}>" + alt(hundreds) + r"))?"
    pattern = (
        r"(?<!\w)(?:[وفبل]|وب|ول)?ال(?:"
        r"(?P<u>" + alt(units) + r")(?:\s+(?P<teen>" + teen + r"))?(?:\s+وال(?P<t>" + alt(tens) + r"))?"
        + hundred_tail.format("h") +
        r"|(?P<t2>" + alt(tens) + r")" + hundred_tail.format("h2") +
        r"|(?P<h3>" + alt(hundreds) + r")"
        r")(?!\w)"
    )
    return units, tens, hundreds, re.compile(pattern)


def ordinal_regex() -> re.Pattern[str]:
    """Regex of a definite ordinal on match keys (``الثامنة``, ``الحادي والعشرين``, ``الثالثة عشرة بعد المائة``)."""
    return _ordinal_tables()[3]


def ordinal_value(m: re.Match[str]) -> int:
    """The value of a match of ``ordinal_regex``."""
    units, tens, hundreds, _ = _ordinal_tables()
    if m.group("h3"):
        return hundreds[m.group("h3")]
    if m.group("t2"):
        return tens[m.group("t2")] + (hundreds[m.group("h2")] if m.group("h2") else 0)
    value = units[m.group("u")]
    if m.group("teen"):
        value += 10
    if m.group("t"):
        value += tens[m.group("t")]
    if m.group("h"):
        value += hundreds[m.group("h")]
    return value


def parse_ordinal(text: str) -> int | None:
    """The value of a definite ordinal (masculine or feminine), else None.

    >>> parse_ordinal("الثامنة"), parse_ordinal("الثالثة عشرة بعد المائة"), parse_ordinal("الحادي والعشرين")
    (8, 113, 21)
    """
    key = match_key(text).strip()
    m = ordinal_regex().fullmatch(key)
    return ordinal_value(m) if m else None
