import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from service import create_app

ROOT = Path(__file__).resolve().parent.parent


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
def gunicorn_url():
    """A real gunicorn process on loopback, started as the README starts it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "service:create_app()"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_healthy(url, process, attempts=300):
    for _ in range(attempts):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not become healthy")
