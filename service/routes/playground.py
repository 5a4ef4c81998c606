"""`GET /`: the playground, a static page that calls the public API (its script and style are under
/static/)."""

from flask import Blueprint, current_app

blueprint = Blueprint("playground", __name__)


@blueprint.get("/")
def playground():
    return current_app.send_static_file("playground.html")
