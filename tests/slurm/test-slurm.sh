#!/bin/sh
# test-slurm.sh (`make test-slurm`): scripts/slurm/sweep.sbatch and merge.sbatch end
# to end on a real single-node Slurm. Installs Debian's slurm-wlm and munge if
# missing, then starts a private munged, slurmctld and slurmd on this host from a
# generated slurm.conf in a mktemp -d directory (own munge key and socket, own
# ports, no accounting, no cgroups), submits a small M/M/1 sweep as a job array plus
# the merge as an afterok dependent job, and checks the merged file against a
# single-process `sim sweep` + `sim merge` of the same file. Also checks that a
# failing array leaves the merge pending (DependencyNeverSatisfied). Stops the
# daemons and removes everything at the end (KEEP=1 keeps the directory).
# Needs root (the daemons run as root; re-runs itself with sudo when possible).
# Environment: BUILD (default build), SLURM_TEST_PORT (slurmctld's port, slurmd
# uses the next one; default 26817), SLURM_TEST_TIMEOUT (seconds per wait, 300).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
SIM="$BUILD/sim"
PATH=$PATH:/usr/sbin:/sbin
export PATH
PORT=${SLURM_TEST_PORT:-26817}
TIMEOUT=${SLURM_TEST_TIMEOUT:-300}

pass=0; fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { d=$1; shift; if "$@"; then ok; else no "$d"; fi; }
checks() { if eval "$2"; then ok; else no "$1"; fi; }
# give_up REASON: the test cannot run here; say why and fail
give_up() { echo "test-slurm: cannot run: $*" >&2; no "$*"; echo "$pass passed, $fail failed"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -E BUILD="$BUILD" sh "$0" "$@"
  fi
  give_up "needs root (the Slurm daemons run as root here) and sudo -n is not available"
fi
[ -x "$SIM" ] || give_up "no $SIM (run make all)"
. "$ROOT/tests/pyfind.sh"
[ -n "$PY" ] || give_up "no python3 with h5py and numpy (make test-deps)"

# ---- Debian packages
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 \
   || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || give_up "slurm-wlm/munge missing and no apt-get (not Debian/Ubuntu)"
  echo "test-slurm: installing slurm-wlm and munge (Debian)"
  apt-get update -qq >/dev/null || give_up "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null \
    || give_up "apt-get install slurm-wlm munge failed"
fi
VERSION=$(slurmd -V 2>/dev/null)
echo "test-slurm: $VERSION, munge $(munged --version 2>&1 | head -n 1 | awk '{print $1}')"

T=$(mktemp -d /tmp/test-slurm.XXXXXX) || exit 1
chmod 700 "$T"
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  for p in $PIDS; do
    i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$p" 2>/dev/null
  done
  if [ "${KEEP:-0}" = 1 ]; then echo "test-slurm: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# show_logs: the daemons' last lines, after a failure
show_logs() {
  for f in munged.log slurmctld.log slurmd.log; do
    [ -s "$T/$f" ] && { echo "--- $f (last lines)"; tail -n 15 "$T/$f"; }
  done
}

# ---- munge: a private daemon with its own key and socket
mkdir -p "$T/munge" && chmod 700 "$T/munge"
if command -v mungekey >/dev/null 2>&1; then
  mungekey --create --keyfile="$T/munge/munge.key" 2>"$T/munge.err"
else
  dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 2>"$T/munge.err"
fi
chmod 600 "$T/munge/munge.key"
[ -s "$T/munge/munge.key" ] || give_up "could not create a munge key: $(cat "$T/munge.err")"
SOCK="$T/munge/munge.socket"
munged --foreground --force --key-file="$T/munge/munge.key" --socket="$SOCK" \
  --pid-file="$T/munge/munged.pid" --seed-file="$T/munge/munged.seed" \
  --log-file="$T/munged.log" >"$T/munged.out" 2>&1 &
PIDS="$!"
i=0; while [ ! -S "$SOCK" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if ! munge --socket="$SOCK" -n 2>/dev/null | unmunge --socket="$SOCK" >/dev/null 2>&1; then
  cat "$T/munged.out"; show_logs; give_up "munged did not start (munge | unmunge fails)"
fi

# ---- slurm.conf for this host
NODE=$(hostname -s)
HW=$(slurmd -C 2>/dev/null | head -n 1)
CPUS=$(echo "$HW" | sed -n 's/.* CPUs=\([0-9]*\).*/\1/p')
MEM=$(echo "$HW" | sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p')
[ -n "$CPUS" ] && [ -n "$MEM" ] || give_up "slurmd -C gave no CPUs/RealMemory: $HW"
# the node line exactly as slurmd sees the hardware (sockets, cores, threads)
NODELINE=$(echo "$HW" | sed "s/^NodeName=[^ ]*/NodeName=$NODE NodeAddr=127.0.0.1/")
mkdir -p "$T/state" "$T/spool" "$T/job"
export SLURM_CONF="$T/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=simtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCK
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
$NODELINE State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -D -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
SLURMCTLD=$!
PIDS="$SLURMCTLD $PIDS"
# start_slurmd: slurmd in the foreground, its pid in SLURMD
start_slurmd() {
  slurmd -D -f "$SLURM_CONF" -N "$NODE" >"$T/slurmd.out" 2>&1 &
  SLURMD=$!
  PIDS="$SLURMD $PIDS"
}
# node_idle: wait until sinfo shows the node idle; 1 if a daemon exits first or the timeout
node_idle() {
  state=""
  i=0
  while [ $i -lt $((TIMEOUT * 2)) ]; do
    state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null)
    [ "$state" = idle ] && return 0
    kill -0 "$SLURMD" 2>/dev/null || { state="slurmd exited"; return 1; }
    kill -0 "$SLURMCTLD" 2>/dev/null || { state="slurmctld exited"; return 1; }
    sleep 0.5; i=$((i + 1))
  done
  return 1
}
# No cgroup.conf: with proctrack/linuxproc and task/none nothing uses cgroups, but
# slurmd still loads a cgroup plugin (autodetected v1 or v2). Where that fails (no
# usable cgroup hierarchy), retry with CgroupPlugin=disabled (Slurm 23.11 and later).
start_slurmd
if ! node_idle && [ "$state" = "slurmd exited" ] && grep -q "cgroup" "$T/slurmd.out"; then
  echo "test-slurm: slurmd: $(grep -m 1 'cgroup' "$T/slurmd.out"); retrying with CgroupPlugin=disabled"
  echo "CgroupPlugin=disabled" > "$T/cgroup.conf"
  start_slurmd
  node_idle
fi
if [ "$state" != idle ]; then
  cat "$T/slurmctld.out" "$T/slurmd.out"; show_logs
  give_up "the node did not become idle (sinfo state: '${state:-none}')"
fi
ok

# ---- a small sweep: 6 M/M/1 points x 3 replications
cd "$T/job" || exit 1
cat > grid.cfg <<'EOF'
model = "mm1";
seed = 20190101L;
replications = 4;
origin = "2019-01-01";
output = { detail = "summary"; sample = 1.0; };
mm1 = { arrival_rate = 0.9; service_rate = 1.0; customers = 3000; observe_step = 10000.0; observe_count = 100; };
experiment = {
  design = "grid";
  replications = 3;
  parameters = (
    { key = "mm1.arrival_rate"; values = [0.5, 0.7]; },
    { key = "mm1.service_rate"; values = [1.0, 1.5, 2.0]; }
  );
};
EOF
"$SIM" sweep grid.cfg -q -t 1 -o one >/dev/null 2>one.err && "$SIM" merge -q one -o one.h5 >/dev/null 2>>one.err
check "single-process sim sweep + sim merge (reference)" [ -s one.h5 ]

# wait_jobs ID...: until squeue lists none of them (or the timeout)
wait_jobs() {
  ids=$(echo "$*" | tr ' ' ',')
  i=0
  while [ $i -lt $((TIMEOUT * 2)) ]; do
    [ -z "$(squeue -h -j "$ids" 2>/dev/null)" ] && return 0
    sleep 0.5; i=$((i + 1))
  done
  return 1
}
# job_field ID FIELD: FIELD=value from scontrol show job (array tasks: one per line)
job_field() { scontrol -o show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# Submitted from the work directory with -c 1 (the scripts ask for 2 CPUs per task,
# which a 1-CPU machine cannot give) and SIM in the exported environment.
export SIM
t0=$(date +%s)
jid=$(sbatch --parsable -c 1 --array=0-2 --output="$T/job/sweep-%A_%a.out" \
  "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg "$T/job/slurm" 2>sbatch.err)
checks "sbatch --array=0-2 sweep.sbatch: a job id" '[ -n "$jid" ] || { cat sbatch.err; false; }'
mid=$(sbatch --parsable --dependency=afterok:"$jid" --output="$T/job/merge-%j.out" \
  "$ROOT/scripts/slurm/merge.sbatch" "$T/job/slurm" "$T/job/slurm.h5" 2>>sbatch.err)
checks "sbatch --dependency=afterok merge.sbatch: a job id" '[ -n "$mid" ] || { cat sbatch.err; false; }'
if [ -n "$jid" ] && [ -n "$mid" ]; then
  if wait_jobs "$jid" "$mid"; then ok; else
    no "jobs $jid and $mid not finished within ${TIMEOUT}s"; squeue; scancel "$jid" "$mid" 2>/dev/null
  fi
  echo "test-slurm: array + merge took $(( $(date +%s) - t0 )) s"
  checks "the 3 array tasks COMPLETED with exit 0:0" \
    '[ "$(job_field "$jid" JobState | sort | uniq -c | awk "{\$1=\$1; print}")" = "3 COMPLETED" ] && [ "$(job_field "$jid" ExitCode | sort -u)" = "0:0" ]'
  checks "the merge job COMPLETED with exit 0:0" \
    '[ "$(job_field "$mid" JobState)" = COMPLETED ] && [ "$(job_field "$mid" ExitCode)" = "0:0" ]'
  checks "each array task ran its slice (2 points each)" \
    '[ "$(cat sweep-"$jid"_*.out | grep -c "2 points run, 0 already done, of 6")" -eq 3 ]'
  check "the merged file exists" [ -s slurm.h5 ]
  checks "merged under Slurm = single process (every dataset but /provenance/created and command_line, root attributes but created/command_line)" '
    names=$("$PY" - one.h5 slurm.h5 <<EOF
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
na, nb = [], []
a.visititems(lambda n, o: na.append(n) if isinstance(o, h5py.Dataset) else None)
b.visititems(lambda n, o: nb.append(n) if isinstance(o, h5py.Dataset) else None)
keys = (set(a.attrs) | set(b.attrs)) - {"created", "command_line"}
bad = [k for k in keys if k not in a.attrs or k not in b.attrs
       or not np.array_equal(np.asarray(a.attrs[k]), np.asarray(b.attrs[k]))]
if sorted(na) != sorted(nb) or bad or a.attrs["points_merged"] != 6:
    sys.exit("datasets or attributes differ: %s" % (sorted(set(na) ^ set(nb)) + bad))
print(" ".join(n for n in na if n not in ("provenance/created", "provenance/command_line")))   # per point: differ
EOF
) && [ -n "$names" ] && "$PY" "$ROOT/tests/same_data.py" one.h5 slurm.h5 $names'
fi
[ "$fail" -eq 0 ] || { for f in sweep-*.out merge-*.out; do [ -s "$f" ] && { echo "--- $f"; cat "$f"; }; done; }

# ---- a stepped array (--array=1-5:2, tasks 1, 3, 5) runs every point; a list with gaps is refused
sjid=$(sbatch --parsable -c 1 --array=1-5:2 --output="$T/job/step-%A_%a.out" \
  "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg "$T/job/step" 2>>sbatch.err)
ljid=$(sbatch --parsable -c 1 --array=0,3,7 --output="$T/job/list-%A_%a.out" \
  "$ROOT/scripts/slurm/sweep.sbatch" grid.cfg "$T/job/list" 2>>sbatch.err)
if [ -n "$sjid" ] && [ -n "$ljid" ] && wait_jobs "$sjid" "$ljid"; then
  checks "--array=1-5:2: the 3 tasks COMPLETED, 2 points each" \
    '[ "$(job_field "$sjid" JobState | sort | uniq -c | awk "{\$1=\$1; print}")" = "3 COMPLETED" ] \
     && [ "$(cat step-"$sjid"_*.out | grep -c "2 points run, 0 already done, of 6")" -eq 3 ]'
  "$SIM" merge -q "$T/job/step" -o step.h5 2>>sbatch.err
  checks "--array=1-5:2: its merge equals the single process's (every dataset but the per-point provenance)" \
    '[ -s step.h5 ] && "$PY" "$ROOT/tests/same_data.py" one.h5 step.h5 $names'
  checks "--array=0,3,7: every task refused (exit 2) before running, saying what Slurm gave ($(cat list-"$ljid"_0.out 2>/dev/null | head -n 1))" \
    '[ "$(job_field "$ljid" ExitCode | sort -u)" = "2:0" ] && [ "$(grep -l "is not one of 3 indices" list-"$ljid"_*.out | wc -l)" -eq 3 ] \
     && [ ! -e "$T/job/list" ]'
else
  no "the stepped and list arrays did not finish within ${TIMEOUT}s: $(cat sbatch.err)"
  scancel "$sjid" "$ljid" 2>/dev/null
fi

# ---- a failing array: the afterok merge never starts
sed 's/"mm1.service_rate"/"mm1.no_such_key"/' grid.cfg > bad.cfg   # sim sweep: exit 1
bjid=$(sbatch --parsable -c 1 --array=0-1 --output="$T/job/bad-%A_%a.out" \
  "$ROOT/scripts/slurm/sweep.sbatch" bad.cfg "$T/job/bad" 2>>sbatch.err)
bmid=$(sbatch --parsable --dependency=afterok:"$bjid" --output="$T/job/badmerge-%j.out" \
  "$ROOT/scripts/slurm/merge.sbatch" "$T/job/bad" "$T/job/bad.h5" 2>>sbatch.err)
if [ -n "$bjid" ] && [ -n "$bmid" ]; then
  wait_jobs "$bjid"
  reason=""
  i=0
  while [ $i -lt 60 ]; do   # the controller marks the dependency within a few seconds
    reason=$(job_field "$bmid" Reason)
    [ "$reason" = DependencyNeverSatisfied ] && break
    sleep 0.5; i=$((i + 1))
  done
  checks "a failed array task leaves the merge pending: DependencyNeverSatisfied (got $reason)" \
    '[ "$reason" = DependencyNeverSatisfied ] && [ "$(job_field "$bmid" JobState)" = PENDING ] && [ ! -e bad.h5 ]'
  scancel "$bmid" 2>/dev/null
else
  no "sbatch of the failing array: $(cat sbatch.err)"
fi

[ "$fail" -eq 0 ] || show_logs
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
