"""The application factory: builds the Flask app, its settings, blueprints and error handlers."""

from flask import Flask

from service import api_keys, error_handlers
from service.config import Settings
from service.request_cycle import RequestCycle
from service.routes import grading, graph, meta, mlp, playground, render


def build_app(settings=None):
    settings = settings or Settings.from_environment()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    api_keys.register(app, settings)
    app.register_blueprint(meta.blueprint)
    app.register_blueprint(graph.blueprint)
    app.register_blueprint(mlp.blueprint)
    app.register_blueprint(grading.blueprint)
    app.register_blueprint(render.blueprint)
    app.register_blueprint(playground.blueprint)
    error_handlers.register(app)
    app.wsgi_app = RequestCycle(app.wsgi_app)
    return app

