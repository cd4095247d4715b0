"""The whole build with a review file: a rejected and a fixed key figure as the rebuilt PDF shows them,
what changed since the first build, review problems in the manifest (articles in tests/review_articles)."""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from policybrief import pdf
from policybrief.build import build_brief
from policybrief.corpus import read_corpus
from policybrief.extract.pipeline import extract_corpus

ARTICLES = Path(__file__).parent / "review_articles"
FILES = ("water_a.txt", "water_b.txt", "slums_2020.txt")


def _loose(text: str) -> str:
    """``pdf.comparable_text`` without harakat and shadda, which the text layer may put before their letter."""
    return "".join(c for c in pdf.comparable_text(text) if not unicodedata.combining(c))


def shows(pdf_path: Path, *phrases: str) -> list[bool]:
    """Whether the PDF's text layer holds each phrase (compared without spaces, bidi marks, punctuation, harakat)."""
    text = _loose(pdf.pdf_text(pdf_path))
    return [_loose(p) in text for p in phrases]


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_chromium() is None or shutil.which("pdftotext") is None, reason="needs chromium+poppler")
def test_reject_and_fix_of_a_key_figure_in_the_rebuilt_pdf(tmp_path):
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    for name in FILES:
        shutil.copy(ARTICLES / name, seeds / name)
    figures = extract_corpus(read_corpus(seeds))["figures"].set_index("value")
    budget_old, budget_new, cities = figures.loc[115e9, "id"], figures.loc[143e9, "id"], figures.loc[85.0, "id"]

    first = build_brief(seeds, out, progress=False)
    assert shows(first.pdf, "115 مليار درهم", "143 مليار درهم", "هذا هو الإصدار الأول من الموجز") == [True] * 3

    (seeds / "review.csv").write_text(
        "id,action,field,value,note\n"
        f"{budget_old},reject,,,superseded by the revised budget\n"
        f"{budget_new},fix,value,150 مليار,الرقم الوارد في قانون المالية\n"
        f"{cities},accept,,,\n"
        "fig-0000000000,accept,,,\n"
        f"{budget_new},fix,year,twenty,\n",
        encoding="utf-8")
    second = build_brief(seeds, out, progress=False)
    # Rejected and fixed values are gone from everything the brief states; only the quoted source sentences
    # of the notes and the marks' tooltips (which say what was changed) keep them.
    page = re.sub(r'<li id="pb-note-.*?</li>', "", second.html.read_text(encoding="utf-8"), flags=re.S)
    page = re.sub(r' title="[^"]*"', "", page)
    assert "115 مليار درهم" not in page and "143 مليار درهم" not in page and "150 مليار درهم" in page
    assert shows(
        second.pdf, "150 مليار درهم",
        "صحّحه محلل: القيمة من 143 مليار درهم إلى 150 مليار درهم (الرقم الوارد في قانون المالية)",  # what changed
        "1 مقبولة، و1 مصحّحة، و0 مدموجة، و1 مرفوضة",  # the method section counts the review
        "ما الذي تغيّر منذ الإصدار السابق", "أرقام حُذفت: 1",
    ) == [True] * 5

    manifest = json.loads(second.manifest.read_text(encoding="utf-8"))
    assert [p.split(":")[0] for p in manifest["review"]["problems"]] == ["review.csv line 5", "review.csv line 6"]
    changes = pd.read_csv(out / "report" / "changes.csv", dtype=str, keep_default_na=False)
    assert set(changes.loc[changes["change"] == "removed", "id"]) == {budget_old}
    assert (out / "report" / "review.html").is_file()
