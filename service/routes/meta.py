"""What operators and callers read about the service itself: health and the OpenAPI contract."""

from flask import Blueprint, Response

from service.codec import json_response
from service.openapi import openapi_yaml

blueprint = Blueprint("meta", __name__)


@blueprint.get("/healthz")
def healthz():
    return json_response({"status": "ok"})


@blueprint.get("/openapi.yaml")
def openapi():
    return Response(openapi_yaml(), content_type="application/yaml")
