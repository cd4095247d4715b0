#!/usr/bin/env bash
# System packages policybrief needs (Debian names). As root on Debian: installs what is missing.
# Otherwise: prints exactly what is missing and how to get it, and exits non-zero.
#   chromium           prints the brief to PDF (headless)
#   fonts-noto-core    Noto Naskh Arabic: the brief's and the charts' Arabic font
#   fonts-hosny-amiri  Amiri: second Arabic font in the fallback list
#   poppler-utils      pdftotext / pdftoppm: the PDF checks
#   tesseract-ocr, tesseract-ocr-ara   OCR check that chart labels are drawn shaped and in order
set -euo pipefail

PACKAGES=(chromium fonts-noto-core fonts-hosny-amiri poppler-utils tesseract-ocr tesseract-ocr-ara)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    exit 0
fi

echo "system-deps: missing system packages: ${missing[*]}" >&2
echo "system-deps: install them with:  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
exit 1
