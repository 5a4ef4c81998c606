"""gunicorn's settings for this service, from the same environment variables as the app (service/config.py).

    gunicorn -c gunicorn.conf.py "service:create_app()"
"""

import os
import shutil
import tempfile
from pathlib import Path

from service.config import Settings

settings = Settings.from_environment()

# One single-threaded BLAS/OpenMP per worker: the workers already use every CPU, and more threads
# per worker would only make them fight over the same cores. Set before any worker imports NumPy.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[variable] = "1"

bind = f"{settings.host}:{settings.port}"
workers = settings.workers
worker_class = "sync"  # the engine is CPU-bound: one request per process at a time
timeout = settings.timeout  # a worker silent for longer is killed and replaced
graceful_timeout = 30  # on SIGTERM, requests in flight get this long to finish
max_requests = 10_000  # recycle a worker after this many requests (plus jitter, so not all at once)
max_requests_jitter = 1_000
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeats off the (maybe read-only) disk
control_socket_disable = True  # no runtime control socket in $HOME: the orchestrator manages the processes

loglevel = settings.log_level
logger_class = "service.logs.AccessLogger"
logconfig_dict = {
    "root": {"level": loglevel.upper(), "handlers": ["json"]},
    "loggers": {name: {"level": loglevel.upper(), "handlers": ["json"], "propagate": False}
                for name in ("gunicorn.error", "gunicorn.access")},
    "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "formatters": {"json": {"()": "service.logs.JsonFormatter"}},
}

METRICS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


def on_starting(server):
    """Give the workers an empty directory for their metrics: a given one is emptied of an earlier
    run's samples, or a fresh one is made (and removed on exit). Workers inherit the variable."""
    if METRICS_DIRECTORY in os.environ:
        directory = Path(os.environ[METRICS_DIRECTORY])
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    else:
        os.environ[METRICS_DIRECTORY] = server.metrics_directory_made = tempfile.mkdtemp(prefix="backprop-metrics-")


def child_exit(server, worker):
    from prometheus_client import multiprocess  # not at the top: it must be imported after the variable is set

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if hasattr(server, "metrics_directory_made"):
        shutil.rmtree(server.metrics_directory_made, ignore_errors=True)
