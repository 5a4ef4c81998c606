"""The losses, each PyTorch's with its default mean reduction, and its gradient.

`cost_and_gradient(z, a, y, out, scale)` returns the cost J for the last layer's pre-activation z
(m x k), its activation a and the targets y (m x k), and writes into `out` scale * dJ/da, or
scale * dJ/dz for the losses computed from the logits. Backpropagation is linear in this gradient, so
the scale reaches every parameter's gradient for the price of one multiplication here (see
`optimizers.py` for why an update rule wants it). The losses computed from the logits never take the
log of a probability: they use log-sum-exp, shifted by the maximum so that exp never overflows.

    mse                   J = 1/(m k) sum (a - y)^2                        F.mse_loss(a, y)
    binary_cross_entropy  J = 1/(m k) sum max(z, 0) - z y + log(1 + e^-|z|)
                                                                  F.binary_cross_entropy_with_logits(z, y)
    cross_entropy         J = -1/m sum_i sum_j y_ij log_softmax(z_i)_j     F.cross_entropy(z, y)
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Loss:
    name: str
    last_activation: str | None   # the activation the last layer must have (None: any)
    from_logits: bool             # whether the gradient written is dJ/dz rather than dJ/da
    cost_and_gradient: Callable


def _mse(z, a, y, out, scale):
    np.subtract(a, y, out=out)
    count = out.size
    cost = np.vdot(out, out) / count
    np.multiply(out, scale * 2.0 / count, out=out)
    return cost


def _binary_cross_entropy(z, a, y, out, scale):
    # a = sigmoid(z), so dJ/dz = (a - y) / (m k).
    count = z.size
    cost = (np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))).sum() / count
    np.subtract(a, y, out=out)
    np.multiply(out, scale / count, out=out)
    return cost


def _cross_entropy(z, a, y, out, scale):
    # log_softmax(z) = z - max - log(sum e^(z - max)); a = softmax(z), so
    # dJ/dz_ij = (a_ij sum_j y_ij - y_ij) / m, which is (a - y) / m for rows of y that sum to one.
    examples = z.shape[0]
    shifted = z - z.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    cost = -np.vdot(y, log_softmax) / examples
    np.multiply(a, y.sum(axis=1, keepdims=True), out=out)
    np.subtract(out, y, out=out)
    np.multiply(out, scale / examples, out=out)
    return cost


LOSSES = {loss.name: loss for loss in [
    Loss("mse", None, False, _mse),
    Loss("binary_cross_entropy", "sigmoid", True, _binary_cross_entropy),
    Loss("cross_entropy", "softmax", True, _cross_entropy),
]}

PAIRINGS = "mse with any last activation, binary_cross_entropy with sigmoid, cross_entropy with softmax"


def one_hot(classes, count):
    """Class indices (m,) as probability rows (m x count), the form the engine trains on."""
    rows = np.zeros((classes.shape[0], count))
    rows[np.arange(classes.shape[0]), classes.astype(np.intp)] = 1.0
    return rows
