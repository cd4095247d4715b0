"""What changed since the last build, the contradictions ledger with syndicated stories, promises and their
status, and the review page, on articles written for these tests (tests/review_articles)."""
from __future__ import annotations

import random
import shutil
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from policybrief import changes
from policybrief.contradictions import candidate_pairs, story_groups
from policybrief.corpus import read_corpus
from policybrief.extract.pipeline import extract_corpus
from policybrief.review_step import analyst_tables, run_review_step
from policybrief.status import sentence_statuses

ARTICLES = Path(__file__).parent / "review_articles"
ALL = ("water_a.txt", "water_b.txt", "wire_a.txt", "wire_b.txt", "slums_2020.txt")


def corpus(folder: Path, files=ALL, review: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    for name in files:
        shutil.copy(ARTICLES / name, folder / name)
    shutil.copy(ARTICLES / "sources.csv", folder / "sources.csv")
    if review is not None:
        (folder / "review.csv").write_text(review, encoding="utf-8")
    return folder


def extracted(folder: Path) -> dict[str, pd.DataFrame]:
    return extract_corpus(read_corpus(folder))


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return analyst_tables(extracted(corpus(tmp_path_factory.mktemp("all"))))


# Changes -----------------------------------------------------------------------------------------------------

def test_rebuild_with_one_added_article_lists_exactly_its_rows(tmp_path):
    seeds, out = corpus(tmp_path / "seeds", files=ALL[:2]), tmp_path / "out"
    first = run_review_step(extracted(seeds), seeds, out)
    assert first.first_build and first.changes.empty
    shutil.copy(ARTICLES / "schools_extra.txt", seeds / "schools_extra.txt")
    tables = extracted(seeds)
    second = run_review_step(tables, seeds, out)
    assert not second.first_build
    added = second.changes[second.changes["change"] == "added"]
    assert set(second.changes["change"]) == {"added"}
    for table in ("figures", "dates", "entities"):
        new_rows = tables[table].loc[tables[table]["doc_id"] == "schools_extra", "id"]
        assert set(added.loc[added["table"] == table, "id"]) == set(new_rows), table
    assert added.loc[added["table"] == "documents", "id"].tolist() == ["schools_extra"]
    assert changes.summary(second.changes)["new_articles"] == 1
    on_disk = pd.read_csv(out / "report" / "changes.csv", dtype=str, keep_default_na=False)
    assert len(on_disk) == len(second.changes)


def test_a_rebuild_that_changes_nothing_leaves_the_changes_as_they_were(tmp_path):
    seeds, out = corpus(tmp_path / "seeds", files=ALL[:2]), tmp_path / "out"
    run_review_step(extracted(seeds), seeds, out)
    shutil.copy(ARTICLES / "schools_extra.txt", seeds / "schools_extra.txt")
    run_review_step(extracted(seeds), seeds, out)
    written = (out / "report" / "changes.csv").read_bytes()
    again = run_review_step(extracted(seeds), seeds, out)
    assert (out / "report" / "changes.csv").read_bytes() == written
    assert len(again.changes) == len(pd.read_csv(out / "report" / "changes.csv"))


def test_a_reviewer_fix_shows_as_a_changed_field(tmp_path):
    seeds, out = corpus(tmp_path / "seeds", files=ALL[:2]), tmp_path / "out"
    tables = extracted(seeds)
    run_review_step(tables, seeds, out)
    fixed = tables["figures"].loc[tables["figures"]["value"] == 143e9, "id"].item()
    (seeds / "review.csv").write_text(f"id,action,field,value,note\n{fixed},fix,value,140 مليار,\n", encoding="utf-8")
    step = run_review_step(tables, seeds, out)
    rows = step.changes.set_index("field")
    assert rows.loc["value", "id"] == fixed and float(rows.loc["value", "after"]) == 140e9
    assert changes.summary(step.changes)["reviewer_actions"] == 1


# Contradictions ------------------------------------------------------------------------------------------------

def test_two_articles_that_disagree_on_a_budget(analysed):
    ledger = analysed["table_ledger"]
    budget = ledger[ledger["doc_id"].isin(["water_a", "water_b"])]
    assert budget["group"].nunique() == 1
    assert budget[["doc_id", "value_text", "outlet", "published"]].values.tolist() == [
        ["water_a", "115 مليار درهم", "جريدة الماء", "2024-03-03"],
        ["water_b", "143 مليار درهم", "موقع التجهيز", "2024-04-10"],
    ]
    assert set(budget["reason"]) == {"update"} and all(budget["quote"].str.contains("مليار درهم"))


def test_a_syndicated_copy_with_one_figure_changed(analysed):
    stories = analysed["table_stories"].set_index("doc_id")
    assert stories.loc["wire_b", "story"] == "wire_a" and stories.loc["wire_a", "n_copies"] == 2
    assert stories.loc["water_a", "story"] != stories.loc["water_b", "story"]
    ledger = analysed["table_ledger"]
    wire = ledger[ledger["doc_id"].isin(["wire_a", "wire_b"])]
    assert sorted(wire["value"]) == [750e6, 780e6] and set(wire["reason"]) == {"syndicated"}


@pytest.mark.parametrize("threshold", [pytest.param(t, id=f"similarity-{t}") for t in (0.8, 0.9, 0.95)])
def test_banded_candidates_find_every_similar_pair(threshold):
    rng = random.Random(7)
    bases = [rng.getrandbits(64) for _ in range(20)]
    hashes = [b ^ sum(1 << rng.randrange(64) for _ in range(rng.randrange(12))) for b in bases for _ in range(4)]
    similar = {(i, j) for i, j in combinations(range(len(hashes)), 2)
               if (64 - (hashes[i] ^ hashes[j]).bit_count()) / 64 >= threshold}
    assert similar and similar <= set(candidate_pairs(hashes, threshold))


def test_a_figure_repeated_by_a_copy_counts_once(tmp_path):
    from policybrief.tables import build_tables

    seeds = corpus(tmp_path / "seeds")
    tables = extracted(seeds)
    step = run_review_step(tables, seeds, tmp_path / "out")
    key = step.with_analyst_tables(build_tables(step.tables))["table_key_figures"]
    wire = key[key["doc_id"].isin(["wire_a", "wire_b"])]
    assert sorted(wire["value"]) == [4000.0, 2e6, 750e6, 780e6]  # jobs and passengers once; both budgets, flagged
    assert wire.set_index("value").loc[[750e6, 780e6], "conflict"].all()


def test_unrelated_articles_are_separate_stories():
    docs = read_corpus(ARTICLES)
    stories = story_groups(docs)
    assert stories["story"].nunique() == len(docs) - 1  # only the wire copy joins another story


# Status -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    pytest.param("أعلنت الوزارة عن البرنامج الجديد", ["announced"], id="announced"),
    pytest.param("وقعت الحكومة والبنك مذكرة تفاهم حول المشروع", ["signed", "signed"], id="signed-memorandum"),
    pytest.param("ورصدت الوزارة للمشروع غلافا ماليا", ["funded"], id="funded-with-clitic"),
    pytest.param("ودخل النظام الجديد حيز التنفيذ مطلع السنة", ["operational"], id="operational-phrase"),
    pytest.param("لم يتم افتتاح المركز إلى حد الآن", [], id="negated"),
    pytest.param("ومن المرتقب أن يتم تدشين المحطة في الصيف", ["announced"], id="planned-launch"),
    pytest.param("وقعت الوزارة اتفاقية لإطلاق المنصة", ["signed", "signed", "announced"], id="purpose-launch"),
    pytest.param("وانطلقت المباحثات بين الطرفين حول المصنع", ["announced"], id="talks-started"),
    pytest.param("وانطلقت أشغال بناء المصنع في الربيع", ["launched"], id="works-started"),
])
def test_sentence_statuses(sentence, expected):
    assert [status for status, _ in sentence_statuses(sentence)] == expected


def test_an_initiative_whose_target_year_is_past(analysed):
    promises = analysed["table_promises"].set_index("initiative")
    slums = promises.loc["مدن بلا صفيح 2020"]
    assert (slums["status"], slums["target_year"], slums["flag"]) == ("announced", "2020", "past_due")
    assert slums["since"] == "2016" and "أعلنت" in slums["sentence"]
    water = promises.loc["ماء للجميع 2027"]
    assert (water["status"], water["since"], water["flag"]) == ("launched", "2024-03-03", "")


def test_no_target_year_is_flagged(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "lab.txt").write_text('وافتتحت الجامعة مختبر "بيانات المغرب" لتكوين الباحثين في علوم البيانات.\n',
                                   encoding="utf-8")
    promises = analyst_tables(extracted(seeds))["table_promises"]
    assert promises[["status", "flag"]].values.tolist() == [["launched", "no_target"]]


# Review page -------------------------------------------------------------------------------------------------

def test_review_page_lists_conflicts_first_with_ready_lines(tmp_path):
    seeds, out = corpus(tmp_path / "seeds"), tmp_path / "out"
    step = run_review_step(extracted(seeds), seeds, out, strict=False)
    page = (out / "report" / "review.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in page and "http" not in page.replace("http-equiv", "")
    first_conflict = step.analyst_tables["table_ledger"]["id"].iloc[0]
    assert f"{first_conflict},accept,,," in page
    non_conflict = set(step.tables["figures"]["id"]) - set(step.analyst_tables["table_ledger"]["id"])
    assert all(page.index(first_conflict) < page.index(other) for other in non_conflict)
    assert "<mark>115 مليار درهم</mark>" in page


def test_brief_section_names_the_new_article_figures_and_initiative(tmp_path):
    from policybrief import brief
    from policybrief.brief_review import changes_section

    seeds, out = corpus(tmp_path / "seeds", files=ALL[:2]), tmp_path / "out"
    run_review_step(extracted(seeds), seeds, out)
    assert "الإصدار الأول" in changes_section(brief.load(out))
    shutil.copy(ARTICLES / "schools_extra.txt", seeds / "schools_extra.txt")
    run_review_step(extracted(seeds), seeds, out)
    section = changes_section(brief.load(out))
    for phrase in ("مقالات جديدة منذ الإصدار السابق (1): «<bdi>مدارس الريادة</bdi>»", "«<bdi>مدارس الريادة</bdi>»",
                   "أرقام جديدة: 2", "«<bdi>2.5 مليار درهم</bdi>»"):
        assert phrase in section


@pytest.fixture(scope="module")
def brief_sections(tmp_path_factory):
    """The ledger and promises sections of the brief, and its notes, for all the written articles."""
    from policybrief import brief, brief_review, store
    from policybrief.paths import OutputLayout

    root = tmp_path_factory.mktemp("sections")
    seeds, out = corpus(root / "seeds"), root / "out"
    step = run_review_step(extracted(seeds), seeds, out)
    store.write_tables(step.analyst_tables, OutputLayout(out))
    data = brief.load(out)
    notes = brief.Notes(data)
    return brief_review.ledger_section(data, notes), brief_review.promises_section(data, notes), notes


def test_ledger_section_puts_values_side_by_side_with_sources_and_reason(brief_sections):
    ledger, _, notes = brief_sections
    assert "أرقام متضاربة" in ledger
    water = ledger[ledger.index("ماء للجميع 2027"):]
    assert water.index("115 مليار درهم") < water.index("143 مليار درهم")
    for phrase in ("جريدة الماء", "موقع التجهيز", "3 مارس 2024", "10 أبريل 2024", "تحيين لاحق", "نسختان من الخبر نفسه"):
        assert phrase in ledger
    quoted = {n.quote for n in notes.items}
    assert {"115 مليار درهم", "143 مليار درهم", "750 مليون درهم", "780 مليون درهم"} <= quoted


def test_promises_section_flags_a_past_target(brief_sections):
    _, promises, notes = brief_sections
    row = promises[promises.index("مدن بلا صفيح 2020"):].split("</tr>")[0]
    assert "أُعلن عنها منذ 2016" in row and "انقضت سنة الهدف دون دليل على الإنجاز" in row
    assert any(n.quote == "أعلنت" and "مدن بلا صفيح" in n.sentence for n in notes.items)


def test_review_page_puts_low_confidence_figures_before_the_others():
    from policybrief.review_page import figure_priority

    figures = pd.DataFrame({
        "id": ["fig-a", "fig-b", "fig-c", "fig-d"], "doc_id": ["d"] * 4, "start": [0, 10, 20, 30],
        "value": [1.0, 2.0, 3.0, 4.0], "unit": ["count", "count", "MAD", "count"], "what": [""] * 4,
        "is_target": [False, False, False, False], "initiative_id": ["ini_1"] * 4,
        "confidence": [0.9, 0.2, 0.95, 0.4], "review": ["", "", "", "accepted"],
    })
    ordered = figure_priority(figures)
    assert ordered["id"].tolist() == ["fig-b", "fig-a", "fig-c", "fig-d"]  # reviewed rows last whatever their score
    assert "0.20" in ordered.loc[0, "why"]
    figures["confidence"] = 0.9
    in_the_box = figure_priority(figures, key_ids={"fig-c"})
    assert in_the_box["id"].tolist() == ["fig-c", "fig-a", "fig-b", "fig-d"]
    assert "الأرقام الرئيسية" in in_the_box.loc[0, "why"]
