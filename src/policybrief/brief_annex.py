"""The brief's back matter: the sources it cites, and the HTML-only appendix (full tables, build details).

The PDF lists the sources its notes and sections cite, by outlet, «title», date and URL (the article's first
words when it has no title). The appendix (``class="pb-html-only"``, hidden in print) holds every
initiative, figure, dated event, actor and source, and the colophon (versions, input hashes, step times);
``report/manifest.json`` holds the same build details.
"""
from __future__ import annotations

import platform

from .brief import kind_label, table_html
from .briefdata import BriefData, Html, Notes, esc, heading, heading_tag, wording
from .formatting import format_number
from .style import restyle
from .tables import split_cell


def _title(doc, leads: dict[str, str]) -> str:
    title = str(doc["title"] or "").strip()
    return title or leads.get(doc["doc_id"], "") or str(doc["file"] or doc["doc_id"])


def source_entry(data: BriefData, doc, leads: dict[str, str]) -> str:
    """One source: outlet، «title»، date، URL.

    The title is the article's own or, without one, its first words.
    """
    words = wording()
    parts = [esc(doc["outlet"] or words["source_no_outlet"]), f"«{esc(_title(doc, leads))}»",
             esc(data.date(doc["published"]) or words["source_undated"])]
    url = str(doc["url"] or "")
    if url.startswith(("http://", "https://")):
        parts.append(f'<a class="pb-ltr" href="{esc(url)}">{esc(url)}</a>')
    return "، ".join(parts)


def _leads(data: BriefData) -> dict[str, str]:
    return dict(zip(data.profile["doc_id"], data.profile["first_words"])) if len(data.profile) else {}


def sources(data: BriefData, notes: Notes | None = None, with_heading: bool = True) -> Html:
    """Numbered sources. With ``notes`` and more than a handful of articles, only the sources the brief cites
    (the numbers stay those of the full list in the appendix)."""
    words = wording()
    numbers = data.source_numbers
    docs = data.documents.set_index("doc_id", drop=False)
    leads = _leads(data)
    cited = notes.cited_documents if notes is not None else set(numbers)
    shown = numbers if len(numbers) <= 8 or notes is None else {d: n for d, n in numbers.items() if d in cited}
    from .brief_review import story_labels

    copies = story_labels(data, numbers)  # syndicated copies name the source they repeat
    items = [f'<li id="pb-source-{n}" value="{n}">{source_entry(data, docs.loc[d], leads)}'
             f'{_copy_of(copies.get(d, ""))}</li>'
             for d, n in sorted(shown.items(), key=lambda kv: kv[1])]
    title = heading("sources") if with_heading else ""
    if not items:
        return Html(title + f'<p class="pb-empty">{esc(words["empty"])}</p>')
    intro = ""
    if len(shown) < len(numbers):
        intro = f'<p class="pb-meta">{esc(words["sources_cited_only"].format(cited=len(shown), total=len(numbers)))}</p>'
    return Html(title + intro + f'<ol class="pb-sources">{"".join(items)}</ol>')


def _copy_of(label: str) -> str:
    return f'، <span class="pb-meta">{esc(label)}</span>' if label else ""


def _refs(doc_ids: object, numbers: dict[str, int]) -> str:
    refs = sorted({numbers[d] for d in split_cell(doc_ids) if d in numbers})
    return " ".join(f"[{n}]" for n in refs)


def _cells(cell: object, style=None) -> str:
    return "<br>".join(esc(restyle(item, style)) for item in split_cell(cell))


def appendix(data: BriefData) -> Html:
    """The HTML-only appendix: every initiative, figure, dated event, actor and source, and the colophon."""
    words = wording()
    app, cols = words["appendix"], words["columns"]
    numbers = data.source_numbers
    parts = [f'{heading_tag(app["title"])}<p class="pb-meta">{esc(app["intro"])}</p>']
    if len(data.initiatives):
        c = cols["initiatives"]
        rows = [[f"<strong>{esc(r['name'])}</strong>", esc(kind_label(r["kind"])), _cells(r["lead_organizations"]),
                 esc(data.date(r["first_date"])), _cells(r["figures"], data.style), _cells(r["targets"], data.style), esc(_refs(r["doc_ids"], numbers))]
                for _, r in data.initiatives.iterrows()]
        parts.append(heading_tag(app["initiatives"], 3) + table_html(
            [c[k] for k in ("name", "kind", "lead_organizations", "first_date", "figures", "targets", "sources")], rows))
    ranked = data.ranked_figures
    if len(ranked):
        c = cols["key_figures"]
        rows = [[f'<span class="pb-num">{esc(data.value(r))}</span>', esc(r["measure_label"]), esc(r["subject_label"]),
                 esc(r["target_year"]), esc(_refs(r["doc_id"], numbers))] for _, r in ranked.iterrows()]
        parts.append(heading_tag(app["key_figures"], 3) + table_html(
            [c[k] for k in ("value", "measure", "subject", "year", "sources")], rows))
    if len(data.conflicts):
        c = cols["conflicts"]
        rows = [[esc(r["initiative"]), _cells(r["values"], data.style), esc(r["target_year"])] for _, r in data.conflicts.iterrows()]
        parts.append(heading_tag(app["conflicts"], 3) + table_html([c["initiative"], c["values"], c["target_year"]], rows))
    if len(data.timeline):
        c = cols["timeline"]
        table = data.timeline.sort_values(["date", "kind", "doc_id", "start"], kind="stable")
        rows = [[f'<span class="pb-num">{esc(data.date(r["date"]))}</span>',
                 esc(words["timeline_kinds"].get(r["kind"], r["kind"])), esc(restyle(str(r["label"] or r["quote"]), data.style)),
                 esc(_refs(r["doc_id"], numbers))]
                for _, r in table.iterrows()]
        parts.append(heading_tag(app["timeline"], 3) + table_html([c[k] for k in ("date", "kind", "label", "sources")], rows))
    if len(data.actors):
        c = cols["actors"]
        table = data.actors.sort_values(["n_mentions", "actor"], ascending=[False, True], kind="stable")
        rows = [[esc(r["actor"]), esc(words["actor_kinds"].get(r["kind"], r["kind"])), _cells(r["roles"]),
                 _cells(r["initiatives"]), f'<span class="pb-num">{int(r["n_mentions"])}</span>'] for _, r in table.iterrows()]
        parts.append(heading_tag(app["actors"], 3) + table_html(
            [c[k] for k in ("actor", "kind", "roles", "initiatives", "n_mentions")], rows))
    parts.append(heading_tag(app["sources"], 3) + sources(data, with_heading=False))
    parts.append(heading_tag(app["colophon"], 3) + colophon(data))
    return Html(f'<section class="pb-html-only">{"".join(parts)}</section>')


def colophon(data: BriefData) -> str:
    """Build time, Python and package versions, framing, input hashes and the duration of each step."""
    from .manifest import package_versions, utc_now

    words = wording()["colophon"]
    inputs = "<br>".join(
        f'<span class="pb-ltr">{esc(f)}: {esc(h)}</span>'
        for f, h in zip(data.documents["file"], data.documents["sha256"])
    )
    packages = ", ".join(f"{esc(k)} {esc(v)}" for k, v in package_versions().items())
    steps = ", ".join(f'{esc(s["step"])} {format_number(float(s["seconds"]), 1)}' for s in data.steps)
    framing = data.framing
    rows = [
        [esc(words["built_at"]), f'<span class="pb-ltr">{esc(data.built_at or utc_now())}</span>'],
        [esc(words["python"]), f'<span class="pb-ltr">{esc(platform.python_version())}</span>'],
        [esc(words["packages"]), f'<span class="pb-ltr">{packages}</span>'],
        [esc(words["framing"]), esc(f"{framing.title} · {framing.house_style} · {framing.billions}"
                                    + (f" · brief.yml: {', '.join(framing.from_analyst)}" if framing.from_analyst else ""))],
        [esc(words["inputs"]), inputs],
    ]
    if steps:
        rows.append([esc(words["steps"]), f'<span class="pb-ltr">{steps}</span>'])
    cols = wording()["columns"]["colophon"]
    return f'<div class="pb-colophon">{table_html([cols["item"], cols["value"]], rows)}</div>'
