"""The contract checked on real exchanges: each request a client sent and each answer it got, against
the checked-in openapi.yaml, with openapi-core.

`RecordingProxy` sits between a client (in any language) and the service on loopback and keeps every
exchange, so that a test can check all of them, not only the ones its client chose to print.
"""

import threading
from pathlib import Path

import requests
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.deserializing.media_types.util import json_loads, plain_loads
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

OPENAPI_YAML = Path(__file__).resolve().parent.parent / "openapi.yaml"

CONTRACT = OpenAPI.from_file_path(str(OPENAPI_YAML), config=Config(
    extra_media_type_deserializers={"application/problem+json": json_loads, **dict.fromkeys(
        ["application/yaml", "text/csv", "image/svg+xml", "text/vnd.graphviz"], plain_loads)},
    additional_properties_default_policy="forbid",  # a field the service answers must be in the contract
))

HOP_BY_HOP = {"host", "connection", "keep-alive", "upgrade", "http2-settings", "transfer-encoding", "content-length",
              "accept-encoding"}


def violations(request, response):
    """What in one exchange (a werkzeug Request and Response) the contract does not allow, in words.

    Both ways: the answer must fit the contract, and a request the contract refuses must have been
    refused by the service too (a 4xx). A request the contract allows may still be refused, for what a
    schema cannot say (a name missing from `inputs`, say).
    """
    found = []
    if request.method == "POST" and not 400 <= response.status_code < 500:
        found += [f"the service accepted a request the contract refuses: {_explain(error)}"
                  for error in CONTRACT.iter_request_errors(WerkzeugOpenAPIRequest(request))]
    found += [_explain(error) for error in CONTRACT.iter_response_errors(
        WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))]
    return [f"{request.method} {request.path} -> {response.status_code}: {problem}" for problem in found]


def _explain(error):
    causes = [error]
    while causes[-1].__cause__ is not None:
        causes.append(causes[-1].__cause__)
    schema_errors = getattr(causes[-1], "schema_errors", ())
    return "; ".join([repr(cause) for cause in causes[:-1]] + [f"{causes[-1]!r:.300}"]
                     + [f"{'/'.join(map(str, e.absolute_path))}: {e.message:.300}" for e in schema_errors])


def assert_fits_contract(exchanges):
    assert exchanges, "no exchange was recorded"
    problems = [problem for request, response in exchanges for problem in violations(request, response)]
    assert not problems, "\n".join(problems)


class RecordingProxy:
    """An HTTP server on loopback that forwards every request to `upstream` and keeps (request, response)."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.exchanges = []
        self._server = make_server("127.0.0.1", 0, self._forward, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()

    @Request.application
    def _forward(self, request):
        headers = {name: value for name, value in request.headers.items() if name.lower() not in HOP_BY_HOP}
        answer = requests.request(request.method, self.upstream + request.full_path.rstrip("?"), headers=headers,
                                  data=request.get_data(), timeout=120)
        response = Response(answer.content, answer.status_code, content_type=answer.headers.get("Content-Type"))
        self.exchanges.append((request, response))
        return response
