"""Helpers for server-rendered forms that validate through the API's serializers.

The pages post the same field names as the API and are checked by the same
serializer, so a rule never has two versions.
"""


def form_values(post, fields):
    """The non-empty submitted values among ``fields``, as a plain dict.

    A plain dict (not the QueryDict) makes DRF treat an unanswered optional
    field as absent rather than as an HTML checkbox left off.
    """
    return {name: post[name] for name in fields if post.get(name, "") != ""}


def first_errors(errors):
    """``{field: "first message"}`` from a DRF error dict, for showing beside inputs."""
    flat = {}
    for field, messages in errors.items():
        if isinstance(messages, (list, tuple)) and messages:
            flat[field] = str(messages[0])
        elif messages:
            flat[field] = str(messages)
    return flat


def error_summary(errors, labels):
    """``[(field, "Label: message")]`` for the summary at the top of a form."""
    return [(field, f"{labels.get(field, field)}: {message}") for field, message in errors.items()]


def scale_options(current):
    """The 0-10 radio options for templates/_pain_scale.html, with ``current`` checked."""
    current = "" if current is None else str(current)
    return [{"value": n, "checked": str(n) == current} for n in range(11)]
