"""Fixtures shared by several test modules."""
from __future__ import annotations

from pathlib import Path

import pytest

from policybrief.textnorm import match_key

GOLD_ARTICLES = Path(__file__).parent / "gold" / "articles"


@pytest.fixture(scope="session")
def gold_key_words() -> list[str]:
    """The distinct match-key words of the written gold articles, sorted: a stable vocabulary for the
    seeded random sentences that compare a fast scan with the plain one."""
    return sorted({w for p in sorted(GOLD_ARTICLES.glob("*.txt")) for w in match_key(p.read_text("utf-8")).split()})
