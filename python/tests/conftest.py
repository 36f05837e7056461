# SPDX-License-Identifier: Apache-2.0
"""Runs `kisrt --sim --stream 127.0.0.1:PORT` for the package's tests.

The binary comes from $KISRT_BINARY (CTest sets it), else build/bin/kisrt.
"""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # python/: the package

BINARY = os.environ.get("KISRT_BINARY") or os.path.join(
    HERE, "..", "..", "build", "bin", "kisrt")


class Gateway:
    """One kisrt process; `restart()` runs a new one on the same port."""

    def __init__(self, extra=()):
        self.extra = list(extra)
        self.port = 0
        self.proc = None

    def start(self):
        args = [BINARY, "--sim", "--no-table", "--admin", "off",
                "--set", "sim.rate=50", "--set", "sim.kst_start=09:30:00",
                "--set", "demand.holdings=005930",
                "--stream", "127.0.0.1:%d" % self.port] + self.extra
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            obj = json.loads(line)
            if "stream_port" in obj:
                self.port = obj["stream_port"]
                return self
        self.stop()
        raise RuntimeError("kisrt printed no stream_port line")

    def stop(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        return self.start()

    @property
    def url(self):
        return "ws://127.0.0.1:%d" % self.port


@pytest.fixture
def gateway():
    gw = Gateway().start()
    yield gw
    gw.stop()
