from django.urls import reverse

# (label, URL name) of a patient's main sections, in the order the nav shows them.
PATIENT_SECTIONS = [
    ("Today", "today"),
    ("Flares", "flares"),
    ("History", "history"),
    ("Stretches", "stretches:library"),
    ("Screening", "screening"),
]
CLINICIAN_SECTIONS = [("Clinic", "clinic")]


def navigation(request):
    """The main nav for the signed-in person, with the current section marked.

    A section is current on its own page ("page") and on the pages below it
    ("true"), so a stretch's player or a screening result still highlights it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    sections = PATIENT_SECTIONS if user.is_patient else CLINICIAN_SECTIONS if user.is_clinician else []
    items = [(label, reverse(name)) for label, name in sections] + [("Settings", reverse("settings"))]
    return {
        "nav_items": [
            {"label": label, "url": url, "current": _current(request.path, url)} for label, url in items
        ]
    }


def _current(path, url):
    if path == url:
        return "page"
    return "true" if path.startswith(url) else ""
