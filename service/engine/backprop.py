"""The forward pass, the backward pass (the chain rule node by node) and the per-edge trace.

All arithmetic runs under `np.errstate(all="ignore")`: overflow, 0/0 and log(0) give IEEE
infinities and NaNs, which the caller reports, never exceptions.
"""

import math

import numpy as np

from service.engine.graph import CONST, INPUT
from service.engine.ops import OPERATIONS


def evaluate(graph, inputs):
    """Every node's value and dJ/d(node): the forward and the backward pass under one errstate
    (entering one costs, on a cold cache, as much as the arithmetic of a small expression)."""
    with np.errstate(all="ignore"):
        values = _forward(graph, inputs)
        return values, _backward(graph, values)


def forward(graph, inputs):
    """Every node's value, in the graph's topological order, for the given input tensors."""
    with np.errstate(all="ignore"):
        return _forward(graph, inputs)


def _forward(graph, inputs):
    """Every node's value, in the graph's topological order."""
    values = [None] * len(graph)
    args, axes = graph.args, graph.axes
    for i, op in enumerate(graph.ops):
        if op == INPUT:
            values[i] = inputs[graph.ids[i]]
        elif op == CONST:
            values[i] = graph.constants[i]
        elif axes[i] is None:
            values[i] = OPERATIONS[op].forward(*[values[a] for a in args[i]])
        else:
            values[i] = OPERATIONS[op].forward(*[values[a] for a in args[i]], axis=axes[i])
    return values


def _backward(graph, values):
    """dJ/d(node) for every node, where J is the output node's value (a scalar).

    Walks the nodes in reverse topological order; each operation adds its share of the gradient to
    each argument that depends on an input, so a node feeding several others receives the sum.
    Nodes that depend on no input (constants) get None; those the output does not use get zeros.
    """
    needed = graph.depends_on_input
    gradients = [None] * len(graph)
    if needed[graph.output]:
        gradients[graph.output] = np.float64(1.0)
    args, axes, ops = graph.args, graph.axes, graph.ops
    for i in range(graph.output, -1, -1):
        upstream, arguments = gradients[i], args[i]
        if upstream is None or not arguments:
            continue
        if axes[i] is None:
            shares = OPERATIONS[ops[i]].backward(upstream, values[i], *[values[a] for a in arguments])
        else:
            shares = OPERATIONS[ops[i]].backward(upstream, values[i], *[values[a] for a in arguments], axis=axes[i])
        for a, share in zip(arguments, shares):
            if needed[a]:
                gradients[a] = share if gradients[a] is None else gradients[a] + share
    for i, gradient in enumerate(gradients):
        if gradient is None and needed[i]:
            gradients[i] = np.zeros_like(values[i])[()]
    return gradients


def edges(graph, values, gradients):
    """The chain rule made visible: one entry per (argument, consumer) edge.

    `gradient` is the share of dJ/d(consumer) that flows along the edge into the argument; the
    gradients on a node's outgoing edges sum to its own gradient. Where argument and consumer are
    both scalars, `local` is d(consumer)/d(argument) and `upstream` is dJ/d(consumer).
    """
    trace = []
    with np.errstate(all="ignore"):
        for i, arguments in enumerate(graph.args):
            if not arguments:
                continue
            operation, axis = OPERATIONS[graph.ops[i]].backward, graph.axes[i]
            argument_values = [values[a] for a in arguments]
            upstream = gradients[i]
            shares = _apply(operation, [upstream, values[i]] + argument_values, axis) if upstream is not None else None
            scalar = np.ndim(values[i]) == 0
            locals_ = _apply(operation, [np.float64(1.0), values[i]] + argument_values, axis) if scalar else None
            for k, a in enumerate(arguments):
                flows = graph.depends_on_input[a] and shares is not None
                trace.append({
                    "from": a, "to": i,
                    "gradient": shares[k] if flows else None,
                    "local": locals_[k] if flows and scalar and np.ndim(values[a]) == 0 else None,
                    "upstream": upstream if flows and scalar and np.ndim(values[a]) == 0 else None,
                })
    return trace


def nonfinite_values(graph, values, limit=5):
    """Nodes whose value is not finite although their arguments' values are: where an overflow
    or an invalid operation started (the nodes after them only inherit it)."""
    if all_finite(values):
        return []
    return _nonfinite_origins(values, range(len(graph)), graph.args, limit)


def nonfinite_gradients(graph, gradients, limit=5):
    """Nodes whose gradient is not finite although the gradients of their consumers are."""
    if all_finite(gradients):
        return []
    consumers = [[] for _ in graph.ids]
    for i, arguments in enumerate(graph.args):
        for a in arguments:
            consumers[a].append(i)
    return _nonfinite_origins(gradients, range(len(graph) - 1, -1, -1), consumers, limit)


def _nonfinite_origins(tensors, order, feeders, limit):
    finite = [True] * len(tensors)
    origins = []
    for i in order:
        if tensors[i] is not None:
            finite[i] = is_finite(tensors[i])
            if not finite[i] and all(finite[f] for f in feeders[i]) and len(origins) < limit:
                origins.append(i)
    return origins


def all_finite(tensors):
    """Whether every tensor (None for a constant's gradient) is finite: one pass, run on every answer,
    so scalars, the most common tensors, are checked without a call into NumPy."""
    for tensor in tensors:
        if type(tensor) is np.float64:
            if not math.isfinite(tensor):
                return False
        elif tensor is not None and not np.isfinite(tensor).all():
            return False
    return True


def is_finite(tensor):
    if type(tensor) is np.float64:
        return math.isfinite(tensor)
    return bool(np.isfinite(tensor).all())


def _apply(function, arguments, axis):
    return function(*arguments) if axis is None else function(*arguments, axis=axis)
