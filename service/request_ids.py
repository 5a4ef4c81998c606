"""X-Request-ID: the caller's id for a request when it sends a usable one, a fresh one otherwise.
It is echoed in the response, written in every log line and in the body of every 5xx problem.
`request_cycle.RequestCycle` assigns it before Flask sees the request."""

import os
import re

from flask import has_request_context, request

HEADER = "X-Request-ID"
ENVIRON_KEY = "backprop.request_id"
USABLE = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")  # a token that goes into headers and logs unescaped


def assign(environ):
    """The request's id, kept in its WSGI environ: the one sent, if usable, or 32 random hex digits."""
    given = environ.get("HTTP_X_REQUEST_ID", "")
    environ[ENVIRON_KEY] = request_id = given if USABLE.fullmatch(given) else os.urandom(16).hex()
    return request_id


def current():
    """The id of the request being answered, or None outside a request."""
    return request.environ.get(ENVIRON_KEY) if has_request_context() else None
