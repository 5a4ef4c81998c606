"""The wire contract of `POST /v1/problems/generate`: a template and a seed, and the concrete problem
drawn from them."""

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, model_validator

from schemas.graph import STRICT
from schemas.mlp import Layer
from service.engine.losses import LOSSES


class Draw(BaseModel):
    """How to draw numbers: integers in [low, high], or uniform in [low, high) rounded to `decimals`."""
    model_config = STRICT
    low: float = Field(default=-1.0, ge=-1e15, le=1e15)
    high: float = Field(default=1.0, ge=-1e15, le=1e15)
    integer: bool = False
    decimals: int = Field(default=2, ge=0, le=15)
    nonzero: bool = Field(default=False, description="Draw zeros again (a coefficient of 0 removes a term)")
    shape: list[int] | None = Field(default=None, description="For an input: its shape (default: a number)")

    @model_validator(mode="after")
    def _range(self):
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        if self.integer and math.ceil(self.low) > math.floor(self.high):
            raise ValueError("an integer draw needs a whole number between low and high")
        if self.shape is not None and any(n < 1 for n in self.shape):
            raise ValueError("every dimension of shape must be at least 1")
        return self


class ExpressionTemplate(BaseModel):
    """An expression with named coefficients, written into it as numbers, and the inputs to draw."""
    model_config = STRICT
    expression: str = Field(examples=["(a*x + b*y)**3"])
    coefficients: dict[str, Draw] = Field(default={}, description="Names replaced by drawn numbers")
    inputs: dict[str, Draw] = Field(description="The inputs' values to draw")
    trainable: list[str] | None = None
    steps: int = Field(default=0, ge=0)
    learning_rate: float = Field(default=0.01, gt=0)


class MlpTemplate(BaseModel):
    """An architecture; the inputs, targets and parameters are drawn."""
    model_config = STRICT
    layers: list[Layer] = Field(min_length=1)
    loss: Literal[tuple(LOSSES)]
    examples: int = Field(ge=1, description="m, the rows of inputs")
    features: int = Field(ge=1, description="n, the columns of inputs")
    inputs: Draw = Draw()
    targets: Draw = Field(default=Draw(low=0, high=1), description="For mse; class indices and 0/1 labels are "
                                                                   "drawn for cross_entropy and binary_cross_entropy")
    parameters: Draw = Draw()
    steps: int = Field(default=0, ge=0)
    learning_rate: float = Field(default=0.01, gt=0)


class Template(BaseModel):
    model_config = STRICT
    graph: ExpressionTemplate | None = None
    mlp: MlpTemplate | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        if (self.graph is None) == (self.mlp is None):
            raise ValueError("give exactly one of `graph` (an expression template) and `mlp` (an architecture)")
        return self


class GenerateRequest(BaseModel):
    model_config = STRICT
    template: Template
    seed: int = Field(ge=0, lt=2**63, description="numpy.random.default_rng(seed); see docs/grading.md for "
                                                  "deriving it from a student and an assignment")


class Generator(BaseModel):
    version: int
    bit_generator: str
    numpy: str


class GenerateResponse(BaseModel):
    problem: Annotated[dict[str, Any], WithJsonSchema({
        "allOf": [{"$ref": "#/components/schemas/GradeProblem"}],
        "description": "Ready to use as the `problem` of /v1/grade"})]
    seed: int
    generator: Generator
