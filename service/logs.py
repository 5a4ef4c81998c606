"""Logs as JSON, one object a line, each with the id of the request it is about.

gunicorn.conf.py installs `JsonFormatter` for every logger and `AccessLogger` for gunicorn's access
log, which is written after the app has answered, so it reads the id from the response's header.
"""

import logging
from datetime import datetime, timezone

import orjson
from gunicorn.glogging import Logger

from service import request_ids


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        request_id = getattr(record, "request_id", None) or request_ids.current()
        if request_id:
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class AccessLogger(Logger):
    """gunicorn's logger, with one JSON access-log entry a request."""

    def access(self, resp, req, environ, request_time):
        status = int(str(resp.status).split(None, 1)[0])
        request_id = next((value for name, value in resp.headers if name.lower() == request_ids.HEADER.lower()), None)
        fields = {"method": environ.get("REQUEST_METHOD"), "path": environ.get("PATH_INFO"),
                  "query": environ.get("QUERY_STRING") or None, "status": status, "bytes": getattr(resp, "sent", None),
                  "duration_ms": round(request_time.total_seconds() * 1000, 3),
                  "remote_addr": environ.get("REMOTE_ADDR"), "user_agent": environ.get("HTTP_USER_AGENT")}
        self.access_log.info("%s %s %s", fields["method"], fields["path"], status,
                             extra={"request_id": request_id, "fields": fields})
