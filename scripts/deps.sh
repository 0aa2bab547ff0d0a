#!/bin/sh
# deps.sh: install the Debian packages the toolkit needs, only when something is
# missing. Used by `make deps` (and so by `make run` and `make test`).
# Usage: scripts/deps.sh [build|test]   (test adds what the test suite needs)
set -u
want=${1:-build}
missing=""
need() { missing="$missing $1"; }

command -v cc >/dev/null 2>&1 || need gcc
command -v pkg-config >/dev/null 2>&1 || need pkg-config
pkg-config --exists gsl 2>/dev/null || need libgsl-dev
pkg-config --exists libconfig 2>/dev/null || need libconfig-dev
pkg-config --exists hdf5 2>/dev/null || need libhdf5-dev
[ -f /usr/include/Random123/philox.h ] || need librandom123-dev
if [ "$want" = test ]; then
  { python3 -c 'import h5py, numpy' || /usr/bin/python3 -c 'import h5py, numpy'; } >/dev/null 2>&1 \
    || need "python3-h5py python3-numpy"
  command -v h5dump >/dev/null 2>&1 || need hdf5-tools
fi

[ -z "$missing" ] && exit 0
echo "deps: missing Debian packages:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: this is not a Debian/Ubuntu system (no apt-get); install the equivalents of:$missing" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "deps: not root; run as root or: sudo apt-get install -y$missing" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "deps: installing with apt-get (this happens once)"
$SUDO apt-get update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null \
  || { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
echo "deps: done"
