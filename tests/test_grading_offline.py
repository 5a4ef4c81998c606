"""backprop-grade: a PrairieLearn job directory graded without a network, by the code of /v1/grade."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

from service.config import Settings
from service.grading.offline import grade_job
from tests.test_grading import PRAIRIELEARN, WORKED


def job(tmp_path, data):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "data.json").write_text(json.dumps(data))
    return tmp_path / "data" / "data.json"


def test_the_console_script_grades_a_sample_job_directory(tmp_path):
    data = job(tmp_path, {"params": {"grade": {"problem": WORKED, "answer_names": {"dzdx": "/gradients/x"}}},
                          "submitted_answers": {"dzdx": 363, "gradients/y": 1452, "value": 1331, "_files": []}})
    script = Path(sys.executable).parent / "backprop-grade"
    env = {**os.environ, "GRADE_DATA": str(data), "GRADE_RESULTS": str(tmp_path / "results" / "results.json")}
    subprocess.run([script], check=True, env=env, capture_output=True)
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    jsonschema.validate(results, PRAIRIELEARN)
    assert results["gradable"] is True and results["score"] == 2 / 3
    assert "missing_chain_factor" not in results["message"]
    assert "chain rule stopped" in results["partial_scores"]["/gradients/x"]["feedback"]


def test_flags_override_the_paths_and_match_the_http_answer(tmp_path, post):
    answers = {"gradients": {"x": [1], "y": 1452}}
    data = job(tmp_path, {"params": {"grade": {"problem": WORKED}}, "submitted_answers": {
        "gradients/x": [1], "gradients/y": 1452}})
    out = tmp_path / "elsewhere.json"
    subprocess.run([sys.executable, "-m", "service.grading.offline", "--data", str(data), "--results", str(out)],
                   check=True, capture_output=True, cwd=Path(__file__).resolve().parent.parent)
    _, over_http = post("/v1/grade", {"problem": WORKED, "answers": answers, "format": "prairielearn"})
    assert json.loads(out.read_text()) == over_http
    assert over_http["gradable"] is False


def test_a_job_that_cannot_be_graded_still_gets_a_results_file_saying_why(tmp_path):
    settings = Settings()
    assert grade_job(tmp_path / "missing.json", settings)["gradable"] is False
    broken = job(tmp_path, {"params": {"grade": {"problem": {"graph": {"expression": "x +", "inputs": {}}}}},
                            "submitted_answers": {"value": 1}})
    results = grade_job(broken, settings)
    jsonschema.validate(results, PRAIRIELEARN)
    assert results["gradable"] is False and "/problem/graph/expression" in results["format_errors"][0]
