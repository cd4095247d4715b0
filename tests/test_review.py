"""Stable ids and the review file: accept, reject, fix and merge, problems reported while the rest applies."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from policybrief.corpus import read_corpus
from policybrief.extract.pipeline import extract_corpus
from policybrief.review import ReviewError, apply_review, parse_review, review_line, review_tables
from policybrief.tables import build_tables

ARTICLES = Path(__file__).parent / "review_articles"
WATER = ("water_a.txt", "water_b.txt")


def corpus(tmp_path: Path, files=WATER, review: str | None = None) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for name in files:
        shutil.copy(ARTICLES / name, folder / name)
    if review is not None:
        (folder / "review.csv").write_text(review, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def water(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return extract_corpus(read_corpus(corpus(tmp_path_factory.mktemp("water"))))


def figure_id(tables, value: float) -> str:
    figures = tables["figures"]
    return figures.loc[figures["value"] == value, "id"].item()


def test_ids_are_stable_and_unique_across_builds(tmp_path):
    first = extract_corpus(read_corpus(corpus(tmp_path)))
    again = extract_corpus(read_corpus(corpus(tmp_path, files=(*WATER, "schools_extra.txt"))))
    for table in ("figures", "dates", "entities", "initiatives"):
        assert first[table]["id"].is_unique, table
        old = set(first[table]["id"])
        assert old <= set(again[table]["id"]), f"{table}: ids of unchanged articles changed when one was added"


def test_an_edited_article_gets_new_ids(tmp_path):
    folder = corpus(tmp_path)
    before = set(extract_corpus(read_corpus(folder))["figures"]["id"])
    text = (folder / "water_b.txt").read_text(encoding="utf-8")
    (folder / "water_b.txt").write_text(text.replace("قال مسؤول", "قال مسؤول كبير"), encoding="utf-8")
    after = extract_corpus(read_corpus(folder))["figures"]
    assert set(after.loc[after["doc_id"] == "water_a", "id"]) <= before
    assert not set(after.loc[after["doc_id"] == "water_b", "id"]) & before


@pytest.mark.parametrize("text, expected", [
    pytest.param("id,action,field,value,note\nfig-1,Accept,,,\n", [(2, "fig-1", "accept")], id="lower-cased-action"),
    pytest.param("\ufeffID,Action\nfig-1,reject\n", [(2, "fig-1", "reject")], id="bom-and-short-header"),
    pytest.param("id,action,field,value,note\n# a comment\n\nfig-2,fix,value,3,\n", [(4, "fig-2", "fix")],
                 id="comments-and-blank-lines-keep-line-numbers"),
    pytest.param("id;action;field;value;note\r\nfig-3;fix;value;1,5;\r\n", [(2, "fig-3", "fix")],
                 id="semicolons-and-windows-line-ends"),
])
def test_parse_review(text, expected):
    lines, problems = parse_review(text)
    assert [(l.line, l.id, l.action) for l in lines] == expected
    assert problems == []


def test_a_file_without_the_header_is_one_problem():
    lines, problems = parse_review("fig-1,accept\n")
    assert lines == [] and "line 1" in problems[0]


def test_reject_drops_the_figure_from_every_table(water):
    rejected = figure_id(water, 115e9)
    lines, _ = parse_review(f"id,action,field,value,note\n{rejected},reject,,,duplicate\n")
    result = apply_review(water, lines)
    assert rejected not in set(result.tables["figures"]["id"])
    built = build_tables(result.tables)
    assert 115e9 not in set(built["table_key_figures"]["value"])
    assert built["table_conflicts"].empty  # the disagreement it caused is gone too
    assert result.counts()["rejected"] == 1


def test_fix_sets_the_field_and_says_what_changed(water):
    fixed = figure_id(water, 143e9)
    lines, _ = parse_review(f"id,action,field,value,note\n{fixed},fix,value,115 مليار,checked the budget law\n")
    result = apply_review(water, lines)
    row = result.tables["figures"].set_index("id").loc[fixed]
    assert row["value"] == 115e9 and row["review"] == "fixed"
    assert row["review_note"] == "value: 143 مليار درهم → 115 مليار درهم (checked the budget law)"
    key = build_tables(result.tables)["table_key_figures"].set_index("id")
    assert key.loc[fixed, "value_text"] == "115 مليار درهم" and key.loc[fixed, "review"] == "fixed"


def test_a_bogus_id_and_a_bad_value_are_reported_while_the_rest_applies(water):
    accepted, fixed = figure_id(water, 115e9), figure_id(water, 143e9)
    text = (
        "id,action,field,value,note\n"
        "fig-0000000000,accept,,,\n"
        f"{fixed},fix,value,a lot,\n"
        f"{accepted},accept,,,\n"
        f"{fixed},fix,unit,دولار,\n"
        f"{fixed},fix,target_year,2031,\n"
        f"{accepted},promote,,,\n"
        f"{accepted},fix,colour,red,\n"
    )
    result = apply_review(water, parse_review(text)[0])
    assert result.problems == [
        "review.csv line 2: accept fig-0000000000: no row has the id fig-0000000000 (the article changed or the id is mistyped)",
        f"review.csv line 3: fix {fixed}: 'a lot' is not a number",
        f"review.csv line 5: fix {fixed}: 'دولار' is not a unit code (MAD, USD, percent, count, MW…)",
        f"review.csv line 7: promote {accepted}: unknown action 'promote' (accept, reject, fix or merge)",
        f"review.csv line 8: fix {accepted}: field 'colour' cannot be fixed in figures",
    ]
    figures = result.tables["figures"].set_index("id")
    assert figures.loc[accepted, "review"] == "accepted"
    assert figures.loc[fixed, "target_year"] == "2031" and figures.loc[fixed, "value"] == 143e9
    assert result.log["status"].tolist() == ["problem", "problem", "applied", "problem", "applied", "problem", "problem"]


@pytest.mark.parametrize("field, value, column, expected", [
    pytest.param("year", "2024/2025", "year", "2024/2025", id="fiscal-year"),
    pytest.param("time_role", "historical", "time_role", "historical", id="time-role"),
    pytest.param("measure", "ميزانية البرنامج", "measure", "ميزانية البرنامج", id="measure"),
    pytest.param("target", "نعم", "is_target", True, id="target-flag-in-arabic"),
])
def test_fix_a_figure_field(water, field, value, column, expected):
    fixed = figure_id(water, 143e9)
    result = apply_review(water, parse_review(f"id,action,field,value,note\n{fixed},fix,{field},{value},\n")[0])
    assert result.problems == []
    assert result.tables["figures"].set_index("id").loc[fixed, column] == expected


def test_strict_makes_a_problem_fatal(water):
    with pytest.raises(ReviewError, match="line 2"):
        apply_review(water, parse_review("id,action\nfig-0000000000,accept\n")[0], strict=True)


def test_merge_of_initiatives_moves_their_figures(tmp_path):
    tables = extract_corpus(read_corpus(corpus(tmp_path, files=(*WATER, "schools_extra.txt"))))
    initiatives = tables["initiatives"].set_index("name")["id"]
    water_id, schools_id = initiatives["ماء للجميع 2027"], initiatives["مدارس الريادة"]
    result = apply_review(tables, parse_review(f"id,action,field,value,note\n{schools_id},merge,,{water_id},same\n")[0])
    assert result.problems == []
    merged = result.tables["initiatives"].set_index("id")
    assert schools_id not in merged.index and "مدارس الريادة" in merged.loc[water_id, "aliases"]
    assert set(result.tables["figures"]["initiative_id"]) == {water_id}


def test_reject_of_an_initiative_unlinks_its_figures(water):
    water_id = water["initiatives"]["id"].item()
    result = apply_review(water, parse_review(f"id,action\n{water_id},reject\n")[0])
    assert result.tables["initiatives"].empty and set(result.tables["figures"]["initiative_id"]) == {""}


def test_the_review_file_is_read_and_never_rewritten(tmp_path, water):
    text = f"id,action,field,value,note\n{figure_id(water, 115e9)},accept,,,ok\n"
    folder = corpus(tmp_path, review=text)
    before = (folder / "review.csv").read_bytes()
    result = review_tables(water, folder)
    assert result.counts()["accepted"] == 1 and (folder / "review.csv").read_bytes() == before


def test_a_review_file_not_in_utf8_is_one_problem(tmp_path, water):
    folder = corpus(tmp_path)
    (folder / "review.csv").write_bytes("id,action,field,value,note\nx,accept,,,ملاحظة\n".encode("cp1256"))
    result = review_tables(water, folder)
    assert len(result.problems) == 1 and "UTF-8" in result.problems[0]


def test_review_line_round_trips_through_the_parser():
    line = review_line("fig-1", "fix", "what", "فرصة شغل, مباشرة", 'قال "لا"')
    (parsed,), _ = parse_review("id,action,field,value,note\n" + line)
    assert (parsed.value, parsed.note) == ("فرصة شغل, مباشرة", 'قال "لا"')


def entity_id(tables, text: str) -> str:
    entities = tables["entities"]
    return entities.loc[entities["text"] == text, "id"].iloc[0]


@pytest.mark.parametrize("field, value, column, expected", [
    pytest.param("role", "وزير", "role", "وزير", id="entity-role"),
    pytest.param("kind", "place", "kind", "place", id="entity-kind"),
    pytest.param("name", "وزارة الماء", "name", "وزارة الماء", id="entity-name"),
])
def test_fix_an_entity(water, field, value, column, expected):
    target = entity_id(water, "وزارة التجهيز والماء")
    result = apply_review(water, parse_review(f"id,action,field,value,note\n{target},fix,{field},{value},\n")[0])
    assert result.problems == []
    assert result.tables["entities"].set_index("id").loc[target, column] == expected


@pytest.mark.parametrize("line, message", [
    pytest.param("{fig},fix,quote,x,", "field 'quote' cannot be fixed in figures", id="protected-field"),
    pytest.param("{fig},merge,,{ini},", "only entities and initiatives merge", id="merge-a-figure"),
    pytest.param("{ini},merge,,{fig},", "is not another initiative id", id="merge-into-another-table"),
    pytest.param("{ent},fix,kind,city,", "'city' is not one of organization, person, initiative, place",
                 id="entity-kind-closed-list"),
    pytest.param("{fig},fix,initiative,no such programme,", "is not the id or name of an initiative",
                 id="unknown-initiative"),
])
def test_lines_that_cannot_apply(water, line, message):
    ids = {"fig": figure_id(water, 115e9), "ini": water["initiatives"]["id"].item(),
           "ent": entity_id(water, "وزارة التجهيز والماء")}
    result = apply_review(water, parse_review("id,action,field,value,note\n" + line.format(**ids))[0])
    assert len(result.problems) == 1 and message in result.problems[0] and "line 2" in result.problems[0]


def test_fix_links_a_figure_to_an_initiative_by_name(water):
    fixed = figure_id(water, 143e9)
    unlinked = apply_review(water, parse_review(f"id,action\n{water['initiatives']['id'].item()},reject\n")[0]).tables
    relinked = apply_review({**unlinked, "initiatives": water["initiatives"]},
                            parse_review(f"id,action,field,value\n{fixed},fix,initiative,ماء للجميع 2027\n")[0])
    assert relinked.problems == []
    assert relinked.tables["figures"].set_index("id").loc[fixed, "initiative_id"] == water["initiatives"]["id"].item()


def test_the_review_file_is_not_an_article_nor_a_problem(tmp_path):
    from policybrief.corpus import load_corpus

    folder = corpus(tmp_path, review="id,action,field,value,note\n")
    loaded = load_corpus(folder, strict=True)
    assert sorted(loaded.documents["doc_id"]) == ["water_a", "water_b"] and loaded.problems == []
