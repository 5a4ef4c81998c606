"""POST /v1/mlp gradients against independent oracles: the seed's hand derivation, and central finite
differences of a cost written out here in plain NumPy, for every activation and loss."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.numerical import central_difference

# The seed's network: inputs x_1, x_2; layer 1 of two linear units; layer 2 of one linear unit.
SEED_W1 = [[0.5, -1.5], [2.0, 0.25]]     # w_jk^[1]: into unit j of layer 1 from input k
SEED_W2 = [[1.25, -0.75]]                # w_1j^[2]: into the output from unit j of layer 1
SEED_X, SEED_Y = [0.8, -0.4], 2.0


def seed_request(**extra):
    return {"layers": [{"units": 2, "activation": "linear"}, {"units": 1, "activation": "linear"}], "loss": "mse",
            "inputs": [SEED_X], "targets": [[SEED_Y]],
            "parameters": {"W1": SEED_W1, "b1": [0.0, 0.0], "W2": SEED_W2, "b2": [0.0]}, **extra}


def test_the_seeds_dj_dx2_is_the_sum_of_its_two_path_products(post):
    status, body = post("/v1/mlp", seed_request())
    assert status == 200
    (w11, w12), (w21, w22) = SEED_W1
    (v11, v12), = SEED_W2
    x1, x2 = SEED_X
    y_hat = v11 * (w11 * x1 + w12 * x2) + v12 * (w21 * x1 + w22 * x2)
    # J = (y - y_hat)^2; two paths reach x_2: through unit 1 (w_12^[1], w_11^[2]) and unit 2 (w_22^[1], w_12^[2])
    by_hand = -2 * v12 * w22 * (SEED_Y - y_hat) + -2 * v11 * w12 * (SEED_Y - y_hat)
    assert body["cost"] == pytest.approx((SEED_Y - y_hat) ** 2, rel=1e-14)
    assert body["input_gradients"][0][1] == pytest.approx(by_hand, rel=1e-14)
    # dJ/dw_1j^[2] = -2 (y - y_hat) a_j^[1]
    a1 = [w11 * x1 + w12 * x2, w21 * x1 + w22 * x2]
    assert body["gradients"]["W2"][0] == pytest.approx([-2 * (SEED_Y - y_hat) * a for a in a1], rel=1e-14)


def test_the_seeds_scalar_graph_carries_the_same_gradients_node_by_node(post):
    status, body = post("/v1/mlp", seed_request(graph=True, granularity="scalar"))
    assert status == 200
    nodes = {node["id"]: node for node in body["graph"]["nodes"]}
    assert body["graph"]["output"] == "J" and nodes["J"]["value"] == body["cost"]
    assert {"x_1", "x_2", "w_11^[1]", "w_22^[1]", "w_12^[2]", "z_1^[1]", "z_1^[2]", "b_1^[1]"} <= set(nodes)
    assert nodes["x_2"]["gradient"] == pytest.approx(body["input_gradients"][0][1], rel=1e-14)
    assert nodes["w_12^[1]"]["gradient"] == pytest.approx(body["gradients"]["W1"][0][1], rel=1e-14)
    assert nodes["z_1^[1]"]["args"] == ["x_1*w_11^[1] + x_2*w_12^[1]", "b_1^[1]"]


def test_the_issues_two_three_one_network_sums_three_paths(post):
    w1, w2 = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], [[0.7, -0.8, 0.9]]
    request = {"layers": [{"units": 3, "activation": "linear"}, {"units": 1, "activation": "linear"}],
               "loss": "mse", "inputs": [[1.0, 2.0]], "targets": [[1.0]],
               "parameters": {"W1": w1, "b1": [0, 0, 0], "W2": w2, "b2": [0]}}
    status, body = post("/v1/mlp", request)
    assert status == 200
    y_hat = sum(w2[0][j] * (w1[j][0] * 1.0 + w1[j][1] * 2.0) for j in range(3))
    by_hand = sum(-2 * (1.0 - y_hat) * w2[0][j] * w1[j][1] for j in range(3))
    assert body["input_gradients"][0][1] == pytest.approx(by_hand, rel=1e-14)


# --- Finite differences against a cost written independently, in the most direct NumPy ---

ACTIVATIONS = {
    "linear": lambda z: z, "relu": lambda z: np.maximum(z, 0), "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
}


def reference_cost(loss, activations, weights, inputs, targets):
    a = inputs
    for (w, b), activation in zip(weights, activations):
        z = a @ w.T + b
        a = ACTIVATIONS[activation](z)
    if loss == "mse":
        return np.mean((a - targets) ** 2)
    # the logs of the probabilities, from the logits: log sigmoid(z) = -log(1 + e^-z), and
    # log(1 - sigmoid(z)) = -log(1 + e^z); log softmax(z) = z - log sum e^z
    if loss == "binary_cross_entropy":
        return -np.mean(targets * -np.logaddexp(0, -z) + (1 - targets) * -np.logaddexp(0, z))
    return -np.sum(targets * (z - np.logaddexp.reduce(z, axis=1, keepdims=True))) / len(inputs)


PAIRS = ([("mse", hidden, last) for hidden, last in [("linear", "linear"), ("relu", "relu"),
                                                      ("leaky_relu", "leaky_relu"), ("sigmoid", "sigmoid"),
                                                      ("tanh", "tanh"), ("tanh", "softmax")]]
         + [("binary_cross_entropy", hidden, "sigmoid") for hidden in ["linear", "relu", "leaky_relu", "sigmoid", "tanh"]]
         + [("cross_entropy", hidden, "softmax") for hidden in ["linear", "relu", "leaky_relu", "sigmoid", "tanh"]])


def targets_for(loss, rng, examples, units):
    if loss == "mse":
        return rng.normal(size=(examples, units))
    if loss == "binary_cross_entropy":
        return rng.uniform(size=(examples, units))
    return np.eye(units)[rng.integers(0, units, examples)]


@pytest.mark.parametrize("loss, hidden, last", PAIRS)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), examples=st.integers(1, 4), features=st.integers(1, 3),
       hidden_units=st.integers(1, 4), output_units=st.integers(2, 3), depth=st.integers(1, 2))
def test_gradients_match_central_differences(post, loss, hidden, last, seed, examples, features, hidden_units,
                                             output_units, depth):
    rng = np.random.default_rng(seed)
    units = [hidden_units] * depth + [output_units]
    activations = [hidden] * depth + [last]
    inputs = rng.normal(size=(examples, features))
    targets = targets_for(loss, rng, examples, output_units)
    fans_in = [features] + units[:-1]
    weights = [(rng.normal(size=(u, n)), rng.normal(size=u)) for u, n in zip(units, fans_in)]
    parameters = {}
    for layer, (w, b) in enumerate(weights, start=1):
        parameters[f"W{layer}"], parameters[f"b{layer}"] = w.tolist(), b.tolist()
    status, body = post("/v1/mlp", {"layers": [{"units": u, "activation": a} for u, a in zip(units, activations)],
                                    "loss": loss, "inputs": inputs.tolist(), "targets": targets.tolist(),
                                    "parameters": parameters, "graph": True})
    assert status == 200, body
    assert body["cost"] == pytest.approx(reference_cost(loss, activations, weights, inputs, targets), rel=1e-9)
    for layer in range(len(weights)):
        for which in (0, 1):
            def cost(value, layer=layer, which=which):
                changed = [list(pair) for pair in weights]
                changed[layer][which] = value
                return reference_cost(loss, activations, changed, inputs, targets)
            numerical = central_difference(cost, weights[layer][which])
            name = f"{'Wb'[which]}{layer + 1}"
            np.testing.assert_allclose(body["gradients"][name], numerical, rtol=1e-5, atol=1e-7, err_msg=name)
    numerical_inputs = central_difference(lambda x: reference_cost(loss, activations, weights, x, targets), inputs)
    np.testing.assert_allclose(body["input_gradients"], numerical_inputs, rtol=1e-5, atol=1e-7)
    # the graph view, computed by the /v1/graph engine, agrees with the vectorised step loop
    nodes = {node["id"]: node for node in body["graph"]["nodes"]}
    assert nodes["J"]["value"] == pytest.approx(body["cost"], rel=1e-12)
    for name, gradient in body["gradients"].items():
        np.testing.assert_allclose(nodes[name]["gradient"], gradient, rtol=1e-10, atol=1e-14, err_msg=name)
    np.testing.assert_allclose(nodes["X"]["gradient"], body["input_gradients"], rtol=1e-10, atol=1e-14)


def test_class_indices_and_one_hot_rows_give_the_same_cross_entropy(post):
    request = {"layers": [{"units": 3, "activation": "softmax"}], "loss": "cross_entropy",
               "inputs": [[1.0, -2.0], [0.5, 0.5]], "init": {"scheme": "he_normal", "seed": 3}}
    _, indices = post("/v1/mlp", {**request, "targets": [2, 0]})
    _, rows = post("/v1/mlp", {**request, "targets": [[0, 0, 1], [1, 0, 0]]})
    assert indices["cost"] == pytest.approx(rows["cost"], rel=1e-15)
    assert indices["gradients"] == rows["gradients"]


def test_the_cross_entropies_stay_finite_for_huge_logits(post):
    """From the logits by log-sum-exp: log(softmax) would be log(0) = -Infinity here."""
    for loss, activation, targets in [("cross_entropy", "softmax", [1]), ("binary_cross_entropy", "sigmoid", [[0.0, 1.0]])]:
        status, body = post("/v1/mlp", {"layers": [{"units": 2, "activation": activation}], "loss": loss,
                                        "inputs": [[1.0]], "targets": targets, "graph": True,
                                        "parameters": {"W1": [[1000.0], [-1000.0]], "b1": [0.0, 0.0]}})
        assert status == 200
        assert body["cost"] == pytest.approx(2000.0 if loss == "cross_entropy" else 1000.0)
        assert body["diagnostics"]["warnings"] == []
        assert {node["id"]: node for node in body["graph"]["nodes"]}["J"]["value"] == pytest.approx(body["cost"])


def test_the_tensor_graph_names_the_layers(post):
    status, body = post("/v1/mlp", {"layers": [{"units": 3, "activation": "relu"}, {"units": 2, "activation": "softmax"}],
                                    "loss": "cross_entropy", "inputs": [[1.0, 2.0]], "targets": [1], "graph": True})
    assert status == 200
    ids = [node["id"] for node in body["graph"]["nodes"]]
    assert ids[:5] == ["X", "W1", "b1", "W2", "b2"]
    assert {"W1.T", "X @ W1.T", "Z1", "A1", "A1 @ W2.T", "Z2", "log_softmax(Z2)", "J"} <= set(ids)
    node = body["graph"]["nodes"][ids.index("Z1")]
    assert node["op"] == "add" and node["args"] == ["X @ W1.T", "b1"]
