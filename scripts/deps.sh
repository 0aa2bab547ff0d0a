#!/bin/sh
# deps.sh: install the Debian packages the toolkit needs, only when something is
# missing. Used by `make deps` (and so by `make run` and `make test`).
# Usage: scripts/deps.sh [build|test|install]   (test adds what the test suite needs,
# install help2man for `make install`'s man page)
set -u
want=${1:-build}
missing=""; optional=""
need() { missing="$missing $1"; }

command -v cc >/dev/null 2>&1 || need gcc
command -v pkg-config >/dev/null 2>&1 || need pkg-config
pkg-config --exists gsl 2>/dev/null || need libgsl-dev
pkg-config --exists libconfig 2>/dev/null || need libconfig-dev
pkg-config --exists hdf5 2>/dev/null || need libhdf5-dev
pkg-config --exists nlopt 2>/dev/null || need libnlopt-dev
pkg-config --exists libmicrohttpd 2>/dev/null || need libmicrohttpd-dev   # sim serve
[ -f /usr/include/Random123/philox.h ] || need librandom123-dev
# charts (make run's results/*-series.png, optional there) and analysis/*.py (tests)
if ! { python3 -c 'import h5py, numpy, matplotlib' || /usr/bin/python3 -c 'import h5py, numpy, matplotlib'; } >/dev/null 2>&1; then
  if [ "$want" = test ]; then need "python3-h5py python3-numpy python3-matplotlib"
  else optional=" python3-h5py python3-numpy python3-matplotlib"; fi
fi
# analysis/: Student t quantiles (scipy), Kaplan-Meier (statsmodels); issue 16
if ! /usr/bin/python3 -c 'import scipy.stats, statsmodels.duration.survfunc' >/dev/null 2>&1; then
  if [ "$want" = test ]; then need "python3-scipy python3-statsmodels"
  else optional="$optional python3-scipy python3-statsmodels"; fi
fi
# sim report and sim serve: the report's templates (make test needs them below)
if [ "$want" != test ] && ! { python3 -c 'import jinja2' || /usr/bin/python3 -c 'import jinja2'; } >/dev/null 2>&1; then
  optional="$optional python3-jinja2"
fi
# make install's man page (and tests/test_install.sh, which installs)
case $want in test|install) command -v help2man >/dev/null 2>&1 || need help2man ;; esac
if [ "$want" = test ]; then
  command -v h5dump >/dev/null 2>&1 || need hdf5-tools
  # the one-line readers of analysis/README.md, exercised by tests/test_analysis.sh
  { python3 -c 'import pandas, xarray, h5netcdf' || /usr/bin/python3 -c 'import pandas, xarray, h5netcdf'; } \
    >/dev/null 2>&1 || need "python3-pandas python3-xarray python3-h5netcdf"
  Rscript -e 'library(hdf5r)' >/dev/null 2>&1 || need r-cran-hdf5r
  # tests/cf_check.py (no CF checker is a Debian package): UDUNITS-2, the units library
  # CF names, loaded through ctypes, and netCDF-C's reader with cftime
  { [ -f /usr/share/xml/udunits/udunits2.xml ] && /usr/bin/python3 -c 'import ctypes; ctypes.CDLL("libudunits2.so.0")'; } \
    >/dev/null 2>&1 || need "libudunits2-0 libudunits2-data"
  /usr/bin/python3 -c 'import netCDF4, cftime' >/dev/null 2>&1 || need "python3-netcdf4 python3-cftime"
  command -v valgrind >/dev/null 2>&1 || need valgrind   # tests/test_valgrind.sh
  [ -x /usr/bin/time ] || need time                      # bench/ab.sh, tests/test_bench.sh
  command -v strace >/dev/null 2>&1 || optional="$optional strace"   # tests/test_reliability.sh: fsync before rename
  # report templates; the browser test of sim serve (tests/test_serve_browser.sh) drives
  # Debian's Chromium over the DevTools protocol with python3-websocket
  { python3 -c 'import jinja2' || /usr/bin/python3 -c 'import jinja2'; } >/dev/null 2>&1 || need python3-jinja2
  /usr/bin/python3 -c 'import websocket' >/dev/null 2>&1 || optional="$optional python3-websocket"
  command -v chromium >/dev/null 2>&1 || optional="$optional chromium"
fi

[ -z "$missing$optional" ] && exit 0
echo "deps: missing Debian packages:$missing$optional"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: this is not a Debian/Ubuntu system (no apt-get); install the equivalents of:$missing$optional" >&2
  [ -z "$missing" ] && exit 0
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "deps: not root; run as root or: sudo apt-get install -y$missing$optional" >&2
    [ -z "$missing" ] && { echo "deps: (only needed for charts, reports and sim serve; going on without them)" >&2; exit 0; }
    exit 1
  fi
else
  SUDO=
fi
echo "deps: installing with apt-get (this happens once)"
$SUDO apt-get update -qq || { echo "deps: apt-get update failed" >&2; [ -z "$missing" ] && exit 0; exit 1; }
[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null \
  || { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
# optional packages one by one: one that cannot be installed here (e.g. chromium) stops nothing
for p in $optional; do
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$p" >/dev/null 2>&1 \
    || echo "deps: optional $p not installed (what needs it says so and skips)" >&2
done
echo "deps: done"
