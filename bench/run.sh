#!/usr/bin/env bash
# The whole benchmark suite, with the published comparison regenerated:
# a Release build in build-bench/, both benchmark binaries with JSON output
# (build-bench/results.json, build-bench/compile.json), then
# bench/report.py rewrites bench/README.md's tables and bench/ns_per_decision.png.
# About 5 minutes on 2 idle cores. Needs gnuplot (Debian: apt-get install gnuplot-nox)
# for the plot.
set -euo pipefail
cd "$(dirname "$0")/.."

# -O2: at -O3, g++ 12 reports false -Wrestrict warnings in compiler/ (warnings are errors).
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DCORSC_BUILD_TESTS=OFF
cmake --build build-bench -j 2 --target evaluate_benchmark compile_benchmark decide_driver

# Medians of 3 repetitions, interleaved at random so that the floor and the
# engine see the same noise of a shared machine.
./build-bench/bench/evaluate_benchmark \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true --benchmark_min_time=0.05 \
  --benchmark_out=build-bench/results.json --benchmark_out_format=json
./build-bench/bench/compile_benchmark \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.05 \
  --benchmark_out=build-bench/compile.json --benchmark_out_format=json

# Instructions per decision under Callgrind (load-independent), when
# Valgrind is installed (Debian: apt-get install valgrind).
callgrind=()
if command -v valgrind >/dev/null; then
  bench/callgrind.sh build-bench >build-bench/callgrind.txt
  callgrind=(build-bench/callgrind.txt)
fi

python3 bench/report.py build-bench/results.json build-bench/compile.json "${callgrind[@]}"
