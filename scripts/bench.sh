#!/usr/bin/env bash
# Run the benchmark suite (issue 8): every figure next to a baseline measured in the same run,
# and its target. Exit status 1 when a target is missed, 2 when a benchmark broke.
#   bash scripts/bench.sh                         # whole suite (about 14 minutes on 2 cores today)
#   bash scripts/bench.sh --only search pdf       # some of: startup search memory economics sync pdf load import
#   bash scripts/bench.sh --only scale            # province scale on PostgreSQL (not in the whole suite)
#   bash scripts/bench.sh --only console          # web console team queue, 100k customers on PostgreSQL
#   bash scripts/bench.sh --only desk             # specialist's dashboard, same data set
#     (KEYACCT_BENCH_PGDIR=DIR KEYACCT_BENCH_DB=NAME: reuse a pgserver database seeded before
#      by the same seed_server call instead of seeding 10-18 minutes in each run)
#   bash scripts/bench.sh --markdown results.md   # also write the results table as Markdown
# Installs nothing beyond the test extra; system tools (poppler, Qt libs) as for scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[test]"
export QT_QPA_PLATFORM=offscreen
exec "$PYTHON" -m tests.benchmarks "$@"
