"""The OpenAPI 3.1 contract, generated from the Pydantic models in `schemas/`.

Regenerate the checked-in copy with `python -m service.openapi openapi.yaml`; a test fails when it
differs from what the code generates.
"""

import sys
from functools import cache

import yaml
from pydantic.json_schema import models_json_schema

from schemas.graph import GraphRequest, GraphResponse
from schemas.problem import Problem

PROBLEM_STATUSES = {
    "400": "The body is not valid JSON",
    "413": "The body, or the computation it asks for, is over one of the service's limits",
    "415": "The body is not declared as application/json",
    "422": "The request is valid JSON but not a computation the service can carry out",
}

ENDPOINTS = [
    ("/v1/graph", "graph", GraphRequest, GraphResponse,
     "Forward pass, backward pass and gradient descent on an expression or an explicit graph"),
]


def openapi_document():
    models = [(model, "validation") for _, _, model, _, _ in ENDPOINTS]
    models += [(model, "serialization") for _, _, _, model, _ in ENDPOINTS] + [(Problem, "serialization")]
    _, schemas = models_json_schema(models, ref_template="#/components/schemas/{model}")
    paths = {path: {"post": _operation(name, request, response, summary)}
             for path, name, request, response, summary in ENDPOINTS}
    paths["/healthz"] = {"get": {"operationId": "healthz", "summary": "The service is alive",
                                 "responses": {"200": _json({"type": "object"}, "Alive")}}}
    paths["/openapi.yaml"] = {"get": {"operationId": "openapi", "summary": "This document",
                                      "responses": {"200": {"description": "OpenAPI 3.1 in YAML",
                                                            "content": {"application/yaml": {"schema": {"type": "string"}}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Backpropagation service", "version": "0.1.0",
                 "description": "Computes values, gradients (by backpropagation) and gradient-descent steps "
                                "for expressions, explicit computational graphs and small neural networks."},
        "paths": paths,
        "components": {"schemas": schemas["$defs"]},
    }


def _operation(name, request, response, summary):
    problems = {status: _json({"$ref": "#/components/schemas/Problem"}, text, "application/problem+json")
                for status, text in PROBLEM_STATUSES.items()}
    return {
        "operationId": name,
        "summary": summary,
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{request.__name__}"}}}},
        "responses": {"200": _json({"$ref": f"#/components/schemas/{response.__name__}"}, "The answer"), **problems},
    }


def _json(schema, description, media_type="application/json"):
    return {"description": description, "content": {media_type: {"schema": schema}}}


@cache
def openapi_yaml():
    return yaml.safe_dump(openapi_document(), sort_keys=False, allow_unicode=True, width=120)


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") if len(sys.argv) > 1 else sys.stdout as out:
        out.write(openapi_yaml())
