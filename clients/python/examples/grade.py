"""The README's worked example, z = (3x + 4y)^3 at x = 1, y = 2, graded: a student who answers dz/dy = 363
stopped the chain rule at 4y (dz/d(4y) = 363) and dropped its factor 4. Then an answer for an input the
problem does not have."""

import json
import os

from gradient_client import GradientClient, ServiceProblem

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))

problem = {"graph": {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}}
graded = client.grade(problem, {"value": 1331, "gradients": {"x": 1089, "y": 363}})
print("POST /v1/grade value 1331, dz/dx 1089, dz/dy 363")
print(json.dumps(graded))
for item in graded["items"]:
    if not item["correct"]:
        print(f"{item['name']} is wrong: {item['mistake']}")

try:
    client.grade(problem, {"gradients": {"z": 1}})
except ServiceProblem as problem:
    print(f"POST /v1/grade with an answer for z: {problem.status} {problem.title}")
    print(json.dumps({"type": problem.type, "title": problem.title, "status": problem.status,
                      "detail": problem.detail, "errors": problem.errors}))
