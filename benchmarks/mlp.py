"""Time per descent step of `POST /v1/mlp`'s engine, side by side with PyTorch eager, and a request's fixed cost.

    .venv/bin/python benchmarks/mlp.py            # PyTorch columns when torch is installed (pip install '.[bench]')

Everything runs on one thread in float64. Each figure is the fastest of several repeats of a timed
loop, since the machine is shared and noisy. Printed:
  - per step, engine vs PyTorch (torch.nn.Linear layers, torch.optim.SGD), for 2-3-1 on 4 examples
    and 784-128-10 on 256 examples; the engine's figure is (time of n steps - time of 0 steps) / n,
    so a request's fixed work is left out, as it is from the PyTorch loop;
  - the BLAS floor of the large network: the step's two large matrix products (X @ W1.T and
    dZ1.T @ X) timed alone;
  - a steps = 0 request carrying about 200,000 numbers, through the Flask app, against orjson
    alone parsing that request and writing its response.
"""

import time

import numpy as np
import orjson
from threadpoolctl import threadpool_info, threadpool_limits

from schemas.mlp import MlpRequest
from service import create_app, networks
from service.config import Settings
from service.engine.init import initial_parameters
from service.engine.mlp import Network, train

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


def step_times(sizes, examples, steps):
    """Seconds per step: engine, PyTorch (or None), BLAS floor (or None)."""
    runs = dict(zip(["engine", "fixed"], engine_runs(sizes, examples, steps)))
    if torch is not None:
        runs["torch"] = torch_run(sizes, examples, steps)
    if sizes == (784, 128, 10):
        runs["floor"] = blas_floor_run(steps)
    best = fastest(runs)
    per_step = {name: best[name] / steps for name in best}
    return (best["engine"] - best["fixed"]) / steps, per_step.get("torch"), per_step.get("floor")


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


def main():
    with threadpool_limits(1):
        if torch is not None:
            torch.set_num_threads(1)
        blas = [(pool["internal_api"], pool.get("architecture"), pool["num_threads"]) for pool in threadpool_info()]
        print(f"BLAS: {blas}; PyTorch: {torch.__version__ if torch else 'not installed'}")
        print(f"{'network':28} {'engine':>12} {'PyTorch':>12} {'PyTorch/engine':>15}")
        for name, sizes, examples, steps in CASES:
            engine, reference, floor = step_times(sizes, examples, steps)
            shown = f"{reference * 1e6:10.1f}us {reference / engine:14.2f}x" if reference else f"{'-':>12} {'-':>15}"
            print(f"{name:28} {engine * 1e6:10.1f}us {shown}")
            if floor:
                print(f"{'  BLAS floor (2 products)':28} {floor * 1e6:10.1f}us   engine reaches {floor / engine:.0%} of it")
        service, alone, numbers = request_overhead()
        print(f"steps = 0 request, {numbers:,} numbers: service {service * 1e3:.1f} ms, orjson parse + dump "
              f"{alone * 1e3:.1f} ms, ratio {service / alone:.2f}x")


if __name__ == "__main__":
    main()
