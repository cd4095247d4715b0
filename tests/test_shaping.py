"""One decision for Arabic labels, tested on both matplotlib branches."""
from __future__ import annotations

import matplotlib
import pytest
from arabic_reshaper import reshape
from bidi.algorithm import get_display

from policybrief import shaping

LABEL = "10.8 مليار دولار"


@pytest.mark.parametrize(
    "version, native",
    [
        pytest.param("3.11.0", True, id="first-native"),
        pytest.param("3.11.2", True, id="this-machine"),
        pytest.param("4.0.0", True, id="future-major"),
        pytest.param("3.10.8", False, id="older-conda"),
        pytest.param("3.8.4", False, id="much-older"),
        pytest.param("3.12.0rc1", True, id="release-candidate"),
    ],
)
def test_decision_by_version(version, native):
    assert shaping.matplotlib_shapes_arabic(version) is native


def test_running_matplotlib_decides(monkeypatch):
    monkeypatch.setattr(matplotlib, "__version__", "3.9.0")
    assert shaping.prepare_label(LABEL) == get_display(reshape(LABEL))
    monkeypatch.setattr(matplotlib, "__version__", "3.11.1")
    assert shaping.prepare_label(LABEL) == LABEL


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("مليار دولار", id="arabic-only"),
        pytest.param("مختبر Mistral AI المشترك", id="latin-inside-arabic"),
        pytest.param(LABEL, id="number-first"),
    ],
)
def test_native_branch_keeps_logical_string(text):
    prepared = shaping.prepare_label(text, native=True)
    assert prepared == text
    assert shaping.label_problems([prepared], native=True) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("مليار دولار", id="arabic-only"),
        pytest.param("مختبر Mistral AI المشترك", id="latin-inside-arabic"),
    ],
)
def test_old_branch_shapes_and_reorders(text):
    prepared = shaping.prepare_label(text, native=False)
    assert prepared == get_display(reshape(text))
    assert shaping.has_presentation_forms(prepared)
    assert "Mistral AI" in prepared or "Mistral" not in text  # Latin runs keep their own order
    assert shaping.label_problems([prepared], native=False) == []


def test_old_branch_shapes_each_line():
    prepared = shaping.prepare_label("سطر أول\nسطر ثان", native=False)
    assert prepared.split("\n") == [get_display(reshape("سطر أول")), get_display(reshape("سطر ثان"))]


@pytest.mark.parametrize(
    "label, reason",
    [
        pytest.param(get_display(reshape(LABEL)), "presentation forms", id="prepared-twice"),
        pytest.param("\u202b" + LABEL + "\u202c", "bidi embedding", id="embedding-controls"),
        pytest.param("\u202e" + LABEL, "bidi embedding", id="override-control"),
    ],
)
def test_static_guard_catches_prepared_labels(label, reason):
    problems = shaping.label_problems([LABEL, label], native=True)
    assert len(problems) == 1 and problems[0].startswith(reason)


def test_plain_latin_and_digits_pass_the_guard():
    assert shaping.label_problems(["Maroc IA 2030", "2025"], native=True) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Maroc IA 2030: المرتبة 20", id="latin-name-first"),
        pytest.param("JAZARI ROOT: 500 مهندس", id="caps-name-first"),
    ],
)
def test_latin_first_label_reads_right_to_left(text):
    native = shaping.prepare_label(text, native=True)
    assert native == shaping.RLM + text
    assert shaping.label_problems([native], native=True) == []
    assert shaping.prepare_label(text, native=False) == get_display(reshape(text), base_dir="R")


@pytest.mark.parametrize("native", [pytest.param(True, id="native"), pytest.param(False, id="older")])
@pytest.mark.parametrize("text", [pytest.param("Mistral AI", id="latin-only"), pytest.param("2030", id="digits"),
                                  pytest.param("", id="empty")])
def test_labels_without_arabic_untouched(text, native):
    assert shaping.prepare_label(text, native=native) == text
