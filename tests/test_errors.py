"""Every class of bad input: the right status and an application/problem+json body naming the field."""

import pytest

from service import create_app
from service.config import Settings

PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def locations(body):
    return [error["location"] for error in body["errors"]]


def test_malformed_json_is_400(client):
    body = problem(client.post("/v1/graph", data=b'{"expression": "x", ', content_type="application/json"), 400)
    assert "not valid JSON" in body["detail"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(client, content_type):
    problem(client.post("/v1/graph", data=b'{"expression": "x"}', content_type=content_type), 415)


@pytest.mark.parametrize("body, location", [
    ({"expression": "x", "inputs": {"x": False}}, "/inputs/x"),
    ({"expression": "x", "inputs": {"x": "1"}}, "/inputs/x"),
    ({"expression": "sum(x)", "inputs": {"x": [1, True]}}, "/inputs/x"),
    ({"expression": "sum(x)", "inputs": {"x": [[1, 2], [3]]}}, "/inputs/x"),
    ({"expression": "sum(x)", "inputs": {"x": [1, None]}}, "/inputs/x"),
    ({"expression": "x", "inputs": {"x": {"value": 1}}}, "/inputs/x"),
    ({"expression": "x", "inputs": {"x": 1}, "steps": 1.5}, "/steps"),
    ({"expression": "x", "inputs": {"x": 1}, "steps": -1}, "/steps"),
    ({"expression": "x", "inputs": {"x": 1}, "learning_rate": "0.1"}, "/learning_rate"),
    ({"expression": "x", "inputs": {"x": 1}, "trace": 1}, "/trace"),
    ({"expression": "x", "inputs": {"x": 1}, "colour": "red"}, "/colour"),
    ({"expression": 42, "inputs": {}}, "/expression"),
    ({"nodes": [{"id": "x", "op": "input", "extra": 1}], "inputs": {"x": 1}}, "/nodes/0/extra"),
    ({"nodes": [{"id": "x", "op": "frobnicate"}], "inputs": {}}, "/nodes/0/op"),
    ({"nodes": [{"id": "x", "op": "input"}, {"id": "y", "op": "exp", "args": [True]}], "inputs": {"x": 1}},
     "/nodes/1/args/0"),
])
def test_schema_violations_are_422_naming_the_field(client, body, location):
    assert location in locations(problem(client.post("/v1/graph", json=body), 422))


@pytest.mark.parametrize("body, location, says", [
    ({"expression": "x + y", "inputs": {"x": 1}}, "/inputs", "'y'"),
    ({"expression": "x", "inputs": {"x": 1, "z": 2}}, "/inputs/z", "'z' is not an input"),
    ({"expression": "x", "inputs": {"x": 1}, "trainable": ["w"]}, "/trainable/0", "'w'"),
    ({"expression": "x", "inputs": {"x": [1, 2]}}, "/expression", "sum() or mean()"),
    ({"expression": "sum(x + y)", "inputs": {"x": [1, 2], "y": [1, 2, 3]}}, "/expression", "'x + y'"),
    ({"expression": "sum(x @ y)", "inputs": {"x": [[1, 2]], "y": [[1, 2]]}}, "/expression", "do not align"),
    ({"expression": "sum(x, axis=2)", "inputs": {"x": [1, 2]}}, "/expression", "axis 2 is out of range"),
    ({"expression": "x.__class__", "inputs": {"x": 1}}, "/expression", "not allowed"),
    ({"expression": "(" * 500 + "x" + ")" * 500, "inputs": {"x": 1}}, "/expression", "nested"),
    ({"nodes": [{"id": "a", "op": "add", "args": ["b", 1]}, {"id": "b", "op": "exp", "args": ["a"]}], "inputs": {}},
     "/nodes/0/args", "cycle: a -> b -> a"),
    ({"nodes": [{"id": "x", "op": "input"}, {"id": "y", "op": "exp", "args": ["x", "x"]}], "inputs": {"x": 1}},
     "/nodes/1/args", "takes 1 argument"),
    ({"nodes": [{"id": "x", "op": "input"}, {"id": "y", "op": "exp", "args": ["q"]}], "inputs": {"x": 1}},
     "/nodes/1/args", "'q'"),
    ({"nodes": [{"id": "x", "op": "input"}, {"id": "x", "op": "exp", "args": ["x"]}], "inputs": {"x": 1}},
     "/nodes/1/id", "used twice"),
    ({"nodes": [{"id": "c", "op": "const"}], "inputs": {}}, "/nodes/0/value", "needs a value"),
    ({"nodes": [{"id": "x", "op": "input"}, {"id": "y", "op": "exp", "args": ["x"], "axis": 0}], "inputs": {"x": 1}},
     "/nodes/1/axis", "only sum and mean"),
    ({"nodes": [{"id": "x", "op": "input"}], "output": "nope", "inputs": {"x": 1}}, "/output", "'nope'"),
    ({"expression": "x", "nodes": [{"id": "x", "op": "input"}], "inputs": {}}, "", "exactly one"),
    ({"inputs": {}}, "", "exactly one"),
    ({"nodes": [], "inputs": {}}, "/nodes", "at least 1 item"),
])
def test_unusable_graphs_are_422_naming_the_node_or_field(client, body, location, says):
    found = problem(client.post("/v1/graph", json=body), 422)
    assert location in locations(found)
    assert says in found["detail"]


@pytest.mark.parametrize("text", [b'{"expression": "x", "inputs": {"x": NaN}}',
                                  b'{"expression": "x", "inputs": {"x": -Infinity}}',
                                  b'{"expression": "sum(x)", "inputs": {"x": [1, 1e999]}}'])
def test_non_finite_numbers_in_a_request_are_422(client, text):
    assert "/inputs/x" in locations(problem(client.post("/v1/graph", data=text, content_type="application/json"), 422))


def test_a_body_that_is_not_an_object_is_422(client):
    problem(client.post("/v1/graph", json=[1, 2]), 422)


@pytest.mark.parametrize("settings, body, names", [
    (Settings(max_body_bytes=100), {"expression": "x" * 200, "inputs": {}}, "MAX_BODY_BYTES=100"),
    (Settings(max_expression_chars=10), {"expression": "x + " * 10 + "x", "inputs": {"x": 1}}, "MAX_EXPRESSION_CHARS=10"),
    (Settings(max_nodes=3), {"nodes": [{"id": f"n{i}", "op": "input"} for i in range(4)], "inputs": {}}, "MAX_NODES=3"),
    (Settings(max_tensor_elements=10), {"expression": "sum(x)", "inputs": {"x": [0] * 11}}, "MAX_TENSOR_ELEMENTS=10"),
    (Settings(max_tensor_elements=100), {"expression": "sum(x + y)", "inputs": {"x": [[0]] * 20, "y": [0] * 20}},
     "MAX_TENSOR_ELEMENTS=100"),
    (Settings(max_work=50_000), {"expression": "x * x", "inputs": {"x": 1}, "steps": 100}, "MAX_WORK=50,000"),
])
def test_over_a_limit_is_413_naming_it(settings, body, names):
    client = create_app(settings).test_client()
    found = problem(client.post("/v1/graph", json=body), 413)
    assert names in found["detail"] or names in found["title"]


def test_too_many_steps_is_422_naming_the_limit():
    client = create_app(Settings(max_steps=10)).test_client()
    found = problem(client.post("/v1/graph", json={"expression": "x", "inputs": {"x": 1}, "steps": 11}), 422)
    assert "MAX_STEPS=10" in found["detail"]


@pytest.mark.parametrize("method, path, status", [("GET", "/nowhere", 404), ("GET", "/v1/graph", 405)])
def test_routing_errors_are_problems_too(client, method, path, status):
    problem(client.open(path, method=method), status)


@pytest.mark.parametrize("expression, inputs", [("2**10**10**10", {}), ("exp(1000)", {}), ("log(0)", {}),
                                               ("0/0", {}), ("x ** 1e308", {"x": 2})])
def test_overflow_is_an_answer_not_an_error(client, expression, inputs):
    response = client.post("/v1/graph", json={"expression": expression, "inputs": inputs})
    assert response.status_code == 200
    body = response.get_json()
    assert body["value"] in ("Infinity", "-Infinity", "NaN") and body["warnings"]


def test_integers_beyond_float64_are_422_not_a_crash(client):
    huge = b"9" * 400
    for text in [b'{"expression": "x", "inputs": {"x": ' + huge + b"}}",
                 b'{"nodes": [{"id": "x", "op": "input"}, {"id": "y", "op": "add", "args": ["x", ' + huge + b"]}],"
                 b' "inputs": {"x": 1}}']:
        problem(client.post("/v1/graph", data=text, content_type="application/json"), 422)


def test_json_nested_too_deeply_is_413_naming_the_limit(client):
    found = problem(client.post("/v1/graph", data=b"[" * 100_000 + b"]" * 100_000, content_type="application/json"), 413)
    assert "MAX_JSON_DEPTH=100" in found["detail"]
