"""Forward plus backward on a chain of 100,000 operations: through the engine, through Flask's test
client, and through a real gunicorn process on loopback. Prints a table; asserts nothing.

    .venv/bin/python -m benchmarks.chain
"""

import os
import statistics
import time

import orjson
import requests

from service import create_app
from service.engine import Graph, as_tensor
from service.engine.backprop import evaluate
from tests.servers import gunicorn

LENGTH = 100_000
REPEATS = 5


def chain_request(length=LENGTH):
    nodes = [{"id": "x", "op": "input"}] + [
        {"id": f"n{i}", "op": "sin" if i % 2 else "add", "args": [f"n{i - 1}" if i else "x"] + ([] if i % 2 else [1])}
        for i in range(length)]
    return {"nodes": nodes, "inputs": {"x": 0.5}}


def best_of(run):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def engine_pass(request):
    graph = Graph.from_nodes(request["nodes"])
    evaluate(graph, {"x": as_tensor(0.5)})


def main():
    request = chain_request()
    body = orjson.dumps(request)
    client = create_app().test_client()
    rows = [("engine: build graph + forward + backward", best_of(lambda: engine_pass(request)))]
    rows.append(("HTTP, Flask test client (parse, validate, compute, respond)",
                 best_of(lambda: client.post("/v1/graph", data=body, content_type="application/json"))))
    with gunicorn({"WEB_CONCURRENCY": "1", "TIMEOUT": "120"}) as url:
        rows.append(("HTTP, gunicorn on loopback (end to end, with requests)",
                     best_of(lambda: requests.post(f"{url}/v1/graph", data=body, timeout=120,
                                                   headers={"Content-Type": "application/json"}).raise_for_status())))
    print(f"Chain of {LENGTH:,} operations ({LENGTH + 2:,} nodes), request body {len(body) / 1e6:.1f} MB, "
          f"best and median of {REPEATS}, on {os.cpu_count()} CPUs")
    print("| path | best (s) | median (s) |")
    print("|---|---|---|")
    for name, (best, median) in rows:
        print(f"| {name} | {best:.3f} | {median:.3f} |")


if __name__ == "__main__":
    main()
