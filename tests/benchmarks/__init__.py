"""Benchmarks (issue 8): ``bash scripts/bench.sh``; never collected by the default test run."""
