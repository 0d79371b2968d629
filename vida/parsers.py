"""The API's JSON parser: DRF's, with limits that keep odd bodies from reaching a 500.

- Nesting: the standard library parses nested arrays and objects recursively, so
  ``[[[[...]]]]`` twenty thousand deep ends in a RecursionError. No request of
  the API nests more than a few levels; anything deeper than ``MAX_DEPTH`` is a 400.
- Text: JSON may carry ``"\\ud800"``, a lone UTF-16 surrogate, which is no
  character at all: it cannot be stored in PostgreSQL, nor written back in an
  error body as UTF-8. A body holding one, in a value or a key, is a 400.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        check_body(data)
        return data


NOT_UNICODE = "Text must be valid Unicode (a lone surrogate such as \\ud800 is not)."


def check_body(data):
    """Raise ParseError if ``data`` nests deeper than MAX_DEPTH or holds text that is not valid Unicode.

    Walks the parsed body with a stack (no recursion); a check-in's flat body
    costs a few microseconds. Bad text is reported in DRF's field-error shape,
    under the top-level field it was found in.
    """
    if isinstance(data, dict):
        for key, value in data.items():
            if not _valid_text(key):
                raise ParseError({"non_field_errors": [NOT_UNICODE]})
            _check_value(value, field=key)
    else:
        _check_value(data, field="non_field_errors")


def _check_value(data, field):
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if not _valid_text(value):
                raise ParseError({field: [NOT_UNICODE]})
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and not _valid_text(key):
                    raise ParseError({field: [NOT_UNICODE]})
                if isinstance(item, str | dict | list):
                    pending.append((item, depth + 1))


def _valid_text(text):
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
