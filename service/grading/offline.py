"""`backprop-grade`: grade a PrairieLearn external-grading job without a network, by the same code as
`POST /v1/grade`.

The job's /grade/data/data.json holds `params.grade` (the request without its answers: `problem`,
and optionally `tolerance`, `weights`, `reveal` and `answer_names`) and `submitted_answers`. Each
submitted answer is an item named by its JSON Pointer into `answers` (such as `gradients/x`, the
leading / optional) unless `answer_names` maps the element's name to one ({"dzdx": "/gradients/x"});
names starting with "_" (such as `_files`) are PrairieLearn's own and are skipped. The result, in the
PrairieLearn format, is written to /grade/results/results.json (the directory is created). A job that
cannot be graded still gets a results file, with "gradable": false and the reason in format_errors.
"""

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

import orjson

from service.app import build_app
from service.config import Settings
from service.problems import Problem

DATA = "/grade/data/data.json"
RESULTS = "/grade/results/results.json"


def main(argv=None):
    arguments = _arguments(argv)
    results = grade_job(Path(arguments.data), Settings.from_environment())
    target = Path(arguments.results)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(orjson.dumps(results, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_INDENT_2))
    print(results["message"])
    return 0


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="backprop-grade", description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("GRADE_DATA", DATA),
                        help=f"the job's data.json (env GRADE_DATA; default {DATA})")
    parser.add_argument("--results", default=os.environ.get("GRADE_RESULTS", RESULTS),
                        help=f"where to write results.json (env GRADE_RESULTS; default {RESULTS})")
    return parser.parse_args(argv)


def grade_job(data_path, settings):
    """The PrairieLearn result for the job at `data_path`, answered by the service's own `POST /v1/grade`
    (in-process: the same validation, engine, rules and errors); never raises for a bad job."""
    try:
        body = job_request(orjson.loads(data_path.read_bytes())) | {"format": "prairielearn"}
    except (OSError, orjson.JSONDecodeError) as error:
        return not_gradable(f"the grading job could not be read: {error}")
    except Problem as problem:
        return not_gradable(problem.detail)
    offline = replace(settings, api_keys=()) if getattr(settings, "api_keys", None) else settings  # no network here
    response = build_app(offline).test_client().post("/v1/grade", json=body)
    answer = response.get_json(force=True)
    if response.status_code == 200:
        return answer
    return not_gradable(*[f"{e['location']}: {e['message']}" for e in answer.get("errors") or []] or [answer["detail"]])


def job_request(data):
    """The `GradeRequest` body of a PrairieLearn data.json."""
    if not isinstance(data, dict) or not isinstance(data.get("params"), dict) \
            or not isinstance(data["params"].get("grade"), dict):
        raise Problem(422, "Unprocessable job", "data.json has no params.grade object (the problem to grade against)")
    setup = dict(data["params"]["grade"])
    names = setup.pop("answer_names", None) or {}
    answers = {}
    for element, value in (data.get("submitted_answers") or {}).items():
        if element.startswith("_"):
            continue
        parts = names.get(element, element).lstrip("/").split("/", 1)
        if len(parts) == 2:
            answers.setdefault(parts[0], {})[parts[1]] = value
        else:
            answers[parts[0]] = value
    return setup | {"answers": answers}


def not_gradable(*reasons):
    return {"gradable": False, "format_errors": list(reasons), "message": "Not graded: " + "; ".join(reasons),
            "tests": [], "partial_scores": {}}


if __name__ == "__main__":
    sys.exit(main())
