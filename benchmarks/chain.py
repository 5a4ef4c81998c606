"""Forward plus backward on a chain of 100,000 operations: through the engine, through Flask's test
client, and through a real gunicorn process on loopback. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/chain.py
"""

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import orjson
import requests

from service import create_app
from service.engine import Graph, as_tensor
from service.engine.backprop import backward, forward

LENGTH = 100_000
REPEATS = 5
ROOT = Path(__file__).resolve().parent.parent


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
    values = forward(graph, {"x": as_tensor(0.5)})
    backward(graph, values)


def gunicorn(port):
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "--timeout", "120", "service:create_app()"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    request = chain_request()
    body = orjson.dumps(request)
    client = create_app().test_client()
    rows = [("engine: build graph + forward + backward", best_of(lambda: engine_pass(request)))]
    rows.append(("HTTP, Flask test client (parse, validate, compute, respond)",
                 best_of(lambda: client.post("/v1/graph", data=body, content_type="application/json"))))
    port = free_port()
    server = gunicorn(port)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(f"{url}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        rows.append(("HTTP, gunicorn on loopback (end to end, with requests)",
                     best_of(lambda: requests.post(f"{url}/v1/graph", data=body, timeout=120,
                                                   headers={"Content-Type": "application/json"}).raise_for_status())))
    finally:
        server.terminate()
        server.wait()
    print(f"Chain of {LENGTH:,} operations ({LENGTH + 2:,} nodes), request body {len(body) / 1e6:.1f} MB, "
          f"best and median of {REPEATS}, on {os.cpu_count()} CPUs")
    print("| path | best (s) | median (s) |")
    print("|---|---|---|")
    for name, (best, median) in rows:
        print(f"| {name} | {best:.3f} | {median:.3f} |")


if __name__ == "__main__":
    main()
