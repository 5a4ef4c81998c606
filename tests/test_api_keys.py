"""Optional API keys: off by default; when set, every /v1/ request needs one, and the operator's
endpoints stay open."""

import pytest

from service import create_app
from service.config import Settings

SEED = {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}


@pytest.fixture
def locked():
    return create_app(Settings(api_keys=("first-key", "second-key"))).test_client()


def test_without_keys_configured_requests_need_none(client):
    assert client.post("/v1/graph", json=SEED).status_code == 200


@pytest.mark.parametrize("key", ["first-key", "second-key"])
def test_every_configured_key_is_accepted(locked, key):
    assert locked.post("/v1/graph", json=SEED, headers={"Authorization": f"Bearer {key}"}).status_code == 200


@pytest.mark.parametrize("authorization, says", [
    (None, "needs an API key"), ("Bearer", "needs an API key"), ("Basic Zmlyc3Qta2V5", "needs an API key"),
    ("Bearer first-ke", "not one this service knows"), ("Bearer first-key2", "not one this service knows"),
    ("Bearer FIRST-KEY", "not one this service knows"), ("Bearer cl\u00e9", "not one this service knows"),
])
def test_a_missing_or_wrong_key_is_401_with_a_bearer_challenge(locked, authorization, says):
    headers = {"Authorization": authorization} if authorization else {}
    response = locked.post("/v1/graph", json=SEED, headers=headers)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert says in response.get_json()["detail"]


def test_keys_are_checked_before_the_body_is_read(locked):
    response = locked.post("/v1/graph", data=b"{not json", content_type="application/json")
    assert response.status_code == 401


def test_every_v1_route_is_protected(locked):
    protected = [rule.rule for rule in locked.application.url_map.iter_rules() if rule.rule.startswith("/v1/")]
    assert "/v1/graph" in protected
    for path in protected:
        assert locked.post(path, json={}).status_code == 401, path


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/openapi.yaml"])
def test_operator_endpoints_stay_open(locked, path):
    assert locked.get(path).status_code == 200
