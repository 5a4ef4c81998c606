"""The exchange check of `tests/contract.py` fails where the service and the contract disagree."""

import json

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from tests.contract import violations

WORKED_EXAMPLE = {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}


def exchange(client, path, body):
    """A request as a caller sent it, and the service's answer to it."""
    sent = Request(EnvironBuilder(path=path, method="POST", json=body).get_environ())
    sent.get_data()
    answer = client.post(path, json=body)
    return sent, Response(answer.get_data(), answer.status_code, content_type=answer.content_type)


def altered(response, change, status=None):
    body = json.loads(response.get_data())
    change(body)
    return Response(json.dumps(body), status or response.status_code, content_type=response.content_type)


def test_the_service_answers_fit_the_contract(client):
    assert violations(*exchange(client, "/v1/graph", WORKED_EXAMPLE)) == []
    assert violations(*exchange(client, "/v1/graph", {"expression": "x", "inputs": {}})) == []
    assert violations(*exchange(client, "/v1/graph", {"expression": "x", "inputs": {"x": "1"}})) == []


@pytest.mark.parametrize("change, status", [
    (lambda body: body.update(confidence=1.0), None),           # a field the contract does not know
    (lambda body: body.pop("gradients"), None),                 # a field the contract requires
    (lambda body: body.update(value=[1.0, "1"]), None),         # a tensor that is not one
    (lambda body: None, 500),                                   # a status the contract does not list
])
def test_a_drifted_answer_is_caught(client, change, status):
    request, response = exchange(client, "/v1/graph", WORKED_EXAMPLE)
    assert violations(request, altered(response, change, status))


def test_a_request_the_contract_refuses_must_be_refused():
    request = Request(EnvironBuilder(path="/v1/graph", method="POST", json={"expression": 1}).get_environ())
    request.get_data()
    answer = {"output": "x", "value": 1.0, "gradients": {}, "nodes": [], "warnings": [],
              "descent": {"steps": 0, "learning_rate": 0.01, "costs": [1.0], "parameters": {}, "gradients": {}}}
    assert violations(request, Response(json.dumps(answer), 200, content_type="application/json"))
    problem = {"title": "Unprocessable request", "status": 422, "detail": "/expression: not a string"}
    assert violations(request, Response(json.dumps(problem), 422, content_type="application/problem+json")) == []
