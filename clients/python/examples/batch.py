"""A class graded against the worked example: ada is right, bob dropped a chain-rule factor, and cy's answer
has the wrong shape, so it is not graded. As JSON, then as CSV (one row per submission and item)."""

import json
import os

from gradient_client import GradientClient

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))

problem = {"graph": {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}}
submissions = [{"id": "ada", "answers": {"gradients": {"x": 1089}}},
               {"id": "bob", "answers": {"gradients": {"x": 363}}},
               {"id": "cy", "answers": {"gradients": {"x": [1089, 0]}}}]
print("POST /v1/grade/batch ada, bob and cy")
print(json.dumps(client.grade_batch(problem, submissions)))
print("POST /v1/grade/batch ada, bob and cy, as CSV")
print(client.grade_batch(problem, submissions, csv=True).rstrip())
