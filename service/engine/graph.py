"""A computational graph: nodes in topological order, each an input, a constant or an operation.

The graph is held as parallel lists indexed by node position, so the forward and backward passes
are plain loops over integers: no per-node objects, no recursion, linear in the number of nodes.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from service.engine.errors import GraphError
from service.engine.ops import OPERATIONS

INPUT, CONST = "input", "const"
REMEMBERED_INPUT_SHAPES = 8


def constant_id(number):
    """The id of the constant node a bare number becomes: its text, as Python writes it (3, 2.5)."""
    return repr(number)


@dataclass
class Graph:
    ids: list = field(default_factory=list)
    ops: list = field(default_factory=list)
    args: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    origins: list = field(default_factory=list)   # the position of the specification each node came from
    constants: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    output: int = -1
    depends_on_input: list = field(default_factory=list)
    location: tuple = None                         # where a parsed expression's errors point
    _shapes_by_inputs: dict = field(default_factory=dict, repr=False, compare=False)

    def __len__(self):
        return len(self.ids)

    @classmethod
    def from_nodes(cls, nodes, output=None, location=None):
        """Build a graph from node specifications in any order.

        Each specification is a mapping with `id`, `op` and, as the op needs, `args` (node ids or
        numbers; a number becomes a `const` node), `axis` and `value` (for `const`). Errors name the
        `location` given (for a parsed expression) or else the specification, as ("nodes", position).
        """
        try:  # specifications already in topological order, the common case, are built in one pass
            graph, position = cls._built(nodes, range(len(nodes)), location)
        except _ArgumentNotYetBuilt:
            graph, position = cls._built(nodes, _depth_first_order(nodes, _index_nodes(nodes)), location)
        output_id = nodes[-1]["id"] if output is None else output
        if output_id not in position:
            raise GraphError(f"output {output_id!r} is not the id of a node", ("output",))
        graph.output = position[output_id]
        return graph

    @classmethod
    def _built(cls, nodes, order, location):
        graph, position = cls(location=location), {}
        for spec_index in order:
            graph._append(nodes[spec_index], spec_index, position)
        return graph, position

    def location_of(self, node):
        """Where in the request an error about this node points."""
        return self.location or ("nodes", self.origins[node])

    def _append(self, spec, spec_index, position):
        node_id, op = spec["id"], spec["op"]
        arguments = spec.get("args") or ()
        operation = OPERATIONS.get(op)
        if operation is None:
            self._check_leaf(spec, spec_index)
        arity = operation.arity if operation else 0
        if len(arguments) != arity:
            raise self._error(f"node {node_id!r}: {op} takes {arity} argument(s), got {len(arguments)}",
                              spec_index, "args")
        axis = spec.get("axis")
        if axis is not None and not (operation and operation.takes_axis):
            raise self._error(f"node {node_id!r}: only sum and mean take an axis", spec_index, "axis")
        try:
            arg_positions = tuple([position[a] if type(a) is str else self._constant(a, position, spec_index)
                                   for a in arguments])
        except KeyError:
            raise _ArgumentNotYetBuilt() from None
        if node_id in position:
            raise self._error(f"node id {node_id!r} is used twice (or is also the text of a number in args)",
                              spec_index, "id")
        if op == INPUT:
            self.inputs[node_id] = len(self.ids)
        elif op == CONST:
            self.constants[len(self.ids)] = as_tensor(spec["value"])
        position[node_id] = self._add(node_id, op, arg_positions, axis, spec_index)

    def _check_leaf(self, spec, spec_index):
        if spec["op"] == CONST and spec.get("value") is None:
            raise self._error("a const node needs a value", spec_index, "value")
        if spec["op"] not in (INPUT, CONST):
            raise self._error(f"unknown operation {spec['op']!r}; known: {', '.join(sorted(OPERATIONS))}",
                              spec_index, "op")

    def _error(self, message, spec_index, field_name):
        return GraphError(message, self.location or ("nodes", spec_index, field_name))

    def _constant(self, number, position, spec_index):
        name = constant_id(number)
        node = position.get(name)
        if node is None:
            self.constants[len(self.ids)] = as_tensor(number)
            node = position[name] = self._add(name, CONST, (), None, spec_index)
        elif self.ops[node] != CONST:
            raise self._error(f"node id {name!r} is also the id of the constant {name}; rename that node",
                              spec_index, "args")
        return node

    def _add(self, node_id, op, args, axis, spec_index):
        """Append a node; returns its position."""
        needed = self.depends_on_input
        needed.append(op == INPUT or any([needed[a] for a in args]))
        self.ids.append(node_id)
        self.ops.append(op)
        self.args.append(args)
        self.axes.append(axis)
        self.origins.append(spec_index)
        return len(needed) - 1

    def shapes(self, input_shapes):
        """Every node's shape, from the inputs' shapes, before any value is computed.

        A graph kept for its expression is asked again with the same input shapes, request after
        request, so it keeps its last few answers (as tuples, which no caller can change)."""
        key = tuple(input_shapes.items())
        shapes = self._shapes_by_inputs.get(key)
        if shapes is None:
            if len(self._shapes_by_inputs) >= REMEMBERED_INPUT_SHAPES:
                self._shapes_by_inputs.clear()
            shapes = self._shapes_by_inputs[key] = tuple(self._shapes(input_shapes))
        return shapes

    def _shapes(self, input_shapes):
        shapes = []
        for i, op in enumerate(self.ops):
            if op == INPUT:
                shapes.append(input_shapes[self.ids[i]])
            elif op == CONST:
                shapes.append(np.shape(self.constants[i]))
            else:
                shapes.append(self._shape_of_operation(i, tuple(shapes[a] for a in self.args[i])))
        return shapes

    def _shape_of_operation(self, i, arg_shapes):
        try:
            return _output_shape(self.ops[i], arg_shapes, self.axes[i])
        except ValueError as error:
            shown = " and ".join(str(s) for s in arg_shapes)
            raise GraphError(f"node {self.ids[i]!r} ({self.ops[i]} of shapes {shown}): {error}",
                             self.location_of(i)) from None


@lru_cache(maxsize=4096)
def _output_shape(op, arg_shapes, axis):
    """Graphs repeat a few shapes many times over, so each (op, shapes, axis) is worked out once."""
    operation = OPERATIONS[op]
    return tuple(operation.shape(*arg_shapes) if axis is None else operation.shape(*arg_shapes, axis=axis))


class _ArgumentNotYetBuilt(Exception):
    """An argument named before its node: the specifications are not in topological order (or name a
    node that does not exist, which ordering them finds and reports)."""


def _index_nodes(nodes):
    by_id = {}
    for i, spec in enumerate(nodes):
        if spec["id"] in by_id:
            raise GraphError(f"node id {spec['id']!r} is used twice", ("nodes", i, "id"))
        by_id[spec["id"]] = i
    return by_id


def _depth_first_order(nodes, by_id):
    """Positions of the node specifications, each after its arguments, by an iterative depth-first
    search; a cycle is an error naming its nodes."""
    done, on_path = [False] * len(nodes), [False] * len(nodes)
    order = []
    for root in range(len(nodes)):
        if done[root]:
            continue
        stack = [(root, iter(_argument_positions(nodes, root, by_id)))]
        on_path[root] = True
        while stack:
            node, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                on_path[node], done[node] = False, True
                order.append(node)
            elif on_path[child]:
                cycle = [nodes[n]["id"] for n, _ in stack[[n for n, _ in stack].index(child):]]
                raise GraphError(f"the graph has a cycle: {' -> '.join(cycle + [nodes[child]['id']])}",
                                 ("nodes", child, "args"))
            elif not done[child]:
                on_path[child] = True
                stack.append((child, iter(_argument_positions(nodes, child, by_id))))
    return order


def _argument_positions(nodes, i, by_id):
    for argument in nodes[i].get("args") or []:
        if isinstance(argument, str):
            if argument not in by_id:
                raise GraphError(f"node {nodes[i]['id']!r} uses {argument!r}, which is not the id of a node",
                                 ("nodes", i, "args"))
            yield by_id[argument]


def as_tensor(value):
    """A float64 array, or a float64 scalar where it has no dimensions (the engine's fast case)."""
    tensor = np.asarray(value, dtype=np.float64)
    return tensor[()] if tensor.ndim == 0 else tensor
