"""The gold set: every file valid and consistent with its article, and the extraction meets the team's goals.

The goal tests at the end fail until the extractors are good enough: that is the team's target, not a bug
in the gold. Never edit the gold to make them pass unless the gold contradicts docs/annotation-guide.md.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from policybrief import evaluate as ev
from policybrief.paths import SEEDS_DIR

GOLD_DIR = Path(__file__).parent / "gold"
ARTICLES_DIR = GOLD_DIR / "articles"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
ARTICLES = sorted(ARTICLES_DIR.glob("*.txt"))
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))

GOALS = [
    pytest.param("figures", "", 0.95, id="figures-f1"),
    pytest.param("dates", "", 0.95, id="dates-f1"),
    pytest.param("entities", "organization+person", 0.90, id="organization-person-f1"),
]


def _article_text(doc_id: str) -> str:
    for folder in (ARTICLES_DIR, SEEDS_DIR):
        path = folder / f"{doc_id}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(doc_id)


def _doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_gold_file_is_valid_and_quotes_are_in_the_article(path):
    doc = _doc(path)
    assert doc["doc_id"] == path.stem
    text = unicodedata.normalize("NFC", _article_text(path.stem))
    assert ev.check_gold(doc, text, path.name) == []


def test_whole_gold_set_loads():
    gold = ev.load_gold(GOLD_DIR)
    assert set(gold) == {p.stem for p in GOLD_FILES}


@pytest.mark.parametrize("path", ARTICLES + SEEDS, ids=[p.stem for p in ARTICLES + SEEDS])
def test_every_article_has_a_gold_file(path):
    assert (GOLD_DIR / f"{path.stem}.json").is_file()


def test_gold_set_size():
    assert len(ARTICLES) >= 10
    assert len(GOLD_FILES) == len(ARTICLES) + len(SEEDS)


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_article_is_nfc_and_of_press_length(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert 150 <= len(text.split()) <= 400


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_dates_agree_with_publication_date(path):
    doc = _doc(path)
    published = doc["published"]
    for date in doc["dates"]:
        if date["what"] == "dateline":
            assert date["iso"] == published, date
        if date["what"] == "relative":
            assert published, f"relative day {date['quote']!r} annotated without a publication date"
            assert date["precision"] == "day"


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_ranges_come_in_pairs_and_targets_have_a_flag(path):
    figures = _doc(path)["figures"]
    bounds = Counter(f["bound"] for f in figures if f["bound"])
    assert bounds["low"] == bounds["high"]
    for figure in figures:
        assert not figure["target_year"] or figure["is_target"], figure
        assert figure["qualifier"] in ev.QUALIFIERS, figure


def test_gold_publication_dates_match_the_corpus_reader():
    from policybrief.corpus import read_corpus

    documents = [read_corpus(folder) for folder in (SEEDS_DIR, ARTICLES_DIR)]
    read = {row["doc_id"]: row["published"] for df in documents for row in df.to_dict("records")}
    expected = {p.stem: _doc(p)["published"] for p in GOLD_FILES}
    assert {k: read.get(k) for k in expected} == expected


@pytest.fixture(scope="module")
def scores():
    table, _ = ev.evaluate_dirs(GOLD_DIR, [SEEDS_DIR, ARTICLES_DIR])
    return table


@pytest.mark.parametrize("table, kind, goal", GOALS)
def test_extraction_meets_goal_on_gold_set(scores, table, kind, goal):
    row = scores[(scores.table == table) & (scores.kind == kind)].iloc[0]
    assert row.n_gold > 0
    assert row.f1 >= goal, (
        f"{table} {kind}: F1 {row.f1:.3f} < {goal} (tp {row.tp}, fp {row.fp}, fn {row.fn}); "
        f"see `policybrief evaluate tests/gold seeds tests/gold/articles --details`"
    )
