"""The contract is generated from the models: the checked-in file must match, and answers must fit it."""

from pathlib import Path

import jsonschema
import pytest
import yaml

from service.openapi import openapi_document, openapi_yaml

CHECKED_IN = Path(__file__).resolve().parent.parent / "openapi.yaml"


def test_the_checked_in_openapi_yaml_is_what_the_code_generates():
    assert CHECKED_IN.read_text(encoding="utf-8") == openapi_yaml(), \
        "openapi.yaml is stale: regenerate it with `python -m service.openapi openapi.yaml`"


def test_the_service_serves_its_contract(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert yaml.safe_load(response.get_data(as_text=True))["openapi"] == "3.1.0"


def validator(component):
    document = openapi_document()
    schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("body", [
    {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}, "trace": True},
    {"expression": "sum(log(W @ x))", "inputs": {"W": [[1, -2], [3, 4]], "x": [1, 1]}, "steps": 2, "trace": True},
    {"expression": "sum(x, axis=0) @ y", "inputs": {"x": [[1, 2]], "y": [3, 4]}},
])
def test_answers_validate_against_the_contract(client, body):
    response = client.post("/v1/graph", json=body)
    assert response.status_code == 200
    validator("GraphResponse").validate(response.get_json())


@pytest.mark.parametrize("data, content_type", [(b"{", "application/json"), (b"{}", "text/plain"),
                                                (b'{"expression": 1}', "application/json")])
def test_problems_validate_against_the_contract(client, data, content_type):
    response = client.post("/v1/graph", data=data, content_type=content_type)
    validator("Problem").validate(response.get_json(force=True))


def test_requests_from_the_contract_examples_are_accepted():
    validator("GraphRequest").validate({"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": [[2]]}})
    with pytest.raises(jsonschema.ValidationError):
        validator("GraphRequest").validate({"expression": "x", "inputs": {"x": "1"}})
