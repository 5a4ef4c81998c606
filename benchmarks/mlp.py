"""Time per descent step of `POST /v1/mlp`'s engine, side by side with PyTorch eager, and a request's fixed cost.

    .venv/bin/python benchmarks/mlp.py            # PyTorch columns when torch is installed (pip install '.[bench]')

Everything runs on one thread in float64. Each figure is the fastest of several repeats of a timed
loop, since the machine is shared and noisy. Printed:
  - per step, engine vs PyTorch (torch.nn.Linear layers, torch.optim.SGD), for 2-3-1 on 4 examples
    and 784-128-10 on 256 examples; the engine's figure is (time of n steps - time of 0 steps) / n,
    so a request's fixed work is left out, as it is from the PyTorch loop;
  - the BLAS floor of the large network: the step's two large matrix products (X @ W1.T and
    dZ1.T @ X) timed alone;
  - the large network's step as the NumPy calls the engine makes, written out flat (no loop over
    layers, no function between the calls): what a step costs with no Python around its arithmetic,
    so PyTorch's time over this is the best ratio any engine making these calls could show;
  - a steps = 0 request carrying about 200,000 numbers, through the Flask app, against orjson
    alone parsing that request and writing its response.
"""

import time

import numpy as np
import orjson

from schemas.mlp import MlpRequest
from service import create_app, networks
from service.config import Settings
from service.engine.init import initial_parameters
from service.engine.mlp import FlatParameters, Network, train

try:
    import torch
except ImportError:
    torch = None

REPEATS = 15
CASES = [  # name, units of each layer (inputs first), examples, steps per timed loop
    ("2-3-1, 4 examples", (2, 3, 1), 4, 2000),
    ("784-128-10, 256 examples", (784, 128, 10), 256, 20),
]


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def fastest(runs, repeats=REPEATS):
    """The fastest time of each run, taking turns so that a noisy neighbour slows them alike; on a
    shared machine the slower times measure the neighbours."""
    for run in runs.values():
        run()  # warm up
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(timed(run))
    return {name: min(values) for name, values in times.items()}


def case_data(sizes, examples):
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(examples, sizes[0]))
    targets = rng.normal(size=(examples, sizes[-1]))
    return inputs, targets, initial_parameters(sizes[1:], sizes[0], "he_uniform", 0)


def engine_runs(sizes, examples, steps):
    """n steps and 0 steps: the difference is the steps alone, without a request's fixed work
    (the first evaluation, dJ/d(inputs), copies)."""
    inputs, targets, parameters = case_data(sizes, examples)
    network = Network(sizes[1:], ("relu",) * (len(sizes) - 2) + ("linear",), "mse")
    return (lambda: train(network, parameters, inputs, targets, 0.01, steps),
            lambda: train(network, parameters, inputs, targets, 0.01, 0))


def torch_run(sizes, examples, steps):
    inputs, targets, parameters = case_data(sizes, examples)
    layers = []
    for (weights, bias), is_last in zip(parameters, [False] * (len(parameters) - 1) + [True]):
        linear = torch.nn.Linear(weights.shape[1], weights.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weights))
            linear.bias.copy_(torch.from_numpy(bias))
        layers += [linear] if is_last else [linear, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.from_numpy(inputs), torch.from_numpy(targets)

    def run():
        for _ in range(steps):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
    return run


def blas_floor_run(steps, examples=256, features=784, units=128):
    rng = np.random.default_rng(0)
    inputs, weights = rng.normal(size=(examples, features)), rng.normal(size=(units, features))
    z, gradient = np.empty((examples, units)), np.empty((units, features))

    def run():
        for _ in range(steps):
            np.matmul(inputs, weights.T, out=z)
            np.matmul(z.T, inputs, out=gradient)
    return run


def flat_step_run(steps, sizes=(784, 128, 10), examples=256, learning_rate=0.01):
    """The step the engine takes for a ReLU layer, a linear layer, mse and SGD, as its NumPy calls
    written out one after the other, on the same buffers: [X | 1] @ [W1 | b1].T, ReLU, [A1 | 1] @
    [W2 | b2].T, the loss and its gradient times -lr, the two small backward products, ReLU's
    backward, dZ1.T @ [X | 1], and the update of the flat parameter vector. Each run carries on from
    the last and returns that vector, laid out as the engine lays it out (`FlatParameters`)."""
    inputs, targets, parameters = case_data(sizes, examples)
    layer_input = np.ones((examples, sizes[0] + 1))
    layer_input[:, :-1] = inputs
    model = FlatParameters(parameters)
    theta, gradient = model.flat, model.gradient
    (block1, block2), (gradient1, gradient2) = model.blocks, model.gradient_blocks
    z1, hidden = np.empty((examples, sizes[1])), np.ones((examples, sizes[1] + 1))
    a1 = hidden[:, :-1]
    z2, dz1, da1 = np.empty((examples, sizes[2])), np.empty_like(z1), np.empty_like(z1)
    mask = np.empty(z1.shape, dtype=bool)
    scale = -learning_rate * 2.0 / z2.size

    def run():
        for _ in range(steps):
            np.matmul(layer_input, block1.T, out=z1)
            np.maximum(z1, 0.0, out=a1)
            np.matmul(hidden, block2.T, out=z2)
            np.subtract(z2, targets, out=z2)
            np.vdot(z2, z2)
            np.multiply(z2, scale, out=z2)
            np.matmul(z2.T, hidden, out=gradient2)
            np.matmul(z2, block2[:, :-1], out=da1)
            np.greater(z1, 0.0, out=mask)
            np.multiply(da1, mask, out=dz1)
            np.matmul(dz1.T, layer_input, out=gradient1)
            np.add(theta, gradient, out=theta)
        return theta
    return run


def step_times(sizes, examples, steps):
    """Seconds per step: engine, PyTorch (or None), BLAS floor (or None), the flat step (or None)."""
    runs = dict(zip(["engine", "fixed"], engine_runs(sizes, examples, steps)))
    if torch is not None:
        runs["torch"] = torch_run(sizes, examples, steps)
    if sizes == (784, 128, 10):
        runs["floor"] = blas_floor_run(steps)
        runs["flat"] = flat_step_run(steps)
    best = fastest(runs)
    per_step = {name: best[name] / steps for name in best}
    return ((best["engine"] - best["fixed"]) / steps, per_step.get("torch"), per_step.get("floor"),
            per_step.get("flat"))


def request_overhead(examples=255, features=784):
    """(service seconds, orjson seconds, numbers in the request) for a steps = 0 request."""
    rng = np.random.default_rng(0)
    body = {"layers": [{"units": 128, "activation": "relu"}, {"units": 10, "activation": "softmax"}],
            "loss": "cross_entropy", "inputs": rng.normal(size=(examples, features)).tolist(),
            "targets": np.eye(10)[rng.integers(0, 10, examples)].tolist(), "init": {"scheme": "he_normal", "seed": 0}}
    raw = orjson.dumps(body)
    client = create_app().test_client()
    response = networks.answer(MlpRequest.model_validate(orjson.loads(raw)), Settings())
    best = fastest({
        "service": lambda: client.post("/v1/mlp", data=raw, content_type="application/json"),
        "orjson": lambda: (orjson.loads(raw), orjson.dumps(response, option=orjson.OPT_SERIALIZE_NUMPY)),
    }, repeats=7)
    service, alone = best["service"], best["orjson"]
    return service, alone, examples * features + examples * 10


def _against(reference, seconds):
    return f"{reference * 1e6:10.1f}us {reference / seconds:14.2f}x" if reference else f"{'-':>12} {'-':>15}"


def main():
    from threadpoolctl import threadpool_info, threadpool_limits  # the bench extra; the tests import this module

    with threadpool_limits(1):
        if torch is not None:
            torch.set_num_threads(1)
        blas = [(pool["internal_api"], pool.get("architecture"), pool["num_threads"]) for pool in threadpool_info()]
        print(f"BLAS: {blas}; PyTorch: {torch.__version__ if torch else 'not installed'}")
        print(f"{'network':28} {'engine':>12} {'PyTorch':>12} {'PyTorch/engine':>15}")
        for name, sizes, examples, steps in CASES:
            engine, reference, floor, flat = step_times(sizes, examples, steps)
            print(f"{name:28} {engine * 1e6:10.1f}us {_against(reference, engine)}")
            if floor:
                print(f"{'  BLAS floor (2 products)':28} {floor * 1e6:10.1f}us   engine reaches {floor / engine:.0%} of it")
                print(f"{'  its NumPy calls, flat':28} {flat * 1e6:10.1f}us {_against(reference, flat)}"
                      f"   engine takes {engine / flat:.1%} of it")
        service, alone, numbers = request_overhead()
        print(f"steps = 0 request, {numbers:,} numbers: service {service * 1e3:.1f} ms, orjson parse + dump "
              f"{alone * 1e3:.1f} ms, ratio {service / alone:.2f}x")


if __name__ == "__main__":
    main()
