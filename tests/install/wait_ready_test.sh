#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging/kisrt-wait-ready (kisrt.service's readiness probe): exit 0 once a
# running gateway's admin API answers, 1 when nothing answers within the
# timeout, 2 when the configuration gives no fixed port to wait for.
set -euo pipefail
probe="$KISRT_SOURCE_DIR/packaging/kisrt-wait-ready"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kisrt-wait-ready-test.XXXXXX")
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Configurations without a port to wait for: usage error, at once.
printf '[admin]\nlisten = 127.0.0.1:0\n' >"$tmp/port0.conf"
printf '[admin]\nlisten = off\n' >"$tmp/off.conf"
printf '[kis]\nenv = paper\n' >"$tmp/none.conf"
for c in port0 off none; do
  rc=0; "$probe" --timeout 30 "$tmp/$c.conf" 2>"$tmp/err" || rc=$?
  [[ $rc -eq 2 ]] || { cat "$tmp/err"; fail "$c.conf: exit $rc, expected 2"; }
done

# A gateway (embedded simulator) on an OS-chosen admin port.
"$KISRT_BUILD_DIR/bin/kisrt" --sim --admin 127.0.0.1:0 >"$tmp/out" 2>"$tmp/log" </dev/null &
pid=$!
port=""
for _ in $(seq 1 600); do   # the admin_port line, up to 60 s
  port=$(sed -n 's/^{"admin_port":\([0-9]*\)}$/\1/p' "$tmp/out")
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/log"; fail "kisrt --sim exited"; }
  sleep 0.1
done
[[ -n "$port" ]] || fail "kisrt printed no admin_port"

# The address from a configuration file, as the unit passes it.
printf '# the admin API\n[kis]\nenv = paper\n[ admin ]\nlisten = 127.0.0.1:%s   # fixed\n[rest]\nrate = 2\n' \
  "$port" >"$tmp/kisrt.conf"
printf 'admin.listen = "127.0.0.1:%s"\n[kis]\nenv = paper\n' "$port" >"$tmp/top.conf"
out=$("$probe" --timeout 30 "$tmp/kisrt.conf") || fail "probe against a running gateway: exit $?"
echo "$out"
[[ "$out" == *"answers: HTTP/1.1 "* ]] || fail "probe output: $out"
"$probe" --timeout 30 "$tmp/top.conf" >/dev/null || fail "probe: admin.listen before any section"
"$probe" --timeout 30 --address "localhost:$port" >/dev/null || fail "probe --address localhost"

# Stopped: no answer within the timeout.
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
rc=0; "$probe" --timeout 1 "$tmp/kisrt.conf" 2>"$tmp/err" || rc=$?
[[ $rc -eq 1 ]] || { cat "$tmp/err"; fail "probe against a stopped gateway: exit $rc, expected 1"; }
grep -q "did not answer within 1s" "$tmp/err" || fail "probe timeout message: $(cat "$tmp/err")"
echo "PASS: kisrt-wait-ready"
