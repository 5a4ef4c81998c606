"""The worked example's computational graph drawn as SVG and PNG, a one-unit network's as DOT text, and a
picture format the service does not draw."""

import hashlib
import json
import os

from gradient_client import GradientClient, ServiceProblem

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))


def described(picture: bytes) -> str:
    return f"{len(picture)} bytes, sha256 {hashlib.sha256(picture).hexdigest()}"


svg = client.graph_render("(3*x + 4*y)**3", inputs={"x": 1, "y": 2}, format="svg")
print("POST /v1/graph/render (3*x + 4*y)**3 at x = 1, y = 2, as SVG")
print(f"{described(svg)}, contains 1331: {str('1331' in svg.decode()).lower()}")
print("POST /v1/graph/render the same, as PNG")
print(described(client.graph_render("(3*x + 4*y)**3", inputs={"x": 1, "y": 2}, format="png")))

dot = client.mlp_render([{"units": 1, "activation": "linear"}], "mse", inputs=[[1, 2]], targets=[[1]],
                        parameters={"W1": [[0.5, -0.25]], "b1": [0.1]}, format="dot")
print("POST /v1/mlp/render one linear unit at x = (1, 2), target 1, as DOT")
print(f"{described(dot)}, contains the cost 0.81: {str('value 0.81' in dot.decode()).lower()}")

try:
    client.graph_render("(3*x + 4*y)**3", inputs={"x": 1, "y": 2}, format="gif")
except ServiceProblem as problem:
    print(f"POST /v1/graph/render as GIF: {problem.status} {problem.title}")
    print(json.dumps({"type": problem.type, "title": problem.title, "status": problem.status,
                      "detail": problem.detail, "errors": problem.errors}))
