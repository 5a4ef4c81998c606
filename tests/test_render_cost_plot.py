"""`cost_plot`: the cost against the step as SVG, on `/v1/graph` and `/v1/mlp` when asked."""

import xml.etree.ElementTree as ElementTree

from tests.pictures import SVG, TWO_LAYER_LINEAR

DESCENT = {"expression": "(w - 3)**2", "inputs": {"w": 0}, "steps": 3, "learning_rate": 0.25}


def texts(svg):
    return [text.text for text in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def test_descent_on_graph_returns_the_cost_curve(post):
    status, answer = post("/v1/graph", {**DESCENT, "cost_plot": True})
    assert status == 200
    words = texts(answer["cost_plot"])
    assert "cost over 3 steps: 9 → 0.1406" in words and "cost J" in words and "step" in words
    assert answer["descent"]["costs"] == [9.0, 2.25, 0.5625, 0.140625]


def test_costs_spanning_decades_are_drawn_on_a_log_scale(post):
    status, answer = post("/v1/graph", {**DESCENT, "steps": 10, "cost_plot": True})
    assert status == 200 and "cost J (log scale)" in texts(answer["cost_plot"])


def test_a_cost_that_stops_being_finite_is_named_in_the_title(post):
    """w := w - 1.5 * 2w = -2w: the cost w^2 grows fourfold each step until float64 overflows."""
    status, answer = post("/v1/graph", {"expression": "w**2", "inputs": {"w": 1}, "steps": 600,
                                        "learning_rate": 1.5, "cost_plot": True})
    assert status == 200
    assert any(word.endswith("(not finite from step 512)") for word in texts(answer["cost_plot"]))


def test_default_answers_have_no_cost_plot(post):
    assert "cost_plot" not in post("/v1/graph", DESCENT)[1]
    assert "cost_plot" not in post("/v1/mlp", {**TWO_LAYER_LINEAR, "steps": 2})[1]


def test_a_cost_curve_needs_descent(post):
    for path, body in [("/v1/graph", DESCENT), ("/v1/mlp", TWO_LAYER_LINEAR)]:
        status, problem = post(path, {**body, "steps": 0, "cost_plot": True})
        assert status == 422
        assert problem["errors"] == [{"location": "/cost_plot", "message": "a cost curve needs steps > 0"}]


def test_training_a_network_returns_its_cost_curve(post):
    status, answer = post("/v1/mlp", {**TWO_LAYER_LINEAR, "steps": 20, "learning_rate": 0.1, "cost_plot": True})
    assert status == 200
    assert any(word.startswith("cost over 20 steps: 0.0081 → ") for word in texts(answer["cost_plot"]))
