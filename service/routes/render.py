"""`POST /v1/graph/render` and `POST /v1/mlp/render`: the computational graph of a `/v1/graph` or
`/v1/mlp` body, annotated with its values and gradients and laid out by Graphviz."""

from flask import Blueprint, Response, current_app

from schemas.render import GraphRenderRequest, MlpRenderRequest
from service.codec import read_request
from service.render import pictures

blueprint = Blueprint("render", __name__)


@blueprint.post("/v1/graph/render")
def graph_render():
    picture, media_type = pictures.graph_picture(read_request(GraphRenderRequest), current_app.config["SETTINGS"])
    return Response(picture, content_type=media_type)


@blueprint.post("/v1/mlp/render")
def mlp_render():
    picture, media_type = pictures.network_picture(read_request(MlpRenderRequest), current_app.config["SETTINGS"])
    return Response(picture, content_type=media_type)
