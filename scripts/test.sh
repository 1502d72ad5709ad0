#!/usr/bin/env bash
# Builds (if needed) and runs the whole test suite: C++ (doctest), sandbox-adversarial, C ABI and
# Python tests, all registered with CTest. Sandbox tests need root (namespaces, cgroups).
#   scripts/test.sh [PRESET]   PRESET: release (default), debug or asan
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-${AUTOGRADER_PRESET:-release}}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" -j "$(nproc)" --timeout 600
