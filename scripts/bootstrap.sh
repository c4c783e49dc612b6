#!/usr/bin/env bash
# README command 1. As root on a fresh Debian 12 machine: install the
# packages corsc needs, build it, and run the main job on policies/ (lint,
# test, compile, and a few decisions a reader can follow).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config   # the tool chain
  libre2-dev libxxhash-dev                       # engine: regex origins, checksums
  libtomlplusplus-dev libspdlog-dev              # compiler: TOML, logging
  libpsl-dev publicsuffix libidn2-dev            # public suffix list, punycode
  libcli11-dev nlohmann-json3-dev                # the command line, JSON
  libgtest-dev libgmock-dev                      # tests
  libbenchmark-dev libabsl-dev                   # benchmarks (absl: the hash-set floor)
  python3 python3-jsonschema                     # SARIF schema check in the tests
  git                                            # the CI recipes test runs a diff gate on a repository
)
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc)"

exec scripts/demo.sh
