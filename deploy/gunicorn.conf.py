"""gunicorn settings for `make serve`; every value can be overridden from the environment.

Workers with two threads each: kb's requests are short and mostly Python, so more threads only queue
on the GIL (measured in docs/reliability.md §7: 4 threads gave 0.58 of the floor's throughput, 2 gave
0.83); the second thread lets a worker overlap a database wait or a save's index lock wait with
another request.
"""

import os

bind = os.environ.get("KB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KB_WORKERS", "2"))
threads = int(os.environ.get("KB_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("KB_WORKER_TIMEOUT", "30"))
graceful_timeout = 20
# No keep-alive by default: a kept-alive connection stays with the worker that accepted it, and under
# load one worker queued 84 % of the requests while the other idled (docs/reliability.md §7). Without
# it each request goes to whichever worker accepts first. A proxy in front (docs/deploy.md §1.7) holds
# the clients' connections; it opens one to gunicorn per request.
keepalive = int(os.environ.get("KB_KEEPALIVE", "0"))
# Recycling a worker (a guard against slow leaks) costs a cold start: templates, the search index's
# posting arrays and compiled statements are rebuilt. 20,000 requests is ~4 minutes per worker at
# 150 req/s on two workers, and hours on an ordinary day; 5,000 recycled every ~70 s under load.
max_requests = int(os.environ.get("KB_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# Trust X-Forwarded-* only from the proxies in front of us (default: loopback).
forwarded_allow_ips = os.environ.get("KB_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","remote":"%(h)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_ms":%(M)s,"agent":"%(a)s"}'
)
loglevel = os.environ.get("KB_LOG_LEVEL", "info").lower()
