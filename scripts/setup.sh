#!/usr/bin/env bash
# Set up everything samverkan needs on a fresh Debian machine:
# LibreOffice (PDF export), jemalloc (a faster allocator for it), poppler-utils
# (PDF checks in the tests), fonts,
# and a virtual environment in .venv with samverkan and its test tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
command -v pdfinfo >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need_apt+=(fonts-liberation2)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || need_apt+=(fonts-dejavu-core)
# jemalloc: LibreOffice spends a seventh of a conversion in glibc's malloc;
# samverkan preloads jemalloc into it when it is installed (samverkan/convert.py).
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q "libjemalloc.so.2" || need_apt+=(libjemalloc2)

if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installerar systempaket: ${need_apt[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
