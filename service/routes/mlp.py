"""`POST /v1/mlp`: train a multilayer perceptron by backpropagation and report its gradients."""

from flask import Blueprint, current_app

from schemas.mlp import MlpRequest
from schemas.tensor import MAY_HOLD_BOOLEANS
from service import networks
from service.codec import json_response, read_json_object

blueprint = Blueprint("mlp", __name__)


@blueprint.post("/v1/mlp")
def mlp():
    body, may_hold_booleans = read_json_object()
    request = MlpRequest.model_validate(body, context={MAY_HOLD_BOOLEANS: may_hold_booleans})
    return json_response(networks.answer(request, current_app.config["SETTINGS"]))
