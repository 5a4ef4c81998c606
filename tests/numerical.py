"""The independent oracle: central finite differences, and the engine run as a plain function."""

import numpy as np

from service.engine import Graph, as_tensor
from service.engine.backprop import evaluate, forward


def central_difference(cost, point, eps=1e-6):
    """dcost/dpoint, one coordinate at a time: (f(x + eps) - f(x - eps)) / (2 eps)."""
    point = np.array(point, dtype=np.float64)
    gradient = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        step = np.zeros_like(point)
        step[index] = eps
        gradient[index] = (cost(point + step) - cost(point - step)) / (2 * eps)
    return gradient


def engine_gradients(nodes, inputs, output=None):
    """(cost, {input: dcost/dinput}) from the engine, for node specifications and input values."""
    graph = Graph.from_nodes(nodes, output)
    tensors = {name: as_tensor(value) for name, value in inputs.items()}
    values, gradients = evaluate(graph, tensors)
    return values[graph.output], {name: gradients[i] for name, i in graph.inputs.items()}


def engine_cost(nodes, inputs, output=None):
    graph = Graph.from_nodes(nodes, output)
    return forward(graph, {name: as_tensor(value) for name, value in inputs.items()})[graph.output]
