"""Is the service up and ready, what has it counted, and which contract does it serve?"""

import json
import os

from gradient_client import GradientClient

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))

print("GET /healthz")
print(json.dumps(client.healthz()))
print("GET /readyz")
print(json.dumps(client.readyz()))
print("GET /metrics, its request counter:")
print(next(line for line in client.metrics().splitlines() if line.startswith("# TYPE backprop_requests_total")))
print("GET /openapi.yaml, its first line:")
print(client.openapi().splitlines()[0])
