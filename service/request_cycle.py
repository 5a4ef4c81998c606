"""What every request goes through around Flask: its id, the garbage collector paused, its metrics.

This is WSGI middleware rather than Flask's before/after/teardown hooks because, for a small request
such as the seed expression, the hooks cost more than the arithmetic: each call goes through Flask's
sync/async check and each look at `request` or `g` through a context-local proxy. Here the same work
reads the WSGI environ directly: 20 µs a request instead of 65 µs, metrics included, in an in-process
WSGI loop (docs/operations.md).
"""

import gc
import time

from service import metrics, request_ids


class RequestCycle:
    """Wraps `app.wsgi_app`, so that Flask's test client and gunicorn both go through it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        metrics.start_request()
        request_id = request_ids.assign(environ)
        answer = []

        def start_with_id(status, headers, exc_info=None):
            headers.append((request_ids.HEADER, request_id))
            # Flask calls this while its request (environ["werkzeug.request"]) is still current; after
            # it returns, the request has been popped and its matched route is gone.
            answer.append((status, metrics.endpoint_of(environ.get("werkzeug.request"))))
            return start_response(status, headers, exc_info)

        # A request for a large graph makes several hundred thousand small dicts and lists; the cyclic
        # garbage collector, triggered every 700 allocations, rescans them again and again and more than
        # doubles the time of such a request. What a request allocates is freed by reference counting,
        # and the few cycles it may leave are collected after it, so the collector is paused meanwhile.
        gc.disable()
        try:
            body = self.wsgi_app(environ, start_with_id)
        finally:
            gc.enable()
        if answer:  # the last call is the one that counts (a second one carries exc_info)
            status, endpoint = answer[-1]
            metrics.count_answer(environ, endpoint, status[:3], time.perf_counter() - started)
        return body
