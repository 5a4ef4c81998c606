"""The wire contract of `POST /v1/graph`: an expression or an explicit graph, with its inputs."""

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, StrictStr, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import NotRequired, TypedDict

from schemas.tensor import Tensor, TensorResult
from service.engine.ops import OPERATIONS

# Requests are strict. Their schema is the same wherever they appear (a grading answer echoes its
# problem): one component per request model, not an -Input and an -Output variant.
STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, json_schema_mode_override="validation")
OperationName = Literal[("input", "const") + tuple(OPERATIONS)]
NodeId = Annotated[str, Field(min_length=1, max_length=10_000)]


def _argument(value):
    """A node id or a finite number; one check with one message, where a union would report three."""
    if type(value) is str and 0 < len(value) <= 10_000:
        return value
    if type(value) in (int, float) and _is_finite_float(value):
        return value
    raise PydanticCustomError("argument", "an argument is a node id (a non-empty string) or a finite number")


def _is_finite_float(number):
    try:
        return math.isfinite(number)
    except OverflowError:  # an integer beyond float64
        return False


def _cost_plot_needs_steps(cost_plot, info):
    if cost_plot and info.data.get("steps") == 0:
        raise PydanticCustomError("cost_plot", "a cost curve needs steps > 0")
    return cost_plot


# `cost_plot`, refused without descent: a request model declares it after `steps`.
CostPlot = Annotated[bool, AfterValidator(_cost_plot_needs_steps),
                     Field(description="Also return `cost_plot`: an SVG of the cost against the step (with steps > 0)")]


Argument = Annotated[NodeId | float, PlainValidator(_argument, json_schema_input_type=NodeId | float)]


class NodeSpec(TypedDict):
    """One node of an explicit graph. (A TypedDict, not a model: a graph may have 100,000 nodes,
    and validating into plain dicts is what keeps that fast.)"""
    __pydantic_config__ = STRICT
    id: NodeId
    op: Annotated[OperationName, Field(description="`input`, `const` (with `value`) or an operation")]
    args: NotRequired[Annotated[list[Argument], Field(
        description="Argument node ids; a number becomes a `const` node whose id is its text")]]
    axis: NotRequired[Annotated[int | None, Field(description="For `sum` and `mean`: the axis to reduce (default: all)")]]
    value: NotRequired[Annotated[Tensor | None, Field(description="For `const`: its value")]]


class GraphRequest(BaseModel):
    """Either `expression` or `nodes` (with an optional `output`), and the values of the inputs."""
    model_config = STRICT
    expression: StrictStr | None = Field(default=None, examples=["(3*x + 4*y)**3"],
                                         description="Python-like: numbers, names, + - * / ** ^ @, "
                                                     "unary minus, parentheses and the unary functions")
    nodes: list[NodeSpec] | None = Field(default=None, min_length=1,
                                         description="An explicit graph, nodes in any order")
    output: NodeId | None = Field(default=None, description="With `nodes`: the cost node (default: the last)")
    inputs: dict[str, Tensor] = Field(default={}, description="A value for every input name")
    trainable: list[str] | None = Field(default=None, description="Inputs that descent updates (default: all)")
    steps: int = Field(default=0, ge=0, description="Gradient-descent steps (0: forward and backward only)")
    learning_rate: float = Field(default=0.01, gt=0)
    trace: bool = Field(default=False, description="Also return `edges`: the gradient along every edge")
    cost_plot: CostPlot = False

    @model_validator(mode="after")
    def _one_form(self):
        if (self.expression is None) == (self.nodes is None):
            raise ValueError("give exactly one of `expression` and `nodes`")
        if self.output is not None and self.nodes is None:
            raise ValueError("`output` goes with `nodes`; an expression's output is the whole expression")
        return self


class NodeResult(BaseModel):
    id: str
    op: str
    args: list[str]
    axis: int | None = None
    value: TensorResult
    gradient: TensorResult | None = Field(description="dJ/d(node); null where the node depends on no input")


class EdgeResult(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    gradient: TensorResult | None = Field(description="The share of dJ/d(to) that flows into `from`")
    local: TensorResult | None = Field(description="d(to)/d(from), where both are scalars")
    upstream: TensorResult | None = Field(description="dJ/d(to), where both are scalars")


class DescentResult(BaseModel):
    """Gradient descent as /v1/graph and /v1/mlp both report it."""
    steps: int
    learning_rate: float
    costs: list[TensorResult] = Field(description="The cost before each step and after the last "
                                                  "(for a network, over all examples)")
    parameters: dict[str, TensorResult] = Field(description="The trained inputs or parameters after the last step")
    gradients: dict[str, TensorResult] = Field(description="dJ/d(parameter) at those parameters")


class GraphResponse(BaseModel):
    output: str
    value: TensorResult = Field(description="The cost J: the output node's value")
    gradients: dict[str, TensorResult] = Field(description="dJ/d(input) at the given inputs")
    nodes: list[NodeResult] = Field(description="Every node, each after its arguments")
    edges: list[EdgeResult] | None = Field(default=None, description="Only with `trace`")
    cost_plot: str | None = Field(default=None, description="Only with `cost_plot`: an SVG of the cost against the step")
    descent: DescentResult
    warnings: list[str]
