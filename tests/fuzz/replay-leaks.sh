#!/bin/sh
# replay-leaks.sh FUZZER DIR...: run every input of a fuzz corpus once with
# LeakSanitizer's exit check on, and fail if a leaked block was allocated anywhere
# but inside HDF5. HDF5 1.10.8 leaks on some error paths of damaged files (the
# datatype decoded before H5Dopen2 fails; an object header whose checksum fails in
# H5O_protect), reproduced with HDF5 calls alone; those are counted, not failed.
# Handles are checked per input by the harness itself. Caveat: memory that HDF5
# allocates and hands to us (H5Tget_member_name, say) counts as HDF5's here; the
# valgrind test covers those paths on intact files.
set -u
fuzzer=$1
shift
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
# libFuzzer saves the last input when the exit check finds a leak: into $tmp, not here
ASAN_OPTIONS=detect_leaks=1 "$fuzzer" -runs=0 -detect_leaks=0 -close_fd_mask=3 -artifact_prefix="$tmp/" "$@" >"$log" 2>&1
total=$(grep -c '^\(Direct\|Indirect\) leak' "$log")
# frame #1 is the caller of malloc: HDF5's allocator for its own blocks
ours=$(grep -A2 '^\(Direct\|Indirect\) leak' "$log" | grep '#1 ' | grep -vc 'libhdf5')
inputs=$(grep -o 'INFO: *[0-9]* files found' "$log" | awk '{s += $2} END {print s + 0}')
if grep -q 'ERROR: AddressSanitizer\|ERROR: libFuzzer\|runtime error' "$log" || ! grep -q '^Done [0-9]* runs' "$log"; then
    grep -A30 'ERROR: \|runtime error' "$log" | head -40
    echo "replay: a corpus input crashes or aborts, or the replay did not finish (above)"
    exit 1
fi
if [ "$ours" -ne 0 ]; then
    grep -B1 -A12 '^\(Direct\|Indirect\) leak' "$log" | head -80
    echo "replay: $ours leak record(s) allocated outside HDF5 (above)"
    exit 1
fi
echo "replay: $inputs inputs, no leak outside HDF5 ($total leak record(s) inside HDF5 1.10's error paths)"
