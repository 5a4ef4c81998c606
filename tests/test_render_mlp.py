"""`POST /v1/mlp/render`: a network's computational graph, by layer or, for the classic figure, by number."""

import pytest

from tests.pictures import TWO_LAYER_LINEAR, graphviz_installed, laid_out, node_texts  # noqa: F401 (a fixture)


def test_the_scalar_two_layer_network_has_the_nodes_and_edges_of_the_classic_figure(client, post):
    """Two inputs, a hidden layer of two units and one output unit, one example, squared error.

    Nodes: x_1, x_2; six weights and three biases; the target y_1 (12). Per unit fed n inputs: n
    products, n - 1 partial sums and the bias sum: 2 x (2 + 1 + 1) + (2 + 1 + 1) = 12. The cost:
    z - y, the constant 2, (z - y) ** 2, the constant 1 (the number of examples) and J (5). 29.
    Edges: two into every product, sum and cost operation: 2 x (12 + 3) = 30.
    """
    response = client.post("/v1/mlp/render", json={**TWO_LAYER_LINEAR, "granularity": "scalar", "format": "dot"})
    assert response.status_code == 200
    nodes, edges = laid_out(response.get_data(as_text=True))
    assert (len(nodes), len(edges)) == (29, 30)
    _, answer = post("/v1/mlp", {**TWO_LAYER_LINEAR, "graph": True, "granularity": "scalar", "trace": True})
    assert (len(nodes), len(edges)) == (len(answer["graph"]["nodes"]), len(answer["graph"]["edges"]))


def test_x2_collects_the_two_gradients_that_flow_back_to_it(client, post):
    """The seed's last note: dJ/dx_2 = -2 w_12^[2] w_22^[1] (y - y^) + -2 w_11^[2] w_12^[1] (y - y^)."""
    response = client.post("/v1/mlp/render", json={**TWO_LAYER_LINEAR, "granularity": "scalar"})
    assert response.status_code == 200 and response.content_type == "image/svg+xml"
    y_hat = 0.5 * (0.1 * 1 + 0.2 * 2) + 0.6 * (0.3 * 1 + 0.4 * 2)
    through_unit_2, through_unit_1 = -2 * 0.6 * 0.4 * (1 - y_hat), -2 * 0.5 * 0.2 * (1 - y_hat)
    gradient_line = node_texts(response.get_data(as_text=True))["x_2"][-1]
    assert gradient_line == f"gradient {through_unit_1:.6g} + {through_unit_2:.6g} = {through_unit_1 + through_unit_2:.6g}"


def test_the_layer_level_graph_is_the_default(client):
    response = client.post("/v1/mlp/render", json=TWO_LAYER_LINEAR)
    assert response.status_code == 200
    drawn = node_texts(response.get_data(as_text=True))
    assert {"X", "W1", "b1", "Z1", "W2", "b2", "Z2", "J"} <= set(drawn)
    assert "parameter" in drawn["W1"] and "input" in drawn["X"]
    assert drawn["J"][-2:] == ["value 0.0081", "gradient 1"]


def test_a_render_always_draws_the_graph(post):
    status, problem = post("/v1/mlp/render", {**TWO_LAYER_LINEAR, "graph": False})
    assert status == 422 and problem["errors"][0]["location"] == "/graph"


@pytest.mark.parametrize("body, status, location", [
    ({**TWO_LAYER_LINEAR, "format": "jpeg"}, 422, "/format"),
    ({**TWO_LAYER_LINEAR, "layers": []}, 422, "/layers"),
    ({**TWO_LAYER_LINEAR, "parameters": None, "inputs": [[1.0] * 60], "granularity": "scalar"}, 413, "/granularity"),
])
def test_a_bad_request_is_a_problem_naming_its_field(post, body, status, location):
    answered, problem = post("/v1/mlp/render", body)
    assert answered == status
    assert [error["location"] for error in problem["errors"]] == [location]
