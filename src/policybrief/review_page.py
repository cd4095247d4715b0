"""The review page ``report/review.html``: the rows that most need a human eye first, each with its sentence,
the quote highlighted, its id and ready-made lines for ``review.csv``. One self-contained RTL page (no
script, font or image fetched), so it opens offline.

Order of figures: unreviewed before reviewed; in a contradiction; lowest ``confidence`` (when the figures
table has one); in the brief's key-figures box; targets and sums of money (what a brief leads with).
"""
from __future__ import annotations

import re

import jinja2
import pandas as pd

from .formatting import format_value_ar
from .paths import TEMPLATES_DIR
from .review import review_line, words
from .segment import sentence_at, sentence_spans
from .tables import _column

TEMPLATE = "review_page.html.j2"
MAX_ROWS = 300
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _page_words() -> dict:
    return words()["page"]


def _in_sentence(text: str, start: int, end: int, spans: list) -> tuple[str, str, str]:
    """(before, quote, after): the sentence holding ``text[start:end]`` cut around it."""
    s, e = sentence_at(text, start, spans)
    s, e = min(s, start), max(e, end)
    return text[s:start], text[start:end], text[end:e]


def _around_word(sentence: str, word: str) -> dict[str, str]:
    """The sentence cut around the first occurrence of ``word`` (the status evidence), for highlighting."""
    at = sentence.find(word) if word else -1
    if at < 0:
        return {"before": sentence, "quote": "", "after": ""}
    return {"before": sentence[:at], "quote": word, "after": sentence[at + len(word):]}


def figure_priority(figures: pd.DataFrame, ledger: pd.DataFrame | None = None,
                    key_ids: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """Figures in review order, with a ``why`` column naming what makes each one worth a look.

    ``key_ids``: the figures the brief puts in its key-figures box."""
    why_words = _page_words()["why"]
    groups = {} if ledger is None or ledger.empty else dict(zip(ledger["id"], ledger["group"]))
    out = figures.reset_index(drop=True).copy()
    confidence = pd.to_numeric(_column(out, "confidence", None), errors="coerce") if "confidence" in out else None
    reasons, keys = [], []
    for i, row in enumerate(out.itertuples(index=False)):
        why = []
        group = groups.get(getattr(row, "id", ""), "")
        if group:
            why.append(why_words["conflict"].format(group=group))
        conf = None if confidence is None or pd.isna(confidence.iloc[i]) else float(confidence.iloc[i])
        if conf is not None and conf < 0.5:
            why.append(why_words["low_confidence"].format(confidence=f"{conf:.2f}"))
        key = getattr(row, "id", "") in key_ids
        if key:
            why.append(why_words["key"])
        if bool(row.is_target):
            why.append(why_words["target"])
        if _CURRENCY.match(str(row.unit)):
            why.append(why_words["money"])
        if not str(getattr(row, "initiative_id", "") or ""):
            why.append(why_words["no_initiative"])
        reviewed = bool(str(getattr(row, "review", "") or ""))
        keys.append((reviewed, not group, 1.0 if conf is None else conf, not key,
                     not (bool(row.is_target) or bool(_CURRENCY.match(str(row.unit)))), row.doc_id, row.start))
        reasons.append("، ".join(why))
    out["why"] = reasons
    order = sorted(range(len(out)), key=lambda i: keys[i])
    return out.iloc[order].reset_index(drop=True)


def _figure_rows(figures: pd.DataFrame, texts: dict, spans: dict, marks: dict) -> list[dict]:
    rows = []
    for row in figures.itertuples(index=False):
        text = texts.get(row.doc_id, "")
        before, quote, after = (_in_sentence(text, int(row.start), int(row.end), spans[row.doc_id])
                                if text else ("", row.quote, ""))
        rows.append({
            "id": row.id, "mark": marks.get(str(getattr(row, "review", "") or ""), ""),
            "label": format_value_ar(row.value, row.unit, row.what, getattr(row, "qualifier", "")),
            "why": row.why, "before": before, "quote": quote, "after": after,
            "source": f"{row.doc_id} · {int(row.start)}–{int(row.end)}",
            "lines": [review_line(row.id, "accept"), review_line(row.id, "reject"),
                      review_line(row.id, "fix", "value", row.value)],
        })
    return rows


def _initiative_rows(initiatives: pd.DataFrame, promises: pd.DataFrame | None, marks: dict) -> list[dict]:
    status = {} if promises is None else promises.set_index("initiative_id")
    why_words = _page_words()["why"]
    rows = []
    for row in initiatives.itertuples(index=False):
        p = status.loc[row.initiative_id] if len(status) and row.initiative_id in status.index else None
        why = [] if p is None else [p["status_text"]] + ([why_words[p["flag"]]] if p["flag"] else [])
        rows.append({
            "id": row.id, "mark": marks.get(str(getattr(row, "review", "") or ""), ""), "label": row.name,
            "why": "، ".join(why), **_around_word("" if p is None else p["sentence"], "" if p is None else p["evidence_word"]),
            "source": str(row.doc_ids).replace("|", "، "),
            "lines": [review_line(row.id, "accept"), review_line(row.id, "reject"),
                      review_line(row.id, "fix", "name", row.name), review_line(row.id, "merge", "", "ini_…")],
        })
    return rows


def review_page(figures: pd.DataFrame, initiatives: pd.DataFrame, documents: pd.DataFrame,
                ledger: pd.DataFrame | None = None, promises: pd.DataFrame | None = None,
                counts: dict | None = None, problems: list[str] | None = None,
                review_path: str = "SEEDS_DIR/review.csv", limit: int = MAX_ROWS,
                key_ids: set[str] | frozenset[str] = frozenset()) -> str:
    """The whole review page as HTML text."""
    page = _page_words()
    marks = words()["marks"]
    texts = dict(zip(documents["doc_id"], documents["text"])) if "text" in documents else {}
    spans = {d: sentence_spans(t) for d, t in texts.items()}
    ordered = figure_priority(figures, ledger, key_ids)
    shown = ordered.head(limit)
    sections = [{"title": page["figures"], "rows": _figure_rows(shown, texts, spans, marks),
                 "more": page["more"].format(shown=len(shown), total=len(ordered)) if len(ordered) > limit else ""},
                {"title": page["initiatives"], "rows": _initiative_rows(initiatives.head(limit), promises, marks),
                 "more": ""}]
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    return environment.get_template(TEMPLATE).render(
        words=page, sections=sections, counts=counts or {}, problems=problems or [], review_path=review_path)
