"""How long `POST /v1/graph/render` takes for graphs of different shapes, next to their layout size
(the number MAX_LAYOUT_SIZE limits), through Flask's test client. Prints a table; asserts nothing.

    .venv/bin/python -m benchmarks.render
"""

import random
import statistics
import time

from service import create_app
from service.config import Settings
from tests.pictures import chain

REPEATS = 3


def hub(count):
    """A chain in which every add also uses x: x's edges cross every rank."""
    nodes = chain(count)
    for node in nodes[2:-1]:
        if node["op"] == "add":
            node["args"] = [node["args"][0], "x"]
    return nodes


def random_dag(count, seed=0):
    rng = random.Random(seed)
    nodes = [{"id": "x", "op": "input"}]
    for i in range(1, count - 1):
        a, b = rng.randrange(len(nodes)), rng.randrange(len(nodes))
        nodes.append({"id": f"v{i}", "op": "mul" if i % 3 == 0 else "add", "args": [nodes[a]["id"], nodes[b]["id"]]})
    return nodes + [{"id": "J", "op": "sum", "args": [nodes[-1]["id"]]}]


CASES = [("(3*x + 4*y)**3", {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}})] + [
    (f"{name} of {count:,} nodes", {"nodes": make(count), "inputs": {"x": 0.001}})
    for name, make, count in [("chain", chain, 500), ("chain", chain, 2_000), ("hub chain", hub, 100),
                              ("hub chain", hub, 135), ("hub chain", hub, 150), ("random DAG", random_dag, 300),
                              ("random DAG", random_dag, 500), ("random DAG", random_dag, 700)]]


def main():
    client = create_app().test_client()
    measuring = create_app(Settings(max_layout_size=0)).test_client()  # its refusal states the layout size
    print(f"POST /v1/graph/render (svg), best and median of {REPEATS}; layout limit MAX_LAYOUT_SIZE={Settings().max_layout_size:,}")
    print("| graph | layout size | status | best (s) | median (s) |")
    print("|---|---|---|---|---|")
    for name, body in CASES:
        size = measuring.post("/v1/graph/render", json=body).get_json()["detail"].split(") is ")[1].split(", over")[0]
        times, status = [], None
        for _ in range(REPEATS):
            start = time.perf_counter()
            status = client.post("/v1/graph/render", json=body).status_code
            times.append(time.perf_counter() - start)
        print(f"| {name} | {size} | {status} | {min(times):.2f} | {statistics.median(times):.2f} |")


if __name__ == "__main__":
    main()
