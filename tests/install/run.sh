#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a temporary prefix with
# `cmake --install`, then configures, builds and runs tests/install/consumer
# against it with find_package(corsc): what a project that embeds corsc
# does (README, "Embedding the engine").
#
#   tests/install/run.sh BUILD_DIR [GENERATOR]
set -euo pipefail
build_dir=$1
generator=${2:-Ninja}
source_dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
# Nothing of the test suites or benchmarks is installed.
if find "$work/prefix" -name '*test*' -o -name '*bench*' | grep -q .; then
  echo "run.sh: the install holds test or benchmark files:" >&2
  find "$work/prefix" -name '*test*' -o -name '*bench*' >&2
  exit 1
fi
cmake -S "$source_dir/consumer" -B "$work/build" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build"
"$work/build/consumer"
