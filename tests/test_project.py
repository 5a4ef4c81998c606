"""The front door: CI runs exactly the test command the README gives a newcomer."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    return re.findall(r"```sh\n((?:bash scripts/install-system-packages\.sh && )?python3 -m venv .*)\n```",
                      (ROOT / "README.md").read_text(encoding="utf-8"))


def test_ci_runs_the_readme_test_command():
    start, test = readme_commands()
    assert "pytest" in test and "gunicorn" in start
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
