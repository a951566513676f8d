#!/usr/bin/env bash
# Issue 24 section 3: chapter 7 never hangs and leaves nothing behind.
#
# Runs book/07_distributed.ipynb N times in a row (default 20), each a whole-notebook run under
# strict nbval pinned to one CPU core (scripts/one_core.py), the timing under which KerasTuner's
# chief used to leave early and a late worker waited for it. Each run is bounded by a timeout far
# above its normal length, so a hang shows up as HANG instead of blocking the loop. After each run
# it checks that no worker program (python -m dlnotes._workers ...) is left, and lists any zombie.
#
# Usage: scripts/stress_ch7.sh [N] [LOG]      (LOG defaults to _build/stress_ch7/log.tsv)
# Exit status 0 only if every run passed and no process was left. The output of each run is kept
# next to the log (run-<i>.out). Run it alone: every run is a full notebook (about 1-2 minutes).
set -u
cd "$(dirname "$0")/.."
N=${1:-20}
LOG=${2:-_build/stress_ch7/log.tsv}
PY=.venv/bin/python
LIMIT=900 # seconds; a normal one-core run takes 1-2 minutes
DIR=$(dirname "$LOG")
mkdir -p "$DIR"
printf 'run\tstarted\tseconds\tresult\tleftover_workers\tzombies\n' >"$LOG"
failed=0
left_any=0
for i in $(seq 1 "$N"); do
    started=$(date -u +%H:%M:%S)
    t0=$(date +%s)
    timeout --kill-after=30 "$LIMIT" "$PY" scripts/one_core.py "$PY" -m pytest -p no:xdist -q \
        -p no:cacheprovider book/07_distributed.ipynb >"$DIR/run-$i.out" 2>&1
    status=$?
    seconds=$(($(date +%s) - t0))
    case $status in
    0) result=pass ;;
    124 | 137) result=HANG ;;
    *) result="FAIL($status)" ;;
    esac
    [ "$status" -eq 0 ] || failed=$((failed + 1))
    sleep 1 # let the kernel's exit finish before looking
    workers=$(pgrep -af 'dlnotes[.]_workers' | tr '\n' ';')
    zombies=$(ps -eo stat=,pid=,comm= | awk '$1 ~ /^Z/ {printf "%s %s;", $2, $3}')
    [ -z "$workers" ] || left_any=$((left_any + 1))
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$started" "$seconds" "$result" "${workers:-none}" \
        "${zombies:-none}" | tee -a "$LOG"
done
echo "runs: $N, not passed: $failed, runs that left a worker: $left_any (log: $LOG)"
[ "$failed" -eq 0 ] && [ "$left_any" -eq 0 ]
