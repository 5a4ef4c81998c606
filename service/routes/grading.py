"""`POST /v1/grade`, `POST /v1/grade/batch` and `POST /v1/problems/generate`: auto-grading and variants."""

from flask import Blueprint, Response, current_app, request

from schemas.grading import BatchRequest, GradeRequest
from schemas.variants import GenerateRequest
from service.codec import json_response, read_request
from service.grading import batch, grader, variants
from service.grading.formats import written_as

blueprint = Blueprint("grading", __name__)


@blueprint.post("/v1/grade")
def grade():
    graded = read_request(GradeRequest)
    return json_response(written_as(graded.format, grader.grade(graded, current_app.config["SETTINGS"])))


@blueprint.post("/v1/grade/batch")
def grade_batch():
    submitted = read_request(BatchRequest)
    graded = batch.grade_batch(submitted, current_app.config["SETTINGS"])
    if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
        return Response(batch.as_csv(graded), content_type="text/csv; charset=utf-8")
    return json_response(batch.written_batch(graded, submitted.format))


@blueprint.post("/v1/problems/generate")
def generate():
    return json_response(variants.generate(read_request(GenerateRequest), current_app.config["SETTINGS"]))
