"""``entities._repeats`` leaves out only mentions that ``_with_repeats`` would drop anyway.

Random documents of the gold articles' and seeds' paragraphs, followed by their entity names again among
ordinary words, so that names come back both inside and outside the chosen candidates.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from policybrief.extract import entities as E
from policybrief.paths import SEEDS_DIR

SOURCES = sorted((Path(__file__).parent / "gold" / "articles").glob("*.txt")) + sorted(SEEDS_DIR.glob("*.txt"))
PARAGRAPHS = [p for path in SOURCES for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
WORDS = [w for p in PARAGRAPHS for w in p.split()]


def _every_repeat(scan, chosen):
    """Every bare mention of a known name, as ``_repeats`` found them before it skipped the chosen starts."""
    key, out, known = scan.key, [], {}
    for c in chosen:
        surface = key[c.start:c.end]
        named = c.kind in ("organization", "initiative") and len(surface) >= 5 and not c.name
        if c.kind == "person" and len(surface.split()) >= 2 or named and (" " in surface or surface.isascii()):
            known.setdefault(surface, c)
    for surface, c in known.items():
        pos = key.find(surface)
        while pos != -1:
            end = pos + len(surface)
            if not (key[pos - 1:pos].isalnum() or key[end:end + 1].isalnum()):
                out.append(E.Candidate(c.kind, pos, end, c.kind + "-repeat", 6, head=c.head))
            pos = key.find(surface, end)
    return out


def _document(rng: random.Random) -> str:
    text = "\n".join(rng.choice(PARAGRAPHS) for _ in range(rng.randint(1, 10)))
    names = [r["text"] for r in E.find_entity_records("d", text)]
    tail = [f"{rng.choice(WORDS)}{rng.choice([' ', '، ', ''])}{name} {rng.choice(WORDS)}" for name in names]
    return text + rng.choice(["\n", " "]) + " ".join(tail)


def test_a_name_said_again_is_a_repeat():
    text = "وقالت السيدة ليلى بناني إن المشروع جاهز. وأضافت ليلى بناني أن العمل بدأ."
    rows = E.find_entity_records("d", text)
    assert [(r["text"], r["rule"]) for r in rows] == [("ليلى بناني", "honorific-name"), ("ليلى بناني", "person-repeat")]


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-{s}") for s in range(5)])
def test_repeats_give_the_entities_every_mention_gave(seed):
    rng = random.Random(seed)
    added = skipped = 0
    for _ in range(40):
        scan = E.Scanner(_document(rng))
        for rule in ("persons", "organizations", "bracketed_names", "initiatives", "quoted_bare", "latin_bare", "places",
                     "listed_places"):
            getattr(scan, rule)()
        chosen = E._resolve(scan.cands)
        every, repeats = _every_repeat(scan, chosen), E._repeats(scan, chosen)
        expected = E._with_repeats(chosen, every)
        assert E._with_repeats(chosen, repeats) == expected
        added += len(expected) - len(chosen)
        skipped += len(every) - len(repeats)
    assert added and skipped  # repeats were kept, and some mentions were left out
