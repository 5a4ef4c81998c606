"""POST /v1/mlp refusals: each kind of shape error is a 422 naming the parameter and both shapes;
limits are 413s naming the setting; answers fit the OpenAPI contract."""

import jsonschema
import pytest

from service import create_app
from service.config import Settings
from service.openapi import openapi_document

BASE = {"layers": [{"units": 3, "activation": "relu"}, {"units": 1, "activation": "linear"}], "loss": "mse",
        "inputs": [[1.0, 2.0], [0.5, -1.0]], "targets": [[1.0], [0.0]],
        "parameters": {"W1": [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], "b1": [0, 0, 0], "W2": [[0.7, -0.8, 0.9]], "b2": [0]}}


def without_nones(request):
    """A None in these tables means: leave the field out (here, parameters, so that init draws them)."""
    return {key: value for key, value in request.items() if value is not None}


def with_parameter(name, value):
    return {**BASE, "parameters": {**BASE["parameters"], name: value}}


@pytest.mark.parametrize("request_body, location, words", [
    (with_parameter("W1", [[0.1, 0.2, 0.3]] * 3), "/parameters/W1", ["W1", "(3, 3)", "(3, 2)", "inputs", "(2, 2)"]),
    (with_parameter("W2", [[0.7, -0.8]]), "/parameters/W2", ["W2", "(1, 2)", "(1, 3)", "layer 1 has 3 units"]),
    (with_parameter("b1", [0, 0]), "/parameters/b1", ["b1", "(2,)", "(3,)"]),
    (with_parameter("W3", [[1.0]]), "/parameters/W3", ["W3", "W1, b1, W2, b2"]),
    ({**BASE, "parameters": {k: v for k, v in BASE["parameters"].items() if k != "b2"}}, "/parameters", ["b2"]),
    ({**BASE, "targets": [1.0, 0.0]}, "/targets", ["(2,)", "(2, 1)"]),
    ({**BASE, "targets": [[1.0], [0.0], [1.0]]}, "/targets", ["(3, 1)", "(2, 1)", "2 examples"]),
    ({**BASE, "inputs": [1.0, 2.0]}, "/inputs", ["matrix", "(2,)"]),
    ({**BASE, "inputs": [[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]]}, "/parameters/W1", ["(3, 2)", "(3, 3)", "inputs"]),
])
def test_each_shape_error_names_the_parameter_and_both_shapes(post, request_body, location, words):
    status, body = post("/v1/mlp", request_body)
    assert status == 422
    assert body["errors"][0]["location"] == location
    for word in words:
        assert word in body["errors"][0]["message"]


@pytest.mark.parametrize("change, location, words", [
    ({"loss": "cross_entropy"}, "/loss", ["softmax", "mse with any last activation", "binary_cross_entropy with sigmoid"]),
    ({"loss": "binary_cross_entropy"}, "/loss", ["sigmoid", "cross_entropy with softmax"]),
    ({"layers": [{"units": 3, "activation": "softmax"}, {"units": 1, "activation": "linear"}]}, "/layers/0/activation",
     ["last layer only"]),
    ({"layers": [{"units": 3, "activation": "relu"}, {"units": 2, "activation": "softmax"}], "loss": "cross_entropy",
      "parameters": None, "targets": [2, 0]}, "/targets", ["0 to 1"]),
    ({"layers": [{"units": 3, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
      "loss": "binary_cross_entropy", "targets": [[2.0], [0.0]]}, "/targets", ["between 0 and 1"]),
    ({"batch_size": 3}, "/batch_size", ["only 2 examples"]),
    ({"init": {"seed": 1}}, "", ["not both"]),
    ({"granularity": "scalar"}, "", ["graph"]),
    ({"layers": [{"units": 3, "activation": "swish"}, {"units": 1, "activation": "linear"}]}, "/layers/0/activation", []),
    ({"optimizer": {"name": "adam", "betas": [0.9, 1.0]}}, "/optimizer/adam/betas/1", []),
    ({"inputs": [[1.0, True], [0.5, -1.0]]}, "/inputs", ["numbers"]),
])
def test_requests_that_are_not_a_trainable_network_are_422(post, change, location, words):
    status, body = post("/v1/mlp", without_nones({**BASE, **change}))
    assert status == 422, body
    assert body["errors"][0]["location"] == location
    for word in words:
        assert word in body["detail"]


def test_limits_are_413_naming_the_setting():
    client = create_app(Settings(max_layers=2, max_units=5, max_mlp_work=10_000_000, max_scalar_graph_weights=4)).test_client()
    layers = [{"units": 2, "activation": "tanh"}] * 3
    cases = [
        ({**BASE, "layers": layers, "parameters": None, "targets": [[1.0, 0.0]] * 2}, "MAX_LAYERS"),
        ({**BASE, "layers": [{"units": 6, "activation": "relu"}, {"units": 1, "activation": "linear"}],
          "parameters": None}, "MAX_UNITS"),
        ({**BASE, "steps": 100_000}, "MAX_MLP_WORK"),
        ({**BASE, "graph": True, "granularity": "scalar"}, "MAX_SCALAR_GRAPH_WEIGHTS"),
    ]
    for request, setting in cases:
        response = client.post("/v1/mlp", json=without_nones(request))
        assert response.status_code == 413, response.get_json()
        assert setting in response.get_json()["detail"]


def test_answers_fit_the_contract(post):
    document = openapi_document()
    schema = {"$ref": "#/components/schemas/MlpResponse", "components": document["components"]}
    for extra in [{}, {"graph": True}, {"graph": True, "granularity": "scalar", "steps": 2},
                  {"learning_rate": 1e3, "steps": 20, "optimizer": "adam"}]:
        status, body = post("/v1/mlp", {**BASE, **extra})
        assert status == 200
        jsonschema.validate(body, schema)
