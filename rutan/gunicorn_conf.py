"""Gunicorn settings for production (`gunicorn -c python:rutan.gunicorn_conf rutan.wsgi`).

Threaded workers: a request that waits on PostgreSQL, Redis or a PDF download does not hold
a whole process, so two cores serve far more than two sync workers (which saturated near
35 req/s in the fault test). Each thread keeps its own database connection (CONN_MAX_AGE),
so size PostgreSQL's max_connections (or pgbouncer) for workers × threads per machine.
Every value can be overridden by the environment (WEB_CONCURRENCY, GUNICORN_THREADS, ...).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter): memory stays flat.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# The application logs every request itself (one structured line, without personal data:
# docs/observability.md); gunicorn's own access log is off unless GUNICORN_ACCESS_LOG names a
# file ("-" for stdout), and then leaves out the client address and the query string.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
# Behind a proxy the client address comes from X-Forwarded-For, read by TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
