"""docs/data-model.md lists every registered table and column, as generated from the registry."""
from __future__ import annotations

from pathlib import Path

from policybrief.schemas import GENERATED_MARKER, TABLES, data_model_markdown

DOC = (Path(__file__).resolve().parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")


def test_the_column_reference_is_the_one_generated_from_the_registry():
    assert GENERATED_MARKER in DOC, "regenerate: python -m policybrief.schemas docs/data-model.md"
    assert DOC.split(GENERATED_MARKER, 1)[1] == data_model_markdown().split(GENERATED_MARKER, 1)[1], (
        "docs/data-model.md is out of date: python -m policybrief.schemas docs/data-model.md")


def test_every_table_and_column_has_a_meaning():
    empty = [f"{t.name}.{c.name}" for t in TABLES.values() for c in t.columns if len(c.meaning) < 4]
    assert empty == [] and all(t.meaning for t in TABLES.values())


def test_the_catalogue_reader_expects_the_registered_columns():
    from policybrief.corpus import CATALOGUE_COLUMNS
    from policybrief.schemas import column_names

    assert list(CATALOGUE_COLUMNS) == column_names("sources")
