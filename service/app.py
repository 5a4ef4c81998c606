"""The application factory: builds the Flask app, its settings, blueprints and error handlers."""

from flask import Flask

from service import error_handlers
from service.config import Settings
from service.routes import graph, meta


def build_app(settings=None):
    settings = settings or Settings.from_environment()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.register_blueprint(meta.blueprint)
    app.register_blueprint(graph.blueprint)
    error_handlers.register(app)
    return app
