"""Charts drawn from small hand-made tables: stable files, Arabic labels read back, RTL layout, empty input."""
from __future__ import annotations

import itertools

import matplotlib
import pandas as pd
import pytest
from PIL import Image

from policybrief import charts, rules, schemas, shaping, tables
from policybrief.paths import OutputLayout
from policybrief.style import house_style

TEXT = rules.load("presentation")["chart_text"]
STEMS = ["key_figures_money", "key_figures_other", "timeline", "actors_initiatives", "initiatives_by_kind"]


def _figure(doc_id, value, unit, what, initiative_id, is_target=False, year="", qualifier=""):
    return {"doc_id": doc_id, "value": float(value), "unit": unit, "what": what, "quote": "q", "start": 0, "end": 1,
            "sentence": "", "qualifier": qualifier, "is_target": is_target, "target_year": year,
            "initiative_id": initiative_id, "bound": "", "rule": "test"}


def _initiative(initiative_id, name, kind, organizations):
    return {"initiative_id": initiative_id, "name": name, "kind": kind, "aliases": "", "organizations": organizations,
            "first_date": "", "doc_ids": "d1", "n_mentions": 1}


def _date(iso, precision, what, initiative_id, sentence=""):
    return {"doc_id": "d1", "iso": iso, "precision": precision, "quote": iso, "start": 0, "end": 1, "what": what,
            "sentence": sentence, "rule": "test", "initiative_id": initiative_id}


@pytest.fixture(scope="module")
def extracted():
    return {
        "documents": pd.DataFrame({"doc_id": ["d1", "d2"], "outlet": ["جريدة الاختبار", ""]}),
        "initiatives": pd.DataFrame([
            _initiative("green", "برنامج الطاقة الخضراء", "programme", "وزارة الطاقة|شركة Solaris"),
            _initiative("school", "مدرسة البرمجة الرقمية", "institution", "Code Academy"),
            _initiative("plan", "Plan Numérique 2035", "strategy", "وزارة الاقتصاد"),
            *[_initiative(f"extra{i}", f"مبادرة إضافية رقم {i}", kind, "")
              for i, kind in enumerate(["programme", "lab", "lab", "fund", "programme", "centre", "lab"])],
        ]),
        "figures": pd.DataFrame([
            _figure("d1", 2_500_000_000, "MAD", "", "green", qualifier="approx"),
            _figure("d1", 300_000_000, "USD", "", "plan", True, "2035"),
            _figure("d2", 40_000_000, "MAD", "", "school"),
            _figure("d2", 1200, "count", "متدرب", "school"),
            _figure("d2", 35, "percent", "", "plan"),
            _figure("d2", 1500, "MW", "", "green", True, "2030"),
        ]),
        "dates": pd.DataFrame([
            _date("2024-11-05", "day", "event", "school"),
            _date("2030", "year", "target", "green"),
            _date("2025-02", "month", "event", "", "افتتح المعرض الدولي للتكنولوجيا أبوابه في فبراير الماضي"),
        ]),
        "entities": schemas.empty_frame("entities"),
    }


@pytest.fixture(scope="module")
def specs(extracted):
    return charts.build_charts(tables.build_tables(extracted), extracted["documents"], house_style("maghreb"))


def test_stable_chart_set(specs):
    assert [s.stem for s in specs] == STEMS
    assert all(s.has_data for s in specs)


def test_labels_are_read_back_from_the_figure(specs):
    for spec in specs:
        drawn = {t.get_text() for t in charts.drawn_texts(spec.figure)}
        assert set(spec.labels) == drawn
        assert spec.title in spec.labels and spec.source_note in spec.labels


def test_money_chart_one_axis_per_currency(specs):
    money = specs[0]
    assert len(money.figure.axes) == 2
    assert [ax.get_title(loc="right") for ax in money.figure.axes] == ["درهم", "دولار"]
    assert "نحو 2.5 مليار درهم" in money.labels
    assert "40 مليون درهم" in money.labels
    assert "300 مليون دولار بحلول 2035" in money.labels


def test_other_units_never_share_an_axis(specs):
    other = specs[1]
    assert len(other.figure.axes) == 3  # count, percent, MW
    assert {"1200 متدرب", "35 في المائة", "1.5 جيغاواط بحلول 2030"} <= set(other.labels)
    assert not any("درهم" in label or "دولار" in label for label in other.labels)


@pytest.mark.parametrize("index", [pytest.param(0, id="money"), pytest.param(1, id="other"),
                                   pytest.param(4, id="kinds")])
def test_bar_charts_read_right_to_left(specs, index):
    for ax in specs[index].figure.axes:
        assert ax.xaxis_inverted()
        assert ax.yaxis.get_ticks_position() == "right"


def test_latin_name_first_label_gets_rlm(specs):
    assert shaping.RLM + "Plan Numérique 2035" not in specs[0].labels  # Latin only: untouched
    assert "Plan Numérique 2035" in specs[0].labels
    timeline_labels = specs[2].labels
    assert shaping.RLM + "Plan Numérique 2035: 300 مليون دولار" in timeline_labels


def test_timeline_in_date_order(specs):
    dates = [label for label in specs[2].labels if label in ("5 نونبر 2024", "فبراير 2025", "2030", "2035")]
    assert dates == ["5 نونبر 2024", "فبراير 2025", "2030", "2035"]


def test_actor_network_links(specs):
    labels = specs[3].labels
    assert {"وزارة الطاقة", "شركة Solaris", "Code Academy", "برنامج الطاقة الخضراء"} <= set(labels)
    assert {TEXT["legend_lead"], TEXT["legend_partner"]} <= set(labels)


def test_kinds_counted(specs):
    kinds = charts.kind_counts(pd.DataFrame({"kind": ["programme", "programme", "lab", ""]}))
    assert kinds[["label", "n"]].values.tolist() == [["برامج", 2], ["غير مصنفة", 1], ["مختبرات", 1]]


def test_static_guard_passes_on_every_chart(specs):
    for spec in specs:
        assert shaping.label_problems(list(spec.labels)) == [], spec.stem


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1


@pytest.mark.parametrize("index", range(len(STEMS)), ids=STEMS)
def test_no_overlapping_or_clipped_labels(specs, index):
    fig = specs[index].figure
    texts = charts.drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for (label_a, a), (label_b, b) in itertools.combinations(boxes, 2):
        assert not _overlaps(a, b), (label_a, label_b)
    tight = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)
    for label, box in boxes:
        assert tight.x0 - 1 <= box.x0 and box.x1 <= tight.x1 + 1, label


@pytest.mark.parametrize(
    "function, stem",
    [
        pytest.param(lambda t: charts.key_figures_money_chart(t["table_key_figures"]), "key_figures_money", id="money"),
        pytest.param(lambda t: charts.key_figures_other_chart(t["table_key_figures"]), "key_figures_other", id="other"),
        pytest.param(lambda t: charts.timeline_chart(t["table_timeline"]), "timeline", id="timeline"),
        pytest.param(lambda t: charts.actors_chart(t["table_initiatives"], t["table_actors"]), "actors_initiatives",
                     id="actors"),
        pytest.param(lambda t: charts.kinds_chart(t["table_initiatives"]), "initiatives_by_kind", id="kinds"),
    ],
)
def test_empty_corpus_draws_no_data_charts(function, stem):
    spec = function(tables.build_tables({}))
    assert spec.stem == stem and not spec.has_data
    assert TEXT["no_data"] in spec.labels and spec.title in spec.labels


def test_money_only_in_other_units_gives_no_data_money_chart(extracted):
    built = tables.build_tables({**extracted, "figures": extracted["figures"][lambda f: f["unit"].isin(["percent", "count", "MW"])]})
    assert not charts.key_figures_money_chart(built["table_key_figures"]).has_data
    assert charts.key_figures_other_chart(built["table_key_figures"]).has_data


def test_fewer_than_three_figures_make_a_sentence_with_sources(extracted):
    built = tables.build_tables({**extracted, "figures": extracted["figures"][lambda f: f["unit"] == "MAD"]})
    spec = charts.key_figures_money_chart(built["table_key_figures"])
    assert not spec.has_data
    assert spec.sentence == f"{TEXT['key_figures_money_title']}: نحو 2.5 مليار درهم (برنامج الطاقة الخضراء)؛ 40 مليون درهم (مدرسة البرمجة الرقمية)."
    assert [(i["doc_id"], i["start"], i["end"]) for i in spec.sentence_items] == [("d1", 0, 1), ("d2", 0, 1)]


def test_bars_are_capped_and_most_relevant_first():
    figures = pd.DataFrame([
        {"doc_id": f"d{i}", "initiative_id": "", "initiative": f"برنامج {i}", "value": float(10 + i), "unit": "MAD", "what": "",
         "value_text": "", "qualifier": "", "bound": "", "is_target": i == 0, "target_year": "2030" if i == 0 else "",
         "conflict": False, "quote": f"{10 + i} درهم", "sentence": f"ميزانية قدرها {10 + i} درهم", "start": i, "end": i + 1}
        for i in range(charts.MAX_BARS + 10)
    ])
    bars = charts.bar_rows(figures)
    assert len(bars) == charts.MAX_BARS
    assert bars.loc[0, "value"] == 10.0  # the one target with a year leads, though smallest
    one_article = charts.bar_rows(figures.assign(doc_id="d1"))
    assert len(one_article) == charts.MAX_BARS_PER_SOURCE  # one article's statistics never fill a chart
    one_subject = charts.bar_rows(figures.assign(initiative="برنامج واحد"))
    assert len(one_subject) == charts.MAX_BARS_PER_SOURCE  # nor one subject's many values


def test_past_statistics_and_market_sizes_are_not_charted():
    rows = [("بلغ حجم السوق العالمية 600 مليار دولار", 6e11), ("بلغ العجز 5 مليارات درهم عام 2009", 5e9),
            ("خصصت الحكومة ميزانية 3 مليارات درهم للبرنامج", 3e9)]
    figures = pd.DataFrame([
        {"doc_id": "d1", "initiative_id": "", "initiative": "", "value": v, "unit": "USD" if v == 6e11 else "MAD",
         "what": "", "value_text": "", "qualifier": "", "bound": "", "is_target": False, "target_year": "",
         "conflict": False, "quote": "x", "sentence": s, "start": i, "end": i + 1} for i, (s, v) in enumerate(rows)
    ])
    documents = pd.DataFrame({"doc_id": ["d1"], "published": ["2025-03-01"], "title": ["مقال"]})
    assert charts.bar_rows(figures, documents)["value"].tolist() == [3e9]


def test_save_charts_writes_png_svg_and_index(specs, tmp_path):
    index = charts.save_charts(specs, OutputLayout.flat(tmp_path))
    assert list(index.columns[:4]) == ["file", "title", "alt_text", "labels"]
    saved = pd.read_csv(tmp_path / "index.csv", dtype=str, keep_default_na=False)
    assert saved["file"].tolist() == [f"{stem}.png" for stem in STEMS]
    for spec, row in zip(specs, saved.itertuples()):
        assert row.labels.split("|") == list(spec.labels)
        assert row.alt_text and row.title == spec.title
        assert (tmp_path / f"{spec.stem}.svg").exists()
        with Image.open(tmp_path / f"{spec.stem}.png") as png:
            assert round(png.info["dpi"][0]) == 200


def test_svg_keeps_glyphs_as_paths(specs, tmp_path):
    assert matplotlib.rcParams["svg.fonttype"] == "path"
    charts.save_charts(specs[:1], OutputLayout.flat(tmp_path))
    svg = (tmp_path / "key_figures_money.svg").read_text(encoding="utf-8")
    assert "<text" not in svg and "<path" in svg


def test_older_matplotlib_gets_prepared_labels(extracted, monkeypatch):
    monkeypatch.setattr(matplotlib, "__version__", "3.9.2")
    spec = charts.kinds_chart(tables.build_tables(extracted)["table_initiatives"])
    assert any(shaping.has_presentation_forms(label) for label in spec.labels)
    assert shaping.prepare_label(TEXT["kinds_title"], native=False) in spec.labels
    assert TEXT["kinds_title"] not in spec.labels


def test_conflicting_figures_are_marked(extracted):
    figures = pd.concat([extracted["figures"], pd.DataFrame([_figure("d2", 2_000_000_000, "MAD", "", "green")])],
                        ignore_index=True)
    built = tables.build_tables({**extracted, "figures": figures})
    labels = charts.key_figures_money_chart(built["table_key_figures"]).labels
    assert f"نحو 2.5 مليار درهم {TEXT['conflict_mark']}" in labels
    assert f"2 مليار درهم {TEXT['conflict_mark']}" in labels
    assert "300 مليون دولار بحلول 2035" in labels  # no disagreement, no mark


def _event(date, label, kind="event", initiative=""):
    return {"date": date, "year": date[:4], "precision": "day", "kind": kind, "initiative_id": "",
            "initiative": initiative, "label": label, "doc_id": "d1", "quote": "", "start": 0, "end": 1, "what": kind}


def test_long_timeline_is_capped_with_a_note_targets_first():
    events = [_event(f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}", f"حدث رقم {i}") for i in range(charts.MAX_TIMELINE_ROWS + 3)]
    timeline = pd.DataFrame([*events, _event("2030", "هدف بعيد", "target")])
    spec = charts.timeline_chart(timeline)
    assert TEXT["more_rows"].format(n=4) in spec.labels
    assert "هدف بعيد" in spec.labels  # a target is never the row left out
    assert f"حدث رقم {charts.MAX_TIMELINE_ROWS - 2}" in spec.labels
    assert f"حدث رقم {charts.MAX_TIMELINE_ROWS - 1}" not in spec.labels


def test_timeline_keeps_the_policy_horizon():
    timeline = pd.DataFrame([_event("1971-05-02", "تأسيس قديم"), _event("2024-03-01", "إطلاق البرنامج"),
                             _event("2025-06-01", "افتتاح المركز"), _event("2030", "500 فرصة شغل", "target")])
    rows, hidden = charts.timeline_rows(timeline, data_year=2025)
    assert rows["text"].tolist() == ["إطلاق البرنامج", "افتتاح المركز", "500 فرصة شغل"] and hidden == 1


@pytest.mark.parametrize("label, initiative, expected", [
    pytest.param("أكثر من 500 فرصة شغل", "مركز التميز في مجال البيانات والذكاء الاصطناعي بالدار البيضاء",
                 "مركز التميز في مجال البيانات…: أكثر من 500 فرصة شغل", id="initiative-cut-value-whole"),
    pytest.param("أكثر من 500 فرصة شغل عالية التأهيل في أفق سنة 2029 في جهة الدار البيضاء سطات", "",
                 "أكثر من 500 فرصة شغل عالية التأهيل في أفق سنة 2029 في جهة الدار البيضاء سطات", id="numbers-never-cut"),
    pytest.param("افتتاح", "برنامج", "برنامج: افتتاح", id="short-both"),
])
def test_event_text_never_cuts_a_number(label, initiative, expected):
    assert charts.event_text(label, initiative, 50) == expected


@pytest.mark.parametrize("style, expected", [pytest.param("maghreb", "5 نونبر 2024", id="maghreb"),
                                             pytest.param("mashriq", "5 نوفمبر 2024", id="mashriq"),
                                             pytest.param("levant", "5 تشرين الثاني 2024", id="levant")])
def test_timeline_dates_follow_the_house_style(extracted, style, expected):
    spec = charts.timeline_chart(tables.build_tables(extracted)["table_timeline"], style=house_style(style))
    assert expected in spec.labels
