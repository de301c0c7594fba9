#!/usr/bin/env bash
# Set up everything samverkan needs on a fresh Debian machine:
# LibreOffice (PDF export), jemalloc (a faster allocator for it), poppler-utils
# (PDF checks in the tests), fonts,
# and a virtual environment in .venv with samverkan and its test tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# LibreOffice 25.2 (Debian bookworm-backports): its PDF/A-2b export declares
# the PDF/UA extension schema, tags paragraph borders and exports pictures as
# real Figure content -- the conformance guarantees in the README hold for it.
lo_major() { soffice --version 2>/dev/null | sed -n 's/^LibreOffice \([0-9]*\)\..*/\1/p'; }
need_lo=1
if command -v soffice >/dev/null 2>&1 && [ "$(lo_major)" -ge 25 ] 2>/dev/null; then need_lo=0; fi
if [ "$need_lo" = 1 ] && grep -qs "bookworm" /etc/os-release; then
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" | $sudo tee /etc/apt/sources.list.d/samverkan-backports.list >/dev/null
  fi
fi

need_apt=()
command -v pdfinfo >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need_apt+=(fonts-liberation2)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || need_apt+=(fonts-dejavu-core)
# Node.js runs yaml-language-server (below), with which the tests check the editor schema.
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# jemalloc: LibreOffice spends a seventh of a conversion in glibc's malloc;
# samverkan preloads jemalloc into it when it is installed (samverkan/documents/convert.py).
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q "libjemalloc.so.2" || need_apt+=(libjemalloc2)

# python3-uno: the tests edit documents in LibreOffice through UNO, with change tracking
# on, as a person would (tests/lo_edit.py runs under the system python3).
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need_uno=1

if [ ${#need_apt[@]} -gt 0 ] || [ "$need_lo" = 1 ] || [ "${need_uno:-0}" = 1 ]; then
  lo_pkg=""; [ "$need_lo" = 1 ] && lo_pkg="libreoffice-writer-nogui"
  echo "Installerar systempaket: ${need_apt[*]} $lo_pkg" >&2
  $sudo apt-get update -qq
  if [ "$need_lo" = 1 ]; then
    if grep -qs "bookworm" /etc/os-release; then
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        -t bookworm-backports libreoffice-writer-nogui >/dev/null
    else
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
    fi
  fi
  if [ "${need_uno:-0}" = 1 ]; then  # the same LibreOffice version as the one installed
    if grep -qs "bookworm" /etc/os-release && [ "$(lo_major)" -ge 25 ] 2>/dev/null; then
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -t bookworm-backports python3-uno >/dev/null
    else
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-uno >/dev/null
    fi
  fi
  if [ ${#need_apt[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# yaml-language-server, the language server of VS Code's YAML extension, pinned by
# scripts/editor/package-lock.json and installed into .tools/ (ignored by git): the
# tests check schemas/agreement.schema.json with it exactly as an editor does.
if [ ! -x .tools/node_modules/.bin/yaml-language-server ] || ! cmp -s scripts/editor/package-lock.json .tools/package-lock.json; then
  mkdir -p .tools
  cp scripts/editor/package.json scripts/editor/package-lock.json .tools/
  (cd .tools && npm ci --silent --no-audit --no-fund >/dev/null)
fi
