"""A real gunicorn on loopback, started exactly as the README and the Dockerfile start it, for the
tests and the load benchmark."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_COMMAND = ["gunicorn", "-c", "gunicorn.conf.py", "service:create_app()"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(environment=None, log=subprocess.DEVNULL, app="service:create_app()"):
    """Yields the URL of a gunicorn serving `app` on 127.0.0.1 with the settings in `environment`
    (environment variables, as a deployment sets them); its JSON log lines go to `log`."""
    port = free_port()
    command = [str(Path(sys.executable).with_name(GUNICORN_COMMAND[0])), *GUNICORN_COMMAND[1:-1], app]
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={
        **os.environ, "PYTHONUNBUFFERED": "1", "HOST": "127.0.0.1", "PORT": str(port), **(environment or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_until_healthy(url, process, attempts=300):
    for _ in range(attempts):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its workers still booting
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not become healthy")
