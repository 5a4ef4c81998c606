"""The front door: CI runs exactly the test command the README gives a newcomer."""

import importlib
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from benchmarks.mlp import case_data, flat_step_run
from service.config import Settings
from service.engine.mlp import Network, train

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
    def flat_vector(pairs):
        return np.concatenate([np.column_stack(pair).ravel() for pair in pairs])

    sizes, steps = (784, 128, 10), 3
    inputs, targets, parameters = case_data(sizes, 256)
    trained = train(Network(sizes[1:], ("relu", "linear"), "mse"), parameters, inputs, targets, 0.01, steps)
    flat = flat_step_run(steps)()
    assert not np.allclose(flat, flat_vector(parameters))  # it did descend
    np.testing.assert_allclose(flat, flat_vector(trained.parameters), rtol=0, atol=1e-12)
