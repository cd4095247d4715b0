"""The declared steps: what each reads was written by an earlier step, and they write only what they declare."""
from __future__ import annotations

import pytest

from policybrief import steps, store
from policybrief.paths import OutputLayout
from policybrief.schemas import TABLES

ARTICLE = ("الرباط – 3 مارس 2025\n"
           "أطلقت وزارة الانتقال الرقمي برنامج \"رقمنة القرى\" بكلفة 1.2 مليار درهم لربط 800 قرية في أفق سنة 2028.\n")


def test_every_table_a_step_reads_is_written_by_an_earlier_step():
    written: set[str] = set()
    for step in steps.STEPS:
        assert set(step.reads) <= written, f"{step.name} reads {set(step.reads) - written} before any step writes it"
        assert set(step.writes) <= set(TABLES), step.name
        written |= set(step.writes)


def test_a_step_may_write_only_what_it_declares(tmp_path):
    with pytest.raises(ValueError, match="step 'extract' writes"):
        steps.write_tables("extract", {"figures": None}, OutputLayout(tmp_path))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("steps")
    (root / "seeds").mkdir()
    (root / "seeds" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    layout = OutputLayout(root / "out")
    extracted = steps.extract(layout, seeds_dir=root / "seeds")  # no documents table yet: read first
    return layout, extracted, steps.tables(layout)


def test_extract_alone_reads_the_documents_first_and_saves_its_tables(built):
    layout, extracted, _ = built
    for name in ("documents", *steps.EXTRACTED_TABLES):
        assert store.has_table(name, layout), name
    assert store.read_table("documents", layout).loc[0, "text"] == ARTICLE
    assert 1_200_000_000.0 in set(store.read_table("figures", layout)["value"])


def test_the_tables_step_saves_the_analyst_tables_from_the_saved_extraction(built):
    layout, _, analyst = built
    assert set(analyst) == set(steps.STEP_BY_NAME["tables"].writes)
    key_figures = store.read_table("table_key_figures", layout)
    assert list(key_figures["quote"]) == list(analyst["table_key_figures"]["quote"]) and len(key_figures) >= 2
