"""POST /v1/mlp descent: seeded initialisation, the update rules stepped by hand, mini-batches,
diverging runs and the vanishing-gradient warning."""

import math

import numpy as np
import pytest

from service.engine.diagnostics import EXPLODING_RATIO, VANISHING_RATIO

NETWORK = {"layers": [{"units": 3, "activation": "tanh"}, {"units": 2, "activation": "sigmoid"}],
           "loss": "binary_cross_entropy", "inputs": [[1.0, 2.0], [0.5, -1.0], [-0.3, 0.8]],
           "targets": [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]}
NAMES = ["W1", "b1", "W2", "b2"]


def arrays(named):
    return {name: np.array(value) for name, value in named.items()}


def test_a_seeded_init_gives_identical_numbers_and_follows_its_formula(post):
    request = {**NETWORK, "init": {"scheme": "xavier_uniform", "seed": 42}, "steps": 5, "learning_rate": 0.5}
    first, second = post("/v1/mlp", request), post("/v1/mlp", request)
    assert first == second and first[0] == 200
    rng = np.random.default_rng(42)
    w1 = rng.uniform(-math.sqrt(6 / (2 + 3)), math.sqrt(6 / (2 + 3)), (3, 2))
    w2 = rng.uniform(-math.sqrt(6 / (3 + 2)), math.sqrt(6 / (3 + 2)), (2, 3))
    initial = first[1]["initial_parameters"]
    assert initial == {"W1": w1.tolist(), "b1": [0.0] * 3, "W2": w2.tolist(), "b2": [0.0] * 2}


@pytest.mark.parametrize("scheme, draw", [
    ("xavier_normal", lambda rng, n, u: rng.normal(0, math.sqrt(2 / (n + u)), (u, n))),
    ("he_uniform", lambda rng, n, u: rng.uniform(-math.sqrt(6 / n), math.sqrt(6 / n), (u, n))),
    ("he_normal", lambda rng, n, u: rng.normal(0, math.sqrt(2 / n), (u, n))),
    ("normal", lambda rng, n, u: rng.normal(0, 0.01, (u, n))),
    ("zeros", lambda rng, n, u: np.zeros((u, n))),
])
def test_every_init_scheme_follows_its_formula(post, scheme, draw):
    _, body = post("/v1/mlp", {**NETWORK, "init": {"scheme": scheme, "seed": 7}})
    rng = np.random.default_rng(7)
    assert body["initial_parameters"]["W1"] == draw(rng, 2, 3).tolist()
    assert body["initial_parameters"]["W2"] == draw(rng, 3, 2).tolist()


def test_normal_init_takes_a_standard_deviation(post):
    _, body = post("/v1/mlp", {**NETWORK, "init": {"scheme": "normal", "std": 0.5, "seed": 1}})
    assert body["initial_parameters"]["W1"] == np.random.default_rng(1).normal(0, 0.5, (3, 2)).tolist()


def gradients_at(post, parameters):
    status, body = post("/v1/mlp", {**NETWORK, "parameters": {k: v.tolist() for k, v in parameters.items()}})
    assert status == 200
    return body["cost"], arrays(body["gradients"])


def start(post):
    _, body = post("/v1/mlp", {**NETWORK, "init": {"scheme": "he_normal", "seed": 5}})
    return arrays(body["initial_parameters"])


def test_plain_descent_is_w_minus_learning_rate_times_gradient(post):
    parameters = start(post)
    costs = []
    for _ in range(3):
        cost, gradients = gradients_at(post, parameters)
        costs.append(cost)
        parameters = {name: parameters[name] - 0.3 * gradients[name] for name in NAMES}
    costs.append(gradients_at(post, parameters)[0])
    _, body = post("/v1/mlp", {**NETWORK, "init": {"scheme": "he_normal", "seed": 5}, "steps": 3, "learning_rate": 0.3})
    np.testing.assert_allclose(body["descent"]["costs"], costs, rtol=1e-13)
    for name in NAMES:
        np.testing.assert_allclose(body["descent"]["parameters"][name], parameters[name], rtol=1e-13, atol=1e-15)
    # The step rule takes its gradients scaled by -lr (service/engine/optimizers.py); the ones reported are not.
    _, final_gradients = gradients_at(post, arrays(body["descent"]["parameters"]))
    for name in NAMES:
        np.testing.assert_allclose(body["descent"]["gradients"][name], final_gradients[name], rtol=1e-12, atol=1e-15)


def test_momentum_follows_its_update_formula_for_three_steps(post):
    parameters = start(post)
    velocity = {name: np.zeros_like(value) for name, value in parameters.items()}
    for _ in range(3):  # v := 0.8 v + g; w := w - lr v
        _, gradients = gradients_at(post, parameters)
        velocity = {name: 0.8 * velocity[name] + gradients[name] for name in NAMES}
        parameters = {name: parameters[name] - 0.2 * velocity[name] for name in NAMES}
    _, body = post("/v1/mlp", {**NETWORK, "init": {"scheme": "he_normal", "seed": 5}, "steps": 3,
                               "learning_rate": 0.2, "optimizer": {"name": "momentum", "momentum": 0.8}})
    for name in NAMES:
        np.testing.assert_allclose(body["descent"]["parameters"][name], parameters[name], rtol=1e-12, atol=1e-15)


def test_adam_follows_its_update_formula_for_three_steps(post):
    parameters = start(post)
    beta1, beta2, eps, lr = 0.85, 0.99, 1e-6, 0.05
    mean = {name: np.zeros_like(value) for name, value in parameters.items()}
    square = {name: np.zeros_like(value) for name, value in parameters.items()}
    for t in (1, 2, 3):
        _, g = gradients_at(post, parameters)
        mean = {n: beta1 * mean[n] + (1 - beta1) * g[n] for n in NAMES}
        square = {n: beta2 * square[n] + (1 - beta2) * g[n] ** 2 for n in NAMES}
        corrected_mean = {n: mean[n] / (1 - beta1 ** t) for n in NAMES}
        corrected_square = {n: square[n] / (1 - beta2 ** t) for n in NAMES}
        parameters = {n: parameters[n] - lr * corrected_mean[n] / (np.sqrt(corrected_square[n]) + eps) for n in NAMES}
    _, body = post("/v1/mlp", {**NETWORK, "init": {"scheme": "he_normal", "seed": 5}, "steps": 3, "learning_rate": lr,
                               "optimizer": {"name": "adam", "betas": [beta1, beta2], "eps": eps}})
    for name in NAMES:
        np.testing.assert_allclose(body["descent"]["parameters"][name], parameters[name], rtol=1e-12, atol=1e-15)


def test_a_mini_batch_step_uses_the_seeded_batch_and_costs_cover_all_examples(post):
    inputs, targets = np.array(NETWORK["inputs"]), np.array(NETWORK["targets"])
    parameters = start(post)
    batch = np.random.default_rng(9).permutation(3)[:2]
    _, on_batch = post("/v1/mlp", {**NETWORK, "inputs": inputs[batch].tolist(), "targets": targets[batch].tolist(),
                                   "parameters": {k: v.tolist() for k, v in parameters.items()}})
    expected = {name: parameters[name] - 0.1 * np.array(on_batch["gradients"][name]) for name in NAMES}
    request = {**NETWORK, "init": {"scheme": "he_normal", "seed": 5}, "steps": 1, "learning_rate": 0.1,
               "batch_size": 2, "seed": 9}
    _, body = post("/v1/mlp", request)
    for name in NAMES:
        np.testing.assert_allclose(body["descent"]["parameters"][name], expected[name], rtol=1e-13, atol=1e-15)
    cost_after, gradients_after = gradients_at(post, arrays(body["descent"]["parameters"]))
    assert body["descent"]["costs"][1] == pytest.approx(cost_after, rel=1e-13)
    for name in NAMES:
        np.testing.assert_allclose(body["descent"]["gradients"][name], gradients_after[name], rtol=1e-12, atol=1e-15)
    assert post("/v1/mlp", {**request, "steps": 7})[1] == post("/v1/mlp", {**request, "steps": 7})[1]
    assert post("/v1/mlp", {**request, "steps": 7})[1] != post("/v1/mlp", {**request, "steps": 7, "seed": 10})[1]


def test_a_full_batch_size_is_plain_descent(post):
    request = {**NETWORK, "init": {"scheme": "he_normal", "seed": 5}, "steps": 4, "learning_rate": 0.1}
    assert post("/v1/mlp", request)[1] == post("/v1/mlp", {**request, "batch_size": 3})[1]


def test_descent_lowers_the_cost(post):
    _, body = post("/v1/mlp", {**NETWORK, "steps": 200, "learning_rate": 0.5})
    costs = body["descent"]["costs"]
    assert len(costs) == 201 and costs[-1] < 0.8 * costs[0]


def test_a_diverging_run_answers_200_with_strings_and_says_when_and_where(post):
    request = {"layers": [{"units": 3, "activation": "relu"}, {"units": 1, "activation": "linear"}], "loss": "mse",
               "inputs": [[1.0, 2.0], [0.5, -1.0]], "targets": [[1.0], [0.0]], "learning_rate": 1e3, "steps": 30,
               "init": {"scheme": "he_normal", "seed": 0}}
    status, body = post("/v1/mlp", request)
    assert status == 200
    costs = body["descent"]["costs"]
    first = next(step for step, cost in enumerate(costs) if isinstance(cost, str))
    assert all(isinstance(cost, float) for cost in costs[:first]) and set(costs[first:]) <= {"NaN", "Infinity"}
    assert any(f"after descent step {first}" in warning and "learning rate" in warning
               for warning in body["diagnostics"]["warnings"])
    assert "NaN" in str(body["descent"]["parameters"]) or "Infinity" in str(body["descent"]["parameters"])


def test_a_cost_that_is_not_finite_at_the_start_names_the_layer(post):
    status, body = post("/v1/mlp", {"layers": [{"units": 1, "activation": "linear"}, {"units": 1, "activation": "linear"}],
                                    "loss": "mse", "inputs": [[1e200]], "targets": [[0.0]],
                                    "parameters": {"W1": [[1e200]], "b1": [0.0], "W2": [[1.0]], "b2": [0.0]}})
    assert status == 200
    assert body["cost"] == "Infinity"
    assert "at the given parameters" in body["diagnostics"]["warnings"][0]
    assert "layer 1's pre-activation Z1" in body["diagnostics"]["warnings"][0]


def test_a_deep_sigmoid_network_warns_of_vanishing_gradients(post):
    deep = [{"units": 4, "activation": "sigmoid"}] * 8 + [{"units": 1, "activation": "sigmoid"}]
    status, body = post("/v1/mlp", {"layers": deep, "loss": "binary_cross_entropy", "inputs": [[1.0, -1.0], [0.5, 2.0]],
                                    "targets": [[1.0], [0.0]], "init": {"scheme": "xavier_normal", "seed": 0}})
    assert status == 200
    norms = body["diagnostics"]["gradient_norms"]
    assert list(norms) == [f"W{layer}" for layer in range(1, 10)]
    assert norms["W1"] / norms["W9"] < VANISHING_RATIO
    assert body["diagnostics"]["warnings"][0].startswith("vanishing gradient")


def test_a_shallow_network_has_no_warnings(post):
    _, body = post("/v1/mlp", NETWORK)
    assert body["diagnostics"]["warnings"] == []


def test_large_later_weights_warn_of_exploding_gradients(post):
    """dJ/dW1 carries W3 W2 back to the first layer, while dJ/dW3 carries the signal that W1 shrank."""
    parameters = {"W1": [[1e-3, 1e-3], [1e-3, -1e-3]], "b1": [0.0, 0.0], "W2": [[10.0, 5.0], [-5.0, 10.0]],
                  "b2": [0.0, 0.0], "W3": [[20.0, -10.0]], "b3": [0.0]}
    layers = [{"units": 2, "activation": "linear"}] * 2 + [{"units": 1, "activation": "linear"}]
    _, body = post("/v1/mlp", {"layers": layers, "loss": "mse", "inputs": [[1.0, 2.0]], "targets": [[1.0]],
                               "parameters": parameters})
    norms = body["diagnostics"]["gradient_norms"]
    assert norms["W1"] / norms["W3"] > EXPLODING_RATIO
    assert body["diagnostics"]["warnings"][0].startswith("exploding gradient")


def test_the_optimizers_agree_with_pytorch():
    """Skipped where PyTorch is not installed (it is an optional extra, for the benchmark)."""
    torch = pytest.importorskip("torch")
    from service.engine.mlp import Network, prepare_targets, train
    inputs, targets = np.array(NETWORK["inputs"]), np.array(NETWORK["targets"])
    network = Network((3, 2), ("tanh", "sigmoid"), "binary_cross_entropy")
    start_parameters = [(np.array([[0.3, -0.2], [0.5, 0.1], [-0.4, 0.6]]), np.array([0.1, -0.1, 0.0])),
                        (np.array([[0.2, -0.5, 0.3], [0.7, 0.1, -0.2]]), np.array([0.05, -0.05]))]
    for name, settings, make in [
            ("sgd", {}, lambda p: torch.optim.SGD(p, lr=0.1)),
            ("momentum", {"momentum": 0.9}, lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
            ("adam", {"betas": (0.9, 0.999), "eps": 1e-8}, lambda p: torch.optim.Adam(p, lr=0.1))]:
        ours = train(network, start_parameters, inputs, prepare_targets(network, inputs, targets), 0.1, 3, name, settings)
        tensors = [torch.tensor(a, requires_grad=True) for pair in start_parameters for a in pair]
        optimizer = make(tensors)
        x, y = torch.tensor(inputs), torch.tensor(targets)

        def cost():
            hidden = torch.tanh(x @ tensors[0].T + tensors[1])
            return torch.nn.functional.binary_cross_entropy_with_logits(hidden @ tensors[2].T + tensors[3], y)
        costs = []
        for _ in range(3):
            optimizer.zero_grad()
            loss = cost()
            costs.append(loss.item())
            loss.backward()
            optimizer.step()
        costs.append(cost().item())
        np.testing.assert_allclose(ours.costs, costs, rtol=1e-14)
        for (weights, bias), (w, b) in zip(ours.parameters, zip(tensors[::2], tensors[1::2])):
            np.testing.assert_allclose(weights, w.detach().numpy(), rtol=1e-13, atol=1e-16)
            np.testing.assert_allclose(bias, b.detach().numpy(), rtol=1e-13, atol=1e-16)
