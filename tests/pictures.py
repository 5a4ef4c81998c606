"""What the render tests (and benchmarks/render.py) share: reading an SVG or DOT picture back, the
worked examples, and long chains to draw."""

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

SVG = "{http://www.w3.org/2000/svg}"
TWO_LAYER_LINEAR = {
    "layers": [{"units": 2, "activation": "linear"}, {"units": 1, "activation": "linear"}],
    "loss": "mse", "inputs": [[1.0, 2.0]], "targets": [[1.0]],
    "parameters": {"W1": [[0.1, 0.2], [0.3, 0.4]], "b1": [0.0, 0.0], "W2": [[0.5, 0.6]], "b2": [0.0]},
}


def chain(count):
    """count nodes: x, then sin and add alternately, each on the one before."""
    nodes = [{"id": "x", "op": "input"}]
    for i in range(1, count - 1):
        nodes.append({"id": f"v{i}", "op": "sin" if i % 2 else "add", "args": [nodes[-1]["id"]] * (1 if i % 2 else 2)})
    return nodes + [{"id": "J", "op": "sum", "args": [nodes[-1]["id"]]}]


@pytest.fixture(scope="module", autouse=True)
def graphviz_installed():
    if shutil.which("dot") is None:
        reason = "Graphviz's dot is not installed: `bash scripts/install-system-packages.sh` installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def node_texts(svg):
    """{node id: the lines of its label}: a node's first line is its id."""
    root = ElementTree.fromstring(svg)
    nodes = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            lines = [text.text for text in group.iter(f"{SVG}text")]
            nodes[lines[0]] = lines[1:]
    return nodes


def edge_labels(svg):
    root = ElementTree.fromstring(svg)
    return sorted(text.text for group in root.iter(f"{SVG}g") if group.get("class") == "edge"
                  for text in group.iter(f"{SVG}text"))


def laid_out(dot_text):
    """The DOT text read back by Graphviz: its nodes and edges as `dot -Tjson` gives them."""
    finished = subprocess.run(["dot", "-Tjson"], input=dot_text.encode(), capture_output=True, check=True)
    graph = json.loads(finished.stdout)
    return graph.get("objects", []), graph.get("edges", [])
