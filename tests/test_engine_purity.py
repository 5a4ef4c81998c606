"""The engine is a NumPy-only library: no Flask, no Pydantic, importable on its own."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "service" / "engine"


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module


def test_engine_modules_import_numpy_and_the_standard_library_only():
    for path in ENGINE.glob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top == "numpy" or top in sys.stdlib_module_names or module.startswith("service.engine"), \
                f"{path.name} imports {module}"


def test_the_engine_imports_without_the_web_stack():
    check = "import sys, service.engine; assert not {'flask', 'pydantic', 'werkzeug'} & set(sys.modules)"
    subprocess.run([sys.executable, "-c", check], check=True, cwd=ENGINE.parent.parent)
