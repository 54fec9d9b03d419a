"""Throughput under load: gunicorn serving the app on loopback, wrk driving it for a bounded time,
the plan overview beside a trivial Django view served by the same gunicorn in the same run."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time

from tests.bench.common import ROOT, setting

TRIVIAL = "/bench/trivial/"


def wrk_missing() -> str:
    """Why the throughput cannot be measured, or "" when it can."""
    if shutil.which("wrk") is None:
        return (
            "wrk is not installed (`make bench` installs it with apt; as root: apt-get install wrk)"
        )
    return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(port: int, url: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _wrk(port: int, url: str, cookie: str, seconds: int) -> dict:
    command = ["wrk", "-t2", "-c4", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    command += ["-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{url}"]
    # Our own fixed command on loopback, bounded by -d and by the timeout.
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    median = re.search(r"\s50%\s+([\d.]+)(us|ms|s)\b", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "median_ms": float(median.group(1)) * scale[median.group(2)] if median else float("nan"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def measure_throughput(database_url: str, overview: str, cookie: str) -> dict:
    """Requests per second for the overview and the trivial view, the same gunicorn serving."""
    seconds = setting("BENCH_WRK_SECONDS", 10)
    workers = os.cpu_count() or 2
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": database_url,
    }
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--chdir", str(ROOT), "--log-level", "warning"]
    command += ["g2g.wsgi:application"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own gunicorn
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status = _status(port, overview, cookie)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.5)
        if status != 200:
            raise RuntimeError(f"the plan overview answered {status} under gunicorn")
        for url in (overview, TRIVIAL) * 10:  # warm every worker
            _status(port, url, cookie)
        results = {
            "workers": workers,
            "seconds": seconds,
            "overview": _wrk(port, overview, cookie, seconds),
            "trivial": _wrk(port, TRIVIAL, cookie, seconds),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return results
