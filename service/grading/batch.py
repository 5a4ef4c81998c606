"""A whole class against one problem: the reference computed once, each submission graded in its own
slot (a malformed or failing submission is reported there, the others are graded), results in order."""

import csv
import io
import logging

from pydantic import ValidationError

from schemas.grading import Submission
from service.engine import GraphError
from service.grading.formats import written_as
from service.grading.grader import Rules, grade_answers
from service.grading.references import reference_for
from service.problems import Problem, invalid, pointer

log = logging.getLogger(__name__)
CSV_COLUMNS = ("submission", "id", "status", "item", "outcome", "correct", "score", "weight", "max_abs_error",
               "max_rel_error", "mistake", "feedback")


def grade_batch(request, settings):
    """The native verdicts: {"tolerance": …, "results": [slot, …]}, a slot per submission."""
    reference = reference_for(request.problem, settings)
    reference.check_work(len(request.submissions))
    rules = Rules.of(request)
    return {"tolerance": rules.tolerance.describe(),
            "results": [_slot(i, raw, reference, rules, settings) for i, raw in enumerate(request.submissions)]}


def _slot(index, raw, reference, rules, settings):
    given_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    slot = {"index": index, "id": given_id}
    try:
        submission = Submission.model_validate(raw)
        return slot | {"status": 200, "result": grade_answers(reference, submission.answers, rules, settings)}
    except ValidationError as error:
        problem = invalid([{"location": pointer(("submissions", index) + tuple(e["loc"])), "message": e["msg"]}
                           for e in error.errors(include_url=False)])
    except GraphError as error:
        problem = invalid([{"location": pointer(("submissions", index) + error.location), "message": error.message}])
    except Problem as refused:
        problem = refused
        for entry in problem.errors or []:
            entry["location"] = pointer(("submissions", index)) + entry["location"]
    except Exception:  # one failing submission must not cost the class its grades
        log.exception("grading submission %d failed", index)
        problem = Problem(500, "Internal Server Error", "the service failed to grade this submission")
    return slot | {"status": problem.status, "problem": problem.body()}


def written_batch(graded, format_name):
    return {"tolerance": graded["tolerance"],
            "results": [slot | {"result": written_as(format_name, slot["result"])} if "result" in slot else slot
                        for slot in graded["results"]]}


def as_csv(graded):
    """One row per submission and item; a submission that could not be graded is one row saying why."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for slot in graded["results"]:
        head = (slot["index"], slot["id"] or "", slot["status"])
        if "result" not in slot:
            writer.writerow(head + ("", "rejected", "", "", "", "", "", "", slot["problem"]["detail"]))
            continue
        for item in slot["result"]["items"]:
            writer.writerow(head + (item["name"], item["outcome"], _cell(item["correct"]), item["score"],
                                    item["weight"], _cell(item["max_abs_error"]), _cell(item["max_rel_error"]),
                                    item["mistake"] or "", item["feedback"]))
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
