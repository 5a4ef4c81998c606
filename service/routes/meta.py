"""What operators and callers read about the service itself: liveness, readiness, metrics and the
OpenAPI contract."""

from flask import Blueprint, Response, current_app

from schemas.graph import GraphRequest
from service import graphs, metrics
from service.codec import json_response
from service.openapi import openapi_yaml
from service.problems import Problem

blueprint = Blueprint("meta", __name__)

WORKED_EXAMPLE = {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}
WORKED_GRADIENTS = {"x": 1089.0, "y": 1452.0}


@blueprint.get("/healthz")
def healthz():
    return json_response({"status": "ok"})


@blueprint.get("/readyz")
def readyz():
    """Ready when the worked example computes to its hand-derived gradients: the models, the engine and
    NumPy are loaded and sound in this worker."""
    answer = graphs.answer(GraphRequest.model_validate(WORKED_EXAMPLE), current_app.config["SETTINGS"])
    if answer["gradients"] != WORKED_GRADIENTS:
        raise Problem(503, "Service Unavailable", "the engine answered the worked example wrongly")
    return json_response({"status": "ready"})


@blueprint.get("/metrics")
def prometheus_metrics():
    return metrics.exposition()


@blueprint.get("/openapi.yaml")
def openapi():
    return Response(openapi_yaml(), content_type="application/yaml")
