"""A Python client for the backpropagation service: `GradientClient(base_url).graph(...)`."""

from gradient_client.client import GradientClient, ServiceProblem

__all__ = ["GradientClient", "ServiceProblem"]
