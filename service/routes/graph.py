"""`POST /v1/graph`: forward, backward and descent on an expression or an explicit graph."""

from flask import Blueprint, current_app

from schemas.graph import GraphRequest
from schemas.tensor import MAY_HOLD_BOOLEANS
from service import graphs
from service.codec import json_response, read_json_object

blueprint = Blueprint("graph", __name__)


@blueprint.post("/v1/graph")
def graph():
    body, may_hold_booleans = read_json_object()
    request = GraphRequest.model_validate(body, context={MAY_HOLD_BOOLEANS: may_hold_booleans})
    return json_response(graphs.answer(request, current_app.config["SETTINGS"]))
