"""docs/data-model.md documents every column of every extracted table."""
from __future__ import annotations

from pathlib import Path

import pytest

from policybrief.schemas import SCHEMAS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", [t for t in SCHEMAS if t != "documents"])
def test_every_column_is_documented(table):
    section = DOC.split(f"### `{table}.csv`", 1)[1].split("###", 1)[0]
    missing = [c.name for c in SCHEMAS[table] if f"| `{c.name}` |" not in section]
    assert missing == []
