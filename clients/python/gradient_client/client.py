"""One method per endpoint; an answer other than 2xx is raised as a `ServiceProblem`.

Answers are returned as parsed JSON. Numbers that are not finite arrive as the strings "NaN",
"Infinity" and "-Infinity", which `float()` reads as they are.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import requests

Tensor = float | Sequence["Tensor"]


class ServiceProblem(Exception):
    """An RFC 9457 problem the service answered: `errors` lists `{location, message}` for a 422."""

    def __init__(self, status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None,
                 type: str = "about:blank"):
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail, self.errors, self.type = status, title, detail, errors, type


class GradientClient:
    def __init__(self, base_url: str, *, timeout: float = 60.0, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def graph(self, expression: str | None = None, *, inputs: Mapping[str, Tensor] | None = None,
              nodes: Sequence[Mapping[str, Any]] | None = None, output: str | None = None,
              trainable: Sequence[str] | None = None, steps: int | None = None,
              learning_rate: float | None = None, trace: bool | None = None) -> dict[str, Any]:
        """`POST /v1/graph`: give `expression` or `nodes`; a field left out takes the service's default."""
        return self._post("/v1/graph", expression=expression, nodes=nodes, output=output, inputs=inputs,
                          trainable=trainable, steps=steps, learning_rate=learning_rate, trace=trace)

    def mlp(self, layers: Sequence[Mapping[str, Any]], loss: str, inputs: Tensor, targets: Tensor,
            **options: Any) -> dict[str, Any]:
        """`POST /v1/mlp`: `options` are the request's other fields (parameters, init, optimizer,
        learning_rate, steps, batch_size, seed, graph, granularity)."""
        return self._post("/v1/mlp", layers=layers, loss=loss, inputs=inputs, targets=targets, **options)

    def grade(self, problem: Mapping[str, Any], answers: Mapping[str, Any], **options: Any) -> dict[str, Any]:
        """`POST /v1/grade`: `problem` is `{"graph": ...}` or `{"mlp": ...}`; `options` are the request's other
        fields (tolerance, weights, reveal, format)."""
        return self._post("/v1/grade", problem=problem, answers=answers, **options)

    def grade_batch(self, problem: Mapping[str, Any], submissions: Sequence[Mapping[str, Any]], *,
                    csv: bool = False, **options: Any) -> dict[str, Any] | str:
        """`POST /v1/grade/batch`: with `csv`, the answer is CSV text, one row per submission and item."""
        if csv:
            return self._posted("/v1/grade/batch", {"problem": problem, "submissions": submissions, **options},
                                accept="text/csv").text
        return self._post("/v1/grade/batch", problem=problem, submissions=submissions, **options)

    def generate_problem(self, template: Mapping[str, Any], seed: int) -> dict[str, Any]:
        """`POST /v1/problems/generate`."""
        return self._post("/v1/problems/generate", template=template, seed=seed)

    def graph_render(self, expression: str | None = None, *, format: str | None = None, **fields: Any) -> bytes:
        """`POST /v1/graph/render`: `graph`'s fields plus `format` (svg, png or dot); the picture's bytes."""
        return self._posted("/v1/graph/render", {"expression": expression, "format": format, **fields}).content

    def mlp_render(self, layers: Sequence[Mapping[str, Any]], loss: str, inputs: Tensor, targets: Tensor, *,
                   format: str | None = None, **options: Any) -> bytes:
        """`POST /v1/mlp/render`: `mlp`'s fields plus `format` (svg, png or dot); the picture's bytes."""
        return self._posted("/v1/mlp/render", {"layers": layers, "loss": loss, "inputs": inputs, "targets": targets,
                                                "format": format, **options}).content

    def healthz(self) -> dict[str, Any]:
        return self._get("/healthz").json()

    def readyz(self) -> dict[str, Any]:
        return self._get("/readyz").json()

    def metrics(self) -> str:
        """Prometheus metrics, as text."""
        return self._get("/metrics").text

    def openapi(self) -> str:
        """The contract, `openapi.yaml`, as text."""
        return self._get("/openapi.yaml").text

    def _get(self, path: str) -> requests.Response:
        return self._answer(self.session.get(f"{self.base_url}{path}", timeout=self.timeout))

    def _post(self, path: str, **fields: Any) -> dict[str, Any]:
        return self._posted(path, fields).json()

    def _posted(self, path: str, fields: Mapping[str, Any], accept: str | None = None) -> requests.Response:
        body = {name: value for name, value in fields.items() if value is not None}
        headers = {"Accept": accept} if accept else None
        response = self.session.post(f"{self.base_url}{path}", json=body, headers=headers, timeout=self.timeout)
        return self._answer(response)

    @staticmethod
    def _answer(response: requests.Response) -> requests.Response:
        if response.ok:
            return response
        try:
            problem = response.json()
        except ValueError:  # not from the service itself: a proxy's error page, say
            problem = {}
        if not isinstance(problem, dict):
            problem = {}
        raise ServiceProblem(problem.get("status", response.status_code), problem.get("title", response.reason),
                             problem.get("detail", response.text[:500]), problem.get("errors"),
                             problem.get("type", "about:blank"))
