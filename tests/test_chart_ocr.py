"""Verify what was drawn: OCR and the static guard pass on real charts and fail on broken Arabic labels."""
from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from arabic_reshaper import reshape
from bidi.algorithm import get_display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from policybrief import charts, ocr, shaping
from policybrief.textnorm import match_key

pytestmark = pytest.mark.skipif(
    not ocr.tesseract_available(),
    reason="tesseract with the Arabic model is not installed (Debian: tesseract-ocr tesseract-ocr-ara)",
)

FONT_STACKS = [pytest.param(["Noto Sans Arabic", "DejaVu Sans"], id="noto-sans"),
               pytest.param(["Amiri"], id="amiri"), pytest.param(["DejaVu Sans"], id="dejavu")]
LABELS = ["نحو 3.4 مليار درهم بحلول 2028", "وزارة التربية الوطنية والتعليم الأولي", "مدرسة البرمجة الرقمية"]


def _isolated_forms(text: str) -> str:
    """Each Arabic letter replaced by its isolated presentation form: the letters no longer join."""
    out = []
    for ch in text:
        try:
            out.append(unicodedata.lookup(unicodedata.name(ch) + " ISOLATED FORM"))
        except (KeyError, ValueError):
            out.append(ch)
    return "".join(out)


BREAKERS = {
    "reversed": lambda s: get_display(reshape(s)),
    "unjoined-zwnj": lambda s: shaping.ZWNJ.join(s),
    "unjoined-isolated-forms": _isolated_forms,
}


def _figure_with(labels: list[str], family: list[str], size: float = 11) -> Figure:
    fig = Figure(figsize=(7, 0.6 * len(labels) + 0.4))
    FigureCanvasAgg(fig)
    for i, label in enumerate(labels):
        fig.text(0.95, 1 - (i + 0.5) / len(labels), label, ha="right", va="center", family=family, size=size)
    return fig


@pytest.fixture(scope="module")
def specs():
    def _kf(value, unit, what, initiative, start):
        return {"doc_id": "d1", "initiative_id": initiative[:6], "initiative": initiative, "value": value, "unit": unit,
                "what": what, "value_text": "", "qualifier": "", "bound": "", "is_target": False, "target_year": "",
                "conflict": False, "quote": "", "sentence": "", "start": start, "end": start + 1}

    key_figures = pd.DataFrame([
        _kf(2e8, "MAD", "", "برنامج تكوين المهندسين", 5), _kf(5e7, "MAD", "", "مركز الابتكار الجهوي", 6),
        _kf(1200, "count", "مهندس", "برنامج تكوين المهندسين", 7), _kf(300, "count", "مقاولة", "مركز الابتكار الجهوي", 8),
        {"doc_id": "d1", "initiative_id": "school", "initiative": "مدرسة البرمجة الرقمية", "value": 3.4e9,
         "unit": "MAD", "what": "", "value_text": "", "qualifier": "approx", "bound": "", "is_target": True,
         "target_year": "2028", "conflict": False, "quote": "", "sentence": "", "start": 0, "end": 1},
        {"doc_id": "d1", "initiative_id": "school", "initiative": "مدرسة البرمجة الرقمية", "value": 800,
         "unit": "count", "what": "متدرب", "value_text": "", "qualifier": "", "bound": "", "is_target": False,
         "target_year": "", "conflict": False, "quote": "", "sentence": "", "start": 0, "end": 1},
    ])
    timeline = pd.DataFrame([
        {"date": "2025-02", "year": "2025", "precision": "month", "kind": "event", "initiative_id": "centre",
         "initiative": "", "label": "افتتاح مركز الابتكار الجهوي", "doc_id": "d1", "quote": "", "start": 0, "end": 1},
        {"date": "2024-10", "year": "2024", "precision": "month", "kind": "event", "initiative_id": "school",
         "initiative": "مدرسة البرمجة الرقمية", "label": "مدرسة البرمجة الرقمية", "doc_id": "d1", "quote": "",
         "start": 0, "end": 1},
        {"date": "2028", "year": "2028", "precision": "year", "kind": "target", "initiative_id": "school",
         "initiative": "مدرسة البرمجة الرقمية", "label": "نحو 3.4 مليار درهم", "doc_id": "d1", "quote": "",
         "start": 0, "end": 1},
    ])
    initiatives = pd.DataFrame([
        {"initiative_id": "school", "name": "مدرسة البرمجة الرقمية", "kind": "institution",
         "lead_organizations": "وزارة التربية الوطنية", "partner_organizations": "جمعية المبرمجين الشباب",
         "first_date": "2024-10", "latest_date": "2024-10", "place": "", "figures": "", "targets": "",
         "n_sources": 1, "doc_ids": "d1", "has_conflict": False},
        *[{"initiative_id": f"x{i}", "name": f"برنامج الدعم الجهوي {i}", "kind": kind, "lead_organizations": "",
           "partner_organizations": "", "first_date": "", "latest_date": "", "place": "", "figures": "", "targets": "",
           "n_sources": 1, "doc_ids": "d1", "has_conflict": False}
          for i, kind in enumerate(["programme", "programme", "lab", "fund", "centre", "lab", "programme", "fund", "lab"])],
    ])
    note = charts.source_note(pd.DataFrame({"doc_id": ["d1"], "outlet": ["جريدة الاختبار"]}))
    return [
        charts.key_figures_money_chart(key_figures, note),
        charts.key_figures_other_chart(key_figures, note),
        charts.timeline_chart(timeline, note),
        charts.actors_chart(initiatives, None, note),
        charts.kinds_chart(initiatives, note),
    ]


@pytest.mark.parametrize("index", range(5), ids=["money", "other", "timeline", "actors", "kinds"])
def test_real_charts_read_right(specs, index):
    fig = specs[index].figure
    verdicts = ocr.verify_figure(fig)
    assert len(verdicts) >= 3  # title, source note and chart labels were all read
    assert ocr.check_figure(fig) == [], verdicts.to_string()


@pytest.mark.parametrize("family", FONT_STACKS)
def test_right_labels_pass(family):
    verdicts = ocr.verify_figure(_figure_with(LABELS, family))
    assert verdicts["label"].tolist() == LABELS
    assert verdicts["ok"].all(), verdicts.to_string()


@pytest.mark.parametrize("family", FONT_STACKS)
def test_reversed_label_fails_ocr(family):
    broken = BREAKERS["reversed"](LABELS[1])
    fig = _figure_with([LABELS[0], broken], family)
    verdicts = ocr.verify_figure(fig).set_index("label")
    assert bool(verdicts.loc[LABELS[0], "ok"]) is True
    assert bool(verdicts.loc[broken, "ok"]) is False
    assert verdicts.loc[broken, "margin"] < 0


@pytest.mark.parametrize("breaker", list(BREAKERS), ids=list(BREAKERS))
def test_broken_label_fails_the_check(specs, breaker):
    fig = specs[2].figure  # the timeline: its labels are plain Text artists
    label = next(t for t in fig.axes[0].texts if t.get_text() == "مدرسة البرمجة الرقمية")
    label.set_text(BREAKERS[breaker]("مدرسة البرمجة الرقمية"))
    try:
        problems = ocr.check_figure(fig)
    finally:
        label.set_text("مدرسة البرمجة الرقمية")
    assert problems, breaker
    assert ocr.check_figure(fig) == []


def test_old_matplotlib_labels_compare_in_reading_order():
    prepared = shaping.prepare_label("وزارة التربية الوطنية", native=False)
    assert match_key(ocr.logical_order(prepared)) == "وزاره التربيه الوطنيه"
    assert ocr.direction_margin("وزارة التربية الوطنية", prepared)[2] > 0.5


def test_check_charts_table(specs):
    checks = ocr.check_charts(specs[-1:])
    assert checks.loc[0, "chart"] == "initiatives_by_kind"
    assert bool(checks.loc[0, "ok"]) and checks.loc[0, "n_read"] >= 3 and checks.loc[0, "problems"] == ""


@pytest.mark.parametrize("ocr_text, label, verdict", [
    pytest.param("دن", "يورو", "unclear", id="short-word-misread"),
    pytest.param("5", "مستثمر", "unclear", id="read-as-digit"),
    pytest.param("وزارة التربية الوطنية", "وزارة التربية الوطنية", "right", id="read-right"),
    pytest.param("ةينطولا ةيبرتلا ةرازو", "وزارة التربية الوطنية", "reversed", id="read-backwards"),
])
def test_only_a_backwards_reading_is_suspected(ocr_text, label, verdict):
    assert ocr.verdict(ocr.direction_margin(ocr_text, label)[2]) == verdict


def _checks(ok: bool) -> pd.DataFrame:
    return pd.DataFrame([{"chart": "timeline", "n_labels": 5, "n_read": 4, "n_unclear": 1, "ok": ok,
                          "problems": "" if ok else "OCR reads 'x' for 'y' (margin -0.5)", "unclear": "يورو", "note": ""}])


def test_suspected_label_is_logged_not_fatal_unless_strict():
    assert ocr.enforce(_checks(ok=True), strict=True) == []
    assert ocr.enforce(_checks(ok=False)) == ["timeline: OCR reads 'x' for 'y' (margin -0.5)"]
    with pytest.raises(ocr.LabelCheckError, match="--strict"):
        ocr.enforce(_checks(ok=False), strict=True)
    summary = ocr.summary(_checks(ok=False).astype(str))  # as read back from label_check.csv
    assert summary["labels_unclear"] == 1 and summary["suspected"][0]["chart"] == "timeline"
