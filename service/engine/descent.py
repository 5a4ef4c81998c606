"""Gradient descent on a graph's trainable inputs: w := w - learning_rate * dJ/dw, `steps` times."""

from dataclasses import dataclass

import numpy as np

from service.engine.backprop import evaluate, is_finite, nonfinite_gradients, nonfinite_values
from service.engine.errors import GraphError


@dataclass
class Descent:
    values: list          # every node's value at the given inputs
    gradients: list       # every node's dJ/d(node) at the given inputs
    costs: list           # the cost before each step and after the last: steps + 1 values
    parameters: dict      # the trainable inputs after the last step
    final_gradients: dict  # dJ/d(parameter) at those parameters
    warnings: list


def check_cost_is_scalar(graph, shapes):
    shape = shapes[graph.output]
    if shape != ():
        raise GraphError(f"the output {graph.ids[graph.output]!r} has shape {shape}, but the cost must be a scalar: "
                         "wrap it in sum() or mean()", graph.location_of(graph.output))


def descend(graph, inputs, trainable, learning_rate, steps):
    """Forward and backward at the given inputs, then `steps` updates of the trainable inputs.

    `inputs` maps every input name to its tensor; `trainable` lists the names descent updates.
    With steps = 0 this is one forward and one backward pass.
    """
    parameters = dict(inputs)
    values, gradients = evaluate(graph, parameters)
    first_values, first_gradients = values, gradients
    warnings = _nonfinite_warnings(graph, values, gradients)
    costs = [values[graph.output]]
    for _ in range(steps):
        with np.errstate(all="ignore"):
            for name in trainable:
                parameters[name] = parameters[name] - learning_rate * gradients[graph.inputs[name]]
        values, gradients = evaluate(graph, parameters)
        costs.append(values[graph.output])
    warnings += _descent_warnings(costs)
    return Descent(first_values, first_gradients, costs,
                   {name: parameters[name] for name in trainable},
                   {name: gradients[graph.inputs[name]] for name in trainable}, warnings)


def _nonfinite_warnings(graph, values, gradients):
    warnings = [f"the value of node {graph.ids[i]!r} is not finite although its arguments are "
                f"(overflow or an undefined operation such as log(0) or 0/0)"
                for i in nonfinite_values(graph, values)]
    warnings += [f"the gradient at node {graph.ids[i]!r} is not finite although the gradients of its consumers are"
                 for i in nonfinite_gradients(graph, gradients)]
    return warnings


def _descent_warnings(costs):
    if not is_finite(costs[0]):
        return []  # already reported, node by node
    for step, cost in enumerate(costs[1:], start=1):
        if not is_finite(cost):
            return [f"the cost stopped being finite after descent step {step} ({cost}): "
                    "the learning rate is probably too large"]
    return []
