#!/usr/bin/env bash
# Regenerate the lock files (requirements/*.txt) from pyproject.toml with uv: one universal
# file per use, valid on Linux, Windows and macOS for CPython 3.11-3.13, with the sha256 of
# every wheel and sdist. uv keeps the versions already in a file where they still fit, so run
#   scripts/lock.sh                  # after changing a dependency in pyproject.toml
#   UPGRADE=1 scripts/lock.sh        # to move every pin to the newest allowed version
# and commit the result. CI (scripts/test.sh) and the build (scripts/build.sh) install from them.
set -euo pipefail
cd "$(dirname "$0")/.."

UV="${UV:-uv}"
command -v "$UV" >/dev/null 2>&1 || { echo "uv not found: python3 -m pip install uv" >&2; exit 1; }
upgrade=()
[ "${UPGRADE:-0}" = "1" ] && upgrade=(--upgrade)
compile() {
    "$UV" pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
        --constraints requirements/constraints.txt \
        --custom-compile-command "scripts/lock.sh" --quiet "${upgrade[@]}" "$@"
}
compile --extra test --extra server --extra build -o requirements/ci.txt  # scripts/test.sh
compile --extra build -o requirements/build.txt                # scripts/build.sh
