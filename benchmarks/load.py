"""Load test: gunicorn on 127.0.0.1 with the project's gunicorn.conf.py, driven by wrk for a fixed
time per row, and the same for a bare Flask endpoint answering `{}`, for the ratio. Prints a table;
asserts nothing. Needs wrk (`apt-get install wrk`).

    .venv/bin/python -m benchmarks.load [seconds per row, default 10]

Rows: the seed expression request; a 2-3-1 MLP trained 100 steps (when /v1/mlp exists); a request
refused for its work (413 MAX_WORK); the three interleaved; and the bare endpoint with the seed's body.
Errors are read from gunicorn's JSON access log (any 5xx, or a status the row does not expect) and
from wrk (socket errors); worker restarts from gunicorn's log: workers booted after the first ones,
less those recycled after max_requests.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import requests

from tests.servers import gunicorn

CONNECTIONS = 4
SEED = {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}
MLP = {"layers": [{"units": 3, "activation": "sigmoid"}, {"units": 1, "activation": "linear"}], "loss": "mse",
       "inputs": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], "targets": [[0.0], [1.0], [1.0], [0.0]],
       "steps": 100, "learning_rate": 0.5}
OVER_BUDGET = {"expression": "sum(x * x)", "inputs": {"x": [1.0] * 1000}, "steps": 100_000}

LUA = """
local requests = {%s}
local i = 0
request = function()
  i = i %% #requests + 1
  return wrk.format("POST", requests[i][1], {["Content-Type"] = "application/json"}, requests[i][2])
end
"""


def wrk(url, exchanges, seconds):
    """Requests per second, p50 and p99 latency (ms) and socket errors of wrk sending `exchanges` in turn."""
    entries = ", ".join(f"{{{json.dumps(path)}, {json.dumps(json.dumps(body))}}}" for path, body in exchanges)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % entries)
    try:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "30s",
                              "--latency", "-s", script.name, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            _milliseconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
            _milliseconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
            socket_errors.group(1) if socket_errors else "none")


def _milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def access_log(path):
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    statuses = Counter((line["path"], line["status"]) for line in lines if line["logger"] == "gunicorn.access")
    boots = sum(line["message"].startswith("Booting worker") for line in lines)
    recycled = sum(line["message"].startswith("Autorestarting worker") for line in lines)
    return statuses, (boots, recycled)


def run(app, rows, seconds, workers):
    results = []
    with tempfile.TemporaryDirectory() as directory:
        log_path = Path(directory) / "log.jsonl"
        with open(log_path, "wb") as log, gunicorn({"WEB_CONCURRENCY": str(workers)}, log, app=app) as url:
            for name, exchanges, expected in rows:
                before, _ = access_log(log_path)
                throughput, p50, p99, socket_errors = wrk(url, exchanges, seconds)
                after, _ = access_log(log_path)
                answered = after - before
                unexpected = sum(count for (path, status), count in answered.items()
                                 if status >= 500 or status not in expected)
                results.append((name, throughput, p50, p99, sum(answered.values()), unexpected, socket_errors))
        _, (boots, recycled) = access_log(log_path)
    return results, (boots - workers - recycled, recycled)


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    workers = len(os.sched_getaffinity(0))
    rows = [("seed expression, POST /v1/graph", [("/v1/graph", SEED)], {200})]
    with gunicorn() as url:
        has_mlp = requests.post(f"{url}/v1/mlp", json=MLP, timeout=30).status_code == 200
    if has_mlp:
        rows.append(("2-3-1 MLP, 100 steps, POST /v1/mlp", [("/v1/mlp", MLP)], {200}))
    rows.append(("over the work budget (413 MAX_WORK)", [("/v1/graph", OVER_BUDGET)], {413}))
    mix = [("/v1/graph", SEED)] + ([("/v1/mlp", MLP)] if has_mlp else []) + [("/v1/graph", OVER_BUDGET)]
    rows.append(("the above, interleaved", mix, {200, 413}))
    service, service_restarts = run("service:create_app()", rows, seconds, workers)
    bare, bare_restarts = run("benchmarks.bare:app", [("bare Flask endpoint answering {}", [("/v1/graph", SEED)], {200})],
                              seconds, workers)
    print(f"wrk, {CONNECTIONS} connections, {seconds} s a row; gunicorn -c gunicorn.conf.py with {workers} sync workers; "
          f"{workers} CPUs shared by wrk and gunicorn")
    print("| request | requests/s | p50 (ms) | p99 (ms) | answered | errors | socket errors | vs bare |")
    print("|---|---|---|---|---|---|---|---|")
    floor = bare[0][1]
    for name, throughput, p50, p99, answered, errors, socket_errors in service + bare:
        print(f"| {name} | {throughput:,.0f} | {p50:.2f} | {p99:.2f} | {answered:,} | {errors} | {socket_errors} "
              f"| {throughput / floor:.0%} |")
    print(f"workers replaced after a crash or timeout: service {service_restarts[0]}, bare {bare_restarts[0]}; "
          f"recycled after max_requests: service {service_restarts[1]}, bare {bare_restarts[1]}")
    if not has_mlp:
        print("POST /v1/mlp did not answer 200 to the 2-3-1 MLP request, so its row is left out")


if __name__ == "__main__":
    main()
