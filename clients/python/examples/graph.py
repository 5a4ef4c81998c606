"""The README's worked example, z = (3x + 4y)^3 at x = 1, y = 2, and a request the service refuses."""

import json
import os

from gradient_client import GradientClient, ServiceProblem

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))

answer = client.graph("(3*x + 4*y)**3", inputs={"x": 1, "y": 2})
print("POST /v1/graph (3*x + 4*y)**3 at x = 1, y = 2")
print(json.dumps(answer))

try:
    client.graph("(3*x + 4*y)**3", inputs={"x": 1})
except ServiceProblem as problem:
    print(f"POST /v1/graph without a value for y: {problem.status} {problem.title}")
    print(json.dumps({"type": problem.type, "title": problem.title, "status": problem.status,
                      "detail": problem.detail, "errors": problem.errors}))
