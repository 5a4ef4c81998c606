"""One linear unit, y = 0.5 x1 - 0.25 x2 + 0.1: its mean squared error at x = (1, 2), target 1, and a
request with a loss the service does not know."""

import json
import os

from gradient_client import GradientClient, ServiceProblem

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))

network = {"layers": [{"units": 1, "activation": "linear"}], "inputs": [[1, 2]], "targets": [[1]],
           "parameters": {"W1": [[0.5, -0.25]], "b1": [0.1]}}
print("POST /v1/mlp one linear unit at x = (1, 2), target 1")
print(json.dumps(client.mlp(loss="mse", **network)))

try:
    client.mlp(loss="hinge", **network)
except ServiceProblem as problem:
    print(f"POST /v1/mlp with loss hinge: {problem.status} {problem.title}")
    print(json.dumps({"type": problem.type, "title": problem.title, "status": problem.status,
                      "detail": problem.detail, "errors": problem.errors}))
