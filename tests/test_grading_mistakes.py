"""Every mistake code: one answer that triggers it and one (wrong in another way) that must not."""

import pytest

WORKED = {"graph": {"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}}}
SQUARE = {"graph": {"expression": "sum(W @ x)", "inputs": {"W": [[1, 2], [3, 4]], "x": [1, 2]}}}
SQUARED_ERROR = {"graph": {"expression": "(w - 3)**2", "inputs": {"w": 0}}}
MEAN = {"graph": {"expression": "mean(x**2)", "inputs": {"x": [1, 2, 3]}}}
FORK = {"graph": {"expression": "x*x + x", "inputs": {"x": 3}}}
MLP = {"mlp": {"layers": [{"units": 1, "activation": "linear"}], "loss": "mse",
               "inputs": [[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]], "targets": [[1.0], [0.0], [2.0]],
               "parameters": {"W1": [[0.5, -0.25]], "b1": [0.1]}}}


def mistake(post, problem, answers):
    status, body = post("/v1/grade", {"problem": problem, "answers": answers})
    assert status == 200, body
    (item,) = body["items"]
    return item["mistake"], item


def mlp_gradient(post, name):
    status, body = post("/v1/mlp", MLP["mlp"])
    assert status == 200
    return body["gradients"][name]


@pytest.mark.parametrize("problem, answers, code", [
    (WORKED, {"gradients": {"y": -1452}}, "sign_flip"),
    (SQUARE, {"gradients": {"W": [[1, 1], [2, 2]]}}, "transpose"),
    (WORKED, {"gradients": {"x": 363}}, "missing_chain_factor"),
    (WORKED, {"derivatives": {"x": "3*(3*x + 4*y)^2"}}, "missing_chain_factor"),
    (SQUARED_ERROR, {"gradients": {"w": -3}}, "half_factor"),
    (MEAN, {"gradients": {"x": [2, 4, 6]}}, "mean_vs_sum"),
    (FORK, {"gradients": {"x": 3}}, "not_accumulated_at_fork"),
    (WORKED, {"gradients": {"x": 900}}, "wrong_point"),  # 9 (3*2 + 4*1)^2: x and y swapped
])
def test_each_mistake_is_named(post, problem, answers, code):
    found, item = mistake(post, problem, answers)
    assert (found, item["correct"]) == (code, False), item["feedback"]


@pytest.mark.parametrize("problem, answers", [
    (WORKED, {"gradients": {"y": -1000}}),
    (SQUARE, {"gradients": {"W": [[1, 2], [1, 3]]}}),
    (WORKED, {"gradients": {"x": 1000}}),
    (WORKED, {"derivatives": {"x": "5*(3*x + 4*y)^2"}}),
    (SQUARED_ERROR, {"gradients": {"w": -4}}),
    (MEAN, {"gradients": {"x": [1, 1, 1]}}),
    (FORK, {"gradients": {"x": 8}}),
    (WORKED, {"gradients": {"x": 950}}),
])
def test_a_wrong_answer_no_transform_explains_gets_no_code(post, problem, answers):
    found, item = mistake(post, problem, answers)
    assert (found, item["correct"]) == (None, False), item["feedback"]


def test_a_correct_answer_never_gets_a_code(post):
    found, item = mistake(post, WORKED, {"gradients": {"x": 1089}})
    assert (found, item["correct"], item["score"]) == (None, True, 1.0)


def test_a_transposed_matrix_of_another_shape_is_invalid_and_named(post):
    rectangle = {"graph": {"expression": "sum(W @ x)", "inputs": {"W": [[1, 2, 3], [4, 5, 6]], "x": [1, 2, 3]}}}
    found, item = mistake(post, rectangle, {"gradients": {"W": [[1, 1], [2, 2], [3, 3]]}})
    assert (found, item["outcome"]) == ("transpose", "invalid")
    assert "has shape (3, 2), expected (2, 3)" in item["feedback"]


def test_mean_vs_sum_names_the_factor_m_of_an_mlp(post):
    m = len(MLP["mlp"]["inputs"])
    summed = [[g * m for g in row] for row in mlp_gradient(post, "W1")]
    assert mistake(post, MLP, {"gradients": {"W1": summed}})[0] == "mean_vs_sum"
    assert mistake(post, MLP, {"gradients": {"W1": [[g + 1 for g in row] for row in mlp_gradient(post, "W1")]}})[0] \
        is None


def test_the_detectors_are_pure_functions_on_arrays():
    import numpy as np
    from service.grading.comparison import tolerance
    from service.grading.mistakes import Clues, diagnose
    tol = tolerance("numpy")
    r = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert diagnose(-r, r, tol, Clues()).code == "sign_flip"
    assert diagnose(r.T, r, tol, Clues()).code == "transpose"
    assert diagnose(r * 5, r, tol, Clues(examples=5)).code == "mean_vs_sum"
    assert diagnose(r * 5, r, tol, Clues()) is None
    assert diagnose(r / 3, r, tol, Clues(chain=[(r / 3, "a factor 3 dropped")])).code == "missing_chain_factor"
