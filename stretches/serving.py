"""Sending stretch media to browsers: whole, or the byte range a player asks for.

Video players seek by asking for byte ranges (``Range: bytes=a-b``) and expect
``206 Partial Content``. Django streams the file from storage a block at a
time, so a long video never sits in memory; in production the view can hand
the transfer to nginx instead (``VIDA_MEDIA_ACCEL_REDIRECT``, see the README).
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import http_date, quote_etag

# ASCII digits only: \d would also accept other scripts' digits, which int() reads.
RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")
BLOCK_SIZE = 64 * 1024
# More digits than any file size has: read as "past the end" rather than by int(),
# which refuses strings over 4,300 digits (and would spend time on long ones).
MAX_DIGITS = 18
BEYOND_ANY_FILE = 10**MAX_DIGITS


class Unsatisfiable(Exception):
    """A Range header we cannot answer: malformed, or past the end of the file."""


def parse_range(header, size):
    """The inclusive ``(first, last)`` byte positions a Range header asks for.

    None when the whole file should be sent: no header, or several ranges (a
    server may ignore Range, RFC 9110 section 14.2, and players never ask for
    several). Raises Unsatisfiable for a malformed header, a range that starts
    at or past the end, or an empty suffix; the caller answers 416.
    """
    if header is None:
        return None
    unit, equals, range_set = header.strip().partition("=")
    if unit.lower() != "bytes" or not equals:
        raise Unsatisfiable(header)
    specs = [RANGE_SPEC.fullmatch(part.strip()) for part in range_set.split(",")]
    if not all(specs) or any(spec.groups() == ("", "") for spec in specs):
        raise Unsatisfiable(header)
    if len(specs) > 1:
        return None
    first, last = specs[0].groups()
    if first == "":  # bytes=-n: the last n bytes
        suffix = _position(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable(header)
        return max(0, size - suffix), size - 1
    first = _position(first)
    last = size - 1 if last == "" else _position(last)
    if last < first or first >= size:
        raise Unsatisfiable(header)
    return first, min(last, size - 1)


def _position(digits):
    """A byte position from its ASCII digits, however many there are."""
    stripped = digits.lstrip("0") or "0"
    return BEYOND_ANY_FILE if len(stripped) > MAX_DIGITS else int(stripped)


class FileSlice:
    """A read-only view of ``length`` bytes of a file from ``start``, for a 206 body.

    FileResponse (and gunicorn or wsgiref behind it) read it block by block.
    It deliberately has no ``fileno``: gunicorn would otherwise sendfile from
    the current offset to the end of the file, past the slice.
    """

    def __init__(self, file, start, length):
        self.file = file
        self.file.seek(start)
        self.remaining = length

    def read(self, size=-1):
        if self.remaining <= 0:
            return b""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        data = self.file.read(size)
        self.remaining -= len(data)
        return data

    def close(self):
        self.file.close()


def validators_for(field_file):
    """ETag and Last-Modified of a stored file, from its size and modification time."""
    storage = field_file.storage
    modified = storage.get_modified_time(field_file.name)
    size = storage.size(field_file.name)
    etag = quote_etag(f"{size:x}-{int(modified.timestamp() * 1_000_000):x}")
    return size, etag, http_date(modified.timestamp())


def range_still_valid(request, etag, last_modified):
    """If-Range: send the range only if the file is still the one the client started on."""
    condition = request.headers.get("If-Range")
    return condition is None or condition.strip() in (etag, last_modified)


def file_response(request, field_file, content_type):
    """200, 206 or 416 for a stored file, streamed; HEAD gets the same headers."""
    response = _file_response(request, field_file, content_type)
    # Keeps its own Cache-Control (players re-read what they seek in), unlike pages (vida/middleware.py).
    response.vida_cacheable = True
    return response


def _file_response(request, field_file, content_type):
    try:
        size, etag, last_modified = validators_for(field_file)
    except FileNotFoundError:
        # The row names a file storage does not have (a restore without media?).
        raise Http404("This file is missing.") from None
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": last_modified,
        # Personal to the signed-in person: browsers may keep it, shared caches may not.
        "Cache-Control": "private, max-age=3600",
    }
    byte_range = None
    if range_still_valid(request, etag, last_modified):
        try:
            byte_range = parse_range(request.headers.get("Range"), size)
        except Unsatisfiable:
            response = HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
            return response

    accel_prefix = getattr(settings, "VIDA_MEDIA_ACCEL_REDIRECT", "")
    if accel_prefix:
        # nginx serves the bytes (and the Range) from its internal location;
        # this view has already decided the person may have them.
        response = HttpResponse(content_type=content_type, headers=headers)
        response["X-Accel-Redirect"] = quote(accel_prefix.rstrip("/") + "/" + field_file.name)
        return response

    file = field_file.storage.open(field_file.name, "rb")
    if byte_range is None:
        response = FileResponse(file, content_type=content_type, headers=headers)
        response["Content-Length"] = str(size)
        return response
    first, last = byte_range
    length = last - first + 1
    response = FileResponse(
        FileSlice(file, first, length), status=206, content_type=content_type, headers=headers
    )
    response.block_size = BLOCK_SIZE
    response["Content-Length"] = str(length)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
