"""analysis: the Python side of the toolkit, one package that reads sim's HDF5 output.

Run its commands as modules from the repository root (the interpreter that has h5py,
numpy, matplotlib, scipy, statsmodels and jinja2; Debian's /usr/bin/python3 with the
packages of scripts/deps.sh):

    /usr/bin/python3 -m analysis.survival A.h5 [B.h5] [--by ...] [--what ...] [--csv]
    /usr/bin/python3 -m analysis.counterfactual BASE.h5 ALT.h5 [--outcome ...] [--csv]
    /usr/bin/python3 -m analysis.charts series|forest|survival|scatter|all FILES -o OUT
    /usr/bin/python3 -m analysis.sensitivity SENS.h5 -o OUT.png
    /usr/bin/python3 -m analysis.report BASE.h5 ALT.h5 -o REPORT.html   (what `sim report` runs)

or import them (`from analysis import survival`). Elsewhere, put the directory that holds
analysis/ on PYTHONPATH: the repository, or PREFIX/share/bijstand-sim after `make install`.
analysis/README.md describes each module; verdict and uncertainty_report are parts of
the report, not commands.
"""
