#!/usr/bin/env bash
# Installs the Debian packages socinvest needs, and nothing when they are all there.
# Idempotent: safe to run before every build. Needs root (or sudo) only when something
# is missing.
set -euo pipefail

packages=(
  cmake g++ git        # the toolchain; git records the commit in every result manifest
  ninja-build          # the generator of every CMake preset
  pkg-config           # finds libxlsxwriter (pkg_check_modules in CMakeLists.txt)
  libeigen3-dev        # exact Markov-chain expectations in the tests (start x P^t)
  libtbb-dev           # parallel iterations and households (oneTBB)
  libyaml-cpp-dev      # the scenario language, with line/column marks for errors
  libcli11-dev         # the command line
  doctest-dev          # unit tests
  libbenchmark-dev     # micro-benchmarks (Google Benchmark)
  librandom123-dev     # counter-based random numbers (Philox) keyed by what they are for
  libboost-dev         # Boost.Math distributions and quantiles
  libxlsxwriter-dev    # the Excel workbook
  zlib1g-dev           # libxlsxwriter links with -lz (its xlsxwriter.pc), but its -dev package
                       # does not depend on zlib1g-dev: without it the link fails on a fresh machine
  clang libclang-rt-14-dev  # libFuzzer for the fuzz targets
)
# With --tests: what the test suite needs besides building. With --mpi: Open MPI, so that
# `mpirun -np N socinvest run|compare` shares the iterations over N processes (README, "Many
# machines: MPI"; CMake builds it when found, SOCINVEST_MPI). Both may be given.
for option in "$@"; do
  case "$option" in
    --tests)
      packages+=(
        unzip      # reads the Excel workbook back (it is a zip of XML sheets)
        python3    # drives headless Chromium over its DevTools protocol in the browser test, and
                   # digests every output for the byte-identity check (scripts/output-digest.py)
        chromium   # the browser test of the HTML report
        libreoffice-calc-nogui  # recalculates results.xlsx's re-pricing formulas (tests/cli/repricing_libreoffice.sh)
        zip        # writes the copy of the workbook with a changed unit cost in that test
      )
      ;;
    --mpi)
      packages+=(
        libopenmpi-dev  # the MPI C API (mpi.h, libmpi) that find_package(MPI COMPONENTS C) finds
        openmpi-bin     # mpirun, which starts the ranks (and the MPI tests' launcher)
      )
      ;;
    *) echo "setup: unknown option '$option' (options: --tests, --mpi)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
