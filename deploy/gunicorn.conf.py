"""Gunicorn's settings for Kring (`gunicorn -c deploy/gunicorn.conf.py kring.wsgi`).

Everything a deployment changes comes from the environment, as Gunicorn reads it anyway:
``PORT`` (default 8000), ``WEB_CONCURRENCY`` (worker processes; default two per core plus
one), ``GUNICORN_THREADS`` (threads per worker, default 8), ``FORWARDED_ALLOW_IPS`` (the
proxy's address), ``GUNICORN_CMD_ARGS`` (anything else). Gunicorn's own log lines and its
access log are JSON like Django's (python-json-logger).

Threaded workers (gthread), so a request that waits (for PostgreSQL, or a login for its turn
at the password check) does not hold a whole process: the others' pages go on in the other
threads. Every thread may hold a database connection (CONN_MAX_AGE): workers x threads must
stay well below PostgreSQL's max_connections (100 by default). docs/performance.md has the
measurements behind these numbers.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 30
graceful_timeout = 30
# Longer than a person's pause between pages, so a browser's kept connection is not closed
# just as it sends its next request (a proxy in front should time out idle ones first).
keepalive = 75
# A worker is replaced after this many requests (with jitter), so no slow leak adds up. Not
# much sooner: a fresh worker answers its first requests in up to a second (imports, templates),
# and under the load test's 17 requests a second the busiest worker reached 2,000 in four
# minutes (docs/performance.md).
max_requests = 10000
max_requests_jitter = 1000
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

_json = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": _json},
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
