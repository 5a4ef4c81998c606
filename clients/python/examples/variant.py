"""A student's variant of (a*x + b*y)**3, drawn from seed 4242, and its reference answer."""

import json
import os

from gradient_client import GradientClient

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))


def integers(low, high):
    return {"low": low, "high": high, "integer": True}


template = {"graph": {"expression": "(a*x + b*y)**3",
                      "coefficients": {"a": integers(1, 5), "b": integers(1, 5)},
                      "inputs": {"x": integers(-2, 2), "y": integers(-2, 2)}}}
variant = client.generate_problem(template, seed=4242)
print("POST /v1/problems/generate (a*x + b*y)**3 with seed 4242")
print(json.dumps(variant))
print("POST /v1/graph the variant")
print(json.dumps(client.graph(**variant["problem"]["graph"])))
