"""The brief's review sections: what changed since the last build, contradictions, promises and their
deadlines, the reviewer's marks and counts. Each function reads the tables of the build under ``out_dir``
and returns an ``Html`` fragment for notebook 05, citing sources through the brief's ``Notes``.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import store
from .brief import Html, date_ar, esc, quoted_name
from .changes import read_changes, summary
from .paths import OutputLayout
from .tables import short_excerpt
from .review import figure_mark
from .review import words as review_words
from .review_step import review_summary

_NUMBERS = {"value": float, "start": int, "end": int}
MAX_EXAMPLES = 4


def wording() -> dict:
    return review_words()["brief"]


def read_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """``build/data/NAME.csv`` with its numbers typed (an empty table when the build has none)."""
    path = OutputLayout(out_dir).data_dir / f"{name}.csv"
    if not path.is_file():
        return pd.DataFrame()
    table = store.read_csv(path)
    for column, kind in _NUMBERS.items():
        if column in table.columns:
            table[column] = pd.to_numeric(table[column], errors="coerce").fillna(0).astype(kind)
    return table


def _table(headers: list[str], rows: list[list[str]], css: str) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def changes_section(out_dir: str | Path) -> Html:
    """«ما الذي تغيّر منذ الإصدار السابق»: new articles, figures, initiatives and reviewer actions."""
    words = wording()
    heading = f"<h2>{esc(words['changes_heading'])}</h2>"
    changes = read_changes(out_dir)
    counts = summary(changes)
    if counts is None:
        return Html(f"{heading}<p>{esc(words['first_build'])}</p>")
    if changes.empty:
        return Html(f"{heading}<p>{esc(words['changed_nothing'])}</p>")
    from .brief import count_phrase, join_ar

    lines = []
    documents = changes[changes["table"] == "documents"]
    if counts["new_articles"]:
        titles = [quoted_name(t) if t else esc(i) for i, t in
                  documents.loc[documents["change"] == "added", ["id", "after"]].values.tolist()]
        lines.append(words["new_articles"].format(n=esc(count_phrase(counts["new_articles"], "article")),
                                                  titles=join_ar(titles)))
    if counts["removed_articles"]:
        lines.append(esc(words["removed_articles"].format(n=count_phrase(counts["removed_articles"], "article"))))
    if counts["changed_articles"]:
        lines.append(esc(words["changed_articles"].format(n=count_phrase(counts["changed_articles"], "article"))))
    lines.append(esc(words["figures"].format(new=counts["new_figures"], changed=counts["changed_figures"],
                                             removed=counts["removed_figures"])))
    if counts["new_figures"]:
        lines.append(words["examples"].format(items=join_ar(_added(changes, "figures"))))
    if counts["new_initiatives"]:
        lines.append(words["new_initiatives"].format(n=counts["new_initiatives"],
                                                     names=join_ar(_added(changes, "initiatives"))))
    if counts["reviewer_actions"]:
        lines.append(esc(words["reviewer_actions"].format(n=counts["reviewer_actions"])))
    lines.append(f'<span class="pb-meta">{esc(words["changes_file"])}</span>')
    return Html(heading + "<p>" + " ".join(lines) + "</p>")


def _added(changes: pd.DataFrame, table: str, limit: int = MAX_EXAMPLES) -> list[str]:
    """The first added rows of ``table`` as quoted names (their quote or name), at most ``limit``."""
    added = changes[(changes["table"] == table) & (changes["change"] == "added")]["after"]
    return [quoted_name(a) for a in list(dict.fromkeys(a for a in added if a))[:limit]]


def ledger_section(out_dir: str | Path, notes) -> Html:
    """«أرقام متضاربة»: each disagreement, its values side by side with notes, outlets, dates and reason.

    Tables built without the review step (no ``table_ledger.csv``) get the brief's own conflicts section.
    """
    if not (OutputLayout(out_dir).data_dir / "table_ledger.csv").is_file():
        from .brief import conflicts

        return conflicts(notes.data, notes)
    ledger = read_table(out_dir, "table_ledger")
    if ledger.empty:
        return Html("")
    words = wording()
    rows = []
    for _, group in ledger.groupby("group", sort=False):
        first = group.iloc[0]
        subject = (quoted_name(first["initiative"]) if first["initiative"]
                   else esc(first["what"]) or f"«{esc(short_excerpt(first['sentence']))}…»")
        values = "<br>".join(f'<span class="pb-num">{esc(r["value_text"])}</span>{figure_mark(r)}{notes.cite(r)}'
                             for _, r in group.iterrows())
        outlets = "<br>".join(esc(r["outlet"] or r["doc_id"]) for _, r in group.iterrows())
        dates = "<br>".join(esc(date_ar(r["published"])) for _, r in group.iterrows())
        rows.append([subject, values, outlets, dates, esc(first["reason_text"])])
    return Html(f"<h2>{esc(words['ledger_heading'])}</h2><p>{esc(words['ledger_intro'])}</p>"
                + _table(words["ledger_columns"], rows, "pb-conflicts pb-ledger"))


def promises_section(out_dir: str | Path, notes) -> Html:
    """«الوعود والآجال»: initiative, status and since when (cited), target and year, and a flag."""
    promises = read_table(out_dir, "table_promises")
    if promises.empty:
        return Html("")
    words = wording()
    rows = []
    for _, p in promises.iterrows():
        status = esc(p["status_text"])
        if p["since"]:
            status += " " + esc(words["since"].format(date=date_ar(p["since"])))
        if p["doc_id"]:
            status += notes.cite({"doc_id": p["doc_id"], "start": p["start"], "end": p["end"],
                                  "quote": p["evidence_word"], "sentence": p["sentence"]})
        targets = [esc(t) for t in str(p["targets"]).split("|") if t]
        if p["target_year"] and not any(str(p["target_year"]) in t for t in targets):
            targets.append(esc(p["target_year"]))
        flag = f'<strong class="pb-flag">{esc(p["flag_text"])}</strong>' if p["flag_text"] else ""
        rows.append([quoted_name(p["initiative"]), status, "<br>".join(targets) or esc(words["no_targets"]), flag])
    return Html(f"<h2>{esc(words['promises_heading'])}</h2>" + _table(words["promises_columns"], rows, "pb-promises"))


def review_counts(out_dir: str | Path) -> Html:
    """The method section's line: rows accepted, fixed, merged, rejected and left unreviewed."""
    found = review_summary(out_dir)
    if not found:
        return Html("")
    counts = found["counts"]
    if sum(v for k, v in counts.items() if k != "unreviewed") == 0:
        return Html(f"<p>{esc(wording()['no_review'])}</p>")
    return Html(f"<p>{esc(wording()['reviewed_counts'].format(**counts))}</p>")
