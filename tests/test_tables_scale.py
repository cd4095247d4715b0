"""The grouped conflict search and the grouped timeline filter give what the plain pairwise / per-row versions give."""
from __future__ import annotations

import random

import pandas as pd
import pytest

from policybrief import tables


def _plain_conflicting_pairs(figures: pd.DataFrame) -> set[int]:
    """The first version: every pair of figures of an (initiative, unit) compared with ``same_thing``."""
    flagged: set[int] = set()
    by_key: dict[tuple, list] = {}
    for row in figures.reset_index(drop=True).itertuples():
        if row.initiative_id:
            by_key.setdefault((row.initiative_id, row.unit), []).append(row)
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                differ = abs(a.value - b.value) > 1e-9 * max(abs(a.value), 1)
                if a.doc_id != b.doc_id and differ and tables.same_thing(a, b):
                    flagged.update({a.Index, b.Index})
    return flagged


def _plain_says_most(table: pd.DataFrame) -> list[bool]:
    """The first version: one pandas filter per timeline row."""
    keep = []
    for index in table.index:
        row = table.loc[index]
        if row["_rank"] < 0:
            keep.append(True)
            continue
        same = table[(table["doc_id"] == row["doc_id"]) & (table["date"] == row["date"]) & (table.index != index)]
        if row["_rank"] < 2:
            same = same[same["kind"] == row["kind"]]
        keep.append(not (same["_rank"] < row["_rank"]).any())
    return keep


# Values include ones on either side of the rounding tolerance (1e-9 relative).
VALUES = [3.5e9, 3.5e9 * (1 + 4e-10), 3.5e9 * (1 + 1.1e-9), 3.6e9, 40.0, 60.0, 0.5, 0.5000000001, 0.500000002,
          1200.0, float("nan")]
WHATS = ["", "استثمارات", "الاستثمارات", "مناصب شغل", None]
YEARS = ["", "2028", "2030", 2030]


def _random_figures(rng: random.Random, n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": [rng.choice(["d1", "d2", "d3", "d4"]) for _ in range(n)],
        "initiative_id": [rng.choice(["", "ini-a", "ini-b"]) for _ in range(n)],
        "unit": [rng.choice(["MAD", "USD", "count"]) for _ in range(n)],
        "value": [rng.choice(VALUES) for _ in range(n)],
        "is_target": [rng.random() < 0.5 for _ in range(n)],
        "target_year": [rng.choice(YEARS) for _ in range(n)],
        "what": [rng.choice(WHATS) for _ in range(n)],
        "bound": [rng.choice(["", "", "min", "max"]) for _ in range(n)],
    })


@pytest.mark.parametrize("seed", range(40), ids=lambda s: f"random-figures-{s}")
def test_grouped_conflict_search_equals_every_pair(seed):
    rng = random.Random(seed)
    figures = _random_figures(rng, rng.randint(0, 60))
    assert tables._conflicting_pairs(figures) == _plain_conflicting_pairs(figures)


def test_the_random_figures_do_have_conflicts():
    found = [len(_plain_conflicting_pairs(_random_figures(random.Random(s), 40))) for s in range(10)]
    assert sum(1 for n in found if n) >= 5


@pytest.mark.parametrize("first, second, expected", [
    pytest.param(3.5e9, 3.6e9, {0, 1}, id="different-values-conflict"),
    pytest.param(3.5e9, 3.5e9 * (1 + 4e-10), set(), id="within-rounding-no-conflict"),
    pytest.param(float("nan"), 3.5e9, set(), id="missing-value-never-conflicts"),
])
def test_conflicts_of_two_documents(first, second, expected):
    figures = pd.DataFrame({"doc_id": ["d1", "d2"], "initiative_id": ["ini-a"] * 2, "unit": ["MAD"] * 2,
                            "value": [first, second], "is_target": [True] * 2, "target_year": ["2030", ""],
                            "what": ["استثمارات", ""], "bound": ["", ""]})
    assert tables._conflicting_pairs(figures) == expected


@pytest.mark.parametrize("seed", range(30), ids=lambda s: f"random-timeline-{s}")
def test_grouped_timeline_filter_equals_the_per_row_filter(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 50)
    table = pd.DataFrame({
        "doc_id": [rng.choice(["d1", "d2", "d3"]) for _ in range(n)],
        "date": [rng.choice(["2025", "2025-03", "2025-03-14", "2030"]) for _ in range(n)],
        "kind": [rng.choice(["event", "target"]) for _ in range(n)],
        "_rank": [float(rng.choice([-1, 0, 1, 2])) for _ in range(n)],
    }, index=rng.sample(range(1000), n))
    assert tables._says_most(table).tolist() == _plain_says_most(table)
