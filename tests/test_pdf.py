"""Printing the brief: Chromium over the DevTools pipe (tagged, A4, page numbers, bookmarks) and the fallback."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from policybrief import pdf

CHROMIUM = pdf.find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
PAGE = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>اختبار</title>
<style>body {{ font-family: "Noto Naskh Arabic", serif; font-size: 16px; }}
.break {{ break-before: page; }}</style></head>
<body>
<h1>موجز لاختبار الطباعة</h1>
<p>خصصت الحكومة 2.5 مليار درهم لبرنامج التحول الرقمي في أفق 2030.</p>
<img src="data:image/png;base64,{PNG_1PX}" alt="رسم يبين توزيع المبادرات" width="40" height="40">
<h2 class="break">السياق العام</h2>
<p>فقرة في الصفحة الثانية.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    page = folder / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = pdf.html_to_pdf(page, "عنوان جار للموجز")
    target = folder / "page.pdf"
    target.write_bytes(result.pdf)
    return result, target


@pytest.mark.slow
@needs_chromium
def test_chromium_prints_pdf_offline(printed):
    result, _ = printed
    assert result.pdf.startswith(b"%PDF")
    assert result.engine == "chromium"
    assert result.remote_requests == []


@pytest.mark.slow
@needs_chromium
@needs_poppler
def test_pdf_is_tagged_a4_with_outline(printed):
    result, path = printed
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "A4" in info
    assert "Pages:           2" in info
    assert b"/Lang (ar)" in result.pdf
    assert b"/Outlines" in result.pdf
    assert b"/Alt" in result.pdf


@pytest.mark.slow
@needs_chromium
@needs_poppler
@pytest.mark.parametrize(
    "expected",
    [
        pytest.param("موجز لاختبار الطباعة", id="title-with-lam-alef"),
        pytest.param("خصصت الحكومة 2.5 مليار درهم", id="number-in-logical-order"),
        pytest.param("أفق 2030", id="year"),
        pytest.param("عنوان جار للموجز", id="running-title"),
        pytest.param("صفحة 1 من 2", id="page-one-of-two"),
        pytest.param("صفحة 2 من 2", id="page-two-of-two"),
    ],
)
def test_text_layer_reads_in_logical_order(printed, expected):
    _, path = printed
    assert pdf.comparable_text(expected) in pdf.comparable_text(pdf.pdf_text(path))


def test_header_escapes_title():
    assert "<script>" not in pdf.header_template("<script>x</script>")


def test_print_options_are_a4_tagged_with_outline():
    options = pdf.print_options("عنوان")
    assert (options["paperWidth"], options["paperHeight"]) == pdf.A4_INCHES
    assert options["generateTaggedPDF"] and options["generateDocumentOutline"]
    assert options["displayHeaderFooter"]
    assert "totalPages" in options["footerTemplate"]


def test_offline_flags_block_name_resolution():
    assert any(flag.startswith("--host-resolver-rules=MAP * ~NOTFOUND") for flag in pdf.OFFLINE_FLAGS)
    assert "--remote-debugging-pipe" in pdf.OFFLINE_FLAGS


def test_missing_chromium_and_weasyprint_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(pdf.PdfError, match="Chromium is not installed"):
        pdf.html_to_pdf(page, "عنوان")


def test_missing_chromium_falls_back_with_warning(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    monkeypatch.setitem(sys.modules, "weasyprint", type(sys)("weasyprint"))
    monkeypatch.setattr(
        pdf, "print_with_weasyprint",
        lambda path, title: calls.append(title) or pdf.PrintResult(b"%PDF-1.7", "weasyprint"),
    )
    with pytest.warns(RuntimeWarning, match="WeasyPrint"):
        result = pdf.html_to_pdf(tmp_path / "page.html", "عنوان")
    assert result.engine == "weasyprint" and calls == ["عنوان"]


def test_chromium_env_override(monkeypatch, tmp_path):
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(fake))
    assert pdf.find_chromium() == str(fake)


@pytest.mark.slow
@needs_chromium
def test_broken_browser_is_reported(tmp_path):
    fake = tmp_path / "broken-chromium"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(pdf.PdfError, match="Chromium exited"):
        pdf.print_with_chromium(page, "عنوان", str(fake), timeout=20)
