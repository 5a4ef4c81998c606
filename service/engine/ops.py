"""The operation table: each operation's forward and its vector-Jacobian product, side by side.

An operation's `shape(*arg_shapes)` gives its output's shape (or raises ValueError) so that a graph
is checked before anything is computed; `backward(g, out, *args)` receives the upstream gradient `g`
(shaped like the output `out`) and returns one gradient per argument, each shaped like that argument.
Sums and means also take `axis`. Adding an operation is one `Op(...)` entry below and one case in
`tests/test_ops.py`.

Non-differentiable points follow PyTorch: relu'(0) = 0, abs'(0) = sign(0) = 0, and for `a ** b`
the derivative with respect to `b` is 0 where `a == 0` and `b >= 0` (not 0 * log 0 = NaN).
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Op:
    name: str
    arity: int
    shape: Callable
    forward: Callable
    backward: Callable
    takes_axis: bool = False


def _same_shape(shape):
    return shape


def _reduced_shape(shape, axis=None):
    if axis is None:
        return ()
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"axis {axis} is out of range for a tensor of shape {shape}")
    return shape[:axis % len(shape)] + shape[axis % len(shape) + 1:]


def _matmul_shape(a, b):
    if not a or not b:
        raise ValueError(f"matmul needs tensors with at least one dimension, got shapes {a} and {b}; use * for scalars")
    inner_a, inner_b = a[-1], (b[-2] if len(b) > 1 else b[0])
    if inner_a != inner_b:
        raise ValueError(f"shapes {a} and {b} do not align for matmul ({inner_a} != {inner_b})")
    batch = np.broadcast_shapes(a[:-2], b[:-2])
    return batch + a[-2:-1] + b[-1:] if len(b) > 1 else batch + a[-2:-1]


def unbroadcast(gradient, shape):
    """Sum a gradient back down to the shape of an operand that NumPy broadcast to a larger shape."""
    if np.shape(gradient) == shape:
        return gradient
    extra = np.ndim(gradient) - len(shape)
    gradient = np.sum(gradient, axis=tuple(range(extra))) if extra else gradient
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(gradient)[i] != 1)
    return np.sum(gradient, axis=stretched, keepdims=True) if stretched else gradient


def _binary(backward):
    """Wrap a backward whose raw results have the broadcast shape, so each is summed to its operand."""
    def unbroadcasting(g, out, a, b):
        ga, gb = backward(g, out, a, b)
        if type(out) is np.float64:  # a scalar result had scalar operands: nothing was broadcast
            return ga, gb
        return unbroadcast(ga, np.shape(a)), unbroadcast(gb, np.shape(b))
    return unbroadcasting


def _sigmoid(x):
    # exp of -|x| never overflows: 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def _pow_exponent_gradient(g, out, a, b):
    # d(a^b)/db = a^b * ln a, taken as 0 where a == 0 and b >= 0 (PyTorch's convention).
    if type(a) is np.float64 and type(b) is np.float64:  # scalars, as in (3*x + 4*y)**3: no arrays to mask
        safe_log = np.log(a) if a != 0 else 0.0
        return np.float64(0.0) if a == 0 and b >= 0 else g * out * safe_log
    safe_log = np.log(np.where(a == 0, 1.0, a))
    return np.where((a == 0) & (b >= 0), 0.0, g * out * safe_log)


def _expand_reduced(g, x, axis):
    """Give a gradient that lost `axis` in a reduction its axis back, broadcast to the shape of x."""
    if axis is not None:
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, np.shape(x))


def _reduced_size(x, axis):
    return np.size(x) if axis is None else np.shape(x)[axis]


def _matmul_backward(g, out, a, b):
    # A 1-D operand is a row (left) or a column (right) vector; its gradient loses that axis again.
    a2 = a[np.newaxis, :] if a.ndim == 1 else a
    b2 = b[:, np.newaxis] if b.ndim == 1 else b
    g2 = np.expand_dims(g, -1) if b.ndim == 1 else g
    g2 = np.expand_dims(g2, -2) if a.ndim == 1 else g2
    ga = g2 @ np.swapaxes(b2, -1, -2)
    gb = np.swapaxes(a2, -1, -2) @ g2
    ga = np.squeeze(ga, -2) if a.ndim == 1 else ga
    gb = np.squeeze(gb, -1) if b.ndim == 1 else gb
    return unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)


OPERATIONS = {op.name: op for op in [
    # Binary arithmetic; the gradients are summed back to each operand's shape.
    Op("add", 2, np.broadcast_shapes, lambda a, b: a + b, _binary(lambda g, out, a, b: (g, g))),
    Op("sub", 2, np.broadcast_shapes, lambda a, b: a - b, _binary(lambda g, out, a, b: (g, -g))),
    Op("mul", 2, np.broadcast_shapes, lambda a, b: a * b, _binary(lambda g, out, a, b: (g * b, g * a))),
    Op("div", 2, np.broadcast_shapes, lambda a, b: a / b, _binary(lambda g, out, a, b: (g / b, -g * a / (b * b)))),
    Op("pow", 2, np.broadcast_shapes, lambda a, b: a ** b,
       _binary(lambda g, out, a, b: (g * b * a ** (b - 1.0), _pow_exponent_gradient(g, out, a, b)))),
    Op("matmul", 2, _matmul_shape, np.matmul, _matmul_backward),
    # Elementwise functions of one argument: d/dx f(x), given out = f(x).
    Op("neg", 1, _same_shape, lambda x: -x, lambda g, out, x: (-g,)),
    Op("exp", 1, _same_shape, np.exp, lambda g, out, x: (g * out,)),
    Op("log", 1, _same_shape, np.log, lambda g, out, x: (g / x,)),
    Op("sqrt", 1, _same_shape, np.sqrt, lambda g, out, x: (g / (2.0 * out),)),
    Op("abs", 1, _same_shape, np.abs, lambda g, out, x: (g * np.sign(x),)),
    Op("sin", 1, _same_shape, np.sin, lambda g, out, x: (g * np.cos(x),)),
    Op("cos", 1, _same_shape, np.cos, lambda g, out, x: (-g * np.sin(x),)),
    Op("tanh", 1, _same_shape, np.tanh, lambda g, out, x: (g * (1.0 - out * out),)),
    Op("sigmoid", 1, _same_shape, _sigmoid, lambda g, out, x: (g * out * (1.0 - out),)),
    Op("relu", 1, _same_shape, lambda x: np.maximum(x, 0.0), lambda g, out, x: (g * (x > 0),)),
    # Shape operations.
    Op("sum", 1, _reduced_shape, np.sum,
       lambda g, out, x, axis=None: (_expand_reduced(g, x, axis),), takes_axis=True),
    Op("mean", 1, _reduced_shape, lambda x, axis=None: np.sum(x, axis=axis) / _reduced_size(x, axis),
       lambda g, out, x, axis=None: (_expand_reduced(g, x, axis) / _reduced_size(x, axis),), takes_axis=True),
    Op("transpose", 1, lambda shape: shape[::-1], np.transpose, lambda g, out, x: (np.transpose(g),)),
]}
