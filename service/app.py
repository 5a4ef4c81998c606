"""The application factory: builds the Flask app, its settings, blueprints and error handlers."""

import gc

from flask import Flask

from service import api_keys, error_handlers, metrics, request_ids
from service.config import Settings
from service.routes import grading, graph, meta, mlp, playground, render


def build_app(settings=None):
    settings = settings or Settings.from_environment()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    metrics.register(app)
    request_ids.register(app)
    api_keys.register(app, settings)
    app.register_blueprint(meta.blueprint)
    app.register_blueprint(graph.blueprint)
    app.register_blueprint(mlp.blueprint)
    app.register_blueprint(grading.blueprint)
    app.register_blueprint(render.blueprint)
    app.register_blueprint(playground.blueprint)
    error_handlers.register(app)
    _pause_garbage_collection_during_requests(app)
    return app


def _pause_garbage_collection_during_requests(app):
    """A request for a large graph makes several hundred thousand small dicts and lists; the cyclic
    garbage collector, triggered every 700 allocations, rescans them again and again and more than
    doubles the time of such a request. What a request allocates is freed by reference counting, and
    the few cycles it may leave are collected after it, so the collector is paused while one runs.
    """
    app.before_request(gc.disable)
    app.teardown_request(lambda error: gc.enable())
