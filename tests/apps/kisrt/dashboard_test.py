#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The web dashboard of `kisrt --sim` in a real browser: headless Chromium
(Debian's `chromium`) loads GET /, runs its script, and the DOM it leaves
shows the session and a row per slot. It also saves a screenshot, and the
page's headers forbid loads from elsewhere.

usage: dashboard_test.py KISRT_BINARY SCREENSHOT_PNG
"""
import html.parser
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HOLDINGS = ["005930", "000660"]
PICKS = ["035420", "051910"]


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


class tables(html.parser.HTMLParser):
    """Rows of the tbody of each table by id, as lists of cell texts; the
    attributes of <body>."""

    def __init__(self):
        super().__init__()
        self.rows = {}
        self.body = {}
        self.table = None
        self.in_body = False
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        elif tag == "table":
            self.table = a.get("id")
            self.rows.setdefault(self.table, [])
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows[self.table].append(self.row)
            self.row = None
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    fail("chromium not installed (scripts/setup installs it)")


def browse(url, *extra):
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run",
             "--user-data-dir=" + profile, "--virtual-time-budget=4000"]
            + list(extra) + [url],
            capture_output=True, text=True, timeout=120)
    return r


def main():
    binary, shot = sys.argv[1], sys.argv[2]
    p = subprocess.Popen(
        [binary, "--sim", "--set", "sim.kst_start=09:30:00",
         "--set", "demand.holdings=" + ",".join(HOLDINGS),
         "--set", "demand.picks=" + ",".join(PICKS)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = json.loads(p.stdout.readline())["admin_port"]
        url = "http://127.0.0.1:%d/" % port
        with urllib.request.urlopen(url, timeout=10) as r:
            csp = r.headers.get("Content-Security-Policy", "")
            page = r.read().decode()
        if "default-src 'none'" not in csp or "script-src 'self'" not in csp:
            fail("Content-Security-Policy is %r" % csp)
        if "http://" in page or "https://" in page:
            fail("the page refers to another origin")
        # Wait until every key has data, so the rows show prices.
        deadline = time.monotonic() + 30
        while True:
            with urllib.request.urlopen(url + "dashboard.json") as r:
                d = json.loads(r.read())
            if sum(1 for s in d["slots"] if s["ticks"] > 0) >= 4:
                break
            if time.monotonic() > deadline:
                fail("no data on the slots: %s" % d)
            time.sleep(0.3)

        r = browse(url, "--dump-dom")
        t = tables()
        t.feed(r.stdout)
        if t.body.get("data-loaded") != "true":
            fail("the page's script did not draw: %s\n%s"
                 % (r.stdout[:2000], r.stderr[-2000:]))
        sessions = t.rows.get("sessions", [])
        if len(sessions) != 1 or sessions[0][0] != "s1" \
                or sessions[0][1] != "up":
            fail("sessions rows: %s" % sessions)
        slots = t.rows.get("slots", [])
        keys = {row[2] for row in slots}
        for k in HOLDINGS + PICKS:
            if k not in keys:
                fail("no slot row for %s: %s" % (k, slots))
        for row in slots:
            if len(row) != 10:
                fail("a slot row has %d cells: %s" % (len(row), row))
            if row[2] in HOLDINGS + PICKS and row[1] == "H0STCNT0":
                if row[0] != "s1" or row[5] != "active":
                    fail("slot row %s" % row)
                if row[7] == "-" or int(row[8]) < 1:
                    fail("no price or ticks in %s" % row)
        if not t.rows.get("events"):
            fail("no slot events shown")

        r = browse(url, "--screenshot=" + shot, "--window-size=1280,900",
                   "--hide-scrollbars")
        with open(shot, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                fail("no PNG screenshot at " + shot)
        print("sessions: %s" % sessions)
        print("slots: %d rows, screenshot: %s" % (len(slots), shot))
    finally:
        p.terminate()
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
    print("ok")


if __name__ == "__main__":
    main()
