"""gunicorn as configured for production shares kept-alive connections out
among its worker processes instead of leaving them all to the first one."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def pid_app(environ, start_response):  # type: ignore[no-untyped-def]
    """A WSGI app that answers with the id of the process serving it."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_kept_alive_connections_are_shared_among_the_workers(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",  # at most 4 connections a worker
        "GUNICORN_ACCESS_LOG": "",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
             "tests.test_gunicorn:pid_app"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while log.read_text(errors="replace").count("Booting worker") < 2:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)
        # All at once, as 40 people on a Monday morning: one worker cannot take them all.
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(8)]
        for connection in connections:
            connection.connect()
        served_by = []
        for _round in range(3):
            for connection in connections:
                connection.request("GET", "/")
            for connection in connections:
                response = connection.getresponse()
                assert response.status == 200
                served_by.append(response.read().decode())
        counts = sorted(served_by.count(pid) for pid in set(served_by))
        # A worker keeps at most worker_connections - threads = 2 connections
        # alive; the others are closed after their answer and open again
        # wherever there is room.
        assert len(counts) == 2 and min(counts) >= 6, f"requests per worker: {counts}"
        for connection in connections:
            connection.close()
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_a_worker_holds_twice_its_threads_in_connections_unless_told(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import runpy

    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.delenv("GUNICORN_WORKER_CONNECTIONS", raising=False)
    config = runpy.run_path(str(BASE_DIR / "config" / "gunicorn.conf.py"))
    assert (config["worker_class"], config["threads"], config["worker_connections"]) == ("gthread", 8, 16)
    monkeypatch.setenv("GUNICORN_WORKER_CONNECTIONS", "40")
    assert runpy.run_path(str(BASE_DIR / "config" / "gunicorn.conf.py"))["worker_connections"] == 40
