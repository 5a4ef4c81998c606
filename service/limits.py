"""The service's limits, each checked before any computation starts and named when it refuses.

Work is measured in element operations: every node costs its output's elements (times the inner
dimension for a matmul) plus NODE_OVERHEAD, the Python-level cost of visiting a node, which on the
reference machine takes about as long as a thousand element operations.
"""

import math

import numpy as np

from service.problems import Problem, over_limit, too_large

NODE_OVERHEAD = 1_000
NOT_STRUCTURE = bytes(set(range(256)) - set(b'"[]{}'))
BRACKET_STEP = np.zeros(256, np.int8)
BRACKET_STEP[list(b"[{")], BRACKET_STEP[list(b"]}")] = 1, -1


def body_too_large(length, settings):
    """The 413 for a body over MAX_BODY_BYTES; `length` is None for a chunked body, cut off where it passed the limit."""
    size = f"{length:,} bytes" if length is not None else f"more than {settings.max_body_bytes:,} bytes (sent chunked)"
    return over_limit(f"the request body is {size}", "max_body_bytes", settings.max_body_bytes)


def check_json_depth(body, settings):
    """The nesting depth of a JSON text, from its bytes and before it is parsed, at C and NumPy speed:
    drop escaped backslashes and quotes, keep only quotes and brackets, and count the brackets that
    stand after an even number of quotes (outside strings). The body is at most MAX_BODY_BYTES, so
    its depth fits in 32 bits."""
    if body.count(b"[") + body.count(b"{") <= settings.max_json_depth:
        return
    marks = body.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, NOT_STRUCTURE)
    marks = np.frombuffer(marks, np.uint8)
    steps = BRACKET_STEP[marks]
    steps[np.logical_xor.accumulate(marks == ord('"'))] = 0  # inside a string
    depth = np.cumsum(steps, dtype=np.int32).max(initial=0)
    if depth > settings.max_json_depth:
        raise too_large("the nesting depth of the JSON body", int(depth), "max_json_depth", settings.max_json_depth)


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
                      f"MAX_STEPS={settings.max_steps:,}", [{"location": "/steps", "message": "too many steps"}],
                      limit="MAX_STEPS")


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
    work = (steps + 1) * pass_work(graph, shapes, sizes)
    if work > settings.max_work:
        raise too_large("the work of this request ((steps + 1) x the element operations of one pass)", work,
                        "max_work", settings.max_work)


def pass_work(graph, shapes, sizes=None):
    """The element operations of one forward and backward pass, each node counting NODE_OVERHEAD more:
    a node's output elements, times the inner dimension for a matmul. `sizes` are those elements,
    where the caller has counted them already."""
    sizes = sizes or [math.prod(shape) for shape in shapes]
    work = NODE_OVERHEAD * len(sizes) + sum(sizes)
    for i, op in enumerate(graph.ops):
        if op == "matmul":
            work += sizes[i] * (shapes[graph.args[i][0]][-1] - 1)
    return work


MLP_LAYER_OVERHEAD = 100_000


def check_network(units, inputs_shape, steps, batch_size, settings):
    """Layers, units, matrix sizes and the work of a training run, from the shapes alone.

    A pass over m examples costs 3 m u (n + 1) multiply-adds per layer of u units fed n (the forward
    product and the two backward ones), plus MLP_LAYER_OVERHEAD: the Python-level cost of a layer
    in one step, which on the reference machine takes about as long as that many multiply-adds.
    """
    if len(units) > settings.max_layers:
        raise too_large("the number of layers", len(units), "max_layers", settings.max_layers, ("layers",))
    for i, count in enumerate(units):
        if count > settings.max_units:
            raise too_large(f"the units of layer {i + 1}", count, "max_units", settings.max_units, ("layers", i, "units"))
    examples, features = inputs_shape
    fans_in = [features] + list(units[:-1])
    largest = max([examples * features] + [examples * u for u in units] + [u * (n + 1) for u, n in zip(units, fans_in)])
    if largest > settings.max_tensor_elements:
        raise too_large("the number of elements of the largest matrix (inputs, activations or weights)", largest,
                        "max_tensor_elements", settings.max_tensor_elements)

    def work(m):
        return sum(3 * m * u * (n + 1) + MLP_LAYER_OVERHEAD for u, n in zip(units, fans_in))
    per_step = work(examples) + (work(batch_size) if batch_size and batch_size < examples else 0)
    if (steps + 1) * per_step > settings.max_mlp_work:
        raise too_large("the work of this request ((steps + 1) x the multiply-adds of one step)",
                        (steps + 1) * per_step, "max_mlp_work", settings.max_mlp_work)


def check_scalar_graph(units, inputs_shape, settings):
    """A graph of one node per number is for small networks: it grows with weights x examples."""
    examples, features = inputs_shape
    fans_in = [features] + list(units[:-1])
    weights = sum(u * n for u, n in zip(units, fans_in))
    if weights > settings.max_scalar_graph_weights:
        raise too_large('the number of weights, for "granularity": "scalar",', weights, "max_scalar_graph_weights",
                        settings.max_scalar_graph_weights, ("granularity",))
    nodes = examples * sum(u * (2 * n + 10) for u, n in zip(units, fans_in)) + examples * units[-1] * 20
    check_node_count(nodes, settings, ("granularity",))
