"""The service's limits, each checked before any computation starts and named when it refuses.

Work is measured in element operations: every node costs its output's elements (times the inner
dimension for a matmul) plus NODE_OVERHEAD, the Python-level cost of visiting a node, which on the
reference machine takes about as long as a thousand element operations.
"""

import math

from service.problems import Problem, too_large

NODE_OVERHEAD = 1_000


def check_expression(expression, settings):
    if len(expression) > settings.max_expression_chars:
        raise too_large("the expression's length", len(expression), "max_expression_chars",
                        settings.max_expression_chars, ("expression",))


def check_node_count(count, settings, location):
    if count > settings.max_nodes:
        raise too_large("the number of nodes", count, "max_nodes", settings.max_nodes, location)


def check_steps(steps, settings):
    if steps > settings.max_steps:
        raise Problem(422, "Unprocessable request", f"steps is {steps:,}, over this service's limit "
                      f"MAX_STEPS={settings.max_steps:,}", [{"location": "/steps", "message": "too many steps"}])


def check_graph(graph, shapes, steps, settings):
    """Tensor sizes and the work of (steps + 1) forward and backward passes, from the shapes alone."""
    check_node_count(len(graph), settings, ())
    sizes = [math.prod(shape) for shape in shapes]
    largest = max(range(len(sizes)), key=sizes.__getitem__)
    if sizes[largest] > settings.max_tensor_elements:
        raise too_large(f"the number of elements of node {graph.ids[largest]!r}", sizes[largest],
                        "max_tensor_elements", settings.max_tensor_elements, graph.location_of(largest))
    if sum(sizes) > settings.max_total_elements:
        raise too_large("the number of elements over all nodes", sum(sizes), "max_total_elements",
                        settings.max_total_elements)
    work = (steps + 1) * sum(_node_work(graph, shapes, i, size) for i, size in enumerate(sizes))
    if work > settings.max_work:
        raise too_large("the work of this request ((steps + 1) x the element operations of one pass)", work,
                        "max_work", settings.max_work)


def _node_work(graph, shapes, i, size):
    if graph.ops[i] == "matmul":
        size *= shapes[graph.args[i][0]][-1]
    return NODE_OVERHEAD + size
