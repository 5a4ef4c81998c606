"""The OpenAPI 3.1 contract, generated from the Pydantic models in `schemas/`.

Regenerate the checked-in copy with `python -m service.openapi openapi.yaml`; a test fails when it
differs from what the code generates.
"""

import sys
from functools import cache

import yaml
from pydantic.json_schema import models_json_schema

from schemas.grading import BatchRequest, BatchResponse, GradeRequest, GradeResponse
from schemas.graph import GraphRequest, GraphResponse
from schemas.mlp import MlpRequest, MlpResponse
from schemas.problem import Problem
from schemas.render import GraphRenderRequest, MlpRenderRequest
from schemas.variants import GenerateRequest, GenerateResponse

PROBLEM_STATUSES = {
    "400": "The body is not valid JSON",
    "401": "API keys are configured and the request has no `Authorization: Bearer` header with one of them",
    "413": "The body, or the computation it asks for, is over one of the service's limits",
    "415": "The body is not declared as application/json",
    "422": "The request is valid JSON but not a computation the service can carry out",
}

# An answer that is not JSON: {media type: media type object}, the one answered chosen by the request's `format`.
PICTURE = {"image/svg+xml": {"schema": {"type": "string"}}, "image/png": {},
           "text/vnd.graphviz": {"schema": {"type": "string"}}}

HEALTH = {"type": "object", "properties": {"status": {"const": "ok"}}, "required": ["status"]}
READY = {"type": "object", "properties": {"status": {"const": "ready"}}, "required": ["status"]}

ENDPOINTS = [
    ("/v1/graph", "graph", GraphRequest, GraphResponse,
     "Forward pass, backward pass and gradient descent on an expression or an explicit graph"),
    ("/v1/mlp", "mlp", MlpRequest, MlpResponse,
     "Cost, gradients, descent and gradient diagnostics of a multilayer perceptron"),
    ("/v1/grade", "grade", GradeRequest, GradeResponse,
     "Grade a student's answers to a /v1/graph or /v1/mlp problem, in the native, Gradescope or PrairieLearn format"),
    ("/v1/grade/batch", "gradeBatch", BatchRequest, BatchResponse,
     "Grade many submissions against one problem, each in its own slot"),
    ("/v1/problems/generate", "generateProblem", GenerateRequest, GenerateResponse,
     "Draw a student's variant of a template from a seed, reproducibly"),
    ("/v1/graph/render", "graphRender", GraphRenderRequest, PICTURE,
     "The computational graph of a /v1/graph body, annotated with values and gradients, laid out by Graphviz"),
    ("/v1/mlp/render", "mlpRender", MlpRenderRequest, PICTURE,
     "The computational graph of a /v1/mlp network, by layer or by number, annotated and laid out by Graphviz"),
]

# Problems that only some endpoints answer: {path: {status: description}}.
FURTHER_PROBLEMS = {
    path: {"503": "Graphviz, which lays out the picture, is not installed on the server"}
    for path in ("/v1/graph/render", "/v1/mlp/render")
}

# Other media types an endpoint answers 200 in, chosen by the Accept header: {path: {media type: description}}.
ALTERNATIVE_ANSWERS = {
    "/v1/grade/batch": {"text/csv": "With `Accept: text/csv`: one row per submission and item"},
}


def openapi_document():
    models = [(model, "validation") for _, _, model, _, _ in ENDPOINTS]
    models += [(model, "serialization") for _, _, _, model, _ in ENDPOINTS if isinstance(model, type)]
    models += [(Problem, "serialization")]
    _, schemas = models_json_schema(models, ref_template="#/components/schemas/{model}")
    paths = {path: {"post": _operation(name, request, response, summary, ALTERNATIVE_ANSWERS.get(path, {}),
                                       FURTHER_PROBLEMS.get(path, {}))}
             for path, name, request, response, summary in ENDPOINTS}
    paths["/healthz"] = {"get": {"operationId": "healthz", "summary": "The service is alive",
                                 "responses": {"200": _json(HEALTH, "Alive")}}}
    paths["/readyz"] = {"get": {"operationId": "readyz", "summary": "The service is ready to answer requests",
                                "responses": {"200": _json(READY, "Ready"),
                                              "503": _json({"$ref": "#/components/schemas/Problem"}, "Not ready",
                                                           "application/problem+json")}}}
    paths["/metrics"] = {"get": {"operationId": "metrics", "summary": "Prometheus metrics, summed over the workers",
                                 "responses": {"200": {"description": "The Prometheus text format",
                                                       "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
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


def _operation(name, request, response, summary, alternatives, further_problems):
    problems = {status: _json({"$ref": "#/components/schemas/Problem"}, text, "application/problem+json")
                for status, text in (PROBLEM_STATUSES | further_problems).items()}
    if isinstance(response, type):
        answer = _json({"$ref": f"#/components/schemas/{response.__name__}"}, "The answer")
    else:
        answer = {"description": "The answer, in the media type the request chose", "content": response}
    if alternatives:
        answer["description"] += "; " + "; ".join(alternatives.values())
        answer["content"] |= {media_type: {"schema": {"type": "string"}} for media_type in alternatives}
    return {
        "operationId": name,
        "summary": summary,
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{request.__name__}"}}}},
        "responses": {"200": answer, **problems},
    }


def _json(schema, description, media_type="application/json"):
    return {"description": description, "content": {media_type: {"schema": schema}}}


@cache
def openapi_yaml():
    return yaml.safe_dump(openapi_document(), sort_keys=False, allow_unicode=True, width=120)


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") if len(sys.argv) > 1 else sys.stdout as out:
        out.write(openapi_yaml())
