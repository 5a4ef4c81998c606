"""POST /v1/problems/generate: a student's variant, drawn from a seed, byte for byte reproducible."""

import pytest

EXPRESSION = {"template": {"graph": {
    "expression": "(a*x + b*y)**3", "coefficients": {"a": {"low": -5, "high": 5, "integer": True, "nonzero": True},
                                                     "b": {"low": 1, "high": 9, "integer": True}},
    "inputs": {"x": {"low": -2, "high": 2, "decimals": 1}, "y": {"low": 0, "high": 3, "integer": True}}}}}
NETWORK = {"template": {"mlp": {"layers": [{"units": 3, "activation": "tanh"}, {"units": 2, "activation": "softmax"}],
                                "loss": "cross_entropy", "examples": 4, "features": 2}}}


@pytest.mark.parametrize("template", [EXPRESSION, NETWORK])
def test_the_same_seed_gives_the_same_variant_byte_for_byte(client, template):
    first = client.post("/v1/problems/generate", json=template | {"seed": 20251})
    again = client.post("/v1/problems/generate", json=template | {"seed": 20251})
    other = client.post("/v1/problems/generate", json=template | {"seed": 20252})
    assert first.status_code == 200 and first.get_data() == again.get_data() != other.get_data()
    body = first.get_json()
    assert body["seed"] == 20251 and body["generator"]["version"] == 1


@pytest.mark.parametrize("template", [EXPRESSION, NETWORK])
def test_a_variant_is_a_problem_grade_accepts(post, template):
    status, variant = post("/v1/problems/generate", template | {"seed": 7})
    assert status == 200
    kind = "graph" if "graph" in variant["problem"] else "mlp"
    _, reference = post(f"/v1/{kind}", variant["problem"][kind])
    answers = {"value": reference["value"]} if kind == "graph" else {"cost": reference["cost"]}
    status, graded = post("/v1/grade", {"problem": variant["problem"], "answers": answers})
    assert status == 200 and graded["score"] == 1


def test_coefficients_are_written_into_the_expression(post):
    _, variant = post("/v1/problems/generate", EXPRESSION | {"seed": 3})
    expression = variant["problem"]["graph"]["expression"]
    assert "a" not in expression and "b" not in expression and set(variant["problem"]["graph"]["inputs"]) == {"x", "y"}


@pytest.mark.parametrize("template, location", [
    ({"graph": {"expression": "a*x", "inputs": {"x": {}}}}, "/template/graph/inputs"),
    ({"graph": {"expression": "x", "inputs": {"x": {"shape": [10_000, 10_000]}}}}, "/template/graph/inputs/x/shape"),
    ({"graph": {"expression": "x", "inputs": {"x": {"low": 0.2, "high": 0.8, "integer": True}}}},
     "/template/graph/inputs/x"),
])
def test_bad_templates_are_refused_naming_the_field(post, template, location):
    status, body = post("/v1/problems/generate", {"template": template, "seed": 1})
    assert status in (413, 422) and body["errors"][0]["location"] == location
