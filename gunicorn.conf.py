"""gunicorn settings for production; every one can be overridden on the command line.

    gunicorn config.wsgi

WEB_CONCURRENCY sets the number of worker processes (default: 2 per core, plus one).
"""

import multiprocessing
import os

bind = os.getenv("BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A worker that hangs (a stuck database) is replaced instead of holding requests forever.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Only our reverse proxy on this machine may say the request came in over HTTPS.
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
# No client address or browser: those are personal data and the logs need neither.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = "config.logs.RedactingGunicornLogger"
