# pyfind.sh (sourced): set PY to the first python3 that has h5py and numpy
# (a pyenv or venv python3 on PATH may shadow Debian's /usr/bin/python3).
PY=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import h5py, numpy' >/dev/null 2>&1; then PY=$p; break; fi
done
