"""`POST /v1/graph`: forward, backward and descent on an expression or an explicit graph."""

from flask import Blueprint, current_app

from schemas.graph import GraphRequest
from service import graphs
from service.codec import json_response, read_request

blueprint = Blueprint("graph", __name__)


@blueprint.post("/v1/graph")
def graph():
    return json_response(graphs.answer(read_request(GraphRequest), current_app.config["SETTINGS"]))
