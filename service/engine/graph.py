"""A computational graph: nodes in topological order, each an input, a constant or an operation.

The graph is held as parallel lists indexed by node position, so the forward and backward passes
are plain loops over integers: no per-node objects, no recursion, linear in the number of nodes.
"""

from dataclasses import dataclass, field

import numpy as np

from service.engine.errors import GraphError
from service.engine.ops import OPERATIONS

INPUT, CONST = "input", "const"


def constant_id(number):
    """The id of the constant node a bare number becomes: its text, as Python writes it (3, 2.5)."""
    return repr(number)


@dataclass
class Graph:
    ids: list = field(default_factory=list)
    ops: list = field(default_factory=list)
    args: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    constants: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    output: int = -1
    depends_on_input: list = field(default_factory=list)

    def __len__(self):
        return len(self.ids)

    @classmethod
    def from_nodes(cls, nodes, output=None, location=None):
        """Build a graph from node specifications in any order.

        Each specification is a mapping with `id`, `op` and, as the op needs, `args` (node ids or
        numbers; a number becomes a `const` node), `axis` and `value` (for `const`). Errors name the
        `location` given (for a parsed expression) or else the specification, as ("nodes", position).
        """
        by_id = _index_nodes(nodes)
        order = _topological_order(nodes, by_id)
        graph = cls()
        position = {}
        for spec_index in order:
            graph._append(nodes[spec_index], location or ("nodes", spec_index), position)
        output_id = nodes[-1]["id"] if output is None else output
        if output_id not in position:
            raise GraphError(f"output {output_id!r} is not the id of a node", ("output",))
        graph.output = position[output_id]
        return graph

    def _append(self, spec, location, position):
        op = spec["op"]
        if op == INPUT:
            self.inputs[spec["id"]] = len(self.ids)
        elif op == CONST:
            if spec.get("value") is None:
                raise GraphError("a const node needs a value", location + ("value",))
        elif op not in OPERATIONS:
            raise GraphError(f"unknown operation {op!r}; known: {', '.join(sorted(OPERATIONS))}", location + ("op",))
        arguments = spec.get("args") or []
        expected = OPERATIONS[op].arity if op in OPERATIONS else 0
        if len(arguments) != expected:
            raise GraphError(f"node {spec['id']!r}: {op} takes {expected} argument(s), got {len(arguments)}",
                             location + ("args",))
        axis = spec.get("axis")
        if axis is not None and not (op in OPERATIONS and OPERATIONS[op].takes_axis):
            raise GraphError(f"node {spec['id']!r}: only sum and mean take an axis", location + ("axis",))
        arg_positions = tuple(self._argument(a, position, location) for a in arguments)
        position[spec["id"]] = len(self.ids)
        self._add(spec["id"], op, arg_positions, axis, location)
        if op == CONST:
            self.constants[len(self.ids) - 1] = as_tensor(spec["value"])

    def _argument(self, argument, position, location):
        if isinstance(argument, str):
            return position[argument]
        name = constant_id(argument)
        if name not in position:
            position[name] = len(self.ids)
            self._add(name, CONST, (), None, location + ("args",))
            self.constants[position[name]] = as_tensor(argument)
        elif self.ops[position[name]] != CONST:
            raise GraphError(f"node id {name!r} is also the id of the constant {name}; rename that node",
                             location + ("args",))
        return position[name]

    def _add(self, node_id, op, args, axis, location):
        self.ids.append(node_id)
        self.ops.append(op)
        self.args.append(args)
        self.axes.append(axis)
        self.locations.append(location)
        self.depends_on_input.append(op == INPUT or any(self.depends_on_input[a] for a in args))

    def shapes(self, input_shapes):
        """Every node's shape, from the inputs' shapes, before any value is computed."""
        shapes = []
        for i, op in enumerate(self.ops):
            if op == INPUT:
                shapes.append(input_shapes[self.ids[i]])
            elif op == CONST:
                shapes.append(np.shape(self.constants[i]))
            else:
                shapes.append(self._shape_of_operation(i, [shapes[a] for a in self.args[i]]))
        return shapes

    def _shape_of_operation(self, i, arg_shapes):
        operation = OPERATIONS[self.ops[i]]
        try:
            if self.axes[i] is None:
                return tuple(operation.shape(*arg_shapes))
            return tuple(operation.shape(*arg_shapes, axis=self.axes[i]))
        except ValueError as error:
            shown = " and ".join(str(s) for s in arg_shapes)
            raise GraphError(f"node {self.ids[i]!r} ({self.ops[i]} of shapes {shown}): {error}",
                             self.locations[i]) from None


def _index_nodes(nodes):
    by_id = {}
    for i, spec in enumerate(nodes):
        if spec["id"] in by_id:
            raise GraphError(f"node id {spec['id']!r} is used twice", ("nodes", i, "id"))
        by_id[spec["id"]] = i
    return by_id


def _topological_order(nodes, by_id):
    """Positions of the node specifications, each after its arguments; iterative depth-first search.

    Specifications already in topological order keep their order. A cycle is an error naming its nodes.
    """
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
