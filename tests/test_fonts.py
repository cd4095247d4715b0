"""Arabic fonts are found and registered with matplotlib even when its font cache predates them."""
from __future__ import annotations

import copy

import pytest
from matplotlib.font_manager import FontProperties, fontManager

from policybrief import fonts

pytestmark = pytest.mark.skipif(not fonts.arabic_font_files(), reason="no Arabic font installed on this machine")


def _stale_manager():
    """A font manager whose cached list was built before any Arabic font was installed."""
    stale = copy.copy(fontManager)
    stale.ttflist = [entry for entry in fontManager.ttflist if entry.name not in fonts.ARABIC_FAMILIES]
    return stale


def test_stale_cache_knows_no_arabic_font_before_registering():
    stale = _stale_manager()
    found = stale.findfont(FontProperties(family="Noto Naskh Arabic"), fallback_to_default=True, rebuild_if_missing=False)
    assert "Naskh" not in getattr(found, "path", found)


def test_registering_makes_the_arabic_fonts_usable_again():
    stale = _stale_manager()
    families = fonts.register_arabic_fonts(stale)
    assert families and set(families) <= set(fonts.ARABIC_FAMILIES)
    for family in families:
        found = stale.findfont(FontProperties(family=family), fallback_to_default=False, rebuild_if_missing=False)
        assert getattr(found, "path", found) in {str(p) for p in fonts.arabic_font_files()}


def test_registering_twice_adds_nothing():
    stale = _stale_manager()
    fonts.register_arabic_fonts(stale)
    count = len(stale.ttflist)
    fonts.register_arabic_fonts(stale)
    assert len(stale.ttflist) == count


def test_no_arabic_font_names_the_package(monkeypatch, capsys):
    monkeypatch.setattr(fonts, "arabic_font_files", lambda families=fonts.ARABIC_FAMILIES: [])
    monkeypatch.setattr(fonts, "register_arabic_fonts", lambda manager=None, files=None: [])
    fonts.ensure_arabic_fonts.cache_clear()
    try:
        assert fonts.ensure_arabic_fonts() == ()
    finally:
        fonts.ensure_arabic_fonts.cache_clear()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "fonts-noto-core" in err


@pytest.mark.parametrize("family", fonts.ARABIC_FAMILIES)
def test_font_file_of_each_family_exists_or_is_none(family):
    path = fonts.font_file(family)
    assert path is None or (path.is_file() and path.suffix.lower() in fonts.FONT_SUFFIXES)
