#!/bin/sh
# test_slurm_scripts.sh: scripts/slurm/sweep-mpi.sbatch without Slurm or MPI (issue
# 16): stub `srun` and `mpirun` on PATH record their arguments and environment, then
# run the (non-MPI) sim as a single rank, so the script's command line, its
# OpenMPI root settings and an actual sweep are checked here; `make test-slurm` and
# `make test-mpi` run the real thing. scripts/slurm/merge.sbatch passes every option
# after DIR OUT.h5 to `sim merge` (a stub sim records them; the real one merges).
set -u
. "$(dirname "$0")/lib.sh"   # ROOT, BUILD, SIM; ok, no, check, checks, skip, die, finish
[ -x "$SIM" ] || die "no $SIM (run make all)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
mkdir "$T/bin"
for l in srun mpirun; do
  cat >"$T/bin/$l" <<STUB
#!/bin/sh
echo "$l \$*" >>"$T/calls"
echo "root=\${OMPI_ALLOW_RUN_AS_ROOT:-} confirm=\${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-} omp=\${OMP_NUM_THREADS:-}" >>"$T/calls"
while [ \$# -gt 0 ]; do case \$1 in -np|--bind-to) shift 2 ;; -*) shift ;; *) break ;; esac; done
exec "\$@"
STUB
  chmod +x "$T/bin/$l"
done
S="$ROOT/scripts/slurm/sweep-mpi.sbatch"
checks "sweep-mpi.sbatch: valid sh" 'sh -n "$S"'
checks "sweep-mpi.sbatch: Slurm directives (ntasks, cpus-per-task)" \
  'grep -q "^#SBATCH --ntasks=" "$S" && grep -q "^#SBATCH --cpus-per-task=" "$S"'

cd "$T" || exit 1
PATH="$T/bin:$PATH" SIM="$SIM" SLURM_CPUS_PER_TASK=2 SLURM_NTASKS=1 \
  sh "$S" "$ROOT/tests/fuzz/sweep-seed.cfg" "$T/out" -q >run.out 2>&1; rc=$?
checks "srun (default): exit 0" '[ $rc -eq 0 ]' || cat run.out
checks "srun --cpus-per-task=2 SIM sweep FILE -t 2 -o DIR -q" \
  'grep -q "^srun --cpus-per-task=2 $SIM sweep $ROOT/tests/fuzz/sweep-seed.cfg -t 2 -o $T/out -q$" calls'
checks "OMP_NUM_THREADS = cpus-per-task; no root permission by default" 'grep -q "^root= confirm= omp=2$" calls'
checks "the sweep ran: point files in DIR" '[ -n "$(ls "$T/out"/point-*.h5 2>/dev/null)" ]'

: >calls
PATH="$T/bin:$PATH" SIM="$SIM" SLURM_CPUS_PER_TASK=1 SLURM_NTASKS=3 MPI_LAUNCHER=mpirun ALLOW_ROOT=1 \
  sh "$S" "$ROOT/tests/fuzz/sweep-seed.cfg" "$T/out2" -q >run.out 2>&1; rc=$?
checks "MPI_LAUNCHER=mpirun: mpirun --bind-to none -np 3 SIM sweep FILE -t 1 -o DIR" \
  '[ $rc -eq 0 ] && grep -q "^mpirun --bind-to none -np 3 $SIM sweep $ROOT/tests/fuzz/sweep-seed.cfg -t 1 -o $T/out2 -q$" calls'
checks "ALLOW_ROOT=1 sets OMPI_ALLOW_RUN_AS_ROOT and _CONFIRM (containers as root)" 'grep -q "^root=1 confirm=1 omp=1$" calls'
MPI_LAUNCHER=bogus sh "$S" x >run.out 2>&1; rc=$?
checks "an unknown MPI_LAUNCHER is refused with exit 2 and the allowed values" '[ $rc -eq 2 ] && grep -q "srun or mpirun" run.out'

# merge.sbatch passes every option after DIR OUT.h5 through to sim merge
M="$ROOT/scripts/slurm/merge.sbatch"
checks "merge.sbatch: valid sh" 'sh -n "$M"'
cat >"$T/bin/simstub" <<STUB
#!/bin/sh
for a in "\$@"; do printf '[%s]' "\$a"; done >"$T/merge-args"
STUB
chmod +x "$T/bin/simstub"
SIM="$T/bin/simstub" sh "$M" "$T/out" "$T/m.h5" --series --allow-missing -q >run.out 2>&1; rc=$?
checks "merge.sbatch DIR OUT --series --allow-missing -q: all three options reach sim merge" \
  '[ $rc -eq 0 ] && [ "$(cat "$T/merge-args")" = "[merge][$T/out][-o][$T/m.h5][--series][--allow-missing][-q]" ]'
SIM="$T/bin/simstub" sh "$M" "$T/out" "$T/m.h5" >run.out 2>&1; rc=$?
checks "merge.sbatch DIR OUT: no extra (empty) argument" \
  '[ $rc -eq 0 ] && [ "$(cat "$T/merge-args")" = "[merge][$T/out][-o][$T/m.h5]" ]'
rm -f "$T/out/point-00001.h5"   # an incomplete sweep (the seed sweep has two points)
SIM="$SIM" sh "$M" "$T/out" "$T/merged.h5" --series --allow-missing -q >run.out 2>&1; rc=$?
checks "merge.sbatch --series --allow-missing on an incomplete sweep: merged, with /series" \
  '[ $rc -eq 0 ] && "$SIM" info "$T/merged.h5" >info.out 2>&1 && grep -q "^  missing_points   1$" info.out && grep -q "^series (/series/" info.out' || cat run.out
SIM="$T/bin/simstub" sh "$M" "$T/out" >run.out 2>&1; rc=$?
checks "merge.sbatch without OUT.h5: refused with its usage" '[ $rc -ne 0 ] && grep -q "usage:" run.out'
finish
