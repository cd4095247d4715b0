"""Contradictions ledger: figures about the same thing that differ across sources, and syndicated stories.

* Stories: articles whose Simhash (trafilatura's, over the whole text) is nearly equal are one
  syndicated story; the story id is its earliest article's ``doc_id``. A story counts once as evidence.
* Disagreements: two figures from different stories about the same thing (``tables.same_thing``:
  same initiative, unit, target flag and year) with different values; and, inside one story, two copies
  of the same sentence (the number masked) that give different values.
* Each disagreement group gets the likely reason the data shows: copies of one story, a rounded value,
  a different scope (a qualifier or a range bound on one side), or a later update (a later date).
"""
from __future__ import annotations

import re
from itertools import combinations

import pandas as pd

from . import rules
from .formatting import format_value_ar
from .schemas import column_names, empty_frame
from .tables import _column, initiative_names, same_thing
from .textnorm import match_key

STORY_COLUMNS = tuple(column_names("table_stories"))
LEDGER_COLUMNS = tuple(column_names("table_ledger"))


def settings() -> dict:
    return rules.load("contradictions")


def _simhashes(texts: list[str]) -> list:
    from trafilatura.deduplication import Simhash

    return [Simhash(text) for text in texts]


class _Groups:
    """Union-find over hashable items, for grouping pairs into connected groups."""

    def __init__(self, items) -> None:
        self.parent = {item: item for item in items}

    def find(self, item):
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a, b) -> None:
        self.parent[self.find(a)] = self.find(b)


def candidate_pairs(hashes: list[int], threshold: float, bits: int = 64) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, i < j, that may have similarity >= ``threshold``: every such pair, and few others.

    Two hashes at most ``d`` bits apart agree on at least one of ``d + 1`` bands of their bits (the
    pigeonhole principle), so only hashes sharing a band are compared: 500 articles need a few
    comparisons instead of 124,750. Low thresholds (many bands) compare every pair.

    >>> candidate_pairs([0, 0b101, 2**64 - 1], threshold=0.9)
    [(0, 1)]
    """
    max_distance = int(bits * (1 - threshold) + 1e-9)
    n_bands = max_distance + 1
    if n_bands > bits // 4:
        return list(combinations(range(len(hashes)), 2))
    edges = [round(b * bits / n_bands) for b in range(n_bands + 1)]
    pairs: set[tuple[int, int]] = set()
    for low, high in zip(edges, edges[1:]):
        mask = ((1 << (high - low)) - 1) << low
        buckets: dict[int, list[int]] = {}
        for index, value in enumerate(hashes):
            buckets.setdefault(value & mask, []).append(index)
        for members in buckets.values():
            pairs.update(combinations(members, 2))
    return sorted(pairs)


def story_groups(documents: pd.DataFrame, threshold: float | None = None) -> pd.DataFrame:
    """One row per document: its story (earliest copy's doc_id), copies in the story, best similarity."""
    threshold = settings()["same_story_similarity"] if threshold is None else threshold
    docs = documents.assign(_date=_column(documents, "published").replace("", "9999")).sort_values(
        ["_date", "doc_id"], kind="stable")
    ids = docs["doc_id"].tolist()
    hashes = _simhashes(docs["text"].tolist())
    groups = _Groups(range(len(ids)))
    best = [0.0] * len(ids)
    for i, j in candidate_pairs([h.hash for h in hashes], threshold):
        similarity = hashes[i].similarity(hashes[j])
        if similarity >= threshold:
            groups.union(j, i)
            best[i], best[j] = max(best[i], similarity), max(best[j], similarity)
    first = {}
    for i in range(len(ids)):
        first.setdefault(groups.find(i), ids[i])  # documents are in date order: the first is the earliest
    story = [first[groups.find(i)] for i in range(len(ids))]
    sizes = pd.Series(story).value_counts()
    return pd.DataFrame({"doc_id": ids, "story": story, "n_copies": [int(sizes[s]) for s in story],
                         "similarity": best}, columns=list(STORY_COLUMNS))


_DIGITS = re.compile(r"\d+(?:[.,٫]\d+)*")


def _masked_sentence(row) -> str:
    """The sentence of a figure as a match key with its own quote as § and every other number as #: two copies
    of one sentence agree whatever numbers a copy changed, and two figures of one sentence stay apart.

    >>> from types import SimpleNamespace as Row
    >>> _masked_sentence(Row(sentence="بلغت 750 مليون درهم ووفرت 4000 منصب", quote="4000 منصب"))
    'بلغت # مليون درهم ووفرت §'
    """
    sentence, quote = str(row.sentence), str(row.quote)
    at = sentence.find(quote)
    if at < 0:
        return match_key(_DIGITS.sub("#", sentence)).strip()
    masked = _DIGITS.sub("#", sentence[:at]) + "\u00a7" + _DIGITS.sub("#", sentence[at + len(quote):])
    return match_key(masked).strip()


def _differ(a, b) -> bool:
    return abs(a.value - b.value) > 1e-9 * max(abs(a.value), abs(b.value), 1)


def _significant_digits(value: float) -> int:
    """
    >>> _significant_digits(143_000_000_000), _significant_digits(142.7), _significant_digits(0)
    (3, 4, 0)
    """
    digits = f"{abs(value):.10g}".replace(".", "").replace("-", "")
    digits = digits.split("e")[0].strip("0")
    return len(digits)


def likely_reason(group: pd.DataFrame) -> str:
    """The likely reason figures of one disagreement differ: syndicated, rounded, scope, update or unknown."""
    config = settings()
    if group["story"].nunique() == 1:
        return "syndicated"
    values = group["value"].astype(float)
    low, high = values.min(), values.max()
    if high and (high - low) / abs(high) <= config["rounding_tolerance"]:
        qualified = (_column(group, "qualifier") == "approx").any()
        if qualified or len({_significant_digits(v) for v in values}) > 1:
            return "rounded"
    if (_column(group, "qualifier") != "").any() or (_column(group, "bound") != "").any():
        return "scope"
    if _column(group, "published").replace("", pd.NA).dropna().nunique() > 1:
        return "update"
    return "unknown"


def disagreements(figures: pd.DataFrame, documents: pd.DataFrame, initiatives: pd.DataFrame | None = None,
                  stories: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ledger: one row per figure in a disagreement, grouped (``group`` L1, L2…), with its reason."""
    stories = story_groups(documents) if stories is None else stories
    story_of = dict(zip(stories["doc_id"], stories["story"]))
    meta = documents.set_index("doc_id")
    figs = figures.reset_index(drop=True).copy()
    figs["initiative_id"] = _column(figs, "initiative_id").astype(str)
    figs["story"] = figs["doc_id"].map(lambda d: story_of.get(d, d))
    rows = list(figs.itertuples())
    groups = _Groups(range(len(rows)))
    linked = set()
    by_story: dict[str, list] = {}
    for row in rows:
        by_story.setdefault(row.story, []).append(row)
    for copies in by_story.values():  # copies of one story: the same sentence with another number
        keyed: dict[tuple, list] = {}
        for row in copies:
            keyed.setdefault((_masked_sentence(row), row.unit), []).append(row)
        for same in keyed.values():
            for a, b in combinations(same, 2):
                if a.doc_id != b.doc_id and _differ(a, b):
                    groups.union(a.Index, b.Index)
                    linked.update({a.Index, b.Index})
    by_key: dict[tuple, list] = {}
    for row in rows:
        if row.initiative_id:
            by_key.setdefault((row.initiative_id, row.unit), []).append(row)
    for same in by_key.values():  # different stories about the same thing
        for a, b in combinations(same, 2):
            if a.story != b.story and _differ(a, b) and same_thing(a, b):
                groups.union(a.Index, b.Index)
                linked.update({a.Index, b.Index})
    if not linked:
        return empty_frame("table_ledger")
    names = initiative_names(initiatives) if initiatives is not None else {}
    table = figs.loc[sorted(linked)].copy()
    table["published"] = table["doc_id"].map(lambda d: meta.at[d, "published"] if d in meta.index else "")
    table["outlet"] = table["doc_id"].map(
        lambda d: meta.at[d, "outlet"] if d in meta.index and "outlet" in meta.columns else "")
    table["initiative"] = table["initiative_id"].map(lambda i: names.get(i, ""))
    table["value_text"] = [format_value_ar(v, u, w, q) for v, u, w, q in
                           zip(table["value"], table["unit"], table["what"], _column(table, "qualifier"))]
    roots = {i: groups.find(i) for i in table.index}
    order = sorted(set(roots.values()), key=lambda r: min(i for i in roots if roots[i] == r))
    table["group"] = [f"L{order.index(roots[i]) + 1}" for i in table.index]
    reasons = {g: likely_reason(part) for g, part in table.groupby("group")}
    table["reason"] = table["group"].map(reasons)
    table["reason_text"] = table["reason"].map(settings()["reasons"])
    if "id" not in table.columns:
        table["id"] = ""
    table = table.sort_values(["group", "published", "doc_id", "start"], kind="stable")
    return table[list(LEDGER_COLUMNS)].reset_index(drop=True)


def count_stories_once(table: pd.DataFrame, stories: pd.DataFrame, column: str = "n_sources") -> pd.DataFrame:
    """``table`` with ``column`` counting the distinct stories of its ``doc_ids`` (a wire copy adds no source)."""
    if column not in table.columns or "doc_ids" not in table.columns:
        return table
    story_of = dict(zip(stories["doc_id"], stories["story"]))
    counted = [len({story_of.get(d, d) for d in str(ids).split("|") if d}) for ids in table["doc_ids"]]
    return table.assign(**{column: pd.Series(counted, index=table.index, dtype="int64")})


def repeated_in_copies(figures: pd.DataFrame, stories: pd.DataFrame) -> set[str]:
    """Ids of figures a syndicated copy repeats: same story, same sentence (number masked), unit and value as a
    figure of an earlier copy. The brief counts such a figure once, from the story's first article."""
    story_of = dict(zip(stories["doc_id"], stories["story"]))
    order = {doc_id: i for i, doc_id in enumerate(stories["doc_id"])}  # stories list copies oldest first
    seen: set[tuple] = set()
    repeated = set()
    rows = sorted(figures.itertuples(index=False), key=lambda r: (order.get(r.doc_id, len(order)), r.start))
    for row in rows:
        key = (story_of.get(row.doc_id, row.doc_id), _masked_sentence(row), row.unit, float(row.value))
        if key in seen:
            repeated.add(getattr(row, "id", ""))
        seen.add(key)
    return repeated - {""}
