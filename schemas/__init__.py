"""The wire contract: the Pydantic models that requests are validated against and `openapi.yaml` is made from."""
