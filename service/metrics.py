"""Prometheus metrics at GET /metrics, summed over gunicorn's worker processes.

prometheus_client's multiprocess mode is on when PROMETHEUS_MULTIPROC_DIR is set before it is
imported: gunicorn.conf.py sets it in the master, so every worker writes its samples there.
"""

import os
import time
from contextvars import ContextVar

from flask import Response
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest,
                               multiprocess)

BY_ANSWER = ["endpoint", "method", "status"]
REQUESTS = Counter("backprop_requests", "Requests answered, by endpoint, method and status", BY_ANSWER)
LATENCY = Histogram("backprop_request_duration_seconds", "Time from the start of a request to its answer", BY_ANSWER,
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
ENGINE = Histogram("backprop_engine_duration_seconds", "Time in the engine: forward, backward and descent",
                   ["endpoint"], buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                          0.25, 0.5, 1, 2.5, 5, 10, 30))
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}  # any other is counted as "other"
REJECTED = Counter("backprop_rejected_requests", "Requests refused for being over a limit, by the limit's setting",
                   ["limit"])


def exposition():
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def engine_time():
    """Time the engine within a request (`with metrics.engine_time(): ...`), added up for
    `count_answer`; outside a request (a benchmark, a script) the sum is simply never read."""
    return _EngineClock()


class _EngineClock:
    """A class rather than a @contextmanager generator, which costs several times more per request."""

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exception):
        _engine_seconds.set(_engine_seconds.get() + time.perf_counter() - self.start)


def start_request():
    """Called by RequestCycle as a request starts: its engine time begins at zero. (A context
    variable, so that each thread of a threaded server keeps its own.)"""
    _engine_seconds.set(0.0)


_engine_seconds = ContextVar("engine_seconds", default=0.0)


def count_rejection(limit):
    _child(REJECTED, (limit,)).inc()


def count_answer(environ, endpoint, status, seconds):
    """A request answered: its count, its latency and, if it used the engine, the engine's time."""
    method = environ.get("REQUEST_METHOD")
    labels = (endpoint, method if method in METHODS else "other", status)
    _child(REQUESTS, labels).inc()
    _child(LATENCY, labels).observe(seconds)
    engine_seconds = _engine_seconds.get()
    if engine_seconds:
        _child(ENGINE, (endpoint,)).observe(engine_seconds)


def endpoint_of(request):
    """The route, not the path: a label per URL anyone may send would grow without bound."""
    rule = getattr(request, "url_rule", None)
    return rule.rule if rule is not None else "unmatched"


# The metric with its labels, looked up once: prometheus_client's labels() checks and hashes them on
# every call. Every label is bounded (routes, METHODS, status codes, limit names), and so is this.
_children = {}


def _child(metric, labels):
    key = (metric, labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*labels)
    return child
