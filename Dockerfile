# syntax=docker/dockerfile:1
# Build stage: the project and its dependencies into a virtualenv; compilers, if a wheel ever needs one, stay here.
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir .

# Final stage: the virtualenv, Graphviz's `dot` (for rendering graphs) and a non-root user; nothing else.
FROM python:3.11-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz=2.42.2-7+deb12u1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin service
COPY --from=build /venv /venv
WORKDIR /app
COPY gunicorn.conf.py ./
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8000
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=2)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "service:create_app()"]
