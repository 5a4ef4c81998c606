"""From a validated `GraphRequest` to its answer: build the graph, check it, descend, shape the response.

`answer` is what `POST /v1/graph` returns; `compute` is the same computation before encoding, which
grading reads as NumPy arrays.
"""

from functools import lru_cache

import numpy as np

from service import limits, metrics
from service.codec import encode_tensor
from service.engine import Graph, GraphError, check_cost_is_scalar, descend, parse
from service.engine.backprop import edges
from service.render.cost_plot import cost_plot_svg


def answer(request, settings, graph=None):
    """The /v1/graph answer; `graph` is the request's graph where the caller has built it already."""
    graph, result = compute(request, settings, graph)
    response = _response(graph, result, request)
    if request.cost_plot:
        response["cost_plot"] = cost_plot_svg(result.costs)
    return response


def compute(request, settings, graph=None):
    """The checked graph and its `Descent`, before anything is encoded for the wire."""
    graph = build_graph(request, settings) if graph is None else graph
    inputs = _inputs(graph, request)
    trainable = _trainable(graph, request)
    shapes = graph.shapes({name: np.shape(value) for name, value in inputs.items()})
    check_cost_is_scalar(graph, shapes)
    limits.check_steps(request.steps, settings)
    limits.check_graph(graph, shapes, request.steps, settings)
    with metrics.engine_time():
        return graph, descend(graph, inputs, trainable, request.learning_rate, request.steps)


def build_graph(request, settings):
    if request.expression is not None:
        return expression_graph(request.expression, settings)
    limits.check_node_count(len(request.nodes), settings, ("nodes",))
    return Graph.from_nodes(request.nodes, request.output)


def expression_graph(expression, settings):
    """The graph of an expression within the limits; GraphError (at /expression) for one that is not valid."""
    limits.check_expression(expression, settings)
    if len(expression) <= REMEMBERED_EXPRESSION_CHARS:
        return _remembered_expression_graph(expression, settings.max_expression_depth)
    return _expression_graph(expression, settings.max_expression_depth)


def _expression_graph(expression, max_depth):
    nodes, output = parse(expression, max_depth)
    return Graph.from_nodes(nodes, output, location=("expression",))


# A grader sends one expression for a whole class, with each student's inputs, and parsing costs more
# than the arithmetic of a small expression; a graph is never changed once built, so each worker keeps
# the graphs of its most recent short expressions (at most 1,024 of 2,000 characters).
REMEMBERED_EXPRESSION_CHARS = 2_000
_remembered_expression_graph = lru_cache(maxsize=1_024)(_expression_graph)


def _inputs(graph, request):
    form = "expression" if request.expression is not None else "graph"
    for name in graph.inputs:
        if name not in request.inputs:
            raise GraphError(f"the {form} uses {name!r}, but inputs has no value for it", ("inputs",))
    for name in request.inputs:
        if name not in graph.inputs:
            raise GraphError(f"{name!r} is not an input of the {form}; its inputs are "
                             f"{', '.join(sorted(graph.inputs)) or 'none'}", ("inputs", name))
    return dict(request.inputs)


def _trainable(graph, request):
    if request.trainable is None:
        return list(graph.inputs)
    for i, name in enumerate(request.trainable):
        if name not in graph.inputs:
            raise GraphError(f"{name!r} is not an input, so it cannot be trained", ("trainable", i))
    return list(dict.fromkeys(request.trainable))


def _response(graph, result, request):
    ids = graph.ids
    nodes = [{"id": node_id, "op": op, "args": [ids[a] for a in args],
              "value": encode_tensor(value), "gradient": encode_tensor(gradient)}
             for node_id, op, args, value, gradient in zip(ids, graph.ops, graph.args, result.values, result.gradients)]
    for node, axis in zip(nodes, graph.axes):
        if axis is not None:
            node["axis"] = axis
    response = {
        "output": ids[graph.output],
        "value": nodes[graph.output]["value"],
        "gradients": {name: nodes[i]["gradient"] for name, i in graph.inputs.items()},
        "nodes": nodes,
        "descent": {
            "steps": request.steps, "learning_rate": request.learning_rate,
            "costs": [encode_tensor(cost) for cost in result.costs],
            "parameters": {name: encode_tensor(p) for name, p in result.parameters.items()},
            "gradients": {name: encode_tensor(g) for name, g in result.final_gradients.items()},
        },
        "warnings": result.warnings,
    }
    if request.trace:
        response["edges"] = [_edge(graph, edge) for edge in edges(graph, result.values, result.gradients)]
    return response


def _edge(graph, edge):
    return {"from": graph.ids[edge["from"]], "to": graph.ids[edge["to"]], "gradient": encode_tensor(edge["gradient"]),
            "local": encode_tensor(edge["local"]), "upstream": encode_tensor(edge["upstream"])}
