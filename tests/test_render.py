"""`POST /v1/graph/render`: the annotated computational graph, as SVG, PNG or DOT text."""

import pytest

from service import create_app
from service.config import Settings
from tests.pictures import chain, edge_labels, graphviz_installed, laid_out, node_texts  # noqa: F401 (a fixture)

CUBE = {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}


def render(client, body):
    response = client.post("/v1/graph/render", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_the_svg_shows_every_node_with_its_value_and_gradient(client, post):
    svg = render(client, CUBE)
    assert svg.content_type == "image/svg+xml"
    _, answer = post("/v1/graph", CUBE)
    drawn = node_texts(svg.get_data(as_text=True))
    assert set(drawn) == {node["id"] for node in answer["nodes"]}
    for node in answer["nodes"]:
        lines = drawn[node["id"]]
        if node["op"] != "const":
            assert f"value {node['value']:g}" in lines
        if node["gradient"] is not None:
            assert f"gradient {node['gradient']:g}" in lines
    assert "value 1331" in drawn["(3 * x + 4 * y) ** 3"] and "gradient 1089" in drawn["x"]


def test_each_edge_is_labelled_with_the_gradient_flowing_back_along_it(client, post):
    svg = render(client, CUBE).get_data(as_text=True)
    _, answer = post("/v1/graph", {**CUBE, "trace": True})
    flowing = sorted(f"{edge['gradient']:g}" for edge in answer["edges"] if edge["gradient"] is not None)
    assert edge_labels(svg) == flowing == sorted(["1089", "1452", "363", "363", "363"])


def test_a_node_with_several_consumers_shows_the_sum_it_collects(client):
    """x feeds x*x twice and the sum once: 3 + 3 + 1 = 7 = dJ/dx at x = 3."""
    svg = render(client, {"expression": "x*x + x", "inputs": {"x": 3}}).get_data(as_text=True)
    assert "gradient 3 + 3 + 1 = 7" in node_texts(svg)["x"]
    assert edge_labels(svg) == ["1", "1", "3", "3"]  # x to x*x twice, x*x to the sum, x to the sum


def test_the_dot_text_parses_back_with_graphviz(client, post):
    body = {"expression": "sum(W @ v) + x*x + x", "inputs": {"x": 3, "W": [[1, 2], [3, 4]], "v": [1, 1]}}
    response = render(client, {**body, "format": "dot"})
    assert response.content_type == "text/vnd.graphviz"
    nodes, edges = laid_out(response.get_data(as_text=True))
    _, answer = post("/v1/graph", {**body, "trace": True})
    assert len(nodes) == len(answer["nodes"]) and len(edges) == len(answer["edges"])
    assert all(node["label"].startswith("<") for node in nodes)  # HTML labels, each escaped by the renderer


def test_inputs_parameters_constants_and_the_cost_are_drawn_distinctly(client):
    dot_text = render(client, {**CUBE, "trainable": ["x"], "format": "dot"}).get_data(as_text=True)
    nodes, _ = laid_out(dot_text)
    fill = {node["tooltip"]: node["fillcolor"] for node in nodes}
    kinds = {"parameter": fill["x"], "input": fill["y"], "constant": fill["3"], "cost": fill["(3 * x + 4 * y) ** 3"]}
    assert len(set(kinds.values())) == 4, kinds
    assert fill["3 * x"] not in kinds.values()


def test_ids_that_are_not_dot_syntax_are_drawn_as_they_are(client):
    odd = ['<b>"x"</b>', "a -> b; }", "back\\slash\\", "node"]
    nodes = [{"id": odd[0], "op": "input"}, {"id": odd[1], "op": "sin", "args": [odd[0]]},
             {"id": odd[2], "op": "mul", "args": [odd[1], 2]}, {"id": odd[3], "op": "sum", "args": [odd[2]]}]
    body = {"nodes": nodes, "inputs": {odd[0]: 0.5}}
    svg = render(client, body).get_data(as_text=True)
    assert set(odd) <= set(node_texts(svg))
    dot_nodes, dot_edges = laid_out(render(client, {**body, "format": "dot"}).get_data(as_text=True))
    assert (len(dot_nodes), len(dot_edges)) == (5, 4)


def test_a_tensor_is_summarised_by_its_shape_and_a_few_entries(client):
    body = {"expression": "sum(W)", "inputs": {"W": [[float(i + j) for j in range(300)] for i in range(200)]}}
    response = render(client, {**body, "format": "dot"})
    dot_text = response.get_data(as_text=True)
    assert "200×300 [[0, 1, ..., 298, 299]," in dot_text
    assert len(dot_text) < 5_000


def test_numbers_that_are_not_finite_are_drawn_by_name(client):
    svg = render(client, {"expression": "sum(log(v)) + log(x)", "inputs": {"v": [0, 1], "x": 0}}).get_data(as_text=True)
    drawn = node_texts(svg)
    assert drawn["log(x)"][1:] == ["value -inf", "gradient 1"] and drawn["x"][1:] == ["value 0", "gradient inf"]
    assert drawn["v"][1:] == ["value 2 [0, 1]", "gradient 2 [inf, 1]"]


def test_png_is_a_png(client):
    response = render(client, {**CUBE, "format": "png"})
    assert response.content_type == "image/png" and response.data.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_2000_node_chain_is_drawn(client):
    svg = render(client, {"nodes": chain(2000), "inputs": {"x": 0.5}}).get_data(as_text=True)
    assert len(node_texts(svg)) == 2000


def test_a_2000_node_graph_whose_edges_span_many_ranks_is_refused_before_layout(post):
    """Every node also uses x, so x's edges cross every rank: a layout of millions of hidden nodes."""
    nodes = chain(2000)
    for node in nodes[2:-1]:
        node["op"], node["args"] = "add", [node["args"][0], "x"]
    status, problem = post("/v1/graph/render", {"nodes": nodes, "inputs": {"x": 0.5}})
    assert status == 422
    assert problem["errors"][0]["location"] == "/nodes"
    assert "MAX_LAYOUT_SIZE=5,000" in problem["errors"][0]["message"]


def test_without_graphviz_a_picture_is_503_but_dot_text_still_works(tmp_path):
    client = create_app(Settings(graphviz_dot=str(tmp_path / "no-such-dot"))).test_client()
    response = client.post("/v1/graph/render", json=CUBE)
    assert response.status_code == 503 and response.content_type == "application/problem+json"
    assert "Graphviz is not installed" in response.get_json()["detail"]
    assert "GRAPHVIZ_DOT" in response.get_json()["detail"]
    assert client.post("/v1/graph/render", json={**CUBE, "format": "dot"}).status_code == 200


def stand_in_dot(tmp_path, script):
    program = tmp_path / "dot"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(0o755)
    return str(program)


def test_a_layout_that_overruns_its_time_is_refused_naming_the_limit(tmp_path):
    never_finishes = stand_in_dot(tmp_path, "exec sleep 600")
    client = create_app(Settings(graphviz_dot=never_finishes, render_timeout_seconds=1)).test_client()
    response = client.post("/v1/graph/render", json=CUBE)
    assert response.status_code == 422
    assert "RENDER_TIMEOUT_SECONDS=1" in response.get_json()["detail"]


def test_a_graphviz_failure_is_explained(tmp_path):
    failing = stand_in_dot(tmp_path, "cat >/dev/null; echo 'Error: out of memory' >&2; exit 1")
    response = create_app(Settings(graphviz_dot=failing)).test_client().post("/v1/graph/render", json=CUBE)
    assert response.status_code == 422
    assert "Graphviz could not lay out this graph (Error: out of memory)" in response.get_json()["detail"]


@pytest.mark.parametrize("body, location", [
    ({**CUBE, "format": "gif"}, "/format"),
    ({"expression": "(3*x + ", "inputs": {"x": 1}}, "/expression"),
    ({"expression": "(3*x + 4*y)**3", "inputs": {"x": 1}}, "/inputs"),
])
def test_a_bad_request_is_a_problem_naming_its_field(client, body, location):
    response = client.post("/v1/graph/render", json=body)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert [error["location"] for error in response.get_json()["errors"]] == [location]
