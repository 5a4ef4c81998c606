"""Prometheus metrics at GET /metrics, summed over gunicorn's worker processes.

prometheus_client's multiprocess mode is on when PROMETHEUS_MULTIPROC_DIR is set before it is
imported: gunicorn.conf.py sets it in the master, so every worker writes its samples there.
"""

import os
import time
from contextlib import contextmanager

from flask import g, has_request_context, request, Response
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest,
                               multiprocess)

BY_ANSWER = ["endpoint", "method", "status"]
REQUESTS = Counter("backprop_requests", "Requests answered, by endpoint, method and status", BY_ANSWER)
LATENCY = Histogram("backprop_request_duration_seconds", "Time from the start of a request to its answer", BY_ANSWER,
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
ENGINE = Histogram("backprop_engine_duration_seconds", "Time in the engine: forward, backward and descent",
                   ["endpoint"], buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                          0.25, 0.5, 1, 2.5, 5, 10, 30))
REJECTED = Counter("backprop_rejected_requests", "Requests refused for being over a limit, by the limit's setting",
                   ["limit"])


def register(app):
    app.before_request(_start_clock)
    app.after_request(_count)


def exposition():
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


@contextmanager
def engine_time():
    """Time the engine within a request; outside one (a benchmark, a script) there is nothing to label."""
    start = time.perf_counter()
    yield
    if has_request_context():
        ENGINE.labels(_endpoint()).observe(time.perf_counter() - start)


def count_rejection(limit):
    REJECTED.labels(limit).inc()


def _start_clock():
    g.started = time.perf_counter()


def _count(response):
    labels = (_endpoint(), request.method, str(response.status_code))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(time.perf_counter() - g.get("started", time.perf_counter()))
    return response


def _endpoint():
    """The route, not the path: a label per URL anyone may send would grow without bound."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"
