from types import SimpleNamespace

import pytest

from service import create_app
from tests.servers import gunicorn


@pytest.fixture(scope="session")
def app():
    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def post(client):
    """POST a JSON body to a path; returns (status, parsed body)."""
    def send(path, body):
        response = client.post(path, json=body)
        return response.status_code, response.get_json(force=True)
    return send


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory):
    """A real gunicorn with 2 workers on loopback, started as the README starts it: its URL, its JSON
    log file and its metrics directory."""
    directory = tmp_path_factory.mktemp("gunicorn")
    server = SimpleNamespace(log=directory / "log.jsonl", metrics=directory / "metrics")
    with open(server.log, "wb") as log, gunicorn(
            {"WEB_CONCURRENCY": "2", "PROMETHEUS_MULTIPROC_DIR": str(server.metrics)}, log) as server.url:
        yield server


@pytest.fixture(scope="session")
def gunicorn_url(gunicorn_server):
    return gunicorn_server.url
