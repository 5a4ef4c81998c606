"""The native verdict written as each platform's results file.

Gradescope (https://gradescope-autograders.readthedocs.io/en/latest/specs/): `score` and `tests` with
`name`, `score`, `max_score`, `status` ("passed"/"failed"), `output` and `visibility`. It has no
"not gradable" status, so an item that could not be graded (invalid or error) is a test worth 0 of 0
points (it neither earns nor costs points) whose output says why, and the submission's `output` asks
for a resubmission; `extra_data.gradable` carries the flag for scripts.

PrairieLearn (https://prairielearn.readthedocs.io/en/latest/externalGrading/): `gradable`, `score` in
[0, 1], `format_errors`, `message` and `tests` with `points`/`max_points`; `"gradable": false` marks
the submission "invalid, not gradable": no points are awarded or lost and the attempt is not used.
`partial_scores` holds each item's score, weight and feedback, as question code sets
data["partial_scores"].
"""


def summary(result):
    items = result["items"]
    ungraded = [item for item in items if item["outcome"] != "graded"]
    if ungraded:
        return (f"Not graded: {len(ungraded)} of {len(items)} answers could not be graded "
                f"({', '.join(item['name'] for item in ungraded)}); this attempt should not count: fix them and "
                "resubmit.")
    correct = sum(bool(item["correct"]) for item in items)
    return f"{correct} of {len(items)} answers correct; score {result['points']:g} of {result['max_points']:g}."


def gradescope(result):
    tests = []
    for item in result["items"]:
        graded = item["outcome"] == "graded"
        tests.append({
            "name": item["name"], "score": item["score"] * item["weight"] if graded else 0.0,
            "max_score": item["weight"] if graded else 0.0, "status": "passed" if item["correct"] else "failed",
            "output": item["feedback"], "visibility": "visible",
            "extra_data": {"outcome": item["outcome"], "mistake": item["mistake"]},
        })
    return {"score": sum(test["score"] for test in tests), "output": summary(result), "tests": tests,
            "extra_data": {"gradable": result["gradable"], "tolerance": result["tolerance"],
                           "warnings": result["warnings"]}}


def prairielearn(result):
    results = {"gradable": result["gradable"], "message": summary(result),
               "tests": [{"name": item["name"], "points": item["score"] * item["weight"]
                          if item["outcome"] == "graded" else 0.0,
                          "max_points": item["weight"], "message": item["feedback"]} for item in result["items"]],
               "partial_scores": {item["name"]: {"score": item["score"] if item["outcome"] == "graded" else None,
                                                 "weight": item["weight"], "feedback": item["feedback"]}
                                  for item in result["items"]}}
    if result["gradable"]:
        results["score"] = result["score"]
    else:
        results["format_errors"] = [item["feedback"] for item in result["items"] if item["outcome"] != "graded"]
    return results


FORMATS = {"native": lambda result: result, "gradescope": gradescope, "prairielearn": prairielearn}


def written_as(format_name, result):
    return FORMATS[format_name](result)
