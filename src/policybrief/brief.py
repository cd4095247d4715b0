"""The policy brief's body, written from the tables: title, key messages, key figures, context, a section per
theme, gaps, the analyst's own sections, charts and conflicting figures.

Each function takes a ``BriefData`` (``load``) and returns an ``Html`` fragment that notebook 05 displays.
Sentences use the wording of ``templates/brief.yml`` and the corpus's framing and house style, so any
folder of articles tells its own story; every number carries a numbered note (``Notes``). The annex
(sources, HTML-only tables, build details) is in ``brief_annex``.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Callable

import pandas as pd

from . import findings, rules
from .briefdata import (  # noqa: F401 - the notebook's one import
    BRIEF_TABLES, TABLE_COLUMNS, BriefData, Html, Notes, esc, heading, heading_tag, load, quoted_name, wording,
)
from .formatting import is_money, outlet_names
from .framing import theme_info
from .review import figure_mark
from .style import count_phrase, join_ar
from .tables import split_cell

MAX_NAMES_IN_GAP = 4
MAX_INITIATIVES_PER_THEME = 5
MAX_PLACES = 5
MAX_CONFLICTS = 6
MAX_CONFLICT_VALUES = 4

# Sections other modules add to the brief (changes since the last build, contradictions, promises...): each
# takes (data, notes) and returns Html, empty when it has nothing to say. Notebook 05 shows them in order
# after the theme sections (``optional_sections``).
OPTIONAL_SECTIONS: list[Callable[[BriefData, Notes], Html]] = []


def _date_range(documents: pd.DataFrame) -> tuple[str, str]:
    dates = sorted(d for d in documents["published"] if isinstance(d, str) and d)
    return (dates[0], dates[-1]) if dates else ("", "")


def _outlets_phrase(documents: pd.DataFrame) -> str:
    words = wording()
    if not any(documents["outlet"].fillna("").astype(str).str.strip()):
        return words["unknown_outlets"]
    outlets = outlet_names(documents["outlet"], words["source_no_outlet"])
    if len(outlets) <= 3:
        return join_ar([f"<bdi>{esc(o)}</bdi>" for o in outlets])
    return count_phrase(len(outlets), "outlet")


def _num(text: str, note: str) -> str:
    return f'<span class="pb-num">{esc(text)}</span>{note}'


def _figure(data: BriefData, row, notes: Notes) -> str:
    return _num(data.value(row), figure_mark(row) + notes.cite(row))


def _about(row, with_for: bool = True) -> str:
    """What a figure is about: its subject in quotation marks, else the words that follow it in its clause."""
    msg = wording()["messages"]
    context = str(row.get("context_label", "") or "")
    if row.get("unit") == "percent" and context:  # a share: what it is a share of says more than its programme
        return (" " if with_for else "") + esc(context)
    if row.get("subject_label"):
        name = quoted_name(row["subject_label"])
        return " " + msg["for_subject"].format(subject=name) if with_for else name
    return (" " if with_for else "") + esc(context) if context else ""


def _year_of(row) -> str:
    year = str(row.get("target_year", "") or row.get("year", "")).strip()
    return year[:4] if year[:4].isdigit() else ""


# Title and key messages ---------------------------------------------------------------------------------

def title_block(data: BriefData, built_at: str = "") -> Html:
    """Kicker, title and subtitle (from the corpus or the analyst's brief.yml), by-line, data and build dates."""
    from .manifest import utc_now

    words, framing = wording(), data.framing
    first, latest = _date_range(data.documents)
    built = (built_at or data.built_at or utc_now())[:10]
    subtitle = esc(framing.subtitle) if framing.subtitle else words["subtitle_corpus"].format(
        articles=count_phrase(len(data.documents), "article"), outlets=_outlets_phrase(data.documents),
    ) + (esc(words["subtitle_period"].format(first=data.date(first), last=data.date(latest))) if first else "")
    by_line = ""
    if framing.author or framing.institution:
        sep = "، " if framing.author and framing.institution else ""
        by_line = f'<p class="pb-byline">{esc(words["by_line"].format(author=framing.author, sep=sep, institution=framing.institution))}</p>'
    return Html(
        '<header class="pb-title-block">'
        f'<p class="pb-kicker">{esc(framing.kicker or words["kicker"])}</p>'
        f'<h1>{esc(framing.title or words["kicker"])}</h1>'
        f'<p class="pb-subtitle">{subtitle}</p>{by_line}'
        f'<p class="pb-dates">{esc(words["data_date"].format(date=data.date(latest) or words["unknown_date"]))}'
        f' · {esc(words["build_date"].format(date=data.date(built)))}</p>'
        "</header>"
    )


def _policy_figures(data: BriefData) -> pd.DataFrame:
    ranked = data.ranked_figures
    if ranked.empty:
        return ranked
    return ranked[(ranked["relevance"] > 0) & ~ranked["historical"].astype(bool) & ~ranked["conflict"].astype(bool)]


def _commitment(data: BriefData, row, notes: Notes) -> str:
    msg = wording()["messages"]
    year = _year_of(row) if row["is_target"] else ""
    return msg["commitment"].format(
        value=_figure(data, row, notes),
        measure=esc(row["measure_label"]) if row["measure_label"] and is_money(row["unit"]) else "",
        subject=_about(row),
        when=esc(msg["by_year"].format(year=year)) if year else "",
    ).replace("  ", " ")


def commitments_message(data: BriefData, notes: Notes) -> str:
    """The largest policy commitments (money first, most relevant), what they fund and by when."""
    msg = wording()["messages"]
    figures = _policy_figures(data)
    if figures.empty:
        return esc(msg["no_figures"])
    kinds = [findings.measure_kind(m) for m in figures["measure_label"]]
    committed = [is_money(u) and k != "statistic" and (k == "commitment" or bool(subj))
                 for u, k, subj in zip(figures["unit"], kinds, figures["subject_label"])]
    money = figures[committed].drop_duplicates(["value", "unit"])
    money = money[~money["subject_label"].duplicated() | (money["subject_label"] == "")]  # two different things
    money = money.sort_values(["relevance", "value"], ascending=[False, False], kind="stable").head(2)
    if len(money) == 2:
        first, second = (_commitment(data, r, notes) for _, r in money.iterrows())
        return msg["commitments_two"].format(first=first, second=second)
    if len(money) == 1:
        return msg["commitments_one"].format(first=_commitment(data, money.iloc[0], notes))
    row = figures.iloc[0]
    year = _year_of(row) if row["is_target"] else ""
    return msg["top_figure"].format(
        value=_figure(data, row, notes), measure="", when=esc(msg["by_year"].format(year=year)) if year else "",
        subject=_about(row),
    )


def horizon_message(data: BriefData, notes: Notes) -> str:
    """The furthest target year and the largest target for it."""
    figures = _policy_figures(data)
    targets = figures[figures["is_target"] & (figures["target_year"].astype(str) != "")] if len(figures) else figures
    if targets.empty:
        return ""
    latest = targets[targets["target_year"].astype(str) == targets["target_year"].astype(str).max()].iloc[0]
    return wording()["messages"]["horizon"].format(
        year=_num(_year_of(latest), notes.cite(latest)), value=_figure(data, latest, notes), subject=_about(latest),
    )


def leads_message(data: BriefData, notes: Notes) -> str:
    """Which body leads most of the initiatives, or that the articles name none."""
    msg = wording()["messages"]
    if len(data.initiatives) < 2:  # "leads 1 of 1" says nothing; the theme section names the lead
        return ""
    leads = findings.lead_bodies(data.initiatives)
    if leads.empty:
        return esc(msg["no_leads"])
    total = len(data.initiatives)
    note = notes.count_note("derived_leads")
    if leads.iloc[0] >= 2:
        return msg["leads"].format(name=f"<bdi>{esc(leads.index[0])}</bdi>",
                                   count=_num(str(int(leads.iloc[0])), note), total=esc(count_phrase(total, "initiative")))
    n_led = sum(bool(split_cell(c)) for c in data.initiatives["lead_organizations"])
    names = join_ar([f"<bdi>{esc(n)}</bdi>" for n in leads.index[:3]])
    if n_led * 2 <= total:  # most initiatives have no named lead: that is the finding
        return msg["leads_few"].format(led=esc(count_phrase(n_led, "initiative")) + note,
                                       total=esc(count_phrase(total, "initiative")), names=names)
    return msg["leads_many"].format(names=names)


def dated_message(data: BriefData, notes: Notes) -> str:
    """How many initiatives have a date or a target year, and how many have none."""
    msg = wording()["messages"]
    total = len(data.initiatives)
    if total < 2:
        return ""
    dated = len(findings.dated_initiatives(data.initiatives, data.key_figures) & set(data.initiatives["initiative_id"]))
    note = notes.count_note("derived_dated")
    if dated == total:
        return msg["all_dated"].format(total=_num(str(total), note))
    if not dated:
        return msg["none_dated"].format(total=esc(count_phrase(total, "initiative")) + note)
    return msg["dated"].format(total=esc(count_phrase(total, "initiative")) + note,
                               dated=esc(count_phrase(dated, "initiative")),
                               undated=esc(count_phrase(total - dated, "initiative")))


def conflicts_message(data: BriefData, notes: Notes) -> str:
    msg = wording()["messages"]
    n_conflicting = int(data.key_figures["conflict"].sum()) if len(data.key_figures) else 0
    if n_conflicting:
        return msg["conflicts"].format(
            figures=esc(count_phrase(n_conflicting, "figure")) + notes.count_note("derived_conflicts"),
            initiatives=esc(count_phrase(len(data.conflicts), "initiative")),
        )
    return esc(msg["no_conflicts"]) if len(data.key_figures) else ""


def key_messages(data: BriefData, notes: Notes) -> Html:
    """Findings, each a sentence with its numbers cited: commitments, horizon, who leads, what is dated, conflicts."""
    sentences = [commitments_message(data, notes), horizon_message(data, notes), leads_message(data, notes),
                 dated_message(data, notes), conflicts_message(data, notes)]
    items = "".join(f"<li>{s}</li>" for s in sentences if s)
    return Html(heading("messages") + f'<ul class="pb-messages">{items}</ul>' + analyst_sections(data, "messages"))


def key_figures_box(data: BriefData, notes: Notes) -> Html:
    """At most six figures by policy relevance, each with its measure, subject and year."""
    words = wording()
    picked = findings.pick_key_figures(data.ranked_figures)
    if picked.empty:
        return Html("")
    years = dict(zip(data.documents["doc_id"], data.documents["published"]))
    entries = []
    for _, row in picked.iterrows():
        label = []
        if row["measure_label"] and (is_money(row["unit"]) or row["unit"] not in ("count",)):
            label.append(esc(row["measure_label"]))
        if row["subject_label"] or row["context_label"]:
            label.append(_about(row, with_for=False))
        year = _year_of(row)
        if row["is_target"] and year:
            label.append(esc(words["target_of"].format(year=year)))
        elif str(years.get(row["doc_id"], ""))[:4]:
            label.append(esc(words["stated_in"].format(year=str(years[row["doc_id"]])[:4])))
        entries.append(
            f'<div class="pb-kf"><div class="pb-kf-value">{_figure(data, row, notes)}</div>'
            f"<div class=\"pb-kf-label\">{' — '.join(label) or '&#8203;'}</div></div>"
        )
    return Html(
        f'<aside class="pb-keyfigures">{heading_tag(words["key_figures_title"], 3)}'
        f'<div class="pb-kf-grid">{"".join(entries)}</div></aside>'
    )


# Context, themes, gaps ------------------------------------------------------------------------------------

def _theme_counts(data: BriefData) -> list[tuple[str, int]]:
    from .framing import ranked_themes

    return ranked_themes(data.profile) if len(data.profile) else []


def context(data: BriefData, notes: Notes | None = None) -> Html:
    """The corpus (articles, outlets, period), its main themes and the places of its initiatives."""
    words = wording()

    def note(what: str) -> str:
        return notes.count_note(what) if notes is not None else ""

    first, last = _date_range(data.documents)
    values = {"articles": count_phrase(len(data.documents), "article"), "outlets": _outlets_phrase(data.documents)}
    if first:
        lead = words["context"].format(**values, first=data.date(first), last=data.date(last))
    else:
        lead = words["context_undated"].format(**values)
    paragraphs = [lead[:-1] + note("derived_dates") + "."]
    themes = _theme_counts(data)[:4]
    if themes:
        items = [words["context_theme_item"].format(theme=esc(theme_info(t)["title"]), articles=esc(count_phrase(n, "article")))
                 for t, n in themes]
        paragraphs.append(words["context_themes"].format(items="، ".join(items))[:-1] + note("derived_themes") + ".")
    places = [p for cell in data.initiatives["place"] for p in split_cell(cell)]
    if places:
        top = pd.Series(places).value_counts().index[:MAX_PLACES]
        paragraphs.append(words["context_places"].format(places=join_ar([f"<bdi>{esc(p)}</bdi>" for p in top])))
    return Html(heading("context") + "".join(f"<p>{p}</p>" for p in paragraphs) + analyst_sections(data, "context"))


def _initiative_line(row) -> str:
    words = wording()
    details = []
    lead = split_cell(row["lead_organizations"])
    if lead:
        details.append(words["theme_lead"].format(lead=f"<bdi>{esc(lead[0])}</bdi>"))
    place = split_cell(row["place"])
    if place:
        details.append(words["theme_place"].format(place=f"<bdi>{esc(place[0])}</bdi>"))
    return words["theme_initiative"].format(name=quoted_name(row["name"]),
                                            details=f" ({'، '.join(details)})" if details else "")


def theme_sections(data: BriefData, notes: Notes) -> Html:
    """One short section per theme of the corpus (lexicon in ``data/themes.yml``): its initiatives (with lead
    body and place) and its most relevant figures, each cited."""
    words = wording()
    ranked = data.ranked_figures
    sections = findings.theme_sections(data.framing.themes or [t for t, _ in _theme_counts(data)],
                                       data.initiatives, ranked, data.profile)
    if not sections:
        return Html("")
    by_id = data.initiatives.set_index("initiative_id", drop=False)
    parts = []
    for section in sections:
        body = []
        ids = section["initiatives"]
        if ids:
            lines = [_initiative_line(by_id.loc[i]) for i in ids[:MAX_INITIATIVES_PER_THEME]]
            more = len(ids) - MAX_INITIATIVES_PER_THEME
            text = words["theme_initiatives"].format(items="؛ ".join(lines))
            rest = words["theme_more"].format(more=_num(str(more), notes.count_note("derived_initiatives")))
            body.append(text + (" " + rest if more > 0 else ""))
        if section["figures"]:
            items = []
            for k in section["figures"]:
                row = ranked.loc[k]
                what = esc(row["measure_label"]) if row["measure_label"] and row["unit"] != "count" else ""
                items.append(f"{_figure(data, row, notes)}{(' ' + what) if what else ''}{_about(row)}")
            body.append(words["theme_figures"].format(items="؛ ".join(items)))
        parts.append(f'<div class="pb-theme">{heading_tag(theme_info(section["theme"])["heading"], 3)}'
                     + "".join(f"<p>{b}</p>" for b in body) + "</div>")
    return Html(heading("themes") + "".join(parts))


def _names(names: list[str]) -> str:
    words = wording()
    if not names:
        return ""
    shown = join_ar([quoted_name(n) for n in names[:MAX_NAMES_IN_GAP]])
    return words["gaps_names"].format(names=shown + (esc(words["gaps_more"]) if len(names) > MAX_NAMES_IN_GAP else ""))


def gaps(data: BriefData, notes: Notes) -> Html:
    """«ثغرات وأسئلة مفتوحة»: initiatives without budget, lead body or date; targets already past at the data
    date; key figures from a single source."""
    words = wording()
    found = findings.gaps(data.initiatives, data.key_figures, data.data_date)
    items = []
    total = len(data.initiatives)
    if total:
        for key in ("no_budget", "no_lead", "no_date"):
            names = found[key]
            if names:
                count = esc(count_phrase(len(names), "initiative")) + notes.count_note("derived_gaps")
                items.append(words["gaps"][key].format(count=count, names=_names(names)))
    past = [data.key_figures.loc[i] for i in found["past_targets"]]
    if past:
        items.append(words["gaps"]["past_targets"].format(items="؛ ".join(
            f"{_figure(data, r, notes)} ({esc(r['target_year'])})" for r in past[:MAX_NAMES_IN_GAP])))
    picked = findings.pick_key_figures(data.ranked_figures)
    single = findings.single_source_values(data.key_figures)
    n_single = sum((r["value"], r["unit"]) in single for _, r in picked.iterrows()) if len(picked) else 0
    if n_single and data.documents["doc_id"].nunique() > 1:
        items.append(words["gaps"]["single_source"].format(
            count=_num(str(n_single), notes.count_note("derived_single_source")), total=len(picked)))
    intro = f'<p>{esc(words["gaps_intro"].format(total=count_phrase(total, "initiative")))}</p>' if total else ""
    body = "".join(f"<li>{i}</li>" for i in items) or f"<li>{esc(words['gaps']['none'])}</li>"
    return Html(heading("gaps") + intro + f'<ul class="pb-gaps">{body}</ul>' + analyst_sections(data, "gaps"))


# The analyst's own text ------------------------------------------------------------------------------------

def parse_analyst_sections(markdown: str) -> list[tuple[str, str]]:
    """The ``## heading`` sections of an analyst's ``brief.md`` as (heading, body) pairs, in order.

    >>> parse_analyst_sections("## توصيات\\n- أولا\\n\\n## السياق\\nنص")
    [('توصيات', '- أولا'), ('السياق', 'نص')]
    """
    sections, heading, lines = [], None, []
    for line in (markdown or "").splitlines():
        match = re.match(r"^#{1,3}\s+(.+?)\s*#*\s*$", line)
        if match:
            if heading is not None or any(s.strip() for s in lines):
                sections.append((heading or "", "\n".join(lines).strip()))
            heading, lines = match.group(1).strip(), []
        else:
            lines.append(line)
    if heading is not None or any(s.strip() for s in lines):
        sections.append((heading or "", "\n".join(lines).strip()))
    return sections


def analyst_place(heading: str) -> str:
    """Where a section of ``brief.md`` goes: ``context``, ``messages`` or (any other heading) ``gaps``."""
    for place, headings in wording()["analyst_places"].items():
        if heading.strip() in headings:
            return place
    return "gaps"


def _markdown_html(text: str) -> str:
    import mistune

    return mistune.create_markdown(escape=True)(text)


def analyst_sections(data: BriefData, place: str) -> str:
    """The analyst's sections of ``brief.md`` that belong at ``place``, marked as the analyst's text."""
    parts = []
    for heading, body in parse_analyst_sections(data.analyst_markdown):
        if analyst_place(heading) != place:
            continue
        title = heading_tag(heading, 3) if heading and place == "gaps" else ""
        parts.append(f'<section class="pb-analyst" title="{esc(wording()["analyst_label"])}">{title}{_markdown_html(body)}</section>')
    return "".join(parts)


def optional_sections(data: BriefData, notes: Notes) -> Html:
    """Every section registered in ``OPTIONAL_SECTIONS``, in order (empty ones leave no trace)."""
    return Html("".join(section(data, notes) for section in OPTIONAL_SECTIONS))


# Charts and conflicts ---------------------------------------------------------------------------------------

def _image_data_url(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def chart_sentence(data: BriefData, row, notes: Notes | None) -> str:
    """What the brief says instead of a chart with too few items, each figure with its note."""
    import json

    raw = str(row.get("sentence_items", "") or "")
    items = json.loads(raw) if raw.strip() else []
    if not items:
        return esc(row.get("sentence", ""))
    figures = data.key_figures.set_index(["doc_id", "start", "end"], drop=False) if len(data.key_figures) else None
    texts = []
    for item in items:
        key = (item["doc_id"], int(item["start"]), int(item["end"]))
        cited = ""
        if notes is not None and figures is not None and key in figures.index:
            cited = notes.cite(figures.loc[[key]].iloc[0])
        texts.append(esc(item["text"]) + cited)
    return f"{esc(row['title'])}: {'؛ '.join(texts)}."


def charts(data: BriefData, notes: Notes | None = None) -> Html:
    """Every chart with enough data, embedded at its drawn width, with its alt text and a numbered caption
    (what it shows and its source); a chart with too few items is a sentence instead."""
    words = wording()
    parts, n = [], 0
    for _, row in data.charts.iterrows():
        has_data = str(row["has_data"]).strip().lower() in {"true", "1"}
        path = (data.figures_dir or Path(".")) / str(row["file"])
        if not has_data or not path.is_file():
            sentence = chart_sentence(data, row, notes)
            if sentence:
                parts.append(f'<p class="pb-chart-sentence">{sentence}</p>')
            continue
        n += 1
        caption = words["figure_caption"].format(n=n, title=esc(row["title"]), source=_outlets_phrase(data.documents),
                                                 articles=count_phrase(len(data.documents), "article"))
        width = pd.to_numeric(pd.Series([row.get("width_in", "")]), errors="coerce").iloc[0]
        style = f' style="width: {min(100, round(float(width) / 8 * 100))}%"' if pd.notna(width) and width else ""
        parts.append(
            f'<figure><img src="{_image_data_url(path)}" alt="{esc(row["alt_text"])}"{style}>'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return Html(heading("charts") + "".join(parts)) if parts else Html("")


def conflicts(data: BriefData, notes: Notes, heading: str = "أرقام متضاربة") -> Html:
    """The figures on which sources disagree, each value with its note; nothing when they all agree.

    At most ``MAX_CONFLICTS`` initiatives and ``MAX_CONFLICT_VALUES`` values each (the largest spread first);
    the full list is in the HTML appendix.
    """
    if data.conflicts.empty:
        return Html("")
    words = wording()
    cols = words["columns"]["conflicts"]
    flagged = data.key_figures[data.key_figures["conflict"]]
    groups = []
    for _, c in data.conflicts.iterrows():
        same = flagged[
            (flagged["initiative_id"] == c["initiative_id"]) & (flagged["unit"] == c["unit"])
            & (flagged["target_year"].astype(str) == str(c["target_year"]))
        ].drop_duplicates(["value"])
        spread = (same["value"].max() / max(same["value"].min(), 1e-9)) if len(same) else 0
        groups.append((spread, c, same))
    groups.sort(key=lambda g: -g[0])
    rows = []
    for _, c, same in groups[:MAX_CONFLICTS]:
        shown = same.sort_values("value", kind="stable")
        if len(shown) > MAX_CONFLICT_VALUES:  # the extremes and the middle tell the spread
            shown = shown.iloc[[0, len(shown) // 3, 2 * len(shown) // 3, len(shown) - 1]]
        values = "<br>".join(_figure(data, r, notes) for _, r in shown.iterrows()) or "<br>".join(
            esc(v) for v in split_cell(c["values"]))
        if len(same) > len(shown):
            values += "<br>" + words["conflict_more"].format(n=_num(str(len(same) - len(shown)), notes.count_note("derived_conflicts")))
        rows.append([esc(c["initiative"]), values, esc(c["target_year"])])
    headers = [cols["initiative"], cols["values"], cols["target_year"]]
    more = ""
    if len(groups) > MAX_CONFLICTS:
        more = f'<p class="pb-meta">{words["conflicts_more"].format(n=_num(str(len(groups) - MAX_CONFLICTS), notes.count_note("derived_conflicts")))}</p>'
    return Html(heading_tag(heading) + table_html(headers, rows, "pb-conflicts") + more)


def table_html(headers: list[str], rows: list[list[str]], css: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def about(data: BriefData, notes: Notes | None = None) -> Html:
    """The one short «عن هذه الورقة» paragraph the PDF keeps: corpus, method, limits, where the rest is."""
    words = wording()
    first, last = _date_range(data.documents)
    period = f"{data.date(first)} – {data.date(last)}" if first else words["unknown_date"]
    text = words["about"].format(articles=count_phrase(len(data.documents), "article"), period=period)
    counts = data.extracted_counts
    extra = ""
    if counts:
        sentence = words["method_counts"].format(
            figures=count_phrase(counts.get("figures", 0), "figure"), dates=count_phrase(counts.get("dates", 0), "date"),
            entities=count_phrase(counts.get("entities", 0), "entity"), articles=count_phrase(len(data.documents), "article"))
        extra = " " + esc(sentence[:-1]) + (notes.count_note("derived_extracted") if notes is not None else "") + "."
    return Html(heading("about") + f'<p class="pb-about">{esc(text)}{extra}{method_skipped(data)}</p>')


def method_skipped(data: BriefData) -> str:
    """A sentence naming every input file the build did not read (empty when it read them all)."""
    if not data.skipped:
        return ""
    names = join_ar(f"<bdi>{esc(line.split(': ', 1)[0])}</bdi>" for line in data.skipped)
    return " " + wording()["method_skipped"].format(count=len(data.skipped), names=names)


def kind_label(kind: str) -> str:
    """Arabic plural label of an initiative kind (``data/presentation.yml``)."""
    return rules.load("presentation")["kinds"].get(kind or "", kind)
