"""The seed's worked examples, each against its hand derivation, through the HTTP endpoint."""

import pytest


def gradients_by_node(body):
    return {node["id"]: node["gradient"] for node in body["nodes"]}


def test_linear_function_2x_plus_4(post):
    status, body = post("/v1/graph", {"expression": "2*x + 4", "inputs": {"x": 5}})
    assert status == 200
    assert body["value"] == 14.0
    by_node = gradients_by_node(body)
    assert by_node["2 * x + 4"] == 1.0        # dy/dy
    assert by_node["2 * x"] == 1.0            # dy/d(2x) = 1 x 1
    assert by_node["x"] == 2.0                # dy/dx = 1 x 2
    assert by_node["2"] is None and by_node["4"] is None


@pytest.mark.parametrize("x, y", [(1, 2), (-0.5, 0.25), (2, -3)])
def test_cube_of_3x_plus_4y(post, x, y):
    status, body = post("/v1/graph", {"expression": "(3*x + 4*y)**3", "inputs": {"x": x, "y": y}})
    assert status == 200
    s = 3 * x + 4 * y
    assert body["value"] == pytest.approx(s ** 3)
    assert body["gradients"]["x"] == pytest.approx(9 * s ** 2)     # 3 (3x+4y)^2 x 1 x 3
    assert body["gradients"]["y"] == pytest.approx(12 * s ** 2)    # 3 (3x+4y)^2 x 1 x 4
    by_node = gradients_by_node(body)
    assert by_node["3 * x + 4 * y"] == pytest.approx(3 * s ** 2)
    assert by_node["3 * x"] == pytest.approx(3 * s ** 2)


def test_the_readme_example_exactly(post):
    status, body = post("/v1/graph", {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}})
    assert status == 200
    assert (body["output"], body["value"], body["gradients"]) == ("(3 * x + 4 * y) ** 3", 1331.0,
                                                                 {"x": 1089.0, "y": 1452.0})
    assert [n["id"] for n in body["nodes"]] == ["3", "x", "3 * x", "4", "y", "4 * y", "3 * x + 4 * y",
                                                 "(3 * x + 4 * y) ** 3"]
    assert body["descent"] == {"steps": 0, "learning_rate": 0.01, "costs": [1331.0],
                               "parameters": {"x": 1.0, "y": 2.0}, "gradients": {"x": 1089.0, "y": 1452.0}}
    assert body["warnings"] == []


@pytest.mark.parametrize("x", [-2.0, 0.0, 3.5])
def test_fan_out_sums_the_paths(post, x):
    """x feeds both x*x and the sum: dJ/dx = 2x (through x*x) + 1 (directly)."""
    status, body = post("/v1/graph", {"expression": "x*x + x", "inputs": {"x": x}, "trace": True})
    assert status == 200
    assert body["gradients"]["x"] == 2 * x + 1
    into_x = [edge["gradient"] for edge in body["edges"] if edge["from"] == "x"]
    assert sorted(into_x) == sorted([x, x, 1.0])   # x*x sends x along each of its two edges, the sum sends 1
    assert sum(into_x) == body["gradients"]["x"]


def test_trace_shows_local_times_upstream(post):
    status, body = post("/v1/graph", {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}, "trace": True})
    assert status == 200
    edge = next(e for e in body["edges"] if (e["from"], e["to"]) == ("x", "3 * x"))
    assert (edge["local"], edge["upstream"], edge["gradient"]) == (3.0, 363.0, 1089.0)
    constant = next(e for e in body["edges"] if e["from"] == "3" and e["to"] == "3 * x")
    assert constant["gradient"] is None
    for node in body["nodes"]:
        outgoing = [e["gradient"] for e in body["edges"] if e["from"] == node["id"] and e["gradient"] is not None]
        if outgoing:
            assert sum(outgoing) == pytest.approx(node["gradient"])
