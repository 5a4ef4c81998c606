"""What the render tests share: reading an SVG or DOT picture back, and the worked examples."""

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
