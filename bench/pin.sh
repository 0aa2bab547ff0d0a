# pin.sh, sourced by the benchmark scripts: sets PIN to a command prefix that pins a run
# to one CPU, so that every run of a comparison meets the same core. On a 2-vCPU VM the
# two vCPUs ran the national model at 1.2 and 1.7-1.8 s at the same hour (bench/RESULTS.md,
# session 25): unpinned, a run lands on either, and that was most of the noise between rounds.
# BENCH_CPU chooses the CPU (default: the first this shell may run on); BENCH_CPU= (empty)
# turns pinning off; without taskset (util-linux) nothing is pinned.
PIN=
if command -v taskset >/dev/null 2>&1; then
  cpu=${BENCH_CPU-$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//; s/[-,].*//')}
  if [ -n "$cpu" ]; then PIN="taskset -c $cpu"; fi
fi
