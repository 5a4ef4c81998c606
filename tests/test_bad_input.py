"""The bad-input suite: each hostile or broken request is answered 4xx problem+json naming what is wrong
(or 200 with non-finite values as strings and a warning, where that is the answer), never 500. How long
each may take is bounded by a limit it runs into, named in the answer, not by a clock in the test."""

import json

import pytest

from service.openapi import ENDPOINTS
from tests.test_errors import locations, problem

POST_PATHS = [path for path, *_ in ENDPOINTS]
SEED = {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}
TEN_MB = "x" * 10_000_000


def send(client, body, path="/v1/graph"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(path, data=data, content_type="application/json")


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize("data", [b'{"expression": "x", "inputs": {"x"', b"{", b"", b"nul", b"{'a': 1}", b'{"a": 1,}',
                                  b"\xff\xfe{}", b'{"a": 1} trailing'])
def test_truncated_or_invalid_json_is_400_on_every_endpoint(client, path, data):
    assert "not valid JSON" in problem(send(client, data, path), 400)["detail"]


@pytest.mark.parametrize("length", ["abc", "1e3", "12 34"])
def test_a_content_length_that_is_not_a_number_is_400(client, length):
    response = client.post("/v1/graph", data=json.dumps(SEED), content_type="application/json",
                           environ_overrides={"CONTENT_LENGTH": length})
    assert "Content-Length is not a number" in problem(response, 400)["detail"]


@pytest.mark.parametrize("path", POST_PATHS)
def test_json_nested_deeper_than_the_limit_is_413_on_every_endpoint(client, path):
    found = problem(send(client, b'{"inputs": ' + b"[" * 5000 + b"]" * 5000 + b"}", path), 413)
    assert "MAX_JSON_DEPTH=100" in found["detail"]


@pytest.mark.parametrize("path", POST_PATHS)
def test_a_10_mb_string_is_refused_on_every_endpoint(client, path):
    status = send(client, {"expression": TEN_MB, "layers": TEN_MB}, path).status_code
    assert status in (413, 422)


def test_a_10_mb_expression_is_413_naming_its_limit(client):
    assert "MAX_EXPRESSION_CHARS=20,000" in problem(send(client, {"expression": TEN_MB, "inputs": {}}), 413)["detail"]


def test_a_10_mb_node_id_is_422_at_its_field(client):
    found = problem(send(client, {"nodes": [{"id": TEN_MB, "op": "input"}], "inputs": {}}), 422)
    assert "/nodes/0/id" in locations(found)


WRONG_TYPES = [None, True, "text", 1.5, -1, [], {}, [[1], 2]]
FIELDS = ["expression", "nodes", "output", "inputs", "trainable", "steps", "learning_rate", "trace"]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_wrong_types_at_every_field_are_4xx_never_500(client, field, value):
    body = {**SEED, field: value} if field != "nodes" else {"nodes": value, "inputs": {}}
    response = send(client, body)
    assert response.status_code in (200, 422), response.get_data(as_text=True)
    if response.status_code == 422:
        assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("node_field", ["id", "op", "args", "axis", "value"])
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_wrong_types_inside_a_node_are_422_at_the_node(client, node_field, value):
    node = {"id": "y", "op": "exp", "args": ["x"], node_field: value}
    response = send(client, {"nodes": [{"id": "x", "op": "input"}, node], "inputs": {"x": 1}})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert any(location.startswith("/nodes") for location in locations(problem(response, 422)))


@pytest.mark.parametrize("text", [b'{"expression": "x", "inputs": {"x": 1e999}}',
                                  b'{"expression": "x", "inputs": {"x": -1e999}}',
                                  b'{"expression": "x", "inputs": {"x": ' + b"9" * 5000 + b"}}",
                                  b'{"expression": "x", "inputs": {"x": 1}, "steps": ' + b"9" * 5000 + b"}",
                                  b'{"expression": "x", "inputs": {"x": 1}, "learning_rate": 1e999}'])
def test_huge_numbers_are_422_naming_the_field(client, text):
    assert locations(problem(send(client, text), 422))


def test_a_huge_step_count_is_refused_before_any_step(client):
    found = problem(send(client, {**SEED, "steps": 10**15}), 422)
    assert "MAX_STEPS=100,000" in found["detail"]


def test_work_over_the_budget_is_413_before_any_step(client):
    found = problem(send(client, {"expression": "sum(x * x)", "inputs": {"x": [1.0] * 100_000}, "steps": 100_000}), 413)
    assert "MAX_WORK=" in found["detail"]


def test_an_enormous_array_is_413_naming_the_element_limit(client):
    found = problem(send(client, {"expression": "sum(x)", "inputs": {"x": [0.5] * 1_000_001}}), 413)
    assert "MAX_TENSOR_ELEMENTS=1,000,000" in found["detail"]


def test_an_enormous_broadcast_is_413_before_it_is_made(client):
    column, row = [[0.5]] * 10_000, [0.5] * 10_000
    found = problem(send(client, {"expression": "sum(a * b)", "inputs": {"a": column, "b": row}}), 413)
    assert "MAX_TENSOR_ELEMENTS" in found["detail"]


def test_too_many_nodes_is_413_naming_the_limit(client):
    nodes = [{"id": f"n{i}", "op": "input"} for i in range(250_001)]
    assert "MAX_NODES=250,000" in problem(send(client, {"nodes": nodes, "inputs": {}}), 413)["detail"]


@pytest.mark.parametrize("nodes, says", [
    ([{"id": "a", "op": "exp", "args": ["a"]}], "cycle"),
    ([{"id": "a", "op": "add", "args": ["b", 1]}, {"id": "b", "op": "mul", "args": ["c", 2]},
      {"id": "c", "op": "neg", "args": ["a"]}], "cycle"),
])
def test_cycles_are_422_naming_them(client, nodes, says):
    assert says in problem(send(client, {"nodes": nodes, "inputs": {}}), 422)["detail"]


@pytest.mark.parametrize("body, location", [
    ({"nodes": [{"id": "x", "op": "frobnicate"}], "inputs": {}}, "/nodes/0/op"),
    ({"expression": "frobnicate(x)", "inputs": {"x": 1}}, "/expression"),
    ({"expression": "__import__('os').system('true')", "inputs": {}}, "/expression"),
    ({"expression": "x if x else x", "inputs": {"x": 1}}, "/expression"),
])
def test_unknown_operations_are_422_at_their_place(client, body, location):
    assert location in locations(problem(send(client, body), 422))


@pytest.mark.parametrize("expression, value", [("2**10**10**10", "Infinity"), ("exp(1000)", "Infinity"),
                                               ("log(0)", "-Infinity"), ("0/0", "NaN"), ("-exp(1000)", "-Infinity"),
                                               ("exp(1000) - exp(1000)", "NaN")])
def test_overflow_is_200_with_the_value_as_a_string_and_a_warning(client, expression, value):
    response = send(client, {"expression": expression, "inputs": {}})
    assert response.status_code == 200
    body = response.get_json()
    assert body["value"] == value and body["warnings"]


def test_a_diverging_descent_is_200_with_a_warning(client):
    response = send(client, {"expression": "exp(x * x)", "inputs": {"x": 3.0}, "steps": 50, "learning_rate": 10.0})
    assert response.status_code == 200
    assert response.get_json()["warnings"]
