#!/usr/bin/env bash
# Runs failing_rank on 3 ranks, once with rank 1 throwing and once with it killed: the job must
# end by itself (not by the timeout), non-zero, and say which rank left.
set -uo pipefail
mpirun=$1 program=$2

output=$(timeout 60 "$mpirun" -np 3 "$program" die 2>&1)
status=$?
echo "$output"
if [[ $status -eq 124 || $status -eq 0 ]]; then
    echo "check_failing_rank: a killed rank left the job hanging or exiting 0 (status $status)" >&2
    exit 1
fi
echo "check_failing_rank: the job with a killed rank ended with status $status"

output=$(timeout 60 "$mpirun" -np 3 "$program" throw 2>&1)
status=$?
echo "$output"
if [[ $status -eq 124 ]]; then
    echo "check_failing_rank: the job hung (killed after 60 s)" >&2
    exit 1
fi
if [[ $status -eq 0 ]]; then
    echo "check_failing_rank: the job exited 0 although rank 1 failed" >&2
    exit 1
fi
for expected in "rank 1: failing_rank: fails on purpose" "rank 1 is leaving by an exception"; do
    if ! grep -q "$expected" <<<"$output"; then
        echo "check_failing_rank: no line with '$expected'" >&2
        exit 1
    fi
done
echo "check_failing_rank: the job ended with status $status"
