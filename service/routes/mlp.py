"""`POST /v1/mlp`: train a multilayer perceptron by backpropagation and report its gradients."""

from flask import Blueprint, current_app

from schemas.mlp import MlpRequest
from service import networks
from service.codec import json_response, read_request

blueprint = Blueprint("mlp", __name__)


@blueprint.post("/v1/mlp")
def mlp():
    return json_response(networks.answer(read_request(MlpRequest), current_app.config["SETTINGS"]))
