"""Settings, read once from the environment when the app is built. Each has a documented default."""

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Settings:
    max_body_bytes: int = 32 * 1024 * 1024
    max_expression_chars: int = 20_000
    max_expression_depth: int = 200
    max_nodes: int = 250_000
    max_tensor_elements: int = 1_000_000
    max_total_elements: int = 10_000_000
    max_steps: int = 100_000
    max_work: int = 2_000_000_000

    @classmethod
    def from_environment(cls, environ=os.environ):
        """Every field can be set as an upper-case environment variable: MAX_NODES=1000."""
        return cls(**{f.name: int(environ[f.name.upper()]) for f in fields(cls) if f.name.upper() in environ})
