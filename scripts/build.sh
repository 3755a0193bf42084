#!/usr/bin/env bash
# Build the one-folder desktop app: dist/KeyAcct/KeyAcct (see docs/BUILD.md).
#   scripts/build.sh            # install the build lock, build, run the smoke test
#   SKIP_SMOKE=1 scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
# The locked desktop dependencies and PyInstaller (requirements/build.txt: no server packages).
"$PYTHON" -m pip install --quiet --require-hashes -r requirements/build.txt
"$PYTHON" -m pip install --quiet --no-deps -e .

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean build.spec
end=$(date +%s)
echo "built dist/KeyAcct in $((end - start)) s, $(du -sh dist/KeyAcct | cut -f1)"

if [ "${SKIP_SMOKE:-0}" != "1" ]; then
    # The smoke test runs under pytest with the project's settings (pytest-qt, pytest-timeout):
    # on a machine that only builds, install the locked test tools after the build.
    "$PYTHON" -c "import pytestqt, pytest_timeout" 2>/dev/null ||
        "$PYTHON" -m pip install --quiet --require-hashes -r requirements/ci.txt
    QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" \
        "$PYTHON" -m pytest -q -p no:cacheprovider tests/packaging
fi
