"""The floor for benchmarks/load.py: a Flask app whose endpoint answers `{}` to any POST (and a
/healthz, which the launcher waits for), served by the same gunicorn settings as the service."""

from flask import Flask

app = Flask(__name__)


@app.post("/v1/graph")
def empty():
    return {}


@app.get("/healthz")
def healthz():
    return {}
