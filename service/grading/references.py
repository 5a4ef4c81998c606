"""The engine's reference for every item an answer may hold, computed once per problem.

A graph problem is computed by `service.graphs.compute` (the arrays behind a /v1/graph answer); an MLP
problem by `service.networks.compute` (the arrays behind a /v1/mlp answer). Items are
named by their JSON Pointer into `answers`, such as /gradients/x or /nodes/3 * x.
"""

from contextlib import contextmanager

import numpy as np

from service import graphs, limits, networks
from service.engine import GraphError, descend
from service.engine.backprop import edges
from service.grading import symbolic
from service.grading.mistakes import Clues, graph_clues
from service.problems import Problem, pointer

OTHER_POINTS_LIMIT = 16  # wrong_point: at most this many other points are tried per problem


class Unproducible(Exception):
    """An answer for an item the problem has no value for; the message says what it does have."""


def _pick(mapping, key, what):
    if key not in mapping:
        raise Unproducible(f"the problem has no {what} {key!r}; it has {', '.join(map(repr, mapping)) or 'none'}")
    return mapping[key]


class GraphReference:
    kind = "graph"
    families = ("value", "cost", "gradients", "nodes", "parameters", "costs", "derivatives")

    def __init__(self, request, settings):
        self.request, self.settings = request, settings
        self.graph, self.result = graphs.compute(request, settings)
        self.inputs = dict(request.inputs)
        self.positions = {node_id: i for i, node_id in enumerate(self.graph.ids)}
        self._trace = None
        self._other_points = None

    @property
    def steps(self):
        return self.request.steps

    def extra_evaluations(self):
        """Passes one submission may add: the symbolic derivatives' points and the wrong_point candidates."""
        return len(self.graph.inputs) * symbolic.FURTHER_POINTS * symbolic.ATTEMPTS_PER_POINT + OTHER_POINTS_LIMIT

    def check_work(self, submissions):
        shapes = self.graph.shapes({name: np.shape(value) for name, value in self.inputs.items()})
        limits.check_graph(self.graph, shapes, self.steps + submissions * self.extra_evaluations(), self.settings)

    def value(self, family, key):
        result = self.result
        if family in ("value", "cost"):
            return result.values[self.graph.output]
        if family in ("gradients", "derivatives"):
            return result.gradients[_pick(self.graph.inputs, key, "input")]
        if family == "nodes":
            gradient = result.gradients[_pick(self.positions, key, "node")]
            if gradient is None:
                raise Unproducible(f"node {key!r} depends on no input, so it has no gradient")
            return gradient
        if family == "parameters":
            return _pick(result.parameters, key, "trainable input")
        return np.array(result.costs, dtype=np.float64)

    def clues(self, family, key):
        if family not in ("gradients", "nodes", "derivatives"):
            return Clues()
        node = self.graph.inputs[key] if family != "nodes" else self.positions[key]
        clues = graph_clues(self.graph, self.result.values, self.result.gradients, self.trace(), node)
        if family != "nodes":
            clues.other_points = [(gradients[key], explanation) for gradients, explanation in self.other_points()]
        return clues

    def trace(self):
        if self._trace is None:
            self._trace = edges(self.graph, self.result.values, self.result.gradients)
        return self._trace

    def gradients_at(self, inputs):
        """dJ/d(input) for every input at other input values: one more forward and backward pass."""
        result = descend(self.graph, inputs, [], self.request.learning_rate, 0)
        return {name: result.gradients[i] for name, i in self.graph.inputs.items()}

    def other_points(self):
        """The reference at the inputs a student may have used by mistake: two inputs of the same shape
        swapped, one input negated, and (after descent steps) the parameters after the last step."""
        if self._other_points is None:
            candidates = []
            names = sorted(self.inputs)
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    if np.shape(self.inputs[a]) == np.shape(self.inputs[b]):
                        candidates.append(({**self.inputs, a: self.inputs[b], b: self.inputs[a]},
                                           f"it is the right derivative with the values of {a} and {b} swapped"))
            for name in names:
                candidates.append(({**self.inputs, name: -self.inputs[name]},
                                   f"it is the right derivative at {name} of the opposite sign"))
            if self.steps:
                candidates.append(({**self.inputs, **self.result.parameters},
                                   f"it is the right derivative at the parameters after the {self.steps} descent "
                                   "steps, not at the given inputs"))
            self._other_points = [(self.gradients_at(point), explanation)
                                  for point, explanation in candidates[:OTHER_POINTS_LIMIT]]
        return self._other_points


class MlpReference:
    kind = "mlp"
    families = ("value", "cost", "gradients", "input_gradients", "predictions", "parameters", "costs")

    def __init__(self, request, settings):
        self.request = request
        _, _, _, self.training = networks.compute(request, settings)
        self.examples = int(np.shape(request.inputs)[0])

    @property
    def steps(self):
        return self.request.steps

    def check_work(self, submissions):
        """Grading an MLP answer only compares arrays: no pass beyond the reference's."""

    def value(self, family, key):
        training = self.training
        if family in ("value", "cost"):
            return np.float64(training.cost)
        if family == "gradients":
            return _pick(networks.named_parameters(training.gradients), key, "parameter")
        if family == "parameters":
            return _pick(networks.named_parameters(training.parameters), key, "parameter")
        if family == "costs":
            return training.costs
        return getattr(training, family)  # input_gradients, predictions

    def clues(self, family, key):
        return Clues(examples=self.examples if family in ("gradients", "input_gradients") else None)


def reference_for(problem, settings):
    """The reference of a `GradeProblem`; GraphError locations are prefixed with the problem's own."""
    if problem.graph is not None:
        return _located(GraphReference, problem.graph, settings, ("problem", "graph"))
    return _located(MlpReference, problem.mlp, settings, ("problem", "mlp"))


def _located(reference, request, settings, prefix):
    with located(prefix):
        return reference(request, settings)


@contextmanager
def located(prefix):
    """Errors of a part of the request (a problem, a template) pointing into the whole request."""
    try:
        yield
    except GraphError as error:
        raise GraphError(error.message, prefix + error.location) from None
    except Problem as problem:
        for error in problem.errors or []:
            error["location"] = pointer(prefix) + error["location"]
        raise
