"""The front door: CI runs exactly the test command the README gives a newcomer."""

import importlib
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from benchmarks.load import access_log, summary
from benchmarks.mlp import case_data, flat_step_run
from service.config import Settings
from service.engine.mlp import FlatParameters, Network, train

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    return re.findall(r"```sh\n((?:bash scripts/install-system-packages\.sh[a-z -]*&& )?python3 -m venv .*)\n```",
                      (ROOT / "README.md").read_text(encoding="utf-8"))


def test_ci_runs_the_readme_test_command():
    start, test = readme_commands()
    assert "pytest" in test and "gunicorn" in start
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_readme_documents_every_setting():
    table = (ROOT / "README.md").read_text(encoding="utf-8").split("### Settings", 1)[1].split("\n## ", 1)[0]
    for setting in fields(Settings):
        variable = setting.metadata.get("env", setting.name.upper())
        assert f"`{variable}`" in table, f"{variable} is missing from the README's settings table"


def test_pyflakes_finds_no_undefined_or_unused_names():
    """Undefined names only fail when their line runs (a misspelt name once made every cs231n grade a
    500); ruff's pyflakes rules find them, and unused imports, without running anything."""
    checked = ["service", "schemas", "tests", "benchmarks", "clients/python", "gunicorn.conf.py"]
    found = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--no-cache", *checked],
                           cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 0, found.stdout


PROJECT_PACKAGES = {"service", "schemas", "tests", "benchmarks", "gradient_client"}


@pytest.mark.parametrize("module", sorted(path.stem for path in (ROOT / "benchmarks").glob("*.py")
                                          if path.stem != "__init__"))
def test_every_benchmark_imports(module):
    """The benchmarks run by hand, not in CI; an engine function they call that is renamed must
    still fail here. One that needs the bench extra (PyTorch, threadpoolctl) is skipped without it."""
    try:
        importlib.import_module(f"benchmarks.{module}")
    except ModuleNotFoundError as error:
        if error.name.split(".")[0] in PROJECT_PACKAGES:
            raise
        pytest.skip(f"needs {error.name}: pip install -e '.[bench]'")


def test_the_mlp_benchmarks_flat_step_computes_the_engines_step():
    """Its time stands for the engine's calls without Python around them (docs/mlp.md#performance),
    so it must compute the very same descent."""
    sizes, steps = (784, 128, 10), 3
    inputs, targets, parameters = case_data(sizes, 256)
    trained = train(Network(sizes[1:], ("relu", "linear"), "mse"), parameters, inputs, targets, 0.01, steps)
    flat = flat_step_run(steps)()
    assert not np.allclose(flat, FlatParameters(parameters).flat)  # it did descend
    np.testing.assert_allclose(flat, FlatParameters(trained.parameters).flat, rtol=0, atol=1e-12)


def test_the_load_benchmark_divides_each_round_by_the_bare_endpoints_same_round():
    """A slow round of the machine slows both sides of that round's ratio; dividing the best rounds or the
    medians of each side would not pair them. Runs are (requests/s, p50, p99, answered, errors, socket errors)."""
    runs = [(1000.0, 1.0, 2.0, 10, 0, "none"), (2000.0, 3.0, 4.0, 20, 1, "none"), (1500.0, 2.0, 9.0, 30, 0, "read 1")]
    throughput, p50, p99, answered, errors, socket_errors, (low, median, high) = summary(runs, [1250, 2500, 3000])
    assert (throughput, p50, p99, answered, errors, socket_errors) == (1500.0, 2.0, 4.0, 60, 1, "read 1")
    assert median == 0.8  # the ratios are 0.8, 0.8 and 0.5; the medians' ratio, 1500 / 2500, would say 0.6
    assert (low, high) == (pytest.approx(0.65), 0.8)  # quartiles within the rounds seen, never beyond them


def test_the_load_benchmark_reads_its_log_on_from_the_last_whole_line(tmp_path):
    log = tmp_path / "gunicorn.jsonl"
    entry = '{"logger": "gunicorn.access", "message": "POST /v1/graph 200", "path": "/v1/graph", "status": %d}\n'
    log.write_text(entry % 200 + "not json: a line from elsewhere\n" + entry % 413 + entry[:20], encoding="utf-8")
    statuses, _, end = access_log(log)
    assert statuses == {("/v1/graph", 200): 1, ("/v1/graph", 413): 1}
    with log.open("a", encoding="utf-8") as more:  # the line being written when it was read, finished
        more.write((entry % 500)[20:])
    assert access_log(log, end)[0] == {("/v1/graph", 500): 1}
