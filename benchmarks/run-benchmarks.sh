#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite (issue and verify, each beside its raw-crypto floor and JsonWebTokenHandler) and copies
# the joined report to benchmarks/results/bdn.csv, then redraws the chart. A few minutes on 2 cores with --short.
#   benchmarks/run-benchmarks.sh            (--short: 3 warm-up and 5 measured iterations)
#   benchmarks/run-benchmarks.sh --full     (BenchmarkDotNet's default job)
set -euo pipefail
cd "$(dirname "$0")/TokenAuthority.Benchmarks"
mode=--short
[ "${1:-}" = "--full" ] && mode=
rm -rf BenchmarkDotNet.Artifacts
dotnet run -c Release -- $mode --filter '*'
cp BenchmarkDotNet.Artifacts/results/*-report.csv ../results/bdn.csv
cp BenchmarkDotNet.Artifacts/results/*-report-github.md ../results/bdn.md
cd .. && python3 make-chart.py
