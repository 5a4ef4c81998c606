"""The same answers from a real gunicorn process on loopback as from Flask's test client."""

import requests


def test_seed_example_over_real_http(gunicorn_url):
    response = requests.post(f"{gunicorn_url}/v1/graph", json={"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}},
                             timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert (body["value"], body["gradients"]) == (1331.0, {"x": 1089.0, "y": 1452.0})


def test_errors_over_real_http(gunicorn_url):
    response = requests.post(f"{gunicorn_url}/v1/graph", data=b'{"expression": "x +"', timeout=30,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    response = requests.post(f"{gunicorn_url}/v1/graph", json={"expression": "x", "inputs": {}}, timeout=30)
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "/inputs"


def test_health_and_contract_over_real_http(gunicorn_url):
    assert requests.get(f"{gunicorn_url}/healthz", timeout=30).status_code == 200
    assert requests.get(f"{gunicorn_url}/openapi.yaml", timeout=30).text.startswith("openapi: 3.1.0")
