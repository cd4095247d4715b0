"""The product's promise: drop a new article into a seeds folder, run one command, and it is everywhere."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policybrief import store
from policybrief.paths import OutputLayout

ROOT = Path(__file__).resolve().parents[1]
NEW_ARTICLE = (
    "مراكش – 9 أبريل 2026\n"
    "أطلقت وزارة الفلاحة والصيد البحري اليوم برنامج “واحات ذكية 2028” لرقمنة الري في الجنوب الشرقي، "
    "بميزانية تناهز 450 مليون درهم في أفق سنة 2028.\n"
    "وقال المدير العام للبرنامج، السيد عمر الحسناوي، إن المشروع سيمكن من تجهيز 1200 ضيعة بحساسات ذكية.\n"
)
INITIATIVE = "واحات ذكية 2028"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    root = tmp_path_factory.mktemp("new_article")
    seeds = root / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "900_oases.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    out = root / "out"
    report_before = {p: p.stat().st_mtime for p in (ROOT / "report").glob("*")}
    result = subprocess.run(
        [sys.executable, "-m", "policybrief.cli", "build", str(seeds), "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    return result, out, report_before


@pytest.mark.slow
def test_build_succeeds_and_leaves_the_project_folders_alone(rebuilt):
    result, out, report_before = rebuilt
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "report" / "brief.html").exists() and (out / "report" / "brief.pdf").exists()
    assert {p: p.stat().st_mtime for p in (ROOT / "report").glob("*")} == report_before


@pytest.mark.slow
def test_new_article_reaches_tables_charts_and_brief(rebuilt):
    _, out, _ = rebuilt
    layout = OutputLayout(out)
    documents = store.read_table("documents", layout)
    assert "900_oases" in set(documents["doc_id"])
    initiatives = store.read_table("table_initiatives", layout)
    assert INITIATIVE in set(initiatives["name"])
    figures = store.read_table("figures", layout)
    new = figures[figures["doc_id"] == "900_oases"]
    assert {(450_000_000.0, "MAD"), (1200.0, "count")} <= set(zip(new["value"], new["unit"]))
    labels = "|".join(store.read_table("chart_index", layout)["labels"])
    assert INITIATIVE in labels
    page = (out / "report" / "brief.html").read_text(encoding="utf-8")
    assert INITIATIVE in page and "450 مليون درهم" in page
