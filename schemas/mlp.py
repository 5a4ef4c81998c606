"""The wire contract of `POST /v1/mlp`: a multilayer perceptron, its data, and how to train it."""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from schemas.graph import STRICT, CostPlot, DescentResult, EdgeResult, NodeResult
from schemas.tensor import Tensor, TensorResult
from service.engine.activations import ACTIVATIONS
from service.engine.init import DEFAULT_STD, SCHEMES
from service.engine.losses import LOSSES

Probability = Annotated[float, Field(ge=0, lt=1)]


class Layer(BaseModel):
    model_config = STRICT
    units: int = Field(ge=1)
    activation: Literal[tuple(ACTIVATIONS)] = Field(description="softmax is for the last layer only")


class Init(BaseModel):
    """How to draw the initial weights: numpy.random.default_rng(seed), W1 first; biases start at zero."""
    model_config = STRICT
    scheme: Literal[SCHEMES] = "xavier_uniform"
    seed: int = Field(default=0, ge=0)
    std: float = Field(default=DEFAULT_STD, gt=0, description="The standard deviation of `normal`")


class Sgd(BaseModel):
    model_config = STRICT
    name: Literal["sgd"]


class Momentum(BaseModel):
    """torch.optim.SGD with momentum: v := momentum v + g; w := w - learning_rate v."""
    model_config = STRICT
    name: Literal["momentum"]
    momentum: float = Field(default=0.9, ge=0)


class Adam(BaseModel):
    """torch.optim.Adam."""
    model_config = STRICT
    name: Literal["adam"]
    betas: list[Probability] = Field(default=[0.9, 0.999], min_length=2, max_length=2)
    eps: float = Field(default=1e-8, ge=0)


def _named_alone(optimizer):
    """"adam" is short for {"name": "adam"}: the optimizer with its default settings."""
    return {"name": optimizer} if isinstance(optimizer, str) else optimizer


OptimizerName = Literal["sgd", "momentum", "adam"]
Optimizer = Annotated[Sgd | Momentum | Adam, Field(discriminator="name"),
                      BeforeValidator(_named_alone, json_schema_input_type=OptimizerName | Sgd | Momentum | Adam)]


class MlpRequest(BaseModel):
    """A network of `layers` trained on `inputs` (m examples x n features) and `targets`."""
    model_config = STRICT
    layers: list[Layer] = Field(min_length=1, description="Layers 1..L; layer l computes g(A_prev @ W<l>.T + b<l>)")
    loss: Literal[tuple(LOSSES)] = Field(description="mse (any last activation), binary_cross_entropy (sigmoid), "
                                                     "cross_entropy (softmax); PyTorch's, with mean reduction")
    inputs: Tensor = Field(description="m x n: one row per example")
    targets: Tensor = Field(description="m x k; for cross_entropy also class indices (m,)")
    parameters: dict[str, Tensor] | None = Field(
        default=None, description="W1 (units x n), b1 (units), W2, b2, …; without it, `init` draws them")
    init: Init | None = Field(default=None, description="Default: xavier_uniform with seed 0")
    optimizer: Optimizer = Sgd(name="sgd")
    learning_rate: float = Field(default=0.01, gt=0)
    steps: int = Field(default=0, ge=0, description="Descent steps (0: cost and gradients only)")
    batch_size: int | None = Field(default=None, ge=1, description="Mini-batch size (default: all examples)")
    seed: int = Field(default=0, ge=0, description="Seeds the order in which mini-batches are drawn")
    graph: bool = Field(default=False, description="Also return the network as a computational graph")
    granularity: Literal["tensor", "scalar"] = Field(
        default="tensor", description="With `graph`: one node per matrix, or one per number (networks of at most "
                                      "50 weights)")
    trace: bool = Field(default=False, description="With `graph`: also its `edges`, the gradient along every edge")
    cost_plot: CostPlot = False

    @model_validator(mode="after")
    def _consistent(self):
        if self.parameters is not None and self.init is not None:
            raise ValueError("give `parameters` or `init`, not both")
        if self.granularity == "scalar" and not self.graph:
            raise ValueError('`granularity` goes with `"graph": true`')
        return self


class Diagnostics(BaseModel):
    gradient_norms: dict[str, TensorResult] = Field(description="||dJ/dW<l>|| (Frobenius) at the given parameters")
    warnings: list[str] = Field(description="Vanishing or exploding gradients, and costs that stop being finite")


class NetworkGraph(BaseModel):
    output: str
    nodes: list[NodeResult] = Field(description="In the /v1/graph node format, each after its arguments")
    edges: list[EdgeResult] | None = Field(default=None, description="Only with `trace`")


class MlpResponse(BaseModel):
    cost: TensorResult = Field(description="J at the given parameters")
    predictions: TensorResult = Field(description="A<L>, the last layer's activation")
    gradients: dict[str, TensorResult] = Field(description="dJ/dW<l> and dJ/db<l> at the given parameters")
    input_gradients: TensorResult = Field(description="dJ/d(inputs)")
    initial_parameters: dict[str, TensorResult]
    descent: DescentResult
    diagnostics: Diagnostics
    graph: NetworkGraph | None = Field(default=None, description='Only with `"graph": true`')
    cost_plot: str | None = Field(default=None, description="Only with `cost_plot`: an SVG of the cost against the step")
