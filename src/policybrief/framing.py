"""What a corpus is about: its country, its themes, its house style, and so the brief's title.

Everything comes from the articles (datelines, country and city names, a theme lexicon in
``data/themes.yml``) unless the analyst says otherwise in ``SEEDS_DIR/brief.yml`` (title, subtitle, country,
institution, author, house style). No wording in code or templates names a country or a topic. Pure
functions over text and DataFrames; notebook 04 writes the result (``build/data/framing.json`` and
``build/data/document_profile.csv``), which the charts and the brief read.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd
import yaml

from . import rules
from .style import HouseStyle, detect_house_style, house_style
from .textnorm import match_key

LEAD_WORDS = 12
MAX_TITLE_THEMES = 1
OVERRIDE_KEYS = ("title", "subtitle", "kicker", "country", "institution", "author", "house_style", "billions")


class FramingError(ValueError):
    """An analyst's ``brief.yml`` that cannot be read; the message says what to fix."""


def stem_pattern(words: list[str]) -> re.Pattern:
    """One regex over match keys: any of ``words`` after optional clitics and article, any ending."""
    keys = sorted({match_key(w) for w in words if str(w).strip()}, key=len, reverse=True)
    body = "|".join(re.escape(k).replace(r"\ ", r"\s+(?:ال)?") for k in keys)
    return re.compile(r"(?<!\w)(?:[وفبلك]?(?:ال|لل)?)(?:" + body + r")")


@lru_cache(maxsize=1)
def theme_patterns() -> dict[str, re.Pattern]:
    """Theme id -> the regex that finds it (``data/themes.yml``), in the lexicon's order."""
    return {tid: stem_pattern(t["words"]) for tid, t in rules.load("themes")["themes"].items()}


def theme_info(theme_id: str) -> dict:
    return rules.load("themes")["themes"].get(theme_id, {"title": theme_id, "heading": theme_id})


def themes_in(text: object) -> Counter:
    """How often each theme's words occur in ``text``.

    >>> sorted(themes_in("تدريب 30 ألف شاب على الذكاء الاصطناعي"))
    ['digital_ai', 'skills']
    """
    return _matches(theme_patterns(), text)


def _matches(patterns: dict[str, re.Pattern], text: object) -> Counter:
    """How often each pattern matches the match key of ``text`` (patterns that never match left out)."""
    key = match_key(str(text or ""))
    counts = Counter({name: len(pattern.findall(key)) for name, pattern in patterns.items()})
    return +counts


@lru_cache(maxsize=1)
def _country_patterns() -> dict[str, re.Pattern]:
    countries = rules.load("countries")["countries"]
    return {code: re.compile(r"(?<!\w)[وبل]?(?:" + "|".join(
        re.escape(match_key(f)).replace(r"\ ", r"\s+") for f in sorted(c["forms"], key=len, reverse=True)) + r")(?!\w)")
        for code, c in countries.items()}


def countries_in(text: object) -> Counter:
    """How often each country (code) is pointed to by its names, adjectives and cities in ``text``.

    >>> countries_in("القاهرة - وقعت الحكومة المصرية اتفاقا مع شركة في الرياض").most_common()
    [('EG', 2), ('SA', 1)]
    """
    return _matches(_country_patterns(), text)


def document_country(place: object, text: object) -> str:
    """The country an article is about: its dateline place when that names one, else the most named.

    >>> document_country("الرباط", "مصر والمغرب ومصر"), document_country("", "مصر والمغرب ومصر")
    ('MA', 'EG')
    """
    by_place = countries_in(place)
    if by_place:
        return by_place.most_common(1)[0][0]
    counts = countries_in(text)
    return counts.most_common(1)[0][0] if counts else ""


def lead_words(text: object, n: int = LEAD_WORDS) -> str:
    """The first ``n`` words of an article (after its first line when that is a dateline or blank).

    >>> lead_words("عنوان قصير جدا\\nنص المقال", 2)
    'عنوان قصير…'
    """
    words = str(text or "").split()
    return " ".join(words) if len(words) <= n else " ".join(words[:n]) + "\u2026"


def document_profile(documents: pd.DataFrame) -> pd.DataFrame:
    """Per article: its country, its themes (most frequent first, ``|``-joined) and its first words."""
    rows = []
    for doc in documents.itertuples(index=False):
        text = getattr(doc, "text", "")
        themes = themes_in(text)
        rows.append({
            "doc_id": doc.doc_id,
            "country": document_country(getattr(doc, "place", ""), text),
            "themes": "|".join(t for t, _ in themes.most_common()),
            "first_words": lead_words(text),
        })
    return pd.DataFrame(rows, columns=["doc_id", "country", "themes", "first_words"])


def with_lead_titles(documents: pd.DataFrame, profile: pd.DataFrame) -> pd.DataFrame:
    """Documents whose empty titles are replaced by the article's first words (for charts and sources)."""
    leads = dict(zip(profile["doc_id"], profile["first_words"]))
    titled = documents.copy()
    if "title" not in titled.columns:
        titled["title"] = ""
    titled["title"] = [t if isinstance(t, str) and t.strip() else leads.get(d, "")
                       for d, t in zip(titled["doc_id"], titled["title"])]
    return titled


def ranked_themes(profile: pd.DataFrame) -> list[tuple[str, int]]:
    """Themes by the number of articles they appear in (ties: lexicon order)."""
    order = list(theme_patterns())
    counts = Counter(t for cell in profile["themes"] for t in str(cell or "").split("|") if t)
    return sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99))


def dominant_country(profile: pd.DataFrame) -> tuple[str, float]:
    """The country most articles are about and the share of articles about it ('' when none is named)."""
    named = [c for c in profile["country"] if isinstance(c, str) and c]
    if not named:
        return "", 0.0
    code, n = Counter(named).most_common(1)[0]
    return code, n / len(profile)


@dataclass
class Framing:
    """Title, subtitle, country, themes and house style of one brief."""

    title: str
    subtitle: str = ""
    kicker: str = ""
    country: str = ""          # display name ('' when the corpus has no dominant country)
    country_code: str = ""
    themes: list[str] = field(default_factory=list)  # theme ids, most present first
    house_style: str = ""
    billions: str = ""
    institution: str = ""
    author: str = ""
    from_analyst: list[str] = field(default_factory=list)  # keys the analyst's brief.yml set

    @property
    def style(self) -> HouseStyle:
        return house_style(self.house_style, self.billions)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "Framing":
        data = dict(data or {})
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**{"title": "", **known})


def parse_overrides(text: str | None, source: str = "brief.yml") -> dict:
    """The analyst's ``brief.yml`` as a dict of known keys; a one-line ``FramingError`` when it is not YAML.

    >>> parse_overrides("title: موجز\\ncountry: تونس")
    {'title': 'موجز', 'country': 'تونس'}
    """
    if not text or not text.strip():
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FramingError(f"{source}: not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise FramingError(f"{source}: expected 'key: value' lines ({', '.join(OVERRIDE_KEYS)})")
    unknown = sorted(set(map(str, data)) - set(OVERRIDE_KEYS))
    if unknown:
        raise FramingError(f"{source}: unknown key(s) {', '.join(unknown)}; known: {', '.join(OVERRIDE_KEYS)}")
    return {k: str(v).strip() for k, v in data.items() if v is not None and str(v).strip()}


def read_overrides(seeds_dir) -> dict:
    """The analyst's ``SEEDS_DIR/brief.yml`` (empty when there is none)."""
    from pathlib import Path

    path = Path(seeds_dir) / "brief.yml"
    return parse_overrides(path.read_text(encoding="utf-8"), str(path)) if path.is_file() else {}


def corpus_framing(documents: pd.DataFrame, overrides: dict | None = None) -> tuple[Framing, pd.DataFrame]:
    """The framing of a corpus (documents with ``text``) and its per-article profile.

    Title: the dominant domain theme "in" the dominant country (a country counts when at least half of the
    articles are about it, else the region); the analyst's ``brief.yml`` keys win over all of it.
    """
    overrides = overrides or {}
    words = rules.load("themes")
    profile = document_profile(documents)
    themes = [t for t, _ in ranked_themes(profile)]
    code, share = dominant_country(profile)
    country = rules.load("countries")["countries"][code]["name"] if code and share >= 0.5 else ""
    domains = [t for t in themes if theme_info(t).get("domain")][:MAX_TITLE_THEMES] or themes[:1]
    topic = " و".join(theme_info(t)["title"] for t in domains) or words["fallback_topic"]
    place = overrides.get("country") or country or rules.load("countries")["region_name"]
    style = detect_house_style(documents.get("text", pd.Series(dtype=object)))
    framing = Framing(
        title=overrides.get("title") or words["title_template"].format(topic=topic, place=place),
        subtitle=overrides.get("subtitle", ""),
        kicker=overrides.get("kicker", ""),
        country=overrides.get("country") or country,
        country_code="" if overrides.get("country") else (code if country else ""),
        themes=themes,
        house_style=house_style(overrides.get("house_style", style.name)).name,
        billions=overrides.get("billions") or style.billions_few,
        institution=overrides.get("institution", ""),
        author=overrides.get("author", ""),
        from_analyst=sorted(overrides),
    )
    return framing, profile
