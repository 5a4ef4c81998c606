"""How long a request at the work budget holds a worker: for requests of different shapes, the steps
that bring each just under MAX_WORK, and the time of the whole request through Flask's test client.
MAX_WORK's documented time (docs/operations.md) comes from this table. Prints it; asserts nothing.

    .venv/bin/python benchmarks/work_budget.py
"""

import os
import time

import numpy as np

from schemas.graph import GraphRequest
from service import create_app, graphs, limits
from service.config import Settings

SETTINGS = Settings()
RNG = np.random.default_rng(0)

SHAPES = {
    "1,000-node scalar chain (Python overhead)": {
        "nodes": [{"id": "x", "op": "input"}] + [{"id": f"n{i}", "op": "sin" if i % 2 else "add",
                                                  "args": [f"n{i - 1}" if i else "x"] + ([] if i % 2 else [1])}
                                                 for i in range(1000)], "inputs": {"x": 0.5}},
    "sum(x * x), x of 10^6 elements": {"expression": "sum(x * x)", "inputs": {"x": RNG.random(10**6).tolist()}},
    "sum(sin(exp(x))), x of 10^6 elements": {"expression": "sum(sin(exp(x)))", "inputs": {"x": RNG.random(10**6).tolist()}},
    "sum(x ** y + tanh(x) * sigmoid(y)), x and y of 5 x 10^5 elements": {
        "expression": "sum(x ** y + tanh(x) * sigmoid(y))",
        "inputs": {"x": RNG.random(5 * 10**5).tolist(), "y": RNG.random(5 * 10**5).tolist()}},
    "sum(W @ x), W 1000 x 1000": {"expression": "sum(W @ x)",
                                  "inputs": {"W": RNG.random((1000, 1000)).tolist(), "x": RNG.random(1000).tolist()}},
    "sum(A @ B), A and B 300 x 300": {"expression": "sum(A @ B)",
                                      "inputs": {"A": RNG.random((300, 300)).tolist(), "B": RNG.random((300, 300)).tolist()}},
}


def steps_at_budget(body):
    """The most steps whose work is within MAX_WORK, from the service's own work formula."""
    request = GraphRequest.model_validate(body)
    graph = graphs.build_graph(request, SETTINGS)
    shapes = graph.shapes({name: np.shape(value) for name, value in request.inputs.items()})
    per_pass = limits.pass_work(graph, shapes)
    return SETTINGS.max_work // per_pass - 1, per_pass


def main():
    client = create_app(SETTINGS).test_client()
    print(f"MAX_WORK={SETTINGS.max_work:,}, one request at a time, on {len(os.sched_getaffinity(0))} CPUs")
    print("| request | work of one pass | steps at the budget | time, 0 steps (s) | time at the budget (s) |")
    print("|---|---|---|---|---|")
    for name, body in SHAPES.items():
        steps, per_pass = steps_at_budget(body)
        times = [timed(client, {**body, "steps": count, "learning_rate": 1e-9}) for count in (0, steps)]
        print(f"| {name} | {per_pass:,} | {steps:,} | {times[0]:.2f} | {times[1]:.2f} |")


def timed(client, body):
    start = time.perf_counter()
    response = client.post("/v1/graph", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
