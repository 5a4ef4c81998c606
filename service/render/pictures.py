"""From a validated render request to its picture: the answer of `/v1/graph` (or `/v1/mlp`) with
the gradient along every edge, written as DOT and laid out by Graphviz."""

from service import graphs, networks
from service.render.dot import graph_dot
from service.render.graphviz_runner import MEDIA_TYPES, check_layout_size, lay_out


def graph_picture(request, settings):
    """(the picture, its media type) for a `GraphRenderRequest`; inputs named in `trainable` are
    drawn as parameters."""
    graph = graphs.build_graph(request, settings)
    check_layout_size(graph.args, settings, ("expression",) if request.expression is not None else ("nodes",))
    answer = graphs.answer(request.model_copy(update={"trace": True, "cost_plot": False}), settings, graph)
    return _drawn(graph_dot(answer, request.trainable or ()), request.format, settings)


def network_picture(request, settings):
    """(the picture, its media type) for an `MlpRenderRequest`: the layer-level graph, or with
    `"granularity": "scalar"` one node per number. X (or x_1, x_2, …) is drawn as the input and
    every other input node (W1, b1, … or w_11^[1], …) as a parameter."""
    graph = networks.answer(request.model_copy(update={"trace": True, "cost_plot": False}), settings)["graph"]
    index = {node["id"]: i for i, node in enumerate(graph["nodes"])}
    check_layout_size([[index[a] for a in node["args"]] for node in graph["nodes"]], settings, (
        "granularity" if request.granularity == "scalar" else "layers",))
    parameters = [node["id"] for node in graph["nodes"]
                  if node["op"] == "input" and node["id"] != "X" and not node["id"].startswith("x_")]
    return _drawn(graph_dot(graph, parameters), request.format, settings)


def _drawn(source, picture_format, settings):
    if picture_format == "dot":
        return source, MEDIA_TYPES["dot"]
    return lay_out(source, picture_format, settings), MEDIA_TYPES[picture_format]
