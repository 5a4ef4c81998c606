"""Every operation's backward pass against central finite differences, on random inputs (Hypothesis).

The cost is J = sum(W * op(a, b)) with a random constant W, so each check exercises the
vector-Jacobian product with an arbitrary upstream gradient, broadcasting included.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from service.engine.ops import OPERATIONS
from tests.numerical import central_difference, engine_cost, engine_gradients

POSITIVE = (0.5, 3.0)          # log, sqrt, a pow base, a divisor: away from 0
ANY = (-3.0, 3.0)
AWAY_FROM_KINK = (0.1, 3.0)    # relu and abs, with a random sign: never at their kink 0
ELEMENTWISE_SHAPES = [(), (3,), (2, 3)]
BROADCAST_SHAPES = [((), ()), ((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 2)), ((3,), ())]
MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 2, 3), (3, 4)), ((3,), (2, 3, 4))]

UNARY_DOMAINS = {"neg": ANY, "exp": ANY, "log": POSITIVE, "sqrt": POSITIVE, "abs": AWAY_FROM_KINK,
                 "sin": ANY, "cos": ANY, "tanh": ANY, "sigmoid": (-8.0, 8.0), "relu": AWAY_FROM_KINK,
                 "transpose": ANY}
BINARY_DOMAINS = {"add": (ANY, ANY), "sub": (ANY, ANY), "mul": (ANY, ANY), "div": (ANY, POSITIVE),
                  "pow": (POSITIVE, (-2.0, 2.0)), "matmul": (ANY, ANY)}
REDUCTIONS = ["sum", "mean"]


def test_every_operation_is_checked():
    assert set(OPERATIONS) == set(UNARY_DOMAINS) | set(BINARY_DOMAINS) | set(REDUCTIONS)


def tensor(shape, domain, signed=False):
    low, high = domain
    values = arrays(np.float64, shape, elements=st.floats(low, high, allow_nan=False))
    if not signed:
        return values
    signs = arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0]))
    return st.tuples(values, signs).map(lambda pair: pair[0] * pair[1])


def weights(shape):
    return arrays(np.float64, shape, elements=st.floats(-2.0, 2.0, allow_nan=False))


def weighted_sum_graph(op, arguments, axis=None):
    """Nodes for J = sum(W * op(*arguments)), W a constant of the op's output shape."""
    inner = {"id": "f", "op": op, "args": arguments}
    if axis is not None:
        inner["axis"] = axis
    return [{"id": name, "op": "input"} for name in arguments] + [
        inner, {"id": "W", "op": "input"}, {"id": "Wf", "op": "mul", "args": ["W", "f"]},
        {"id": "J", "op": "sum", "args": ["Wf"]}]


def assert_matches_finite_differences(nodes, inputs, names):
    _, gradients = engine_gradients(nodes, inputs)
    for name in names:
        def cost(point, name=name):
            return engine_cost(nodes, {**inputs, name: point})
        np.testing.assert_allclose(gradients[name], central_difference(cost, inputs[name]),
                                   rtol=1e-5, atol=1e-6, err_msg=f"dJ/d{name}")
        assert np.shape(gradients[name]) == np.shape(inputs[name])


@pytest.mark.parametrize("op", sorted(set(UNARY_DOMAINS) - {"transpose"}))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_unary_operation(op, data):
    shape = data.draw(st.sampled_from(ELEMENTWISE_SHAPES))
    a = data.draw(tensor(shape, UNARY_DOMAINS[op], signed=op in ("abs", "relu")))
    w = data.draw(weights(shape))
    assert_matches_finite_differences(weighted_sum_graph(op, ["a"]), {"a": a, "W": w}, ["a"])


@pytest.mark.parametrize("op", sorted(set(BINARY_DOMAINS) - {"matmul"}))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_binary_operation_with_broadcasting(op, data):
    shape_a, shape_b = data.draw(st.sampled_from(BROADCAST_SHAPES))
    domain_a, domain_b = BINARY_DOMAINS[op]
    a, b = data.draw(tensor(shape_a, domain_a)), data.draw(tensor(shape_b, domain_b))
    w = data.draw(weights(np.broadcast_shapes(shape_a, shape_b)))
    assert_matches_finite_differences(weighted_sum_graph(op, ["a", "b"]), {"a": a, "b": b, "W": w}, ["a", "b"])


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_matmul(data):
    shape_a, shape_b = data.draw(st.sampled_from(MATMUL_SHAPES))
    a, b = data.draw(tensor(shape_a, ANY)), data.draw(tensor(shape_b, ANY))
    w = data.draw(weights(np.matmul(np.zeros(shape_a), np.zeros(shape_b)).shape))
    assert_matches_finite_differences(weighted_sum_graph("matmul", ["a", "b"]), {"a": a, "b": b, "W": w},
                                      ["a", "b"])


@pytest.mark.parametrize("op", REDUCTIONS)
@pytest.mark.parametrize("shape, axis", [((3,), None), ((2, 3), None), ((2, 3), 0), ((2, 3), 1), ((2, 3), -1),
                                         ((2, 3, 4), 1)])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_reduction(op, shape, axis, data):
    a = data.draw(tensor(shape, ANY))
    reduced = np.sum(np.zeros(shape), axis=axis).shape
    w = data.draw(weights(reduced))
    assert_matches_finite_differences(weighted_sum_graph(op, ["a"], axis), {"a": a, "W": w}, ["a"])


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_transpose(data):
    a = data.draw(tensor((2, 3), ANY))
    w = data.draw(weights((3, 2)))
    assert_matches_finite_differences(weighted_sum_graph("transpose", ["a"]), {"a": a, "W": w}, ["a"])


def test_pow_with_a_node_exponent():
    nodes = [{"id": "a", "op": "input"}, {"id": "b", "op": "input"}, {"id": "p", "op": "pow", "args": ["a", "b"]}]
    assert_matches_finite_differences(nodes, {"a": np.float64(1.7), "b": np.float64(-0.6)}, ["a", "b"])


@pytest.mark.parametrize("op, at, expected", [("relu", 0.0, 0.0), ("abs", 0.0, 0.0), ("relu", 2.0, 1.0),
                                              ("abs", -2.0, -1.0)])
def test_kinks_follow_pytorch(op, at, expected):
    _, gradients = engine_gradients([{"id": "x", "op": "input"}, {"id": "y", "op": op, "args": ["x"]}], {"x": at})
    assert gradients["x"] == expected


def test_pow_exponent_gradient_at_zero_base_is_zero():
    nodes = [{"id": "a", "op": "input"}, {"id": "b", "op": "input"}, {"id": "p", "op": "pow", "args": ["a", "b"]}]
    _, gradients = engine_gradients(nodes, {"a": 0.0, "b": 2.0})
    assert gradients == {"a": 0.0, "b": 0.0}


@pytest.mark.parametrize("x, expected", [(800.0, 1.0), (-800.0, 0.0), (0.0, 0.5)])
def test_sigmoid_is_stable_for_large_inputs(x, expected):
    nodes = [{"id": "x", "op": "input"}, {"id": "s", "op": "sigmoid", "args": ["x"]}]
    with np.errstate(all="raise"):
        value, gradients = engine_gradients(nodes, {"x": x})
    assert value == expected
    assert np.isfinite(gradients["x"])


SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 1e-300, 1e300, np.inf, -np.inf, np.nan]


def test_pow_exponent_gradient_of_scalars_matches_the_array_rule_at_every_special_value():
    """Scalars take a shortcut past np.where; it must give the very numbers the array rule gives."""
    backward = OPERATIONS["pow"].backward
    with np.errstate(all="ignore"):
        for a, b, g in itertools.product(SPECIAL, SPECIAL, [1.0, -2.0, 0.0, np.inf]):
            out = np.float64(a) ** np.float64(b)
            scalar = backward(np.float64(g), out, np.float64(a), np.float64(b))[1]
            array = backward(np.array([g]), np.array([out]), np.array([a]), np.array([b]))[1][0]
            assert type(scalar) is np.float64 and np.array_equal(scalar, array, equal_nan=True), (a, b, g)
