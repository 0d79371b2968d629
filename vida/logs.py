"""Structured logs: one JSON object per line, each with the request id, and no personal or health data.

- ``RequestLogMiddleware`` gives every request an id (sent back as
  ``X-Request-ID``) and logs one line when it is answered: method, the URL
  pattern (``api/v1/checkins/<isodate:day>/``, never the path with its values
  or the query string), status and duration.
- ``RequestIdFilter`` puts that id on every record logged while the request
  runs, whichever logger wrote it.
- ``JsonFormatter`` writes the record's own fields and the ``extra`` ones,
  leaving out the request object Django attaches to its error records (its
  text holds the query string).

Nothing logs bodies, names, email addresses or client addresses; security
events name accounts by public id or keyed hash (security/events.py).
"""

import contextvars
import logging
import time
import uuid

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id = contextvars.ContextVar("request_id", default=None)
access_log = logging.getLogger("vida.request")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time", "taskName"])
        super().__init__(*args, **kwargs)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            if access_log.isEnabledFor(logging.INFO):
                match = getattr(request, "resolver_match", None)
                access_log.info(
                    "request",
                    extra={
                        "method": request.method,
                        "route": match.route if match else None,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            request_id.reset(token)
