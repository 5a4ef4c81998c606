"""The backpropagation engine: pure NumPy, usable and testable without the web service.

    graph = Graph.from_nodes(*parse("(3*x + 4*y)**3", max_depth=100), location=("expression",))
    result = descend(graph, {"x": 1.0, "y": 2.0}, trainable=["x", "y"], learning_rate=0.01, steps=0)
"""

from service.engine.descent import Descent, check_cost_is_scalar, descend
from service.engine.errors import GraphError
from service.engine.expression import parse
from service.engine.graph import Graph, as_tensor

__all__ = ["Descent", "Graph", "GraphError", "as_tensor", "check_cost_is_scalar", "descend", "parse"]
