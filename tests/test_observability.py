"""What an operator sees: liveness and readiness, request ids in answers and logs, JSON logs, and
Prometheus metrics summed over gunicorn's workers."""

import io
import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from service import create_app
from service.config import Settings
from service.logs import JsonFormatter
from tests.test_deployment import gunicorn_settings

SEED = {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_a_request_id_is_made_when_none_is_sent(client):
    first, second = (client.post("/v1/graph", json=SEED).headers["X-Request-ID"] for _ in range(2))
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


@pytest.mark.parametrize("path", ["/v1/graph", "/healthz", "/nowhere"])
def test_a_usable_request_id_is_echoed_on_every_answer(client, path):
    response = client.post(path, json=SEED, headers={"X-Request-ID": "grader-42.run:7"})
    assert response.headers["X-Request-ID"] == "grader-42.run:7"


@pytest.mark.parametrize("given", ["x" * 129, "has space", 'quote"d', "new\\nline", ""])
def test_an_unusable_request_id_is_replaced(client, given):
    echoed = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)


def crashing_app():
    app = create_app(Settings())

    @app.get("/crash")
    def crash():
        logging.getLogger("service.test").warning("about to fail")
        raise ZeroDivisionError("a bug")
    return app


def test_a_5xx_problem_carries_the_request_id_and_no_traceback():
    response = crashing_app().test_client().get("/crash", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 500 and response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["request_id"] == "trace-me" == response.headers["X-Request-ID"]
    assert "ZeroDivisionError" not in response.get_data(as_text=True)


def test_log_lines_inside_a_request_are_json_with_its_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        crashing_app().test_client().get("/crash", headers={"X-Request-ID": "trace-me"})
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["message"] for line in lines] == ["about to fail", "unexpected error"]
    assert all(line["request_id"] == "trace-me" for line in lines)
    assert "ZeroDivisionError: a bug" in lines[1]["exception"]


def samples(text, name):
    """{labels as a sorted tuple: value} of one metric's samples in the Prometheus text format."""
    return {tuple(sorted(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples if sample.name == name}


def test_metrics_count_answers_rejections_and_engine_time():
    client = create_app(Settings(max_nodes=10)).test_client()
    before = client.get("/metrics").get_data(as_text=True)
    client.post("/v1/graph", json=SEED)
    client.post("/v1/graph", json={"nodes": [{"id": f"n{i}", "op": "input"} for i in range(11)], "inputs": {}})
    client.post("/v1/mlp", json={"layers": [{"units": 1, "activation": "linear"}], "loss": "mse",
                                 "inputs": [[1.0]], "targets": [[2.0]]})
    after = client.get("/metrics").get_data(as_text=True)

    def grew(name, **labels):
        key = tuple(sorted(labels.items()))
        return samples(after, name).get(key, 0) - samples(before, name).get(key, 0)
    assert grew("backprop_requests_total", endpoint="/v1/graph", method="POST", status="200") == 1
    assert grew("backprop_requests_total", endpoint="/v1/graph", method="POST", status="413") == 1
    assert grew("backprop_request_duration_seconds_count", endpoint="/v1/graph", method="POST", status="200") == 1
    assert grew("backprop_rejected_requests_total", limit="MAX_NODES") == 1
    assert grew("backprop_engine_duration_seconds_count", endpoint="/v1/graph") == 1
    assert grew("backprop_engine_duration_seconds_count", endpoint="/v1/mlp") == 1


def test_a_method_label_cannot_grow_without_bound():
    client = create_app(Settings()).test_client()
    for method in ("BREW", "WHEN", "BREW"):
        assert client.open("/v1/graph", method=method).status_code == 405
    text = client.get("/metrics").get_data(as_text=True)
    methods = {dict(labels)["method"] for labels in samples(text, "backprop_requests_total")}
    assert "other" in methods and not methods & {"BREW", "WHEN"}


def test_the_metrics_directory_defaults_to_memory_not_disk():
    """Every request writes its samples to memory-mapped files there; on a disk-backed file system
    those writes cost a seed request about a tenth of its time under load (docs/operations.md)."""
    settings = gunicorn_settings({"PROMETHEUS_MULTIPROC_DIR": None})
    assert settings["environ"]["PROMETHEUS_MULTIPROC_DIR"].startswith("/dev/shm/backprop-metrics-")


def test_metrics_are_summed_over_two_real_gunicorn_workers(gunicorn_server):
    url, requests_sent = gunicorn_server.url, 40
    work = {"expression": "sum(sin(x) * x)", "inputs": {"x": [0.5] * 1000}, "steps": 200}
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda _: requests.post(f"{url}/v1/graph", json=work, timeout=60).status_code,
                                 range(requests_sent)))
    assert statuses == [200] * requests_sent
    workers = {path.name.split("_")[1] for path in gunicorn_server.metrics.glob("counter_*.db")}
    assert len(workers) == 2, "both workers should have answered some of the requests"
    for _ in range(6):  # whichever worker answers the scrape reads every worker's samples
        text = requests.get(f"{url}/metrics", timeout=30).text
        counted = sum(value for labels, value in samples(text, "backprop_engine_duration_seconds_count").items()
                      if labels == (("endpoint", "/v1/graph"),))
        assert counted >= requests_sent


def test_gunicorn_writes_json_access_logs_with_the_request_id(gunicorn_server):
    requests.get(f"{gunicorn_server.url}/healthz", headers={"X-Request-ID": "from-the-log-test"}, timeout=30)
    for _ in range(50):
        lines = [json.loads(line) for line in gunicorn_server.log.read_text(encoding="utf-8").splitlines()]
        access = [line for line in lines if line.get("request_id") == "from-the-log-test"]
        if access:
            break
        time.sleep(0.1)  # the access line is written just after the answer is sent
    assert access[0]["logger"] == "gunicorn.access"
    assert (access[0]["path"], access[0]["status"], access[0]["method"]) == ("/healthz", 200, "GET")
    assert all(line["level"] and line["time"] for line in lines)


def test_answers_are_computed_outside_a_request_too():
    """Scripts, benchmarks and the offline grader call the answer functions directly; the engine-time
    metric is then simply not recorded."""
    from schemas.graph import GraphRequest
    from schemas.mlp import MlpRequest
    from service import graphs, networks

    assert graphs.answer(GraphRequest.model_validate({"expression": "x*x", "inputs": {"x": 3}}), Settings())[
        "gradients"] == {"x": 6.0}
    network = MlpRequest.model_validate({"layers": [{"units": 1, "activation": "linear"}], "loss": "mse",
                                         "inputs": [[1.0]], "targets": [[2.0]], "init": {"scheme": "zeros"}})
    assert networks.answer(network, Settings())["cost"] == 4.0
