"""X-Request-ID: the caller's id for a request when it sends a usable one, a fresh one otherwise.
It is echoed in the response, written in every log line and in the body of every 5xx problem."""

import re
import uuid

from flask import g, has_request_context, request

HEADER = "X-Request-ID"
USABLE = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")  # a token that goes into headers and logs unescaped


def register(app):
    app.after_request(_echo)


def current():
    """The id of the request being answered (assigned on first use), or None outside a request."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        given = request.headers.get(HEADER, "")
        g.request_id = given if USABLE.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


def _echo(response):
    response.headers[HEADER] = current()
    return response
