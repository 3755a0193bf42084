#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run the whole suite.
#   bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

# System tools the tests use: poppler (pdftotext/pdffonts/pdftoppm), Debian's chromium (the
# web console's browser tests drive /usr/bin/chromium with Playwright: no browser download)
# and the libraries Qt's offscreen platform needs. Installed only when missing.
need_apt=()
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || need_apt+=("$lib")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  pkgs=(poppler-utils chromium libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libgl1 libglib2.0-0)
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
# The locked versions (requirements/ci.txt, from scripts/lock.sh: the test, server and build
# extras, every file checked against its sha256), then the app itself without resolving again.
"$PYTHON" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/ci.txt
"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps -e ".[test,server,build]"
# A dependency added to pyproject.toml but not locked is named here: run scripts/lock.sh.
"$PYTHON" -m pip check --disable-pip-version-check
# Static checks first: lint, format and types of the whole package (pyproject.toml [tool.mypy]).
"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
"$PYTHON" -m mypy
export QT_QPA_PLATFORM=offscreen
# Two pytest-xdist workers (one per core, at most two: the CI machine has 2 cores and the
# budget of 10 minutes is set for it); KEYACCT_TEST_WORKERS=0 runs in one process. Each test
# file stays on one worker (--dist loadfile): module-scoped servers start once, tests of a file
# run in their order, and every worker has its own tmp folders, PostgreSQL and QApplication.
# The files with the most tests are handed out first. Arguments given here come after these.
cores=$("$PYTHON" -c "import os; print(len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count() or 1)")
workers="${KEYACCT_TEST_WORKERS:-$(( cores < 2 ? cores : 2 ))}"
[ "$workers" -le 1 ] && workers=0
exec "$PYTHON" -m pytest -n "$workers" --dist loadfile "$@"
