#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a temporary prefix with
# `cmake --install`, then configures, builds and runs two projects against
# it with find_package(corsc), as projects that embed corsc do (README,
# "Embedding the engine"):
#
#   consumer/          no COMPONENTS: everything; compiles a policy itself
#   engine_consumer/   COMPONENTS engine, with the compiler's CMake
#                      dependencies disabled; opens a table that the
#                      installed corsc compiled
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

cat >"$work/api.toml" <<'TOML'
version = 1
[defaults]
origins = ["https://app.example.com"]
methods = ["GET", "PUT"]
TOML
"$work/prefix/bin/corsc" compile -o "$work/api.table" "$work/api.toml" >/dev/null

# The two projects are independent. Configuring is most of the test's
# time: they are configured side by side, so that the second adds little.
cmake -S "$source_dir/consumer" -B "$work/build" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null &
full=$!
cmake -S "$source_dir/engine_consumer" -B "$work/engine_build" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_DISABLE_FIND_PACKAGE_tomlplusplus=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON >/dev/null &
engine=$!
wait "$full"
wait "$engine"
cmake --build "$work/build"
cmake --build "$work/engine_build"
"$work/build/consumer"
"$work/engine_build/engine_consumer" "$work/api.table"
