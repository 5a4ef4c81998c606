"""Each client's examples against a real gunicorn on loopback, through a recording proxy: the output is
what the README promises, what the client printed is what the service answered, and every exchange
fits the contract.

Node, a JDK and Graphviz (for the render example) are on the build machines; where one is missing its
tests are skipped with the reason, except on CI (CI=true), where that is a failure.
"""

import csv
import hashlib
import json
import os
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.contract import RecordingProxy, assert_fits_contract

CLIENTS = Path(__file__).resolve().parent.parent / "clients"
RUNTIMES = {"node": ("node", 20, "Node.js 20+"), "java": ("javac", 17, "a JDK 17+ (java and javac)")}


def runtime(language):
    """The runtime's command, or a skip (a failure on CI) saying what is missing."""
    command, least_version, what = RUNTIMES[language]
    found = shutil.which(command) and shutil.which(language)
    version = _major_version(language) if found else None
    if version is None or version < least_version:
        _missing(f"{what} is needed to run the {language} client's examples, and " +
                 (f"{language} {version} is too old" if version else "it is not on PATH"))
    return language


def _missing(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"on CI, {reason}")
    pytest.skip(reason)


def _major_version(language):
    flag = "--version" if language == "node" else "-version"
    result = subprocess.run([language, flag], capture_output=True, text=True, timeout=120)
    match = re.search(r'v?(\d+)[.\d]*', result.stdout + result.stderr)
    return int(match.group(1)) if match else None


def run_example(language, example, capsys):
    """The example's output, run as a caller would run it (GRADIENT_SERVICE_URL is set by `proxy`)."""
    if language == "python":
        runpy.run_path(str(CLIENTS / "python" / "examples" / f"{example}.py"), run_name="__main__")
        return capsys.readouterr().out
    program = runtime(language)
    command = [program, f"examples/{example}.js"] if language == "node" else [program, "Client.java", example]
    result = subprocess.run(command, cwd=CLIENTS / ("javascript" if language == "node" else "java"),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def printed_answers(output):
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def recorded_answers(exchanges):
    return [json.loads(response.get_data()) for _, response in exchanges
            if response.mimetype in ("application/json", "application/problem+json")]


LANGUAGES = ["python", "node", "java"]


@pytest.fixture
def proxy(gunicorn_url, monkeypatch):
    with RecordingProxy(gunicorn_url) as proxy:
        monkeypatch.setenv("GRADIENT_SERVICE_URL", proxy.url)
        yield proxy


def check_run(language, example, proxy, capsys):
    """Run the example; what it printed must be what the service answered, and all of it fit the contract."""
    output = run_example(language, example, capsys)
    assert_fits_contract(proxy.exchanges)
    answers = printed_answers(output)
    assert answers == recorded_answers(proxy.exchanges), output
    return output, answers


@pytest.mark.parametrize("language", LANGUAGES)
def test_graph_example_reproduces_the_worked_example(language, proxy, capsys):
    output, (answer, problem) = check_run(language, "graph", proxy, capsys)
    assert (answer["value"], answer["gradients"]) == (1331, {"x": 1089, "y": 1452})
    assert "without a value for y: 422 Unprocessable request" in output
    assert problem["status"] == 422 and problem["type"] == "about:blank"
    assert problem["errors"] == [{"location": "/inputs",
                                  "message": "the expression uses 'y', but inputs has no value for it"}]


@pytest.mark.parametrize("language", LANGUAGES)
def test_mlp_example_gives_the_hand_derived_gradients(language, proxy, capsys):
    # y = 0.5 * 1 - 0.25 * 2 + 0.1 = 0.1; J = (y - 1)^2 = 0.81; dJ/dW = 2 (y - 1) x = (-1.8, -3.6); dJ/db = -1.8
    output, (answer, problem) = check_run(language, "mlp", proxy, capsys)
    assert answer["cost"] == pytest.approx(0.81)
    assert answer["gradients"]["W1"] == [[pytest.approx(-1.8), pytest.approx(-3.6)]]
    assert answer["gradients"]["b1"] == [pytest.approx(-1.8)]
    assert "with loss hinge: 422 Unprocessable request" in output
    assert problem["status"] == 422 and [error["location"] for error in problem["errors"]] == ["/loss"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_example_reports_health_readiness_metrics_and_contract(language, proxy, capsys):
    output, answers = check_run(language, "service", proxy, capsys)
    assert answers == [{"status": "ok"}, {"status": "ready"}]
    assert [request.path for request, _ in proxy.exchanges] == ["/healthz", "/readyz", "/metrics", "/openapi.yaml"]
    metrics = proxy.exchanges[2][1].get_data(as_text=True)
    assert "# TYPE backprop_requests_total counter" in metrics.splitlines()
    assert output.splitlines()[-3:] == ["# TYPE backprop_requests_total counter",
                                        "GET /openapi.yaml, its first line:", "openapi: 3.1.0"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_grade_example_names_the_missing_chain_factor(language, proxy, capsys):
    # dz/dy = 3 (3x + 4y)^2 * 4 = 1452; 363 = dz/d(4y) is the chain stopped before the factor 4
    output, (graded, problem) = check_run(language, "grade", proxy, capsys)
    items = {item["name"]: item for item in graded["items"]}
    assert [items[name]["correct"] for name in ("/value", "/gradients/x", "/gradients/y")] == [True, True, False]
    assert items["/gradients/y"]["mistake"] == "missing_chain_factor"
    assert (graded["points"], graded["max_points"], graded["gradable"]) == (2, 3, True)
    assert "/gradients/y is wrong: missing_chain_factor" in output.splitlines()
    assert "with an answer for z: 422 Unprocessable request" in output
    assert [error["location"] for error in problem["errors"]] == ["/answers/gradients/z"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_batch_example_grades_each_submission_as_json_and_csv(language, proxy, capsys):
    output, (batch,) = check_run(language, "batch", proxy, capsys)
    results = {result["id"]: result["result"] for result in batch["results"]}
    assert [results[name]["score"] for name in ("ada", "bob", "cy")] == [1, 0, 0]
    assert results["bob"]["items"][0]["mistake"] == "missing_chain_factor"
    assert results["cy"]["gradable"] is False
    (json_request, _), (csv_request, csv_response) = proxy.exchanges
    assert (csv_request.headers["Accept"], csv_response.mimetype) == ("text/csv", "text/csv")
    assert json_request.get_json() == csv_request.get_json()
    table = csv_response.get_data(as_text=True)
    assert table.rstrip() in output
    rows = list(csv.DictReader(table.splitlines()))
    assert [(row["id"], row["outcome"], row["mistake"]) for row in rows] == [
        ("ada", "graded", ""), ("bob", "graded", "missing_chain_factor"), ("cy", "invalid", "")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_variant_example_draws_the_seeds_variant_and_computes_it(language, proxy, capsys):
    # seed 4242 draws a = 3, b = 4, x = 2, y = 1: z = 10^3, dz/dx = 3 * 10^2 * 3 = 900, dz/dy = 3 * 10^2 * 4 = 1200
    _, (variant, answer) = check_run(language, "variant", proxy, capsys)
    assert variant["seed"] == 4242
    assert variant["problem"]["graph"]["expression"] == "(3 * x + 4 * y) ** 3"
    assert variant["problem"]["graph"]["inputs"] == {"x": 2, "y": 1}
    assert proxy.exchanges[1][0].get_json() == variant["problem"]["graph"]
    assert (answer["value"], answer["gradients"]) == (1000, {"x": 900, "y": 1200})


@pytest.mark.parametrize("language", LANGUAGES)
def test_render_example_returns_the_pictures_bytes(language, proxy, capsys):
    if shutil.which("dot") is None:
        _missing("Graphviz's dot is not installed: `bash scripts/install-system-packages.sh` installs it")
    output, (problem,) = check_run(language, "render", proxy, capsys)
    pictures = [response for _, response in proxy.exchanges if response.status_code == 200]
    assert [picture.mimetype for picture in pictures] == ["image/svg+xml", "image/png", "text/vnd.graphviz"]
    svg, png, dot = (picture.get_data() for picture in pictures)
    assert b"1331" in svg and png.startswith(b"\x89PNG\r\n\x1a\n") and b"value 0.81" in dot
    printed = re.findall(r"^(\d+) bytes, sha256 ([0-9a-f]{64})", output, re.MULTILINE)
    assert printed == [(str(len(body)), hashlib.sha256(body).hexdigest()) for body in (svg, png, dot)]
    assert "contains 1331: true" in output and "contains the cost 0.81: true" in output
    assert "as GIF: 422 Unprocessable request" in output
    assert [error["location"] for error in problem["errors"]] == ["/format"]
