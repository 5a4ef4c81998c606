"""Settings, read once from the environment when the app is built. Each has a documented default."""

import os
from dataclasses import dataclass, field, fields


def _usable_cpus():
    """The CPUs this process may run on: a container's CPU set, not the host's count."""
    return len(os.sched_getaffinity(0))


def _key_list(text):
    return tuple(key.strip() for key in text.split(",") if key.strip())


@dataclass(frozen=True)
class Settings:
    host: str = "0.0.0.0"
    port: int = 8000
    workers: int = field(default_factory=_usable_cpus, metadata={"env": "WEB_CONCURRENCY"})
    timeout: int = 60
    log_level: str = "info"
    api_keys: tuple[str, ...] = field(default=(), repr=False, metadata={"parse": _key_list})
    max_json_depth: int = 100
    max_body_bytes: int = 32 * 1024 * 1024
    max_expression_chars: int = 20_000
    max_expression_depth: int = 200
    max_nodes: int = 250_000
    max_tensor_elements: int = 1_000_000
    max_total_elements: int = 10_000_000
    max_steps: int = 100_000
    max_work: int = 400_000_000
    max_layers: int = 100
    max_units: int = 10_000
    max_mlp_work: int = 100_000_000_000
    max_scalar_graph_weights: int = 50
    graphviz_dot: str = "dot"
    max_layout_size: int = 5_000
    render_timeout_seconds: int = 20

    @classmethod
    def from_environment(cls, environ=os.environ):
        """Every field can be set as an upper-case environment variable: MAX_NODES=1000, API_KEYS=k1,k2.

        API_KEYS_FILE names a file of further keys, one a line (a mounted secret).
        """
        values = {}
        for setting in fields(cls):
            variable = setting.metadata.get("env", setting.name.upper())
            if variable in environ:
                parse = setting.metadata.get("parse", setting.type)
                try:
                    values[setting.name] = parse(environ[variable])
                except ValueError as error:
                    raise ValueError(f"the environment variable {variable}: {error}") from None
        if "API_KEYS_FILE" in environ:
            with open(environ["API_KEYS_FILE"], encoding="utf-8") as keys:
                values["api_keys"] = values.get("api_keys", ()) + _key_list(keys.read().replace("\n", ","))
        return cls(**values)
