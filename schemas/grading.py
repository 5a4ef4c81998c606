"""The wire contract of `POST /v1/grade` and `POST /v1/grade/batch`: a problem, students' answers,
how close is close enough, and the verdict in the native, Gradescope or PrairieLearn format."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainValidator, RootModel, model_validator

from schemas.graph import STRICT, GraphRequest
from schemas.mlp import MlpRequest
from schemas.problem import Problem
from schemas.tensor import TensorResult

PresetName = Literal["numpy", "prairielearn", "gradcheck", "cs231n"]
FormatName = Literal["native", "gradescope", "prairielearn"]
Outcome = Literal["graded", "invalid", "error"]

Submitted = Annotated[Any, Field(
    description="A number or nested lists of numbers; anything else (a string, a ragged list, NaN) is graded "
                "as an invalid answer, not refused")]
SubmittedExpression = Annotated[Any, Field(
    description="An expression in the /v1/graph expression language (a string), or a number")]


class GradeProblem(BaseModel):
    """Exactly a /v1/graph request under `graph`, or a /v1/mlp request under `mlp`."""
    model_config = STRICT
    graph: GraphRequest | None = None
    mlp: MlpRequest | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        if (self.graph is None) == (self.mlp is None):
            raise ValueError("give exactly one of `graph` (a /v1/graph request) and `mlp` (a /v1/mlp request)")
        return self


class Answers(BaseModel):
    """Any subset of what the problem's endpoint returns; every item given is graded."""
    model_config = STRICT
    value: Submitted = Field(default=None, description="The cost J (graph problems call it value)")
    cost: Submitted = Field(default=None, description="The cost J (MLP problems call it cost)")
    gradients: dict[str, Submitted] | None = Field(
        default=None, description="dJ/d(input) by input name; for MLP problems dJ/dW1, dJ/db1, … by parameter name")
    nodes: dict[str, Submitted] | None = Field(default=None, description="dJ/d(node) by node id (graph problems)")
    input_gradients: Submitted = Field(default=None, description="dJ/d(inputs) (MLP problems)")
    predictions: Submitted = Field(default=None, description="The last layer's activation (MLP problems)")
    parameters: dict[str, Submitted] | None = Field(default=None, description="The parameters after the descent steps")
    costs: Submitted = Field(default=None, description="The cost history: before each step and after the last")
    derivatives: dict[str, SubmittedExpression] | None = Field(
        default=None, description="Symbolic dJ/d(input) by input name, such as \"9*(3*x + 4*y)^2\" (graph problems)")


class Tolerance(BaseModel):
    """A named preset, explicit numbers, or a preset with some numbers overridden."""
    model_config = STRICT
    preset: PresetName | None = Field(default=None, description="Default: prairielearn when no numbers are given")
    rtol: float | None = Field(default=None, ge=0)
    atol: float | None = Field(default=None, ge=0)


ItemName = Annotated[str, Field(description="A JSON Pointer into `answers`, such as /gradients/x")]


class GradeRequest(BaseModel):
    model_config = STRICT
    problem: GradeProblem
    answers: Answers
    tolerance: Tolerance = Tolerance()
    weights: dict[ItemName, Annotated[float, Field(gt=0)]] = Field(
        default={}, description="Weight of each item (default 1); a weighted item left unanswered scores 0")
    reveal: bool = Field(default=False, description="Show the reference values (exams keep them hidden)")
    format: FormatName = "native"


class Submission(BaseModel):
    model_config = STRICT
    id: str | None = Field(default=None, description="Echoed in the result, such as a student id")
    answers: Answers


def _as_given(value):
    """Each submission is validated in its own slot, so one malformed submission fails alone."""
    return value


SubmissionSlot = Annotated[Any, PlainValidator(_as_given, json_schema_input_type=Submission)]


class BatchRequest(BaseModel):
    model_config = STRICT
    problem: GradeProblem
    submissions: list[SubmissionSlot] = Field(min_length=1)
    tolerance: Tolerance = Tolerance()
    weights: dict[ItemName, Annotated[float, Field(gt=0)]] = {}
    reveal: bool = False
    format: FormatName = "native"


class ToleranceApplied(BaseModel):
    preset: PresetName | None
    formula: str
    rtol: float
    atol: float
    source: str | None = None
    note: str | None = None


class Item(BaseModel):
    name: ItemName
    outcome: Outcome = Field(description="graded (correct or not); invalid (the answer cannot be graded: not "
                                         "counted); error (the reference is not finite: the instructor's problem)")
    correct: bool | None = Field(description="null unless graded")
    score: float = Field(ge=0, le=1, description="The fraction of entries within tolerance (symbolic: all points)")
    weight: float
    submitted: Any = None
    expected: TensorResult | None = Field(default=None, description="Only with `reveal`")
    max_abs_error: TensorResult | None = None
    max_rel_error: TensorResult | None = None
    wrong_entries: list[list[int]] = Field(description="Indices of entries outside tolerance (the first 20)")
    wrong_count: int
    mistake: str | None = Field(description="sign_flip, transpose, missing_chain_factor, half_factor, mean_vs_sum, "
                                            "not_accumulated_at_fork or wrong_point")
    feedback: str


class GradeResult(BaseModel):
    score: float = Field(ge=0, le=1, description="Weighted points over weighted maximum")
    points: float
    max_points: float
    gradable: bool = Field(description="false when any item is invalid or error: the attempt should not count")
    tolerance: ToleranceApplied
    items: list[Item]
    warnings: list[str]


class GradescopeTest(BaseModel):
    name: str
    score: float
    max_score: float
    status: Literal["passed", "failed"]
    output: str
    visibility: Literal["visible", "hidden", "after_due_date", "after_published"]
    extra_data: dict[str, Any] | None = None


class GradescopeResults(BaseModel):
    """A Gradescope autograder results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/)."""
    score: float
    output: str
    tests: list[GradescopeTest]
    extra_data: dict[str, Any] | None = None


class PrairieLearnTest(BaseModel):
    name: str
    points: float
    max_points: float
    message: str
    output: str | None = None


class PartialScore(BaseModel):
    score: float | None
    weight: float
    feedback: str


class PrairieLearnResults(BaseModel):
    """A PrairieLearn external-grader result (https://prairielearn.readthedocs.io/en/latest/externalGrading/)."""
    gradable: bool
    score: float | None = Field(default=None, ge=0, le=1, description="Absent when not gradable")
    format_errors: list[str] | None = None
    message: str
    tests: list[PrairieLearnTest]
    partial_scores: dict[str, PartialScore]


class GradeResponse(RootModel[GradeResult | GradescopeResults | PrairieLearnResults]):
    """The verdict in the requested `format`."""


class BatchSlot(BaseModel):
    index: int
    id: str | None = None
    status: int = Field(description="200 when graded; 422 when this submission was malformed")
    result: GradeResult | GradescopeResults | PrairieLearnResults | None = None
    problem: Problem | None = Field(default=None, description="Why this submission could not be graded")


class BatchResponse(BaseModel):
    tolerance: ToleranceApplied
    results: list[BatchSlot] = Field(description="One per submission, in order")
