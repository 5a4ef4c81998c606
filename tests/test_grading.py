"""POST /v1/grade: comparison and presets, outcomes, symbolic answers, formats against the platforms' specs."""

import jsonschema
import numpy as np
import pytest

from service.grading.comparison import PRESETS, compare, tolerance
from tests.test_openapi import validator

WORKED = {"graph": {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}}
LOG_AT_ZERO = {"graph": {"expression": "log(x) + y", "inputs": {"x": 0, "y": 1}}}

# Gradescope autograder results.json, from https://gradescope-autograders.readthedocs.io/en/latest/specs/
# ("Output format" and "Test case status"/visibility values): score is required unless every test has one.
GRADESCOPE = {
    "type": "object", "required": ["tests"],
    "properties": {
        "score": {"type": "number"}, "output": {"type": "string"}, "extra_data": {"type": "object"},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "tests": {"type": "array", "items": {
            "type": "object", "required": ["score"],
            "properties": {"score": {"type": "number"}, "max_score": {"type": "number"},
                           "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                           "output": {"type": "string"}, "extra_data": {"type": "object"},
                           "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]}}}}},
}
# PrairieLearn external grader results, from https://prairielearn.readthedocs.io/en/latest/externalGrading/
# ("Grading results"): score in [0, 1] is mandatory for a gradable submission; gradable false may carry
# format_errors (a string or a list of strings); tests have name, points, max_points, message, output.
# partial_scores entries are as question code sets data["partial_scores"]: score, weight, feedback.
PRAIRIELEARN = {
    "type": "object",
    "properties": {
        "gradable": {"type": "boolean"}, "score": {"type": "number", "minimum": 0, "maximum": 1},
        "format_errors": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "message": {"type": "string"},
        "tests": {"type": "array", "items": {
            "type": "object", "required": ["name", "points", "max_points"],
            "properties": {"name": {"type": "string"}, "points": {"type": "number"},
                           "max_points": {"type": "number"}, "message": {"type": "string"}}}},
        "partial_scores": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["score", "weight"],
            "properties": {"score": {"type": ["number", "null"]}, "weight": {"type": "number"},
                           "feedback": {"type": "string"}}}}},
    "if": {"properties": {"gradable": {"const": False}}, "required": ["gradable"]},
    "then": {"required": ["format_errors"]},
    "else": {"required": ["score"]},
}


def grade(post, answers, problem=WORKED, **options):
    status, body = post("/v1/grade", {"problem": problem, "answers": answers, **options})
    assert status == 200, body
    return body


@pytest.mark.parametrize("preset", [name for name in PRESETS if name != "cs231n"])
@pytest.mark.parametrize("r", [-1234.5, -0.75, 0.5, 1089.0])
def test_relative_absolute_presets_at_both_sides_of_the_edge(preset, r):
    tol = tolerance(preset)
    edge = tol.atol + tol.rtol * abs(r)
    for direction in (1, -1):
        assert compare(r + direction * edge * (1 - 1e-6), r, tol).all_within
        assert not compare(r + direction * edge * (1 + 1e-6), r, tol).all_within


@pytest.mark.parametrize("r", [-2.5, 3.0, -1e-6])
def test_cs231n_relative_error_at_both_sides_of_its_threshold(r):
    tol = tolerance("cs231n")
    for t, passes in ((tol.rtol * (1 - 1e-6), True), (tol.rtol * (1 + 1e-6), False)):
        assert compare(r / (1 - t), r, tol).all_within is passes      # |s| > |r|: divided by |s|
        assert compare(r * (1 - t), r, tol).all_within is passes      # |s| < |r|: divided by |r|


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_grades_through_the_endpoint_on_both_sides_of_its_edge(post, preset):
    """dJ/dx = 1089 for the worked example; an answer just inside each preset's tolerance passes, one
    just outside fails, and the feedback is one sentence (CS231n's quoting the notes' verdict)."""
    tol = tolerance(preset)
    edge = tol.rtol * 1089.0 if tol.symmetric else tol.atol + tol.rtol * 1089.0
    for factor, correct in ((0.5, True), (2.0, False)):
        body = grade(post, {"gradients": {"x": 1089.0 + factor * edge}}, tolerance={"preset": preset})
        item = body["items"][0]
        assert (item["outcome"], item["correct"]) == ("graded", correct)
        assert body["tolerance"]["preset"] == preset
        if tol.symmetric:
            assert "relative error" in item["feedback"] and ("usually okay" in item["feedback"]) is correct


def test_the_scale_is_always_the_reference_unlike_numpy_isclose():
    tol = tolerance(rtol=0.5, atol=0)
    assert np.isclose(1.0, 1.8, rtol=0.5, atol=0) and not np.isclose(1.8, 1.0, rtol=0.5, atol=0)
    assert not compare(1.8, 1.0, tol).all_within  # s = 1.8 may not widen the test to 0.5 * 1.8
    assert compare(1.0, 1.8, tol).all_within


def test_the_response_echoes_the_formula_and_numbers_applied(post):
    body = grade(post, {"value": 1331}, tolerance={"preset": "gradcheck"})
    assert body["tolerance"] | {"note": None} == {
        "preset": "gradcheck", "formula": "|s - r| <= atol + rtol * |r|", "rtol": 1e-3, "atol": 1e-5,
        "source": PRESETS["gradcheck"].source, "note": None}
    assert grade(post, {"value": 1331})["tolerance"]["preset"] == "prairielearn"
    assert grade(post, {"value": 1331}, tolerance={"preset": "numpy", "rtol": 0.1})["tolerance"]["rtol"] == 0.1


def test_a_pure_relative_test_against_an_exact_zero_warns(post):
    dead = {"graph": {"expression": "relu(x) + y", "inputs": {"x": -1, "y": 1}}}
    assert grade(post, {"gradients": {"x": 0}}, dead, tolerance={"preset": "numpy", "atol": 0})["warnings"]
    assert not grade(post, {"gradients": {"x": 0}}, dead, tolerance={"preset": "numpy"})["warnings"]


def test_the_issue_example(post):
    body = grade(post, {"value": 1331, "gradients": {"x": 1089, "y": 363}}, tolerance={"rtol": 1e-4, "atol": 1e-6},
                 reveal=True)
    value, x, y = body["items"]
    assert (value["correct"], x["correct"], y["correct"]) == (True, True, False)
    assert y["expected"] == 1452 and body["score"] == pytest.approx(2 / 3)
    assert "expected" not in grade(post, {"gradients": {"y": 363}})["items"][0]  # hidden unless reveal


def test_matrix_answers_name_their_wrong_entries(post):
    problem = {"graph": {"expression": "sum(W @ x)", "inputs": {"W": [[1, 2, 3], [4, 5, 6]], "x": [1, 2, 3]}}}
    (item,) = grade(post, {"gradients": {"W": [[1, 2, 3], [1, 0, 3]]}}, problem)["items"]
    assert item["wrong_entries"] == [[1, 1]] and item["score"] == pytest.approx(5 / 6)
    assert item["max_abs_error"] == 2.0


@pytest.mark.parametrize("answer, correct", [
    ("9*(3*x + 4*y)^2", True), ("9*(4*y + 3*x)**2", True), ("81*x^2 + 216*x*y + 144*y^2", True),
    ("3*(3*x + 4*y)^2", False), ("1089", False), (1089, False), ("9*(3*x + 4*y)^2 + 50*(x - 1)", False),
])
def test_symbolic_answers_equal_by_algebra_pass_and_others_fail(post, answer, correct):
    (item,) = grade(post, {"derivatives": {"x": answer}})["items"]
    assert (item["outcome"], item["correct"]) == ("graded", correct), item["feedback"]


@pytest.mark.parametrize("answer", ["__import__('os')", "9*(3*x", "z + x", True, "x @ x"])
def test_symbolic_answers_that_cannot_be_evaluated_are_invalid(post, answer):
    (item,) = grade(post, {"derivatives": {"x": answer}})["items"]
    assert item["outcome"] == "invalid", item["feedback"]


@pytest.mark.parametrize("answer, says", [
    ([1089, 1], "has shape (2,), expected () (a number)"), ("NaN", "is NaN"), ("1089", "not usable"),
    (True, "not usable"), ([[1], [2, 3]], "not usable"),
])
def test_invalid_answers_are_not_counted_and_say_what_was_expected(post, answer, says):
    body = grade(post, {"gradients": {"x": answer}, "value": 1331})
    item = body["items"][1]
    assert (item["outcome"], item["correct"], body["gradable"]) == ("invalid", None, False)
    assert says in item["feedback"]


def test_a_reference_that_is_not_finite_is_an_error_not_the_students_fault(post):
    body = grade(post, {"gradients": {"x": 1, "y": 1}}, LOG_AT_ZERO)
    x, y = body["items"]
    assert (x["outcome"], y["outcome"], y["correct"], body["gradable"]) == ("error", "graded", True, False)


def test_items_the_problem_cannot_produce_are_422_naming_them(post):
    status, body = post("/v1/grade", {"problem": WORKED, "answers": {"gradients": {"z": 1}, "predictions": 1,
                                                                        "nodes": {"3 * q": 1}}})
    assert status == 422
    assert [e["location"] for e in body["errors"]] == ["/answers/gradients/z", "/answers/nodes/3 * q",
                                                      "/answers/predictions"]


def test_problems_are_validated_and_located_as_their_endpoint_does(post):
    status, body = post("/v1/grade", {"problem": {"graph": {"expression": "x + y", "inputs": {"x": 1}}},
                                      "answers": {"value": 1}})
    assert (status, body["errors"][0]["location"]) == (422, "/problem/graph/inputs")
    status, body = post("/v1/grade", {"problem": {"graph": {"expression": "x", "inputs": {"x": 1}}, "mlp": None},
                                      "answers": {}, "format": "excel"})
    assert status == 422 and body["errors"][0]["location"] == "/format"


def test_weighted_items_left_unanswered_score_zero(post):
    body = grade(post, {"gradients": {"x": 1089}}, weights={"/gradients/x": 3, "/gradients/y": 1})
    assert (body["points"], body["max_points"], body["score"]) == (3, 4, 0.75)


ANSWERS_OF_EACH_OUTCOME = [({"gradients": {"x": 1089, "y": 1}}, True),        # graded: one right, one wrong
                           ({"gradients": {"x": [1089]}, "value": 1331}, False),  # one invalid
                           ]


@pytest.mark.parametrize("answers, gradable", ANSWERS_OF_EACH_OUTCOME)
def test_gradescope_results_follow_its_specification(post, answers, gradable):
    body = grade(post, answers, format="gradescope")
    jsonschema.validate(body, GRADESCOPE)
    validator("GradescopeResults").validate(body)
    assert body["extra_data"]["gradable"] is gradable
    assert body["score"] == sum(test["score"] for test in body["tests"])


def test_gradescope_counts_ungradable_items_for_nothing(post):
    body = grade(post, {"gradients": {"x": [1089], "y": 1452}}, format="gradescope")
    x, y = body["tests"]
    assert (x["max_score"], x["status"], y["score"], body["score"]) == (0, "failed", 1, 1)
    assert body["output"].startswith("Not graded") and "error" == grade(
        post, {"gradients": {"x": 1}}, LOG_AT_ZERO, format="gradescope")["tests"][0]["extra_data"]["outcome"]


@pytest.mark.parametrize("answers, problem, gradable", [
    ({"gradients": {"x": 1089, "y": 1}}, WORKED, True), ({"gradients": {"x": "one"}}, WORKED, False),
    ({"gradients": {"x": 1}}, LOG_AT_ZERO, False)])
def test_prairielearn_results_follow_its_specification(post, answers, problem, gradable):
    body = grade(post, answers, problem, format="prairielearn")
    jsonschema.validate(body, PRAIRIELEARN)
    validator("PrairieLearnResults").validate(body)
    assert body["gradable"] is gradable
    if gradable:
        assert body["score"] == 0.5 and body["partial_scores"]["/gradients/y"]["score"] == 0


def test_native_results_fit_the_contract(post):
    validator("GradeResult").validate(grade(post, {"value": 1331, "derivatives": {"y": "1452"},
                                                   "gradients": {"x": "x"}, "nodes": {"3 * x": 363}}))


def test_mlp_problems_are_graded_against_v1_mlp(post):
    from tests.test_grading_mistakes import MLP
    status, reference = post("/v1/mlp", MLP["mlp"])
    body = grade(post, {"cost": reference["cost"], "predictions": reference["predictions"],
                        "input_gradients": reference["input_gradients"], "gradients": reference["gradients"]}, MLP)
    assert body["score"] == 1 and len(body["items"]) == 5
    status, refused = post("/v1/grade", {"problem": MLP, "answers": {"derivatives": {"x": "1"}}})
    assert status == 422 and refused["errors"][0]["location"] == "/answers/derivatives/x"
