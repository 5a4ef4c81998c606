"""What can be checked of the deployment without a Docker engine or a cluster: the Dockerfile (linted
by hadolint, and what hadolint does not check), one gunicorn command everywhere, gunicorn's settings,
and the Kubernetes manifests against the Kubernetes schemas (offline, with kubernetes-validate)."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.servers import GUNICORN_COMMAND

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
HADOLINT = Path(sys.executable).with_name("hadolint")
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
KUBERNETES_VERSION = "1.33"


def hadolint(path):
    """hadolint's findings at every level (error, warning, info and style), as JSON."""
    run = subprocess.run([HADOLINT, "--format", "json", "--failure-threshold", "style", path],
                         capture_output=True, text=True, check=False)
    return json.loads(run.stdout)


def final_stage(path=DOCKERFILE):
    """The instructions of the last stage, backslash continuations joined, as (INSTRUCTION, arguments)."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    stages = re.split(r"^FROM ", text, flags=re.MULTILINE)
    lines = ("FROM " + stages[-1]).splitlines()
    return [tuple(line.split(None, 1)) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def instruction(name):
    found = [arguments for keyword, arguments in final_stage() if keyword == name]
    assert len(found) == 1, f"the final stage should have one {name}, not {len(found)}"
    return found[0]


def test_hadolint_finds_nothing_in_the_dockerfile():
    assert hadolint(DOCKERFILE) == []


def test_hadolint_does_report_what_it_should(tmp_path):
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:3.11-slim\nRUN apt-get update && apt-get install -y graphviz\n")
    assert {finding["code"] for finding in hadolint(careless)} >= {"DL3008", "DL3015"}


def test_the_image_is_multi_stage_and_runs_as_a_non_root_user():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", text, flags=re.MULTILINE)) >= 2
    assert "COPY --from=build" in text
    user = instruction("USER").split(":")[0]
    assert user not in ("root", "0") and int(user) >= 1000


def test_the_image_checks_its_health_on_healthz():
    healthcheck = instruction("HEALTHCHECK")
    assert " CMD [" in healthcheck and "/healthz" in healthcheck


def test_the_image_installs_graphviz_dot_in_the_final_stage():
    assert any(keyword == "RUN" and "--no-install-recommends graphviz=" in arguments for keyword, arguments in final_stage())


def readme_start_command():
    block = re.search(r"## Run it.*?```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    return shlex.split(block.group(1).split("&&")[-1])


def test_dockerfile_readme_and_tests_start_the_same_gunicorn_command():
    dockerfile = json.loads(instruction("CMD"))
    readme = readme_start_command()
    assert readme[0] == ".venv/bin/gunicorn"
    assert dockerfile == [Path(readme[0]).name, *readme[1:]] == GUNICORN_COMMAND


def gunicorn_settings(environment):
    """gunicorn.conf.py's module-level names, as gunicorn reads them, under `environment`."""
    script = ("import json, os, runpy; names = runpy.run_path('gunicorn.conf.py'); "
              "print(json.dumps({**{k: v for k, v in names.items() if isinstance(v, (int, str)) and k[0] != '_'}, "
              "'environ': dict(os.environ)}))")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={key: value for key, value in {**os.environ, **environment}.items() if value is not None})
    settings = json.loads(run.stdout)
    if settings.get("metrics_directory_made"):  # made for the run that gunicorn did not go on to start
        os.rmdir(settings["metrics_directory_made"])
    return settings


def test_gunicorn_settings_come_from_the_environment():
    settings = gunicorn_settings({"WEB_CONCURRENCY": "3", "PORT": "9123", "HOST": "127.0.0.1", "TIMEOUT": "45",
                                  "LOG_LEVEL": "warning"})
    assert (settings["workers"], settings["bind"], settings["timeout"], settings["loglevel"]) == \
        (3, "127.0.0.1:9123", 45, "warning")
    assert settings["worker_class"] == "sync" and settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0
    assert settings["preload_app"] is True  # a recycled worker is forked from the loaded app, not booted anew
    assert settings["graceful_timeout"] > 0


def test_gunicorn_defaults_to_one_worker_per_usable_cpu_and_one_blas_thread_each():
    settings = gunicorn_settings({"WEB_CONCURRENCY": None})
    assert settings["workers"] == len(os.sched_getaffinity(0))
    assert settings["bind"] == "0.0.0.0:8000"
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        assert settings["environ"][variable] == "1"


def test_gunicorn_respects_a_narrower_cpu_set(tmp_path):
    run = subprocess.run(["taskset", "-c", "0", sys.executable, "-c",
                          "import runpy; print(runpy.run_path('gunicorn.conf.py')['workers'])"],
                         cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**{key: value for key, value in os.environ.items() if key != "WEB_CONCURRENCY"},
                              "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    assert run.stdout.strip() == "1"


def test_workers_are_forked_with_the_loaded_app_out_of_the_collectors_reach(tmp_path):
    """Otherwise each worker's first full collection copies the pages it shared with the master."""
    script = ("import gc, runpy; hooks = runpy.run_path('gunicorn.conf.py'); import service; "
              "hooks['pre_fork'](None, None); print(gc.get_freeze_count())")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    assert int(run.stdout) > 10_000  # NumPy, Pydantic, Flask and the app: about 100,000 objects


def manifests():
    return {document["kind"]: document for path in MANIFESTS
            for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document}


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: path.name)
def test_kubernetes_manifests_are_valid_against_the_kubernetes_schemas(path):
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_kubernetes_validation_does_catch_mistakes():
    deployment = manifests()["Deployment"]
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["prot"] = 8000
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_the_deployment_is_probed_limited_and_locked_down():
    found = manifests()
    pod = found["Deployment"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    limits, requests = container["resources"]["limits"], container["resources"]["requests"]
    assert {"cpu", "memory"} <= limits.keys() and {"cpu", "memory"} <= requests.keys()
    environment = {variable["name"]: variable["value"] for variable in container["env"]}
    assert environment["WEB_CONCURRENCY"] == limits["cpu"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert environment["PROMETHEUS_MULTIPROC_DIR"].startswith(
        next(mount["mountPath"] for mount in container["volumeMounts"]))


def test_the_service_hpa_and_pdb_point_at_the_deployment():
    found = manifests()
    labels = found["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert found["Service"]["spec"]["selector"].items() <= labels.items()
    assert found["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    target = found["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", found["Deployment"]["metadata"]["name"])
    assert found["HorizontalPodAutoscaler"]["spec"]["metrics"][0]["resource"]["name"] == "cpu"


def test_the_image_can_run_the_offline_grader():
    """PrairieLearn runs `backprop-grade` in the service's image: the build installs the project into
    the virtualenv the final stage puts on PATH, and the project declares the command."""
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["backprop-grade"] == "service.grading.offline:main"
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "/venv/bin/pip install --no-cache-dir ." in text and "PATH=/venv/bin:$PATH" in text
