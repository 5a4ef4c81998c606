"""A graph answer (nodes with values and gradients, and the gradient along every edge) as DOT text.

Nodes are drawn left to right in the order the forward pass computes them. Each shows its id, its
operation, its value and in red its gradient dJ/d(node); each edge is labelled, in red, with the
gradient flowing back along it. Where a node feeds several others, its gradient is written as the
sum of what flows back along its edges, since that is how the chain rule collects it.

DOT node names are `n0`, `n1`, …: node ids may hold any character, so they appear only inside
escaped labels and tooltips, never as DOT syntax. `nslimit` bounds the iterations of Graphviz's
ranking and positioning (network simplex) to one pass over the nodes: a graph whose edges span many
ranks lays out in a second rather than minutes, at little cost to the look of small ones.
"""

import html

import graphviz
import numpy as np

LONGEST_SHOWN_ID = 40
LONGEST_TOOLTIP = 200
SUMMED_TERMS_SHOWN = 4
NUMBER = "{:.6g}"
KEY = "forward values in black, gradients dJ/d(node) in red; each edge carries the gradient flowing back along it"

STYLES = {
    "input": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe"},
    "parameter": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dcfce7"},
    "const": {"shape": "box", "style": "dashed,filled", "fillcolor": "#f3f4f6", "color": "#6b7280"},
    "operation": {"shape": "box", "style": "filled", "fillcolor": "white"},
    "cost": {"shape": "box", "style": "filled", "fillcolor": "#fef3c7", "peripheries": "2"},
}


def graph_dot(answer, parameters=()):
    """DOT text for an answer holding `nodes`, `edges` and `output`; inputs named in `parameters` are
    drawn as parameters (what descent updates), the others as inputs."""
    names = {node["id"]: f"n{i}" for i, node in enumerate(answer["nodes"])}
    flowing_back = {node_id: [] for node_id in names}
    for edge in answer["edges"]:
        flowing_back[edge["from"]].append(edge["gradient"])
    picture = graphviz.Digraph(
        graph_attr={"rankdir": "LR", "nslimit": "1", "nslimit1": "1", "label": KEY, "labelloc": "t",
                    "fontname": "Helvetica", "fontsize": "11"},
        node_attr={"fontname": "Helvetica", "fontsize": "11", "margin": "0.1,0.05"},
        edge_attr={"fontname": "Helvetica", "fontsize": "10", "fontcolor": "#b91c1c", "color": "#374151"})
    for node in answer["nodes"]:
        kind = _kind(node, answer["output"], set(parameters))
        picture.node(names[node["id"]], label=_label(node, kind, flowing_back[node["id"]]),
                     tooltip=graphviz.escape(node["id"][:LONGEST_TOOLTIP]), **STYLES[kind])
    for edge in answer["edges"]:
        if edge["gradient"] is None:
            picture.edge(names[edge["from"]], names[edge["to"]], style="dashed", color="#9ca3af")
        else:
            picture.edge(names[edge["from"]], names[edge["to"]], label=_html(_tensor(edge["gradient"])))
    return picture.source


def _kind(node, output, parameters):
    if node["id"] == output:
        return "cost"
    if node["op"] == "input":
        return "parameter" if node["id"] in parameters else "input"
    return "const" if node["op"] == "const" else "operation"


def _label(node, kind, flowing_back):
    node_id = node["id"]
    shown = node_id if len(node_id) <= LONGEST_SHOWN_ID else node_id[:LONGEST_SHOWN_ID - 1] + "…"
    rows = [f"<B>{_escape(shown)}</B>"]
    if kind != "const":
        what = node["op"] if node["op"] != "input" else kind
        rows.append(f'<FONT POINT-SIZE="9" COLOR="#4b5563">{_escape(what)}</FONT>')
    if kind == "const" and shown == _tensor(node["value"]):
        rows = rows[:1]  # a number written in the expression: its id is its value
    else:
        rows.append(_escape(f"value {_tensor(node['value'])}"))
    if node["gradient"] is not None:
        rows.append(f'<FONT COLOR="#b91c1c">{_escape(_gradient(node["gradient"], flowing_back))}</FONT>')
    cells = "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{cells}</TABLE>>'


def _gradient(gradient, flowing_back):
    """`gradient 7`, or for a node with several consumers `gradient 3 + 3 + 1 = 7`."""
    terms = [g for g in flowing_back if g is not None]
    if len(terms) < 2:
        return f"gradient {_tensor(gradient)}"
    if all(np.ndim(t) == 0 for t in terms) and len(terms) <= SUMMED_TERMS_SHOWN:
        return f"gradient {' + '.join(_tensor(t) for t in terms)} = {_tensor(gradient)}"
    return f"gradient (sum over {len(terms)} edges) {_tensor(gradient)}"


def _tensor(value):
    """A number as it is, a tensor as its shape and a few entries; non-finite numbers by name."""
    array = np.asarray(value, dtype=np.float64)  # also reads the names "NaN", "Infinity", "-Infinity"
    if array.ndim == 0:
        return NUMBER.format(float(array))
    entries = np.array2string(array, threshold=6, edgeitems=2, separator=", ",
                              formatter={"float_kind": lambda v: NUMBER.format(v)})
    return f"{'×'.join(map(str, array.shape))} {entries}"


def _escape(text):
    return html.escape(text).replace("\n", "<BR/>")


def _html(text):
    return f"<{_escape(text)}>"
