"""Load the rule tables in ``data/*.yml`` once; code and tests share them."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from .paths import DATA_DIR


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """The parsed content of ``data/NAME.yml``.

    >>> load("months")[7][0]
    'يوليوز'
    """
    with open(DATA_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)
