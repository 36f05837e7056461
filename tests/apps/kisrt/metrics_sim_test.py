#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""GET /metrics of `kisrt --sim` after a scripted run: data flowing, a
subscription the server refuses (the simulator's `reject` fault) and a
reconnect (its `restart` fault). The exposition must pass Prometheus's own
parsers (promtool from Debian's `prometheus`, the text parser of
`python3-prometheus-client`) and its values must match what happened.
A bearer token, when configured, guards /metrics and the dashboard too.

usage: metrics_sim_test.py KISRT_BINARY
"""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

HOLDINGS = "005930,000660"
PICKS = "035420,051910"
REJECTED = "051910"  # a pick KIS refuses after the reconnect


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


def http(port, path, method="GET", body=None, token=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                 method=method, data=body)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def until(what, check, patience=30.0, why=None):
    """Polls `check` until it returns a true value or patience runs out."""
    deadline = time.monotonic() + patience
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            fail("gave up waiting for " + what + (": " + why() if why else ""))
        time.sleep(0.2)


def start(binary, extra, env=None):
    args = [binary, "--sim", "--set", "demand.holdings=" + HOLDINGS,
            "--set", "demand.picks=" + PICKS,
            # market hours: trades flow too
            "--set", "sim.kst_start=09:30:00"] + extra
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env)
    line = p.stdout.readline()
    try:
        port = json.loads(line)["admin_port"]
    except Exception:
        p.kill()
        fail("no admin_port line: %r; stderr: %s" % (line, p.stderr.read()))
    return p, port


def stop(p):
    p.terminate()
    try:
        p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def scrape(port, token=None):
    status, headers, text = http(port, "/metrics", token=token)
    if status != 200:
        fail("/metrics answered %d: %s" % (status, text))
    return headers, text


def samples(text):
    """{(name, frozenset(labels)): value} through the official parser."""
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(m, name, **labels):
    return m.get((name, frozenset(labels.items())))


def total(m, name):
    return sum(v for (n, _), v in m.items() if n == name)


def check_promtool(text):
    promtool = shutil.which("promtool")
    if not promtool:
        fail("promtool not installed (scripts/setup installs prometheus)")
    r = subprocess.run([promtool, "check", "metrics"], input=text, text=True,
                       capture_output=True)
    # promtool exits 1 for lint problems too; a parse error says "error".
    if r.returncode != 0:
        fail("promtool check metrics: %s%s" % (r.stdout, r.stderr))


def main():
    binary = sys.argv[1]

    # -- a token guards every new route
    env = dict(os.environ, KISRT_TEST_ADMIN_TOKEN="0123456789abcdef-test")
    p, port = start(binary, ["--set", "admin.token_env=KISRT_TEST_ADMIN_TOKEN"],
                    env)
    try:
        for path in ["/metrics", "/", "/dashboard.json", "/dashboard.js"]:
            status, _, body = http(port, path)
            if status != 401:
                fail("%s without the token answered %d" % (path, status))
        status, _, body = http(port, "/metrics", token="0123456789abcdef-test")
        if status != 200:
            fail("/metrics with the token answered %d" % status)
        if "0123456789abcdef-test" in body:
            fail("the token appears in /metrics")
    finally:
        stop(p)

    # -- the scripted run
    p, port = start(binary, [])
    try:
        headers, text = scrape(port)
        ctype = {k.lower(): v for k, v in headers.items()}["content-type"]
        if not ctype.startswith("text/plain; version=0.0.4"):
            fail("Content-Type is %r" % ctype)
        status, _, simj = http(port, "/sim")
        sim = json.loads(simj)["admin_port"]

        # Data flowing: every key active, records counted.
        def flowing():
            m = samples(scrape(port)[1])
            active = total_state(m, "active")
            recs = value(m, "kisrt_records_total", tr_id="H0STCNT0") or 0
            return m if active >= 4 and recs > 0 else None

        def total_state(m, state):
            return sum(v for (n, ls), v in m.items()
                       if n == "kisrt_slots" and ("state", state) in ls)

        m = until("data on every key", flowing)
        if value(m, "kisrt_session_up", session="s1") != 1:
            fail("kisrt_session_up{session=s1} is not 1")
        if value(m, "kisrt_session_epoch", session="s1") != 1:
            fail("epoch before any reconnect is not 1")
        if value(m, "kisrt_reconnects_total", session="s1") != 0:
            fail("reconnects before any drop are not 0")
        if total(m, "kisrt_subscribe_rejections_total") != 0:
            fail("rejections before the fault")
        cap = value(m, "kisrt_slot_cap", session="s1")
        if not cap or cap < 4:
            fail("kisrt_slot_cap{s1} = %r" % cap)

        # A reconnect whose replay meets a refusal of one pick.
        fault = json.dumps({"kind": "reject", "count": 1,
                            "msg_cd": "OPSP8992", "tr_key": REJECTED})
        st, _, body = http(sim, "/fault", "POST", fault.encode())
        if st != 200:
            fail("reject fault: %d %s" % (st, body))
        # `restart` drops the session and clears the server's hold of the
        # app key, so exactly one reconnect follows (a plain drop would
        # meet OPSP8996 first and count two).
        st, _, body = http(sim, "/fault", "POST",
                           json.dumps({"kind": "restart"}).encode())
        if st != 200:
            fail("restart fault: %d %s" % (st, body))

        def replayed():
            m = samples(scrape(port)[1])
            if value(m, "kisrt_session_epoch", session="s1") != 2:
                return None
            if value(m, "kisrt_session_up", session="s1") != 1:
                return None
            if total(m, "kisrt_subscribe_rejections_total") < 1:
                return None
            return m

        m = until("the reconnect and the refusal", replayed)
        if value(m, "kisrt_reconnects_total", session="s1") != 1:
            fail("kisrt_reconnects_total{s1} = %r, want 1"
                 % value(m, "kisrt_reconnects_total", session="s1"))
        if value(m, "kisrt_subscribe_rejections_total",
                 msg_cd="OPSP8992") != 1:
            fail("kisrt_subscribe_rejections_total{OPSP8992} = %r, want 1"
                 % value(m, "kisrt_subscribe_rejections_total",
                         msg_cd="OPSP8992"))
        if total_state(m, "rejected") != 1:
            fail("kisrt_slots{state=rejected} sum = %r, want 1"
                 % total_state(m, "rejected"))
        # Holdings and picks with a place have an age; the refused pick has
        # none (no place), the others got data within seconds.
        def fresh():
            m = samples(scrape(port)[1])
            ages = {dict(ls)["key"]: v for (n, ls), v in m.items()
                    if n == "kisrt_last_data_age_seconds"}
            want = set(HOLDINGS.split(",") + PICKS.split(",")) - {REJECTED}
            if set(ages) != want:
                return None
            return m if all(v < 30 for v in ages.values()) else None

        m = until("a fresh age for every holding and pick", fresh)

        # Stall the feed, then the records kisrt counted equal the records
        # the simulator sent.
        st, _, body = http(sim, "/fault", "POST",
                           json.dumps({"kind": "stall", "seconds": 8}).encode())
        if st != 200:
            fail("stall fault: %d %s" % (st, body))

        seen = []

        def settled():
            _, _, state = http(sim, "/state")
            sent = json.loads(state)["records"]
            m = samples(scrape(port)[1])
            got = {tr: value(m, "kisrt_records_total", tr_id=tr) or 0
                   for tr in ("H0STCNT0", "H0STASP0")}
            seen.append((got, sent))
            for tr, n in got.items():
                if n != sent.get(tr, 0):
                    return None
            return m, sent

        m, sent = until("records counted = records sent", settled, 6,
                        lambda: "kisrt, simulator: %s" % seen[-3:])
        if value(m, "kisrt_frames_total", session="s1") < 1:
            fail("kisrt_frames_total{s1} is 0")
        if value(m, "kisrt_hub_dropped_total", ) is None:
            fail("kisrt_hub_dropped_total missing")
        for name in ["process_resident_memory_bytes",
                     "process_cpu_seconds_total", "process_open_fds",
                     "kisrt_nodes_connected", "kisrt_notices_total"]:
            if value(m, name) is None:
                fail(name + " missing")
        if value(m, "process_resident_memory_bytes") < 1e6:
            fail("process_resident_memory_bytes too small")

        # Both parsers take the last exposition.
        _, text = scrape(port)
        list(text_string_to_metric_families(text))
        check_promtool(text)
        print("metrics after the run:\n" + "\n".join(
            l for l in text.splitlines()
            if l.startswith(("kisrt_reconnects", "kisrt_subscribe_rej",
                             "kisrt_records_total", "kisrt_session_epoch"))))
        print("simulator records: %s" % sent)
    finally:
        stop(p)
    print("ok")


if __name__ == "__main__":
    main()
