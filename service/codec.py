"""JSON in and out with orjson: requests parsed once, arrays written without a trip through Python floats."""

import json
import math
import re

import numpy as np
import orjson
from flask import Response, current_app, request

from schemas.tensor import MAY_HOLD_BOOLEANS
from service import limits
from service.problems import Problem, invalid

NONFINITE_NAMES = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
# `true` or `false` as an array element: after `[` or `,` (in an object, a `,` is followed by a key).
# Only then can a tensor hold a boolean that NumPy would silently read as 1 or 0; a false alarm (the
# text inside a string) costs only the slower, exact check. (The plain `in` tests run first: they are
# several times faster than the expression on a body with neither word.)
BOOLEAN_IN_ARRAY = re.compile(rb"[\[,]\s*(?:true|false)")


def read_request(model):
    """The request body, validated against a Pydantic model: a 422 names each field that is wrong."""
    body, may_hold_booleans = _read_json_object()
    return model.model_validate(body, context={MAY_HOLD_BOOLEANS: may_hold_booleans})


def _read_json_object():
    """The request body as a dict, and whether an array in it may hold booleans.

    Raises a Problem: 415 for a body that is not declared JSON, 400 for one that is not JSON.
    NaN and Infinity tokens (not JSON, but sent by some encoders) parse, so that validation can
    answer 422 naming the field rather than 400 for the whole body.
    """
    environ = request.environ
    mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    if not (mimetype == "application/json" or mimetype.endswith("+json")):
        raise Problem(415, "Unsupported Media Type",
                      f"send the body as application/json, not {mimetype or 'no content type'}")
    settings = current_app.config["SETTINGS"]
    body = _read_body(environ, settings)
    limits.check_json_depth(body, settings)
    data = _parse(body)
    if not isinstance(data, dict):
        raise invalid([{"location": "", "message": "the body must be a JSON object"}])
    return data, (b"true" in body or b"false" in body) and BOOLEAN_IN_ARRAY.search(body) is not None


def _read_body(environ, settings):
    """The body, straight from the WSGI input (werkzeug's wrapped stream took 22 µs of a small request,
    more than validating it), refused with 413 over MAX_BODY_BYTES: by its Content-Length when it has
    one, and when it is sent chunked, by reading one byte past the limit, so it is never cut off unsaid."""
    length = environ.get("CONTENT_LENGTH")
    if length:
        try:
            length = int(length)
        except ValueError:
            raise Problem(400, "Bad Request", f"Content-Length is not a number: {length!r:.40}") from None
        if length > settings.max_body_bytes:
            raise limits.body_too_large(length, settings)
        return environ["wsgi.input"].read(length) if length > 0 else b""
    if environ.get("wsgi.input_terminated") or environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
        body = environ["wsgi.input"].read(settings.max_body_bytes + 1)
        if len(body) > settings.max_body_bytes:
            raise limits.body_too_large(None, settings)
        return body
    return b""


def _parse(body):
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        try:  # the standard parser also reads NaN, Infinity and integers beyond 64 bits
            return json.loads(body, parse_int=_integer)
        except (ValueError, RecursionError):
            raise Problem(400, "Bad Request", f"the body is not valid JSON: {error}") from None


def _integer(digits):
    """Python refuses to read an integer of more than 4,300 digits; as a float it is infinite, which
    validation then refuses at its field."""
    return int(digits) if len(digits) <= 4300 else float(digits)


def json_response(payload, status=200, content_type="application/json"):
    return Response(orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY), status, content_type=content_type)


def encode_tensor(tensor):
    """A JSON-ready tensor: a float or a contiguous float64 array; non-finite numbers as their names."""
    if type(tensor) is np.float64:  # the common case, written by orjson as it is
        return tensor if math.isfinite(tensor) else NONFINITE_NAMES[str(float(tensor))]
    if tensor is None:
        return None
    if np.ndim(tensor) == 0:
        number = float(tensor)
        return number if math.isfinite(number) else NONFINITE_NAMES[str(number)]
    if np.isfinite(tensor).all():
        return np.ascontiguousarray(tensor, dtype=np.float64)
    return _named_nonfinite(np.asarray(tensor, dtype=np.float64)).tolist()


def _named_nonfinite(tensor):
    named = tensor.astype(object)
    named[np.isnan(tensor)] = "NaN"
    named[tensor == np.inf] = "Infinity"
    named[tensor == -np.inf] = "-Infinity"
    return named
