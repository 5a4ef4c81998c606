"""Initial weights, drawn deterministically: one `numpy.random.default_rng(seed)` draws W1, W2, …
in that order, so the same request gives the same numbers on any machine. Biases start at zero.

For W<l> of shape (fan_out, fan_in) = (units of layer l, units of layer l - 1), as in torch.nn.init:

    xavier_uniform  U(-a, a), a = sqrt(6 / (fan_in + fan_out))
    xavier_normal   N(0, s^2), s = sqrt(2 / (fan_in + fan_out))
    he_uniform      U(-a, a), a = sqrt(6 / fan_in)
    he_normal       N(0, s^2), s = sqrt(2 / fan_in)
    normal          N(0, std^2), std = 0.01 unless given
    zeros           0
"""

import math

import numpy as np

SCHEMES = ("xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "normal", "zeros")
DEFAULT_STD = 0.01


def initial_parameters(layer_units, input_features, scheme, seed, std=DEFAULT_STD):
    """[(W1, b1), (W2, b2), …] for layers of the given units fed `input_features` features."""
    rng = np.random.default_rng(seed)
    fans_in = [input_features] + list(layer_units[:-1])
    return [(_weights(rng, scheme, units, fan_in, std), np.zeros(units))
            for units, fan_in in zip(layer_units, fans_in)]


def _weights(rng, scheme, fan_out, fan_in, std):
    shape = (fan_out, fan_in)
    if scheme == "xavier_uniform":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, shape)
    if scheme == "xavier_normal":
        return rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), shape)
    if scheme == "he_uniform":
        bound = math.sqrt(6.0 / fan_in)
        return rng.uniform(-bound, bound, shape)
    if scheme == "he_normal":
        return rng.normal(0.0, math.sqrt(2.0 / fan_in), shape)
    if scheme == "normal":
        return rng.normal(0.0, std, shape)
    if scheme == "zeros":
        return np.zeros(shape)
    raise ValueError(f"unknown initialisation scheme {scheme!r}")
