#!/usr/bin/env bash
# Builds (if needed) and runs the whole test suite: C++ (doctest), sandbox-adversarial, C ABI,
# Python and fuzz tests, all registered with CTest. Sandbox tests need root (namespaces, cgroups).
# The fuzz.* tests run the targets of the `fuzz` tree (clang), which is built here too.
#   scripts/test.sh [PRESET]   PRESET: release (default), debug or asan
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-${AUTOGRADER_PRESET:-release}}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset "$preset" -j "$(nproc)" --timeout 600
