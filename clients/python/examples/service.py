"""Is the service up, and which contract does it serve?"""

import json
import os

from gradient_client import GradientClient

client = GradientClient(os.environ.get("GRADIENT_SERVICE_URL", "http://localhost:8000"))

print("GET /healthz")
print(json.dumps(client.healthz()))
print("GET /openapi.yaml, its first line:")
print(client.openapi().splitlines()[0])
