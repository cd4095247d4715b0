"""The entity scanner's shortcuts (token columns, prefilters, precomputed bits) answer as the plain scans they replace.

Each test rebuilds the straightforward version of one step here, as the scanner did it before, and compares
both on random documents made of the gold articles' and seeds' words.
"""
from __future__ import annotations

import random
import re
from itertools import compress, count, repeat
from operator import and_
from pathlib import Path

import pytest

from policybrief import textnorm
from policybrief.extract import entities as E
from policybrief.extract import entity_lexicon as L
from policybrief.extract import entity_tokens as T
from policybrief.extract import morphology as M
from policybrief.paths import SEEDS_DIR

SOURCES = sorted((Path(__file__).parent / "gold" / "articles").glob("*.txt")) + sorted(SEEDS_DIR.glob("*.txt"))
SEPARATORS = [" "] * 12 + ["، ", ", ", ". ", "\n", " - ", "-", ": ", " (", ") ", " «", "» ", ' "', '" ', "  "]


def _vocabulary() -> list[str]:
    return [w for path in SOURCES for w in path.read_text(encoding="utf-8").split()]


VOCABULARY = _vocabulary()


def _random_documents(seed: int, n: int = 40) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        start = rng.randrange(len(VOCABULARY))
        out = []
        for k in range(rng.randint(1, 300)):
            # runs of consecutive words keep real phrases (titles, heads, names); jumps mix them
            word = VOCABULARY[(start + k) % len(VOCABULARY)] if rng.random() < 0.8 else rng.choice(VOCABULARY)
            out.append(word)
            out.append(rng.choice(SEPARATORS))
        docs.append("".join(out))
    return docs


PARAGRAPHS = [p for path in SOURCES for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]


def _paragraph_documents(seed: int, n: int = 30) -> list[str]:
    """Documents of shuffled whole paragraphs: names come back, as in real articles."""
    rng = random.Random(seed)
    return ["\n".join(rng.choice(PARAGRAPHS) for _ in range(rng.randint(2, 12))) for _ in range(n)]


SEEDS = [pytest.param(seed, id=f"random-{seed}") for seed in range(5)]


def _tokens_one_by_one(key: str) -> list[tuple]:
    """The tokens of ``key`` found match by match (what ``token_columns`` computes in bulk)."""
    out, previous_end = [], None
    for m in T._SPLIT.finditer(key):
        word = m.group()
        gap = key[previous_end:m.start()] if previous_end is not None else None
        joined = gap is not None and not gap.strip() and "\n" not in gap
        if word[0].isdigit():
            info = (word, False, True, L.YEAR_NUMBER if re.fullmatch(r"(?:19|20)\d\d", word) else 0)
        elif word[0] < "\u0600":
            info = (word, True, False, L.LATIN_TOKEN)
        else:
            info = (textnorm.word_key(word), False, False, L._tags(textnorm.word_key(word)))
        out.append((m.start(), m.end(), info[0], info[1], info[2], joined, info[3]))
        previous_end = m.end()
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_token_columns_equal_tokens_found_one_by_one(seed):
    for text in _random_documents(seed):
        key = textnorm.fold_keep_offsets(text)
        assert list(zip(*T.token_columns(key))) == _tokens_one_by_one(key)
        assert T.tokenize(key) == _tokens_one_by_one(key)


@pytest.mark.parametrize("seed", SEEDS)
def test_flagged_and_role_breaks_equal_a_scan_of_every_token(seed):
    families = [L.PERSON_BITS, L.ORG_BITS, L.INITIATIVE_BITS, L.PLACE, L.PLACE_HEAD, L.ROLE,
                L.ANCHOR_BITS, L.LATIN_TOKEN]
    for text in _random_documents(seed):
        scan = E.Scanner(text)
        for bits in families:
            assert scan.flagged(bits) == list(compress(count(), map(and_, scan.masks, repeat(bits))))
        before_role = scan._before_role_breaks()
        for i in range(scan.n):
            expected = any(scan.masks[j] & L.ROLE and not scan.joins[j] for j in range(i + 2, min(i + 5, scan.n)))
            assert (i in before_role) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_index_from_equals_a_lookup_of_each_offset(seed):
    for text in _random_documents(seed):
        scan = E.Scanner(text)
        by_start = {start: i for i, start in enumerate(scan.starts)}
        for offset in range(len(scan.key) + 2):
            positions = range(offset, min(offset + 4, len(scan.key)))
            expected = next((by_start[pos] for pos in positions if pos in by_start), None)
            assert scan._index_from(offset) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_place_stem_bits_equal_stem_lookups(seed):
    lex = L.lexicon()
    tables = [(L.PLACE_KEPT_STEM, lex.place_heads_kept), (L.PLACE_DROPPED_STEM, lex.place_heads_dropped),
              (L.DIRECTION_STEM, lex.place_directions)]
    words = {w for text in _random_documents(seed) for w in E.Scanner(text).words}
    words |= {p + w for w in lex.place_heads_kept | lex.place_directions for p in ("", "\u0648", "\u0628", "\u0644")}
    for word in words:
        mask = T._WORD_INFO[word][3] if word[0] >= "\u0600" else 0
        for bit, table in tables:
            assert bool(mask & bit) == any(s in table for _, s in M.stems(word)), word


@pytest.mark.parametrize("seed", SEEDS)
def test_name_after_head_prefilter_changes_nothing(seed):
    for text in _random_documents(seed):
        fast, full = E.Scanner(text), E.Scanner(text)
        full.name_starts = list(range(full.n + 8))  # no index is ruled out: every head walks its words
        for i in range(fast.n):
            for m, kind, between in [((1, "h", 0), "initiative", 4), ((1, "h", 0), "organization", 4),
                                      ((2, "h", 1), "initiative", 1)]:
                assert fast._name_after_head(i, m, kind, "r", between) == full._name_after_head(i, m, kind, "r", between)
        assert fast.cands == full.cands


@pytest.mark.parametrize("seed", SEEDS)
def test_arabic_initiative_prefilter_changes_nothing(seed):
    heads = L.lexicon().initiative_heads_all
    articles = [path.read_text(encoding="utf-8") for path in SOURCES] if seed == 0 else []
    for text in _random_documents(seed) + articles:
        fast, full = E.Scanner(text), E.Scanner(text)
        full.anchors = list(range(full.n + 40))  # every head reads its complement
        for i in fast.flagged(L.INI_HEAD):
            m = fast.match_phrase(i, heads)
            if m:
                head = m[1][2:] if m[1].startswith(M.DEFINITE) and m[1] not in L.lexicon().initiative_heads else m[1]
                fast._arabic_initiative(i, m, head)
                full._arabic_initiative(i, m, head)
        assert fast.cands == full.cands


def test_no_fold_yields_a_folding_character():
    table, _ = textnorm._same_length_pairs()
    assert not set(table.values()) & set(table)


@pytest.mark.parametrize("seed", SEEDS)
def test_fold_equals_a_per_character_translate(seed):
    rng = random.Random(seed)
    table, _ = textnorm._same_length_pairs()
    folding = sorted(table)
    for text in _random_documents(seed, n=10):
        chars = list(text)
        for _ in range(len(chars) // 10):  # sprinkle every kind of folding character
            chars[rng.randrange(len(chars))] = rng.choice(folding)
        text = "".join(chars)
        assert textnorm.fold_keep_offsets(text) == text.translate({ord(k): v for k, v in table.items()})


@pytest.mark.parametrize("seed", SEEDS)
def test_complement_shortcut_for_plain_definite_words_changes_nothing(seed):
    for text in _random_documents(seed):
        fast, full = E.Scanner(text), E.Scanner(text)
        full.masks = tuple(m & ~L.PLAIN_DEFINITE for m in full.masks)  # every word through every check
        for i in range(fast.n + 1):
            for mode in ("org", "org_fi", "role", "event"):
                assert fast.complement(i, mode) == full.complement(i, mode), (i, mode)


def _with_bare_mentions(text: str, rng: random.Random) -> str:
    """``text`` followed by its entity names again, alone among ordinary words (what ``_repeats`` looks for)."""
    names = [r["text"] for r in E.find_entity_records("d", text)]
    tail = [f"{rng.choice(VOCABULARY)} {name} {rng.choice(VOCABULARY)}" for name in names]
    return text + "\n" + rng.choice(SEPARATORS).join(tail)


@pytest.mark.parametrize("seed", SEEDS)
def test_adding_repeats_equals_resolving_everything_again(seed):
    rng = random.Random(seed)
    kept = 0
    for text in _random_documents(seed) + [_with_bare_mentions(t, rng) for t in _paragraph_documents(seed)]:
        scan = E.Scanner(text)
        for rule in ("persons", "organizations", "initiatives", "quoted_bare", "latin_bare", "places", "listed_places"):
            getattr(scan, rule)()
        chosen = E._resolve(scan.cands)
        repeats = E._repeats(scan, chosen)
        assert E._with_repeats(chosen, repeats) == E._resolve(chosen + repeats)
        kept += len(E._resolve(chosen + repeats)) - len(chosen)
    assert kept  # some repeats were added


def _resolve_by_flags(cands):
    """``_resolve`` as first written: one flag per character already covered."""
    chosen = []
    if not cands:
        return chosen
    taken = bytearray(max(c.end for c in cands) + 1)
    for c in sorted(cands, key=lambda c: (c.priority, c.start - c.end, c.start)):
        if c.end <= c.start or 1 in taken[c.start:c.end]:
            continue
        chosen.append(c)
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
    return sorted(chosen, key=lambda c: c.start)


@pytest.mark.parametrize("seed", SEEDS)
def test_resolve_equals_covering_flags(seed):
    rng = random.Random(seed)
    for _ in range(300):  # random spans, empty and nested ones included
        cands = []
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(0, 200)
            cands.append(E.Candidate("organization", start, start + rng.randint(-2, 30), "r", rng.randint(1, 6)))
        assert E._resolve(cands) == _resolve_by_flags(cands)
    for text in _random_documents(seed):
        scan = E.Scanner(text)
        for rule in ("persons", "organizations", "initiatives", "quoted_bare", "latin_bare", "places", "listed_places"):
            getattr(scan, rule)()
        assert E._resolve(scan.cands) == _resolve_by_flags(scan.cands)


@pytest.mark.parametrize("seed", SEEDS)
def test_split_pattern_equals_the_plus_form(seed):
    plus = re.compile(f"([\u0621-\u065f\u0670-\u06d3\u06fa-\u06ff]+|{T._LATIN_WORD}|\\d+(?:[.,]\\d+)*|&)")
    rng = random.Random(seed)
    pieces = ["و", "ال", "ة", "\u064b", "\u0670", "ـ", "A", "b", "é", "3", "٣", ".", ",", "-", "&", "'", " ", "\n", "،"]
    texts = _random_documents(seed, n=10) + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
                                              for _ in range(3000)]
    for text in texts:
        assert T._SPLIT.split(text) == plus.split(text), text
