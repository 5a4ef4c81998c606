"""The app's error handlers: every exception, expected or not, is answered as a problem."""

import logging

from flask import Flask
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from service import metrics, request_ids
from service.codec import json_response
from service.engine import GraphError
from service.problems import Problem, invalid, pointer

log = logging.getLogger(__name__)


def register(app: Flask):
    app.register_error_handler(Problem, _respond)
    app.register_error_handler(ValidationError, lambda e: _respond(_from_validation(e)))
    app.register_error_handler(GraphError, lambda e: _respond(
        invalid([{"location": pointer(e.location), "message": e.message}])))
    app.register_error_handler(HTTPException, lambda e: _respond(Problem(e.code, e.name, e.description)))
    app.register_error_handler(Exception, _unexpected)


def _respond(problem):
    body = problem.body()
    if problem.status >= 500:
        body["request_id"] = request_ids.current()
    if problem.limit:
        metrics.count_rejection(problem.limit)
    response = json_response(body, problem.status, content_type="application/problem+json")
    response.headers.update(problem.headers)
    return response


def _from_validation(error):
    return invalid([{"location": pointer(e["loc"]), "message": e["msg"]} for e in error.errors(include_url=False)])


def _unexpected(error):
    log.exception("unexpected error")
    return _respond(Problem(500, "Internal Server Error", "the service failed to answer this request"))
