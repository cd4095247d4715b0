"""One ordinary article never breaks the charts or the export: hostile names and text are drawn, not obeyed."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from policybrief import charts, export, schemas, shaping, tables

RLO, LRO, ZWNJ = "\u202e", "\u202d", "\u200c"
HOSTILE_NAMES = {
    "math-command": r"مختبر $\foo$ للبحث",
    "math-superscript": "$x^2$ Lab",
    "one-dollar": "صندوق 5$ للابتكار",
    "right-to-left-override": f"مركز{RLO} البيانات",
    "zero-width-non-joiner": f"برنا{ZWNJ}مج الرقمنة",
    "left-to-right-override": f"خطة {LRO}Data 2030",
}
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


def _extracted(name: str) -> dict[str, pd.DataFrame]:
    initiative = {"initiative_id": "i1", "name": name, "kind": "programme", "aliases": "",
                  "organizations": f"وزارة {name}", "first_date": "2025-03-01", "doc_ids": "d1", "n_mentions": 2}
    figure = {"doc_id": "d1", "value": 5e6, "unit": "MAD", "what": name, "quote": "5 ملايين درهم", "start": 0,
              "end": 1, "sentence": name, "qualifier": "", "is_target": False, "target_year": "",
              "initiative_id": "i1", "bound": "", "rule": "test"}
    date = {"doc_id": "d1", "iso": "2025-03-01", "precision": "day", "quote": "1 مارس 2025", "start": 0, "end": 1,
            "what": "event", "sentence": name, "rule": "test", "initiative_id": "i1"}
    return {"documents": pd.DataFrame({"doc_id": ["d1"], "outlet": [name]}),
            "initiatives": pd.DataFrame([initiative]), "figures": pd.DataFrame([figure]),
            "dates": pd.DataFrame([date]), "entities": schemas.empty_frame("entities")}


@pytest.mark.parametrize("name", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))
def test_hostile_name_is_drawn_as_text_in_every_chart(name):
    extracted = _extracted(name)
    specs = charts.build_charts(tables.build_tables(extracted), extracted["documents"])
    for spec in specs:
        spec.figure.savefig(io.BytesIO(), format="png", dpi=40)  # math text errors surface when drawing
        drawn = charts.drawn_labels(spec.figure)
        assert shaping.label_problems(list(drawn)) == [], spec.stem
        assert [t for t in drawn if _UNESCAPED_DOLLAR.search(t)] == [], spec.stem


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("$x^2$ Lab", r"\$x^2\$ Lab", id="dollars-escaped"),
        pytest.param(f"مركز{RLO}{ZWNJ} البحث", "مركز البحث", id="override-and-non-joiner-dropped"),
        pytest.param("سطر\nثان\tهنا", "سطر\nثان هنا", id="line-break-kept-tab-spaced"),
        pytest.param("\ufeffبرنامج\u200f", "برنامج", id="bom-and-mark-dropped"),
    ],
)
def test_sanitize_label(text, expected):
    assert shaping.sanitize_label(text) == expected


@pytest.mark.parametrize(
    "html_text, expected",
    [
        pytest.param('<p>“Data src=//lab”</p>', 0, id="quoted-src-in-prose"),
        pytest.param('<img alt="“Data src=//lab”" src="data:image/png;base64,AA">', 0, id="quoted-src-in-alt"),
        pytest.param('<img alt="x" src="https://cdn.example/a.png">', 1, id="real-remote-src"),
        pytest.param('<img srcset="a.png 1x, //cdn.example/b.png 2x">', 1, id="remote-srcset-candidate"),
        pytest.param('<meta http-equiv="refresh" content="0; url=https://example.org">', 1, id="meta-refresh"),
        pytest.param('<svg><image href="https://example.org/a.svg"/></svg>', 1, id="svg-image-href"),
        pytest.param("<p>&lt;img src=https://x.example/a.png&gt;</p>", 0, id="escaped-tag-in-text"),
    ],
)
def test_network_check_reads_parsed_attributes(html_text, expected):
    assert len(export.remote_loads(html_text)) == expected
