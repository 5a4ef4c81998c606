"""Every error the service answers: RFC 9457 problem details (`application/problem+json`)."""

from pydantic import BaseModel, Field


class ProblemError(BaseModel):
    location: str = Field(description="A JSON Pointer into the request body, such as /nodes/3/args")
    message: str


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = Field(default=None, description="One entry per problem in the request")
    request_id: str | None = Field(default=None, description="With a 5xx: the request's X-Request-ID, to quote "
                                                             "when reporting it")
