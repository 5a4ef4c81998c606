"""gunicorn's settings for this service, from the same environment variables as the app (service/config.py).

    gunicorn -c gunicorn.conf.py "service:create_app()"
"""

import gc
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
# Load the app once, in the master, and fork the workers from it: a worker recycled after max_requests
# (every few seconds per worker at full load) then starts in milliseconds instead of spending a second
# of CPU importing NumPy, Pydantic and the app again, and its first requests do not wait for that.
preload_app = True
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

# prometheus_client chooses its multiprocess mode when it is first imported, which preload_app does in
# this (the master) process right after reading this file: so the directory is settled here, not in a
# hook. Workers inherit the variable. The default is in memory (/dev/shm) where there is one: every
# request writes its samples into memory-mapped files there, and on a disk-backed file system those
# writes cost a seed request about a tenth of its time (76 µs against 26 µs on tmpfs, measured under
# benchmarks/load.py's load). A deployment that sets the variable should point it at a tmpfs too.
METRICS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
metrics_directory_made = None
if METRICS_DIRECTORY not in os.environ:
    os.environ[METRICS_DIRECTORY] = metrics_directory_made = tempfile.mkdtemp(prefix="backprop-metrics-",
                                                                              dir=worker_tmp_dir)


def on_starting(server):
    """Empty the metrics directory of an earlier run's samples (a given one may hold them)."""
    directory = Path(os.environ[METRICS_DIRECTORY])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def pre_fork(server, worker):
    """Move everything the master has loaded (NumPy, Pydantic, Flask, the app) out of the garbage
    collector's reach before forking, as the gc module's documentation advises for pre-forking
    servers. Otherwise a worker's first full collection walks every one of those objects, writing to
    each memory page that holds one, and the kernel gives the worker its own copy of each such page
    instead of sharing the master's: 33 MB of private memory a worker instead of 10 MB after a few
    thousand requests (docs/operations.md#processes-gunicorn)."""
    gc.freeze()


def child_exit(server, worker):
    from prometheus_client import multiprocess  # here, not at the top: after the directory is settled

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if metrics_directory_made:
        shutil.rmtree(metrics_directory_made, ignore_errors=True)
