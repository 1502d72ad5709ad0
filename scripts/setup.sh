#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine as root: system packages (apt-get), the build, then runs the
# bundled example programs through `autograder run` (one per language) and grades a sample
# submission of an example assignment, printing its feedback.
#   scripts/setup.sh            install, build (release), run the examples
#   scripts/setup.sh --no-run   install and build only
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${AUTOGRADER_PRESET:-release}"
run_examples=1
for arg in "$@"; do
  case "$arg" in
    --no-run) run_examples=0 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

# Build tools, libraries (Debian packages only), the toolchains the sandbox runs, and test tools
# (clang and its libFuzzer runtime build the fuzz targets).
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libfmt-dev nlohmann-json3-dev libspdlog-dev libcli11-dev doctest-dev
  libseccomp-dev libtree-sitter-dev libsqlitecpp-dev libsqlite3-dev libcpp-httplib-dev
  libhiredis-dev libre2-dev libssl-dev libpugixml-dev libpqxx-dev postgresql
  python3 python3-pytest python3-pytest-timeout python3-redis python3-pip python3-setuptools python3-wheel python3-venv mypy
  openjdk-17-jdk-headless junit5
  bubblewrap redis-server procps iproute2 wrk
  libxml2-utils python3-jsonschema perl openssl curl jq
  clang libclang-rt-14-dev
  chromium chromium-driver python3-selenium
)
# Node.js: Debian's nodejs + npm unless a node (with its own npm) is already installed. npm also
# fetches the pinned tree-sitter grammars at configure time (cmake/Grammars.cmake: `npm pack`) and
# the OpenAPI validator the tests use (tests/openapi: `npm ci` of its lock file) and Swagger UI for
# the server's /docs page (examples/server/pages: `npm ci` of its lock file). Chromium, its driver
# and Selenium run the browser tests of the server's pages (tests/browser).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup.sh: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
# The fuzz targets the test suite runs (tests/fuzz): a second tree, built with clang.
if [ "$preset" != fuzz ]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
fi

if [ "$run_examples" = 1 ]; then
  cli="build/$preset/src/cli/autograder"
  for lang in python c cpp java javascript; do
    echo "== autograder run --language $lang --stdin examples/programs/input.txt examples/programs/$lang"
    "$cli" run --language "$lang" --stdin examples/programs/input.txt "examples/programs/$lang"
  done
  assignment=examples/assignments/python-calculator
  echo "== autograder grade --config $assignment/config.json $assignment/submissions/partial"
  "$cli" grade --config "$assignment/config.json" "$assignment/submissions/partial"
fi
