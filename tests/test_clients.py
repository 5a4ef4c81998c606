"""Each client's examples against a real gunicorn on loopback, through a recording proxy: the output is
what the README promises, what the client printed is what the service answered, and every exchange
fits the contract.

Node and a JDK are on the build machines; where one is missing its tests are skipped with the
reason, except on CI (CI=true), where that is a failure.
"""

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
        reason = f"{what} is needed to run the {language} client's examples, and " + \
                 (f"{language} {version} is too old" if version else "it is not on PATH")
        if os.environ.get("CI") == "true":
            pytest.fail(f"on CI, {reason}")
        pytest.skip(reason)
    return language


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
def test_service_example_reports_health_and_contract(language, proxy, capsys):
    output, answers = check_run(language, "service", proxy, capsys)
    assert answers == [{"status": "ok"}]
    assert output.splitlines()[-1] == "openapi: 3.1.0"
    assert [request.path for request, _ in proxy.exchanges] == ["/healthz", "/openapi.yaml"]
