"""A multilayer perceptron trained by backpropagation: the vectorised step loop behind `POST /v1/mlp`.

Layer l computes Z<l> = A<l-1> @ W<l>.T + b<l> and A<l> = g<l>(Z<l>), where A<0> is the inputs
(one example per row) and W<l> has shape (units of layer l, units of layer l - 1), as in
torch.nn.Linear. Backpropagation, for all m examples at once:

    dZ<L> = dJ/dA<L> * g'(Z<L>)      (or dJ/dZ<L> directly for the losses computed from the logits)
    dJ/dW<l> = dZ<l>.T @ A<l-1>,  dJ/db<l> = the column sums of dZ<l>
    dA<l-1> = dZ<l> @ W<l>,       dZ<l-1> = dA<l-1> * g'(Z<l-1>)

For speed, every parameter lives in one flat vector, in which layer l's block is the matrix
[W<l> | b<l>]; each layer's input buffer carries a trailing column of ones, so Z<l> = [A<l-1> | 1] @
[W<l> | b<l>].T and dJ/d[W<l> | b<l>] = dZ<l>.T @ [A<l-1> | 1] are one matrix product each, and an
optimizer step is a few calls on the flat vector. Buffers are allocated once per batch size.
"""

import math
from dataclasses import dataclass

import numpy as np

from service.engine.activations import ACTIVATIONS
from service.engine.diagnostics import divergence_warning, gradient_warnings, nonfinite_gradient_warnings
from service.engine.errors import GraphError
from service.engine.losses import LOSSES, PAIRINGS, one_hot
from service.engine.optimizers import optimizer


@dataclass(frozen=True)
class Network:
    units: tuple        # the units of layers 1..L
    activations: tuple  # the activation of each layer
    loss: str


@dataclass
class Training:
    cost: float
    predictions: np.ndarray      # A<L> at the given parameters
    gradients: list              # [(dJ/dW1, dJ/db1), …] at the given parameters
    input_gradients: np.ndarray  # dJ/d(inputs) at the given parameters
    costs: np.ndarray            # the cost before each step and after the last: steps + 1 values
    parameters: list             # [(W1, b1), …] after the last step
    final_gradients: list        # the gradients at those parameters, over all examples
    gradient_norms: list         # ||dJ/dW<l>|| at the given parameters
    warnings: list


def check_network(network):
    """Softmax only in the last layer, and each loss with the last activation it is defined for."""
    for i, name in enumerate(network.activations[:-1]):
        if name == "softmax":
            raise GraphError(f"softmax is for the last layer only; layer {i + 1} of {len(network.units)} uses it",
                             ("layers", i, "activation"))
    needed = LOSSES[network.loss].last_activation
    if needed is not None and network.activations[-1] != needed:
        raise GraphError(f"loss {network.loss} needs the last layer's activation to be {needed}, not "
                         f"{network.activations[-1]}; the pairings are: {PAIRINGS}", ("loss",))


def check_inputs(inputs):
    if np.ndim(inputs) != 2 or 0 in np.shape(inputs):
        raise GraphError("inputs must be a matrix with one row per example and one column per feature, "
                         f"got shape {np.shape(inputs)}", ("inputs",))


def parameter_names(layer_count):
    return [name for layer in range(1, layer_count + 1) for name in (f"W{layer}", f"b{layer}")]


def check_parameters(network, inputs, parameters):
    """[(W1, b1), …] from a mapping of names to tensors, each shape checked against the layers and inputs."""
    names = parameter_names(len(network.units))
    for name in names:
        if name not in parameters:
            raise GraphError(f"parameters has no {name}; a network of {len(network.units)} layers needs "
                             f"{', '.join(names)}", ("parameters",))
    for name in parameters:
        if name not in names:
            raise GraphError(f"parameters has {name!r}, but a network of {len(network.units)} layers has only "
                             f"{', '.join(names)}", ("parameters", name))
    fans_in = [inputs.shape[1]] + list(network.units[:-1])
    for layer, (units, fan_in) in enumerate(zip(network.units, fans_in), start=1):
        source = (f"inputs has {_count(fan_in, 'feature')} per example (shape {inputs.shape})" if layer == 1
                  else f"layer {layer - 1} has {_count(fan_in, 'unit')}")
        has = f"layer {layer} has {_count(units, 'unit')}"
        _require_shape(parameters, f"W{layer}", (units, fan_in), f"{has} and {source}")
        _require_shape(parameters, f"b{layer}", (units,), has)
    return [(parameters[f"W{layer}"], parameters[f"b{layer}"]) for layer in range(1, len(network.units) + 1)]


def _count(number, noun):
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _require_shape(parameters, name, shape, reason):
    actual = np.shape(parameters[name])
    if actual != shape:
        raise GraphError(f"parameters {name} has shape {actual}, but {reason}, so {name} must have shape {shape}",
                         ("parameters", name))


def prepare_targets(network, inputs, targets):
    """The targets as an m x k matrix; for cross_entropy, class indices (m,) become one-hot rows."""
    examples, units = inputs.shape[0], network.units[-1]
    shape = np.shape(targets)
    if network.loss == "cross_entropy" and shape == (examples,):
        if not (np.all(targets == np.floor(targets)) and np.all(targets >= 0) and np.all(targets < units)):
            raise GraphError(f"class indices must be whole numbers from 0 to {units - 1} (the last layer has "
                             f"{_count(units, 'unit')})", ("targets",))
        return one_hot(targets, units)
    if shape != (examples, units):
        also = f" (or class indices of shape ({examples},))" if network.loss == "cross_entropy" else ""
        raise GraphError(f"targets has shape {shape}, but inputs has {_count(examples, 'example')} (shape "
                         f"{inputs.shape}) and the last layer has {_count(units, 'unit')}, so targets must have shape {(examples, units)}{also}",
                         ("targets",))
    if network.loss != "mse" and not (np.all(targets >= 0) and np.all(targets <= 1)):
        raise GraphError(f"for {network.loss} the targets are probabilities: every value must be "
                         "between 0 and 1", ("targets",))
    return np.ascontiguousarray(targets, dtype=np.float64)


def train(network, parameters, inputs, targets, learning_rate, steps, update="sgd", update_settings=None,
          batch_size=None, seed=0):
    """Cost, gradients and diagnostics at the given parameters, then `steps` descent steps.

    `parameters` is [(W1, b1), …] and `targets` an m x k matrix, both already checked. With
    `batch_size`, each step uses the next batch of a shuffled pass over the examples (a new
    `default_rng(seed)` permutation for every pass); costs and final gradients are always over all examples.
    """
    model = FlatParameters(parameters)
    examples, features = inputs.shape
    full = _Workspace(network, examples, features)
    full.inputs[:, :-1] = inputs
    full.targets[...] = targets
    with np.errstate(all="ignore"):
        cost = full.evaluate(model)
        first = _snapshot(full, model, cost)
        costs = np.empty(steps + 1)
        costs[0] = cost
        divergence = None if math.isfinite(cost) else 0
        rule = optimizer(update, model.flat.size, learning_rate, **(update_settings or {}))
        scale = rule.gradient_scale
        batches = _batches(network, full, batch_size, seed) if batch_size and batch_size < examples else None
        if batches is None and steps:
            np.multiply(model.gradient, scale, out=model.gradient)  # the first step's, as the rule takes it
        for step in range(1, steps + 1):
            if batches is not None:
                next(batches).evaluate(model, scale)
            rule.update(model.flat, model.gradient)
            if batches is not None:
                cost = full.cost(model)
            else:  # the gradient for the next step, or the true one after the last
                cost = full.evaluate(model, scale if step < steps else 1.0)
            costs[step] = cost
            if divergence is None and not math.isfinite(cost):
                divergence = step
                divergence_layer = full.first_nonfinite_layer()
        if batches is not None and steps:
            full.evaluate(model)
    warnings = first["warnings"]
    if divergence == 0:
        warnings.insert(0, divergence_warning(0, costs[0], first["nonfinite_layer"]))
    elif divergence is not None:
        warnings.append(divergence_warning(divergence, costs[divergence], divergence_layer))
    return Training(first["cost"], first["predictions"], first["gradients"], first["input_gradients"], costs,
                    _split(model.blocks), _split(model.gradient_blocks), first["norms"], warnings)


def _snapshot(workspace, model, cost):
    """What the response reports at the given parameters, copied before descent reuses the buffers."""
    gradients = _split(model.gradient_blocks)
    norms = [float(np.linalg.norm(weights)) for weights, _ in gradients]
    return {
        "cost": cost, "predictions": workspace.a[-1].copy(), "gradients": gradients,
        "input_gradients": workspace.dz[0] @ model.blocks[0][:, :-1], "norms": norms,
        "warnings": nonfinite_gradient_warnings(norms) + gradient_warnings(norms),
        "nonfinite_layer": workspace.first_nonfinite_layer(),
    }


def _split(blocks):
    return [(block[:, :-1].copy(), block[:, -1].copy()) for block in blocks]


def _batches(network, full, batch_size, seed):
    """Workspaces loaded with consecutive batches of shuffled passes over the examples, endlessly."""
    rng = np.random.default_rng(seed)
    examples, features = full.inputs.shape[0], full.inputs.shape[1] - 1
    workspaces = {}
    while True:
        order = rng.permutation(examples)
        for start in range(0, examples, batch_size):
            batch = order[start:start + batch_size]
            if batch.size not in workspaces:
                workspaces[batch.size] = _Workspace(network, batch.size, features)
            workspace = workspaces[batch.size]
            np.take(full.inputs, batch, axis=0, out=workspace.inputs)
            np.take(full.targets, batch, axis=0, out=workspace.targets)
            yield workspace


class FlatParameters:
    """Every parameter in one flat vector, and its gradient in another; layer l's block is [W<l> | b<l>]."""

    def __init__(self, pairs):
        shapes = [(weights.shape[0], weights.shape[1] + 1) for weights, _ in pairs]
        sizes = [rows * columns for rows, columns in shapes]
        self.flat, self.gradient = np.empty(sum(sizes)), np.empty(sum(sizes))
        self.blocks, self.gradient_blocks = [], []
        offsets = np.cumsum([0] + sizes)
        for (weights, bias), shape, start, end in zip(pairs, shapes, offsets, offsets[1:]):
            block = self.flat[start:end].reshape(shape)
            block[:, :-1], block[:, -1] = weights, bias
            self.blocks.append(block)
            self.gradient_blocks.append(self.gradient[start:end].reshape(shape))


class _Workspace:
    """The buffers of a forward and backward pass over a fixed number of examples."""

    def __init__(self, network, examples, features):
        units = network.units
        loss = LOSSES[network.loss]
        self.inputs = np.ones((examples, features + 1))                     # [A<0> | 1]
        hidden_outputs = [np.ones((examples, u + 1)) for u in units[:-1]]  # [A<l> | 1]
        self.layer_inputs = [self.inputs] + hidden_outputs
        self.a = [output[:, :-1] for output in hidden_outputs] + [np.empty((examples, units[-1]))]
        self.da = [np.empty((examples, u)) for u in units]
        self.forwards = [ACTIVATIONS[name].forward for name in network.activations]
        self.backwards = [ACTIVATIONS[name].backward for name in network.activations]
        # A linear layer's A is its Z and its dA its dZ: one buffer each, and nothing to run between them.
        self.z = [a if forward is None else np.empty(a.shape) for a, forward in zip(self.a, self.forwards)]
        self.dz = [da if forward is None else np.empty(da.shape) for da, forward in zip(self.da, self.forwards)]
        self.masks = [np.empty((examples, u), dtype=bool) for u in units]
        self.targets = np.empty((examples, units[-1]))
        self.loss = loss.cost_and_gradient
        self.loss_gradient = self.dz[-1] if loss.from_logits else self.da[-1]
        self.backward_layers = list(range(len(units) - 1, -1, -1))
        if loss.from_logits:  # the loss wrote dZ<L> itself: skip the last activation's backward
            self.backwards[-1] = None

    def cost(self, model, scale=1.0):
        """The forward pass and the cost J (the loss's gradient, times `scale`, is left in its buffer)."""
        for layer_input, z, a, forward, block in zip(self.layer_inputs, self.z, self.a, self.forwards, model.blocks):
            np.matmul(layer_input, block.T, out=z)
            if forward is not None:
                forward(z, a)
        return self.loss(self.z[-1], self.a[-1], self.targets, self.loss_gradient, scale)

    def evaluate(self, model, scale=1.0):
        """The cost J, after writing scale * dJ/d[W<l> | b<l>] for every layer into `model.gradient`."""
        cost = self.cost(model, scale)
        blocks, gradient_blocks, layer_inputs = model.blocks, model.gradient_blocks, self.layer_inputs
        da, dz, z, a, masks, backwards = self.da, self.dz, self.z, self.a, self.masks, self.backwards
        for layer in self.backward_layers:
            backward = backwards[layer]
            if backward is not None:
                backward(da[layer], z[layer], a[layer], dz[layer], masks[layer])
            np.matmul(dz[layer].T, layer_inputs[layer], out=gradient_blocks[layer])
            if layer:
                np.matmul(dz[layer], blocks[layer][:, :-1], out=da[layer - 1])
        return cost

    def first_nonfinite_layer(self):
        return next((layer for layer, z in enumerate(self.z, start=1) if not np.isfinite(z).all()), None)
