#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The live table in a real terminal (tmux, 160x50): `kisrt --sim` keeps its
# {"admin_port":N} line on top, the table, and log lines with ISO 8601
# timestamps under it, refresh after refresh; with --no-table (and
# --log-level debug) the terminal gets plain log lines instead. Usage: table_tmux_test.sh
# KISRT_BINARY [CAPTURE_FILE]. Polls the pane (bounded), never waits
# unbounded.
set -euo pipefail

bin=$1
capture_file=${2:-}
if ! command -v tmux >/dev/null 2>&1; then
  echo "table_tmux_test: tmux is missing (scripts/setup installs it)" >&2
  exit 1
fi
sock="kisrt-table-$$"
pane="table"
cleanup() { tmux -L "$sock" kill-server >/dev/null 2>&1 || true; }
trap cleanup EXIT
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 -s "$pane"
tmux -L "$sock" send-keys -t "$pane" \
  "$bin --sim --admin 127.0.0.1:0 --set sim.rate=20" Enter

iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}'
capture() { tmux -L "$sock" capture-pane -p -t "$pane"; }
# Everything a person needs at once: the stdout line, the table, the log.
complete() {
  grep -q '^{"admin_port":[0-9]*}' <<<"$1" &&
    grep -q '^SESSION TR_ID' <<<"$1" &&
    grep -q '^log:' <<<"$1" &&
    grep -Eq "^$iso \[kisrt\] \[info\] gateway running" <<<"$1"
}
wait_complete() {
  local cap=""
  for _ in $(seq 1 120); do
    cap=$(capture)
    if complete "$cap"; then
      printf '%s\n' "$cap"
      return 0
    fi
    sleep 0.25
  done
  printf '%s\n' "$cap"
  return 1
}

status=0
first=$(wait_complete) || status=1
# Later refreshes still show them (nothing scrolls them away).
if [[ $status -eq 0 ]]; then
  sleep 3
  second=$(wait_complete) || status=1
else
  second=$first
fi
if [[ -n "$capture_file" ]]; then
  printf '%s\n' "$second" >"$capture_file"
fi
if [[ $status -ne 0 ]]; then
  echo "table_tmux_test: the pane lacks the admin_port line, the table or" \
    "the log lines:" >&2
  printf '%s\n' "$second" >&2
fi
# The table is not the log: the log region sits under the table.
table_at=$(grep -n '^SESSION TR_ID' <<<"$second" | head -1 | cut -d: -f1)
log_at=$(grep -n '^log:' <<<"$second" | head -1 | cut -d: -f1)
if [[ -z "$table_at" || -z "$log_at" || "$log_at" -le "$table_at" ]]; then
  echo "table_tmux_test: the log region is not under the table" >&2
  status=1
fi
tmux -L "$sock" send-keys -t "$pane" C-c

# --no-table: plain log lines on the terminal (here at debug level, which
# adds a line per slot that becomes active), no table.
tmux -L "$sock" new-session -d -x 160 -y 50 -s plain
tmux -L "$sock" send-keys -t plain \
  "$bin --sim --admin 127.0.0.1:0 --no-table --log-level debug" Enter
plain=""
for _ in $(seq 1 120); do
  plain=$(tmux -L "$sock" capture-pane -p -t plain)
  if grep -Eq "^$iso \[kisrt\] \[debug\] slot active: s1 H0STCNI0" <<<"$plain"; then
    break
  fi
  sleep 0.25
done
if ! grep -Eq "^$iso \[kisrt\] \[debug\] slot active: s1 H0STCNI0" <<<"$plain" ||
  grep -q '^SESSION TR_ID' <<<"$plain"; then
  echo "table_tmux_test: --no-table --log-level debug did not give plain" \
    "debug log lines without the table:" >&2
  printf '%s\n' "$plain" >&2
  status=1
fi
tmux -L "$sock" send-keys -t plain C-c
exit $status
