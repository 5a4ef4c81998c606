"""The wire contract of the render endpoints: the body of `/v1/graph` or `/v1/mlp`, plus the
picture's format."""

from typing import Literal

from pydantic import Field

from schemas.graph import GraphRequest
from schemas.mlp import MlpRequest

PictureFormat = Literal["svg", "png", "dot"]
FORMAT = Field(default="svg", description="svg (image/svg+xml), png (image/png) or dot: the DOT text that Graphviz "
                                         "lays out (text/vnd.graphviz)")


class GraphRenderRequest(GraphRequest):
    """A `/v1/graph` body, drawn; inputs named in `trainable` are drawn as parameters."""
    format: PictureFormat = FORMAT


class MlpRenderRequest(MlpRequest):
    """A `/v1/mlp` body, drawn as the network's computational graph at its given (or drawn) parameters."""
    graph: Literal[True] = Field(default=True, description="Always true: the picture is the graph")
    format: PictureFormat = FORMAT
