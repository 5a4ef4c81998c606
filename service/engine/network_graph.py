"""A network and its cost as a computational graph, for the engine in `backprop` to evaluate.

`tensor_nodes` gives one node per matrix: X, W1, b1, W1.T, X @ W1.T, Z1 (= X @ W1.T + b1), A1, …, J.
`scalar_nodes` expands such a graph to one node per number (x_1, w_11^[1], x_1*w_11^[1], z_1^[1], …):
the classic drawing of a small network. Both are node specifications for `Graph.from_nodes`.

A linear layer has no A<l> node (A<l> is Z<l>), and the losses computed from the logits have no
A<L> node (the cost is computed from Z<L>). Log-sum-exp is written with its shift as a constant
node holding the value of the maximum: softmax does not change when every logit moves by the same
amount, so the shift carries no gradient and the derivatives are exact.
"""

import re

import numpy as np

from service.engine.activations import LEAKY_SLOPE
from service.engine.backprop import forward
from service.engine.graph import CONST, INPUT, Graph
from service.engine.losses import LOSSES

OUTPUT = "J"
SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}


def tensor_nodes(network, parameters, inputs, targets):
    """The graph's node specifications and the values of its inputs X, W1, b1, …; its output is "J"."""
    values = {"X": inputs}
    for layer, (weights, bias) in enumerate(parameters, start=1):
        values[f"W{layer}"], values[f"b{layer}"] = weights, bias
    nodes = [{"id": name, "op": INPUT} for name in values] + [{"id": "Y", "op": CONST, "value": targets}]

    def value_of(node_id):
        graph = Graph.from_nodes(nodes, node_id)
        return forward(graph, values)[graph.output]

    previous, last = "X", len(network.units)
    for layer, activation in enumerate(network.activations, start=1):
        nodes += [_op(f"W{layer}.T", "transpose", f"W{layer}"),
                  _op(f"{previous} @ W{layer}.T", "matmul", previous, f"W{layer}.T"),
                  _op(f"Z{layer}", "add", f"{previous} @ W{layer}.T", f"b{layer}")]
        if layer == last and LOSSES[network.loss].from_logits:
            previous = f"Z{layer}"
        else:
            previous = _activation(nodes, activation, layer, value_of)
    _cost(nodes, network.loss, previous, inputs.shape[0], value_of)
    return nodes, values


def _op(node_id, op, *args, axis=None):
    spec = {"id": node_id, "op": op, "args": list(args)}
    if axis is not None:
        spec["axis"] = axis
    return spec


def _activation(nodes, name, layer, value_of):
    z, a = f"Z{layer}", f"A{layer}"
    if name == "linear":
        return z
    if name == "leaky_relu":
        # relu(z) + slope (z - relu(z)): z where z > 0, slope z elsewhere, with slope as the derivative at 0.
        relu, negative = f"relu({z})", f"{z} - relu({z})"
        scaled = f"{LEAKY_SLOPE} * ({negative})"
        nodes += [_op(relu, "relu", z), _op(negative, "sub", z, relu), _op(scaled, "mul", LEAKY_SLOPE, negative),
                  _op(a, "add", relu, scaled)]
    elif name == "softmax":
        # each row of exp(z - max) divided by its sum (transposed, so the row sums broadcast)
        _, exponentials = _shifted_exponentials(nodes, z, value_of)
        total, transposed = f"sum({exponentials}, axis=1)", f"({exponentials}).T"
        nodes += [_op(total, "sum", exponentials, axis=1), _op(transposed, "transpose", exponentials),
                  _op(f"{transposed} / {total}", "div", transposed, total), _op(a, "transpose", f"{transposed} / {total}")]
    else:
        nodes.append(_op(a, name, z))
    return a


def _shifted_exponentials(nodes, z, value_of):
    maximum, shifted = f"max({z})", f"{z} - max({z})"
    nodes += [{"id": maximum, "op": CONST, "value": value_of(z).max(axis=1, keepdims=True)},
              _op(shifted, "sub", z, maximum), _op(f"exp({shifted})", "exp", shifted)]
    return shifted, f"exp({shifted})"


def _cost(nodes, loss, last, examples, value_of):
    if loss == "mse":
        difference = f"{last} - Y"
        nodes += [_op(difference, "sub", last, "Y"), _op(f"({difference})**2", "pow", difference, 2.0),
                  _op(OUTPUT, "mean", f"({difference})**2")]
    elif loss == "binary_cross_entropy":
        # log(1 + e^z) - z y, with log(1 + e^z) = k + log(e^-k + e^(z - k)) and k = max(z, 0)
        shift = value_of(last).clip(min=0.0)
        k, shifted = f"max({last}, 0)", f"{last} - max({last}, 0)"
        total = f"exp(-max({last}, 0)) + exp({shifted})"
        softplus = f"log(1 + exp({last}))"
        nodes += [{"id": k, "op": CONST, "value": shift}, {"id": f"exp(-{k})", "op": CONST, "value": np.exp(-shift)},
                  _op(shifted, "sub", last, k), _op(f"exp({shifted})", "exp", shifted),
                  _op(total, "add", f"exp(-{k})", f"exp({shifted})"), _op(f"log({total})", "log", total),
                  _op(softplus, "add", k, f"log({total})"), _op(f"{last} * Y", "mul", last, "Y"),
                  _op(f"{softplus} - {last} * Y", "sub", softplus, f"{last} * Y"),
                  _op(OUTPUT, "mean", f"{softplus} - {last} * Y")]
    else:
        # -(1/m) sum Y * log_softmax(z), log_softmax(z) = z - max - log(sum(exp(z - max))) row by row
        shifted, exponentials = _shifted_exponentials(nodes, last, value_of)
        total = f"sum({exponentials}, axis=1)"
        log_softmax = f"log_softmax({last})"
        nodes += [_op(total, "sum", exponentials, axis=1), _op(f"log({total})", "log", total),
                  _op(f"({shifted}).T", "transpose", shifted),
                  _op(f"({shifted}).T - log({total})", "sub", f"({shifted}).T", f"log({total})"),
                  _op(log_softmax, "transpose", f"({shifted}).T - log({total})"),
                  _op(f"Y * {log_softmax}", "mul", "Y", log_softmax),
                  _op(f"sum(Y * {log_softmax})", "sum", f"Y * {log_softmax}"),
                  _op(f"-sum(Y * {log_softmax})", "neg", f"sum(Y * {log_softmax})"),
                  _op(OUTPUT, "div", f"-sum(Y * {log_softmax})", float(examples))]


def scalar_nodes(nodes, values):
    """A tensor graph (from `tensor_nodes`) expanded to one node per number, and its inputs' values."""
    graph = Graph.from_nodes(nodes, OUTPUT)
    shapes = graph.shapes({name: np.shape(value) for name, value in values.items()})
    namers = _namers(graph, values["X"].shape[0])
    elements, specs, scalar_values = [], [], {}
    for i, op in enumerate(graph.ops):
        name, shape = namers[i], shapes[i]
        arguments = [elements[a] for a in graph.args[i]]
        if op == INPUT:
            ids = _each(shape, lambda index: name(index))
            for index in np.ndindex(shape):
                specs.append({"id": ids[index], "op": INPUT})
                scalar_values[ids[index]] = values[graph.ids[i]][index]
        elif op == CONST:
            ids = _constants(specs, graph.ids[i], graph.constants[i], name)
        elif op == "transpose":
            ids = arguments[0].T
        elif op == "matmul":
            left, right = arguments
            ids = _each(shape, lambda index: _sum(specs, [
                _emit(specs, "mul", [left[index[0], k], right[k, index[1]]], None)
                for k in range(left.shape[1])], name and name(index)))
        elif op in ("sum", "mean"):
            ids = _reduce(specs, op, arguments[0], graph.axes[i], name)
        else:
            operands = np.broadcast_arrays(*arguments)
            ids = _each(shape, lambda index: _emit(specs, op, [o[index] for o in operands], name and name(index)))
        elements.append(ids)
    return specs, scalar_values


def _each(shape, make):
    ids = np.empty(shape, dtype=object)
    for index in np.ndindex(shape):
        ids[index] = make(index)
    return ids


def _constants(specs, tensor_id, value, name):
    if np.ndim(value) == 0:  # a number written in the graph: it stays a number in the expanded one
        return np.array(float(value), dtype=object)

    def constant(index):
        node_id = name(index) if name else f"{tensor_id}[{', '.join(map(str, index))}]"
        specs.append({"id": node_id, "op": CONST, "value": value[index]})
        return node_id
    return _each(np.shape(value), constant)


def _emit(specs, op, operands, node_id):
    """One scalar node; unless named, its id is its formula, as in the expression language."""
    node_id = node_id or _formula(op, operands)
    specs.append({"id": node_id, "op": op, "args": list(operands)})
    return node_id


def _formula(op, operands):
    shown = [_operand(o) for o in operands]
    if op == "mul":
        return f"{shown[0]}*{shown[1]}"
    if op in SYMBOLS:
        return f"{shown[0]} {SYMBOLS[op]} {shown[1]}"
    if op == "neg":
        return f"-{shown[0]}"
    return f"{op}({operands[0]})"


def _operand(operand):
    if isinstance(operand, float):
        return repr(operand)
    return f"({operand})" if " " in operand else operand


def _sum(specs, terms, node_id):
    """terms[0] + terms[1] + …, one add node each; partial sums are named "first + … + last"."""
    total = terms[0]
    for count, term in enumerate(terms[1:], start=2):
        text = " + ".join([_operand(terms[0])] + (["…"] if count > 2 else []) + [_operand(term)])
        named = node_id if count == len(terms) and node_id else text
        specs.append({"id": named, "op": "add", "args": [total, term]})
        total = named
    return total


def _reduce(specs, op, operand, axis, name):
    if axis is None:
        terms = list(operand.flat)
        if op == "sum":
            return np.array(_sum(specs, terms, name and name(())), dtype=object)
        total = _sum(specs, terms, None)
        return np.array(_emit(specs, "div", [total, float(len(terms))], name and name(())), dtype=object)
    moved = np.moveaxis(operand, axis, -1)
    return _each(moved.shape[:-1], lambda index: _sum(specs, list(moved[index]), name and name(index)))


def _namers(graph, examples):
    """For each tensor node, a function from an element's index to its scalar id, or None (named by formula)."""
    namers = [_namer(node_id, examples) for node_id in graph.ids]
    for i in range(len(graph) - 1, -1, -1):  # a named transpose names the elements of its argument
        if graph.ops[i] == "transpose" and namers[i] and not namers[graph.args[i][0]]:
            namers[graph.args[i][0]] = lambda index, outer=namers[i]: outer(index[::-1])
    return namers


def _namer(node_id, examples):
    def example(i):
        return f"^({i + 1})" if examples > 1 else ""

    def pair(j, k):
        return f"{j + 1}{k + 1}" if j < 9 and k < 9 else f"{j + 1},{k + 1}"

    if node_id == OUTPUT:
        return lambda index: OUTPUT
    if node_id in ("X", "Y"):
        return lambda index: f"{node_id.lower()}_{index[1] + 1}{example(index[0])}"
    match = re.fullmatch(r"([WbZA])(\d+)", node_id)
    if not match:
        return None
    kind, layer = match.groups()
    if kind == "W":
        return lambda index: f"w_{pair(*index)}^[{layer}]"
    if kind == "b":
        return lambda index: f"b_{index[0] + 1}^[{layer}]"
    return lambda index: f"{kind.lower()}_{index[1] + 1}^[{layer}]{example(index[0])}"
