"""Activation functions g and their derivatives, written into buffers the caller owns.

`forward(z, a)` sets a = g(z). `backward(upstream, z, a, dz, mask)` sets dz = upstream * g'(z) (for
softmax, the vector-Jacobian product of each row); `mask` is a boolean scratch buffer shaped like z.
Both run once per layer per descent step, so each is a handful of NumPy calls and allocates nothing
(softmax's row sums excepted). Kinks follow PyTorch: relu'(0) = 0, leaky_relu'(0) = the slope.
`linear` has neither: its layer's A is the very buffer Z, so there is nothing to compute.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    forward: Callable | None   # None for the identity
    backward: Callable | None


def _relu_backward(upstream, z, a, dz, mask):
    np.greater(z, 0.0, out=mask)
    np.multiply(upstream, mask, out=dz)


def _leaky_relu_forward(z, a):
    # max(z, slope * z) is z for z > 0 and slope * z otherwise, since 0 < slope < 1.
    np.multiply(z, LEAKY_SLOPE, out=a)
    np.maximum(z, a, out=a)


def _leaky_relu_backward(upstream, z, a, dz, mask):
    np.multiply(upstream, LEAKY_SLOPE, out=dz)
    np.greater(z, 0.0, out=mask)
    np.copyto(dz, upstream, where=mask)


def _sigmoid_forward(z, a):
    # 1 / (1 + e^-z): for z < -709 e^-z is Infinity and the result the correct 0.
    np.negative(z, out=a)
    np.exp(a, out=a)
    np.add(a, 1.0, out=a)
    np.reciprocal(a, out=a)


def _sigmoid_backward(upstream, z, a, dz, mask):
    # sigmoid' = a (1 - a)
    np.subtract(1.0, a, out=dz)
    np.multiply(dz, a, out=dz)
    np.multiply(dz, upstream, out=dz)


def _tanh_backward(upstream, z, a, dz, mask):
    # tanh' = 1 - a^2
    np.multiply(a, a, out=dz)
    np.subtract(1.0, dz, out=dz)
    np.multiply(dz, upstream, out=dz)


def softmax(z, a):
    """Each row's softmax, shifted by the row's maximum so that exp never overflows."""
    np.subtract(z, z.max(axis=1, keepdims=True), out=a)
    np.exp(a, out=a)
    np.divide(a, a.sum(axis=1, keepdims=True), out=a)


def _softmax_backward(upstream, z, a, dz, mask):
    # For one row: dz_j = a_j (g_j - sum_k g_k a_k).
    np.multiply(upstream, a, out=dz)
    row_sums = dz.sum(axis=1, keepdims=True)
    np.subtract(upstream, row_sums, out=dz)
    np.multiply(dz, a, out=dz)


ACTIVATIONS = {activation.name: activation for activation in [
    Activation("linear", None, None),  # the identity: the engine makes A and Z one buffer, and dA and dZ
    Activation("relu", lambda z, a: np.maximum(z, 0.0, out=a), _relu_backward),
    Activation("leaky_relu", _leaky_relu_forward, _leaky_relu_backward),
    Activation("sigmoid", _sigmoid_forward, _sigmoid_backward),
    Activation("tanh", lambda z, a: np.tanh(z, out=a), _tanh_backward),
    Activation("softmax", softmax, _softmax_backward),
]}
