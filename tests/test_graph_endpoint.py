"""POST /v1/graph: the two request forms, descent, tensors, non-finite numbers, and a long chain."""

import warnings

import numpy as np
import pytest

from service.engine import Graph, as_tensor
from service.engine.backprop import evaluate
from tests.numerical import central_difference

SEED_GRAPH = {
    "nodes": [{"id": "x", "op": "input"}, {"id": "y", "op": "input"},
              {"id": "a", "op": "mul", "args": [3, "x"]}, {"id": "b", "op": "mul", "args": [4, "y"]},
              {"id": "s", "op": "add", "args": ["a", "b"]}, {"id": "z", "op": "pow", "args": ["s", 3]}],
    "output": "z", "inputs": {"x": 1, "y": 2}}


def test_explicit_nodes_equal_the_expression(post):
    _, explicit = post("/v1/graph", SEED_GRAPH)
    _, parsed = post("/v1/graph", {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}})
    assert explicit["value"] == parsed["value"] == 1331.0
    assert explicit["gradients"] == parsed["gradients"]
    assert explicit["descent"] == parsed["descent"]
    explicit_values = sorted((n["value"], n["gradient"] or 0) for n in explicit["nodes"])
    parsed_values = sorted((n["value"], n["gradient"] or 0) for n in parsed["nodes"])
    assert explicit_values == parsed_values


def test_explicit_nodes_may_come_in_any_order(post):
    shuffled = {**SEED_GRAPH, "nodes": SEED_GRAPH["nodes"][::-1]}
    status, body = post("/v1/graph", shuffled)
    assert status == 200
    assert body["gradients"] == {"x": 1089.0, "y": 1452.0}
    order = [n["id"] for n in body["nodes"]]
    for node in body["nodes"]:
        assert all(order.index(arg) < order.index(node["id"]) for arg in node["args"])


def test_output_defaults_to_the_last_node(post):
    body = {key: value for key, value in SEED_GRAPH.items() if key != "output"}
    assert post("/v1/graph", body)[1]["output"] == "z"


def test_descent_on_a_squared_error_converges_to_its_minimum(post):
    status, body = post("/v1/graph", {"expression": "(w - 3)**2", "inputs": {"w": -1.0}, "steps": 200,
                                      "learning_rate": 0.1})
    assert status == 200
    costs = body["descent"]["costs"]
    assert len(costs) == 201 and costs[0] == 16.0
    assert all(later < earlier for earlier, later in zip(costs[:50], costs[1:51]))
    assert all(later <= earlier for earlier, later in zip(costs, costs[1:]))
    assert body["descent"]["parameters"]["w"] == pytest.approx(3.0, abs=1e-9)
    # w_k - 3 = (1 - 2 lr)^k (w_0 - 3): the update w := w - lr * 2 (w - 3), stepped by hand.
    assert costs[5] == pytest.approx((0.8 ** 5 * -4.0) ** 2)
    assert body["warnings"] == []


def test_one_step_is_w_minus_learning_rate_times_gradient(post):
    _, body = post("/v1/graph", {"expression": "x*y", "inputs": {"x": 2.0, "y": 5.0}, "steps": 1,
                                 "learning_rate": 0.5, "trainable": ["x"]})
    assert body["descent"]["parameters"] == {"x": 2.0 - 0.5 * 5.0}
    assert body["descent"]["gradients"] == {"x": 5.0}
    assert body["descent"]["costs"] == [10.0, -2.5]


def test_constants_have_no_gradient_and_constant_exponents_stay_finite(post):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, body = post("/v1/graph", {"expression": "(w - 3)**2", "inputs": {"w": 1.0}, "steps": 3})
    assert status == 200
    assert body["warnings"] == []
    constants = [n for n in body["nodes"] if n["op"] == "const"]
    assert constants and all(n["gradient"] is None for n in constants)


def test_tensor_inputs_broadcast_and_their_gradients_keep_their_shapes(post):
    status, body = post("/v1/graph", {"expression": "sum((W @ x + b) ** 2)",
                                      "inputs": {"W": [[1, 2], [3, 4], [5, 6]], "x": [1, -1], "b": 0.5}})
    assert status == 200
    W, x, b = np.array([[1, 2], [3, 4], [5, 6]], float), np.array([1, -1], float), 0.5
    r = W @ x + b
    assert body["value"] == pytest.approx(np.sum(r ** 2))
    np.testing.assert_allclose(body["gradients"]["W"], np.outer(2 * r, x))
    np.testing.assert_allclose(body["gradients"]["x"], W.T @ (2 * r))
    assert body["gradients"]["b"] == pytest.approx(np.sum(2 * r))


@pytest.mark.parametrize("expression, inputs", [
    ("sum(sigmoid(x) * log(y) + tanh(x / y))", {"x": [0.3, -1.2], "y": [2.0, 0.7]}),
    ("mean(relu(x) - abs(y) + sqrt(y) * exp(-x))", {"x": [[0.5, -1.0]], "y": [1.5, 2.5]}),
    ("sum(transpose(A) @ x) + mean(sin(x) * cos(x), axis=0) ^ 2", {"A": [[1.0, -2.0], [0.5, 3.0]], "x": [0.2, 0.9]}),
    ("x ** y - y / x", {"x": 1.3, "y": -0.4}),
])
def test_service_gradients_match_finite_differences(post, expression, inputs):
    status, body = post("/v1/graph", {"expression": expression, "inputs": inputs})
    assert status == 200
    for name, value in inputs.items():
        def cost(point, name=name):
            return post("/v1/graph", {"expression": expression, "inputs": {**inputs, name: point.tolist()}})[1]["value"]
        np.testing.assert_allclose(body["gradients"][name], central_difference(cost, value), rtol=1e-5, atol=1e-7)


def test_overflow_is_written_as_strings_with_a_warning(post):
    status, body = post("/v1/graph", {"expression": "exp(x) + 0*y", "inputs": {"x": 1000, "y": [1, 2]}})
    assert status == 422  # the output is not a scalar
    status, body = post("/v1/graph", {"expression": "exp(x) - exp(x)", "inputs": {"x": 1000}})
    assert status == 200
    assert body["value"] == "NaN"
    assert any("'exp(x)'" in warning for warning in body["warnings"])
    status, body = post("/v1/graph", {"expression": "sum(log(x))", "inputs": {"x": [0, 1, -1]}})
    assert status == 200
    log_node = next(n for n in body["nodes"] if n["id"] == "log(x)")
    assert log_node["value"] == ["-Infinity", 0.0, "NaN"]
    assert log_node["gradient"] == [1.0, 1.0, 1.0]
    assert body["gradients"]["x"] == ["Infinity", 1.0, -1.0]


def test_empty_tensors_are_answered(post):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, body = post("/v1/graph", {"expression": "mean(x) + sum(x @ x)", "inputs": {"x": []}})
    assert status == 200
    assert body["value"] == "NaN" and body["gradients"] == {"x": []}


def test_a_diverging_descent_says_at_which_step(post):
    status, body = post("/v1/graph", {"expression": "x**4", "inputs": {"x": 3.0}, "steps": 30,
                                      "learning_rate": 1.0})
    assert status == 200
    assert "Infinity" in body["descent"]["costs"] or "NaN" in body["descent"]["costs"]
    assert any("after descent step" in warning for warning in body["warnings"])


def test_a_chain_of_100000_operations():
    length = 100_000
    nodes = [{"id": "x", "op": "input"}] + [
        {"id": f"n{i}", "op": "add" if i % 2 else "mul", "args": [f"n{i - 1}" if i else "x", 1.0 if i % 2 else 0.5]}
        for i in range(length)]
    graph = Graph.from_nodes(nodes)
    _, gradients = evaluate(graph, {"x": as_tensor(2.0)})
    assert gradients[graph.inputs["x"]] == 0.5 ** (length // 2)


def test_a_chain_of_100000_operations_over_http(post):
    length = 100_000
    nodes = [{"id": "x", "op": "input"}] + [
        {"id": f"n{i}", "op": "sin" if i % 2 else "add", "args": [f"n{i - 1}" if i else "x"] + ([] if i % 2 else [1])}
        for i in range(length)]
    status, body = post("/v1/graph", {"nodes": nodes, "inputs": {"x": 0.5}})
    assert status == 200
    assert len(body["nodes"]) == length + 2
    expected, value = 1.0, 0.5     # d/dx sin(... sin(x + 1) + 1 ...) = product of cos at each sin's argument
    for _ in range(length // 2):
        expected *= np.cos(value + 1)
        value = np.sin(value + 1)
    assert body["value"] == pytest.approx(value)
    assert body["gradients"]["x"] == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_a_remembered_expression_answers_each_request_from_its_own_inputs(post):
    """Graphs of recent expressions are kept; nothing of one request's values may reach the next."""
    for x, expected in [([1.0, 2.0], 5.0), ([[1.0], [2.0], [3.0]], 14.0), (4.0, 16.0), ([1.0, 2.0], 5.0)]:
        status, body = post("/v1/graph", {"expression": "sum(x * x)", "inputs": {"x": x}, "steps": 1})
        assert status == 200
        assert body["value"] == expected
        np.testing.assert_allclose(body["gradients"]["x"], 2 * np.array(x))
    status, body = post("/v1/graph", {"expression": "sum(x * x)", "inputs": {"x": [[1.0, 2.0]]}, "trainable": ["y"]})
    assert status == 422
