"""Update rules with `torch.optim` semantics, applied in place to one flat vector holding every
parameter, so that a step is a few NumPy calls whatever the number of layers.

    sgd       θ := θ - lr g
    momentum  v := μ v + g;  θ := θ - lr v                    (torch.optim.SGD(momentum=μ), v0 = 0)
    adam      m := m + (1 - β1)(g - m);  v := β2 v + (1 - β2) g²;  t := t + 1
              θ := θ - (lr / (1 - β1^t)) m / (sqrt(v) / sqrt(1 - β2^t) + ε)       (torch.optim.Adam)

Adam's update is written in PyTorch's order of operations, so the two agree to float64 rounding.

Each rule names the `gradient_scale` it wants its gradient multiplied by before `update` sees it.
SGD and momentum are linear in g, so they take g' = -lr g, which the engine gets for free from the
loss (see `losses.py`): SGD's step is then θ := θ + g', one pass over the parameters instead of two,
and momentum keeps v' = -lr v. For a 784-128-10 network the pass saved is about a twentieth of a step,
since the parameter vector no longer fits in the cache after the step's large matrix products.
"""

import math

import numpy as np


class Sgd:
    def __init__(self, size, learning_rate):
        self.gradient_scale = -learning_rate

    def update(self, theta, scaled_gradient):
        np.add(theta, scaled_gradient, out=theta)


class Momentum:
    def __init__(self, size, learning_rate, momentum):
        self.gradient_scale, self.momentum = -learning_rate, momentum
        self.scaled_velocity = np.zeros(size)

    def update(self, theta, scaled_gradient):
        velocity = self.scaled_velocity
        np.multiply(velocity, self.momentum, out=velocity)
        np.add(velocity, scaled_gradient, out=velocity)
        np.add(theta, velocity, out=theta)


class Adam:
    gradient_scale = 1.0

    def __init__(self, size, learning_rate, betas, eps):
        self.learning_rate, (self.beta1, self.beta2), self.eps = learning_rate, betas, eps
        self.mean, self.square = np.zeros(size), np.zeros(size)
        self.scratch = np.empty(size)
        self.step = 0

    def update(self, theta, gradient):
        self.step += 1
        mean, square, scratch = self.mean, self.square, self.scratch
        np.subtract(gradient, mean, out=scratch)
        np.multiply(scratch, 1.0 - self.beta1, out=scratch)
        np.add(mean, scratch, out=mean)
        np.multiply(square, self.beta2, out=square)
        np.multiply(gradient, gradient, out=scratch)
        np.multiply(scratch, 1.0 - self.beta2, out=scratch)
        np.add(square, scratch, out=square)
        np.sqrt(square, out=scratch)
        np.divide(scratch, math.sqrt(1.0 - self.beta2 ** self.step), out=scratch)
        np.add(scratch, self.eps, out=scratch)
        np.divide(mean, scratch, out=scratch)
        np.multiply(scratch, self.learning_rate / (1.0 - self.beta1 ** self.step), out=scratch)
        np.subtract(theta, scratch, out=theta)


def optimizer(name, size, learning_rate, **settings):
    """The update rule `name` ("sgd", "momentum" or "adam") for a parameter vector of `size` numbers."""
    return {"sgd": Sgd, "momentum": Momentum, "adam": Adam}[name](size, learning_rate, **settings)
