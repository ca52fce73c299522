"""gunicorn's settings for jiceng-web.service (`gunicorn config.wsgi --config deploy/gunicorn.conf.py`).
Three of them from the environment file the units share (/etc/jiceng/jiceng.env); the rest fit any
office's server. Measured: 4 workers on 2 cores served ~55 requests a second (README, "How much one
server holds")."""

import multiprocessing
import os

# nginx on the same host proxies to this address; behind nginx on another host, bind the host's
# private address (and list nginx's in TRUSTED_PROXIES). A unix socket works too: unix:/run/jiceng/web.sock.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers a core: a page's time is mostly Python, with PostgreSQL waits between.
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count())
# An export of up to EXPORT_JOB_ROWS rows and an import's upload are answered within the request;
# longer work runs as a background job. nginx's proxy_read_timeout is as long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 300)
graceful_timeout = 30  # on stop or reload, requests under way are finished (TimeoutStopSec=40)
keepalive = 5
# A worker is replaced after this many requests (give or take the jitter): memory stays bounded.
max_requests = 2000
max_requests_jitter = 200
# The request lines to the journal (journalctl -u jiceng-web); the portal's own logs go to stderr too.
# The path without its query string, and no referrer: a query may carry an ID or phone number
# (?id_number=…), which the portal's own logs mask and an access log would keep whole.
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Addresses whose X-Forwarded-Proto gunicorn believes (nginx's); the portal reads the client's address
# itself, from TRUSTED_PROXIES.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "jiceng-web"
