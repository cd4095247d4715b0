"""The command line as a user meets it: one-line errors, exit codes, complete outputs or none."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from policybrief.cli import main
from policybrief.schemas import column_names

ARTICLE = (
    "الرباط – 3 مارس 2025\n"
    "أعلنت وزارة الانتقال الرقمي وإصلاح الإدارة عن برنامج “رقمنة 360” بميزانية تناهز 120 مليون درهم، "
    "ويهدف إلى خلق 800 منصب شغل في أفق سنة 2027.\n"
)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policybrief.cli", *args], capture_output=True, text=True)


@pytest.mark.parametrize(
    "make_folder, message",
    [
        pytest.param(lambda p: p / "missing", "no such folder", id="missing-folder"),
        pytest.param(lambda p: p, "no readable article", id="empty-folder"),
    ],
)
def test_extract_bad_folder_is_one_line_error(tmp_path, make_folder, message):
    out = tmp_path / "out"
    result = run_cli("extract", str(make_folder(tmp_path)), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_extract_strict_refuses_a_warning_and_writes_nothing(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "fr.txt").write_text("Un article sans arabe.\nDeuxième ligne.", encoding="utf-8")
    result = run_cli("extract", str(seeds), "--out", str(tmp_path / "out"), "--strict")
    assert result.returncode == 1 and "little Arabic" in result.stderr
    assert not (tmp_path / "out").exists()


def test_extract_writes_every_table_with_its_columns(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (seeds / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(seeds), "--out", str(out)]) == 0
    for name in ("figures", "dates", "entities", "initiatives"):
        table = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        assert column_names(name) == list(table.columns)[: len(column_names(name))]
    documents = pd.read_parquet(out / "documents.parquet")
    assert list(documents["doc_id"]) == ["a"] and documents.loc[0, "text"].startswith(ARTICLE[:20])
    figures = pd.read_csv(out / "figures.csv", dtype=str, keep_default_na=False)
    assert {"120000000.0", "800.0"} <= set(figures["value"])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["documents.parquet"] + [f"{n}.csv" for n in ("figures", "dates", "entities", "initiatives")]
    )  # no temporary files left behind


def test_workers_must_be_positive(tmp_path):
    result = run_cli("extract", str(tmp_path), "--out", str(tmp_path / "o"), "--workers", "0")
    assert result.returncode == 2 and "--workers" in result.stderr


def test_build_of_a_folder_without_articles_is_one_line_error(tmp_path):
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no readable article" in result.stderr
    assert not (tmp_path / "out").exists()
