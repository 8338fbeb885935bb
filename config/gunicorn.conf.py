"""gunicorn's settings for Suunta: ``gunicorn -c config/gunicorn.conf.py config.wsgi:application``.

Threaded workers (``gthread``): a page waits on the database as much as it
computes, and a light request (the floor page, a small form) is then served
by another thread of a worker instead of queueing behind a heavy page, as it
did with one request per sync worker. Processes use the cores, threads
cover the waits. Each knob can be set from the environment.

One process more than the cores, with eight threads each: each process keeps
its own cache of rendered fragments (``strategy.fragments``), so fewer, fuller
processes find more of them and take less memory; with 40 people at once on
two cores, three processes of eight threads served as many requests as five
of four (``bench/load.py``).
"""

from __future__ import annotations

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this container may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or _cores() + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 8)
# A process holds at most twice its threads in connections and keeps at most
# as many as its threads alive between requests; the rest are closed after
# their answer and open again where there is room. Kept-alive connections
# stay with the process that accepted them, and without a bound the first
# process to wake up took everyone's (all 40 people of bench/load.py on one
# process, under its one interpreter lock, the others idle).
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS") or threads * 2)
# Within the time a reverse proxy waits; a report is rendered by the worker, not here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
keepalive = 5
# Recycle workers now and then, so that memory a rare page took is returned.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
