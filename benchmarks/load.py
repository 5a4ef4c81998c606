"""Load test: gunicorn on 127.0.0.1 with the project's gunicorn.conf.py, serving the service and, beside
it, a bare Flask endpoint answering `{}`, for the ratio; both driven by wrk for a fixed time per row.
Prints a table; asserts nothing. Needs wrk (`apt-get install wrk`).

    .venv/bin/python -m benchmarks.load [seconds per row and round, default 2] [rounds, default 15]

Rows: the seed expression request; the bare endpoint with the seed's body, right after it; the seed
request to the service with its answer precomputed (benchmarks/precomputed.py: everything but the
engine and the answer building, a ceiling for the first row); a 2-3-1 MLP trained 100 steps; a request
refused for its work (413 MAX_WORK); and the three interleaved. The rows take turns, round after round,
and each round's throughput is divided by the bare endpoint's in the same round: on a shared machine a
noisy neighbour then slows both sides of a ratio alike. A row shows the median over the rounds and, for
its ratio, the quartiles, since on this kind of machine one round's ratio says little on its own.
Errors are read from gunicorn's JSON access log (any 5xx, or a status the row does not expect) and
from wrk (socket errors), over all rounds; worker restarts from gunicorn's log: workers booted after
the first ones, less those recycled after max_requests.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

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


def access_log(path, start=0):
    """From byte `start` of a gunicorn JSON log: the answers by (path, status), (workers booted, workers
    recycled after max_requests), and where its last whole line ends, for the next read to start from."""
    with open(path, "rb") as log:
        log.seek(start)
        text = log.read()
    end = start + text.rfind(b"\n") + 1
    lines = [json.loads(line) for line in text[:end - start].splitlines() if line.startswith(b"{")]
    statuses = Counter((line["path"], line["status"]) for line in lines if line["logger"] == "gunicorn.access")
    boots = sum(line["message"].startswith("Booting worker") for line in lines)
    recycled = sum(line["message"].startswith("Autorestarting worker") for line in lines)
    return statuses, (boots, recycled), end


class Server:
    """A gunicorn serving `app`, with its log, for `measure` to drive; `restarts()` reads its log."""

    def __init__(self, stack, directory, app, workers):
        self.log_path = Path(directory) / f"{app.split(':')[0]}.jsonl"
        log = stack.enter_context(open(self.log_path, "wb"))
        self.url = stack.enter_context(gunicorn({"WEB_CONCURRENCY": str(workers)}, log, app=app))
        self.workers = workers
        self.read_up_to = 0

    def answered(self):
        """The answers logged since the last call, by (path, status), once the log has stopped growing: the
        requests still in flight when wrk stopped are logged a moment later and belong to the run that sent
        them. The log is read on from where the last call stopped; a whole run's log grows long."""
        previous, size = -1, self.log_path.stat().st_size
        while size != previous:
            time.sleep(0.05)
            previous, size = size, self.log_path.stat().st_size
        statuses, _, self.read_up_to = access_log(self.log_path, self.read_up_to)
        return statuses

    def restarts(self):
        """(workers replaced after a crash or timeout, workers recycled after max_requests)"""
        _, (boots, recycled), _ = access_log(self.log_path)
        return boots - self.workers - recycled, recycled


def measure(server, exchanges, expected, seconds):
    """(requests/s, p50, p99, answered, unexpected statuses, socket errors) of one wrk run."""
    server.answered()  # what was logged before this run (the health check, the previous run) is not counted
    throughput, p50, p99, socket_errors = wrk(server.url, exchanges, seconds)
    answered = server.answered()
    unexpected = sum(count for (path, status), count in answered.items() if status >= 500 or status not in expected)
    return throughput, p50, p99, sum(answered.values()), unexpected, socket_errors


def summary(runs, floors):
    """A row's medians over its rounds (requests/s, p50, p99), its answers and errors over all rounds, and
    the median and quartiles of its throughput divided, round by round, by the bare endpoint's."""
    throughput, p50, p99 = (statistics.median(run[k] for run in runs) for k in range(3))
    socket_errors = ", ".join(sorted({run[5] for run in runs} - {"none"})) or "none"
    ratios = [run[0] / floor for run, floor in zip(runs, floors)]
    quartiles = statistics.quantiles(ratios, n=4, method="inclusive") if len(ratios) > 1 else ratios * 3
    return (throughput, p50, p99, sum(run[3] for run in runs), sum(run[4] for run in runs), socket_errors,
            quartiles)


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    workers = len(os.sched_getaffinity(0))
    mix = [("/v1/graph", SEED), ("/v1/mlp", MLP), ("/v1/graph", OVER_BUDGET)]
    rows = [  # name, server, exchanges, expected statuses; the bare round right after the seed's, for the ratio
        ("seed expression, POST /v1/graph", "service", [("/v1/graph", SEED)], {200}),
        ("bare Flask endpoint answering {}", "bare", [("/v1/graph", SEED)], {200}),
        ("seed, answer precomputed (ceiling)", "precomputed", [("/v1/graph", SEED)], {200}),
        ("2-3-1 MLP, 100 steps, POST /v1/mlp", "service", [("/v1/mlp", MLP)], {200}),
        ("over the work budget (413 MAX_WORK)", "service", [("/v1/graph", OVER_BUDGET)], {413}),
        ("the above, interleaved", "service", mix, {200, 413}),
    ]
    with tempfile.TemporaryDirectory() as directory, ExitStack() as stack:
        servers = {"service": Server(stack, directory, "service:create_app()", workers),
                   "precomputed": Server(stack, directory, "benchmarks.precomputed:create_app()", workers),
                   "bare": Server(stack, directory, "benchmarks.bare:app", workers)}
        runs = {name: [] for name, *_ in rows}
        for _ in range(rounds):
            for name, server, exchanges, expected in rows:
                runs[name].append(measure(servers[server], exchanges, expected, seconds))
        restarts = {name: server.restarts() for name, server in servers.items()}
    bare = next(name for name, server, *_ in rows if server == "bare")
    floors = [run[0] for run in runs[bare]]
    results = [(name, *summary(runs[name], floors)) for name, *_ in rows]
    print(f"wrk, {CONNECTIONS} connections, {seconds} s a row, {rounds} rounds taken in turn, medians over the "
          f"rounds; gunicorn -c gunicorn.conf.py with {workers} sync workers; {workers} CPUs shared by wrk and "
          "gunicorn")
    print("| request | requests/s | p50 (ms) | p99 (ms) | answered | errors | socket errors "
          "| vs bare, median (quartiles) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, throughput, p50, p99, answered, errors, socket_errors, (low, median, high) in results:
        print(f"| {name} | {throughput:,.0f} | {p50:.2f} | {p99:.2f} | {answered:,} | {errors} | {socket_errors} "
              f"| {median:.0%} ({low:.0%}–{high:.0%}) |")
    crashes = ", ".join(f"{name} {replaced}" for name, (replaced, _) in restarts.items())
    recycled = ", ".join(f"{name} {count}" for name, (_, count) in restarts.items())
    print(f"workers replaced after a crash or timeout: {crashes}; recycled after max_requests: {recycled}")


if __name__ == "__main__":
    main()
