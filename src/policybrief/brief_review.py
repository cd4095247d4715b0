"""The brief's review sections: what changed since the last build, contradictions, promises and their
deadlines, and the reviewer's counts. Each function takes the brief's data and notes (like the sections of
``brief``), reads the review step's tables of the same build and returns an ``Html`` fragment for
notebook 05, citing sources through the brief's ``Notes``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import store
from .brief import Html, esc, quoted_name
from .changes import read_changes, summary
from .paths import OutputLayout
from .review import figure_mark
from .review import words as review_words
from .review_step import review_summary
from .tables import short_excerpt

MAX_EXAMPLES = 4
MAX_GROUPS = 6  # disagreements shown in the brief; the ledger CSV has them all
MAX_VALUES = 4


def wording() -> dict:
    return review_words()["brief"]


def build_root(data) -> Path | None:
    """The output root of the build the brief's data was loaded from (``figures/`` sits in it), or None."""
    return Path(data.figures_dir).parent if getattr(data, "figures_dir", None) else None


def read_table(data, name: str) -> pd.DataFrame:
    """Registered table ``name`` of the brief's build (an empty table when there is none)."""
    root = build_root(data)
    if root is None or not store.has_table(name, OutputLayout(root)):
        return pd.DataFrame()
    return store.read_table(name, OutputLayout(root))


def _date(data, iso: object) -> str:
    """An ISO date as the brief writes dates (its house style when it has one)."""
    if hasattr(data, "date"):
        return data.date(iso)
    from .formatting import date_ar

    return date_ar(iso)


def _table(headers: list[str], rows: list[list[str]], css: str) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _added(changes: pd.DataFrame, table: str, limit: int = MAX_EXAMPLES) -> str:
    """The first added rows of ``table`` as quoted names (their quote, name or title), at most ``limit``."""
    added = changes[(changes["table"] == table) & (changes["change"] == "added")]
    names = [after or row_id for row_id, after in zip(added["id"], added["after"])]
    return wording()["list_separator"].join(quoted_name(n) for n in list(dict.fromkeys(names))[:limit])


def changes_section(data, notes=None) -> Html:
    """«ما الذي تغيّر منذ الإصدار السابق»: new articles, figures, initiatives and reviewer actions."""
    words = wording()
    heading = f"<h2>{esc(words['changes_heading'])}</h2>"
    if build_root(data) is None:
        return Html("")
    changes = read_changes(build_root(data))
    counts = summary(changes)
    if counts is None:
        return Html(f"{heading}<p>{esc(words['first_build'])}</p>")
    if changes.empty:
        return Html(f"{heading}<p>{esc(words['changed_nothing'])}</p>")
    lines = []
    if counts["new_articles"]:
        lines.append(words["new_articles"].format(n=counts["new_articles"], titles=_added(changes, "documents")))
    for key in ("removed_articles", "changed_articles"):
        if counts[key]:
            lines.append(esc(words[key].format(n=counts[key])))
    lines.append(esc(words["figures"].format(new=counts["new_figures"], changed=counts["changed_figures"],
                                             removed=counts["removed_figures"])))
    if counts["new_figures"]:
        lines.append(words["examples"].format(items=_added(changes, "figures")))
    if counts["new_initiatives"]:
        lines.append(words["new_initiatives"].format(n=counts["new_initiatives"], names=_added(changes, "initiatives")))
    if counts["reviewer_actions"]:
        lines.append(esc(words["reviewer_actions"].format(n=counts["reviewer_actions"])))
    lines.append(f'<span class="pb-meta">{esc(words["changes_file"])}</span>')
    return Html(heading + "<p>" + " ".join(lines) + "</p>")


def ledger_section(data, notes) -> Html:
    """«أرقام متضاربة»: each disagreement, its values side by side with notes, outlets, dates and reason.

    Tables built without the review step (no ``table_ledger.csv``) get the brief's own conflicts section.
    """
    root = build_root(data)
    if root is None or not store.has_table("table_ledger", OutputLayout(root)):
        from .brief import conflicts

        return conflicts(data, notes)
    ledger = read_table(data, "table_ledger")
    if ledger.empty:
        return Html("")
    words = wording()
    rows = []
    groups = list(ledger.groupby("group", sort=False))
    for _, group in groups[:MAX_GROUPS]:
        first = group.iloc[0]
        subject = (quoted_name(first["initiative"]) if first["initiative"]
                   else esc(first["what"]) or f"«{esc(short_excerpt(first['sentence']))}…»")
        shown = group.head(MAX_VALUES)
        values = "<br>".join(f'<span class="pb-num">{esc(r["value_text"])}</span>{figure_mark(r)}{notes.cite(r)}'
                             for _, r in shown.iterrows())
        outlets = "<br>".join(f"<bdi>{esc(r['outlet'] or r['doc_id'])}</bdi>" for _, r in shown.iterrows())
        dates = "<br>".join(esc(_date(data, r["published"])) for _, r in shown.iterrows())
        rows.append([subject, values, outlets, dates, esc(first["reason_text"])])
    more = ""
    if len(groups) > MAX_GROUPS:
        more = f'<p class="pb-meta">{esc(words["ledger_more"].format(n=len(groups) - MAX_GROUPS))}</p>'
    return Html(f"<h2>{esc(words['ledger_heading'])}</h2><p>{esc(words['ledger_intro'])}</p>"
                + _table(words["ledger_columns"], rows, "pb-conflicts pb-ledger") + more)


def promises_section(data, notes) -> Html:
    """«الوعود والآجال»: initiative, status and since when (cited), target and year, and a flag."""
    promises = read_table(data, "table_promises")
    if promises.empty:
        return Html("")
    words = wording()
    rows = []
    for _, p in promises.iterrows():
        status = esc(p["status_text"])
        if p["since"]:
            status += " " + esc(words["since"].format(date=_date(data, p["since"])))
        if p["doc_id"]:
            status += notes.cite({"doc_id": p["doc_id"], "start": p["start"], "end": p["end"],
                                  "quote": p["evidence_word"], "sentence": p["sentence"]})
        targets = [esc(t) for t in str(p["targets"]).split("|") if t]
        if p["target_year"] and not any(str(p["target_year"]) in t for t in targets):
            targets.append(esc(p["target_year"]))
        flag = f'<strong class="pb-flag">{esc(p["flag_text"])}</strong>' if p["flag_text"] else ""
        rows.append([quoted_name(p["initiative"]), status, "<br>".join(targets) or esc(words["no_targets"]), flag])
    return Html(f"<h2>{esc(words['promises_heading'])}</h2>" + _table(words["promises_columns"], rows, "pb-promises"))


def review_counts(data, notes=None) -> Html:
    """The method section's line: rows accepted, fixed, merged, rejected and left unreviewed."""
    found = review_summary(build_root(data)) if build_root(data) is not None else {}
    if not found:
        return Html("")
    counts = found["counts"]
    if sum(v for k, v in counts.items() if k != "unreviewed") == 0:
        return Html(f"<p>{esc(wording()['no_review'])}</p>")
    return Html(f"<p>{esc(wording()['reviewed_counts'].format(**counts))}</p>")


def story_labels(data, numbers: dict[str, int]) -> dict[str, str]:
    """doc_id -> «copy of the same story in source N» for each syndicated copy after its story's first."""
    stories = read_table(data, "table_stories")
    if stories.empty:
        return {}
    template = wording()["story_copies"]
    return {doc_id: template.format(source=numbers[story]) for doc_id, story in zip(stories["doc_id"], stories["story"])
            if doc_id != story and story in numbers}
