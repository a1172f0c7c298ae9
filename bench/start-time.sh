#!/usr/bin/env bash
# Times `./ticketing up -d --no-build` from stopped servers to "gateway ready and demo data seeded", alternating
# between checkouts (each built once with ./ticketing up and stopped), e.g. this one and an older commit's worktree:
#   bench/start-time.sh 5 . ../ticketing-ac881c8
# The checkouts share the default ports, so they run one at a time. Prints one line per start and the medians.
set -euo pipefail
runs="${1:?usage: bench/start-time.sh RUNS CHECKOUT...}"
shift
declare -A times
for ((run = 1; run <= runs; run++)); do
  for checkout in "$@"; do
    (cd "$checkout" && ./ticketing down >/dev/null 2>&1)
    sleep 3
    start=$(date +%s.%N)
    (cd "$checkout" && ./ticketing up -d --no-build >/dev/null 2>&1) || echo "$checkout: ./ticketing up failed" >&2
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    printf 'run %d  %-40s %5.1f s  (load %s)\n' "$run" "$checkout" "$seconds" "$(cut -d' ' -f1 /proc/loadavg)"
    times[$checkout]+="$seconds "
    (cd "$checkout" && ./ticketing down >/dev/null 2>&1)
  done
done
for checkout in "$@"; do
  # shellcheck disable=SC2086
  printf 'median %-40s %5.1f s\n' "$checkout" "$(printf '%s\n' ${times[$checkout]} | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')"
done
