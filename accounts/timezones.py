"""IANA time zones: the set a patient may choose from, validated in one place."""

import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def timezone_names():
    # "localtime" and "Factory" ship with tzdata but name no real place.
    return tuple(sorted(n for n in zoneinfo.available_timezones() if n not in {"localtime", "Factory"}))


def validate_timezone(value):
    if value not in timezone_names():
        raise ValidationError(
            "%(value)s is not a known time zone; use an IANA name such as Europe/London.",
            code="invalid_timezone",
            params={"value": value},
        )
