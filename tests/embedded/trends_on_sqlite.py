"""Run by tests/test_embedded_default.py in a process of its own, on make run's embedded default.

SQLite and the filesystem broker, the demo data, then the history page, the
trends API and the visit-ready report as the demo patient. Prints one JSON line of what it saw.
"""

import json

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)
call_command("seed_demo", verbosity=0)
client = Client()
# Through the login page: django-axes counts sign-ins in the embedded database cache.
signed_in = client.post("/accounts/login/", {"username": "demo.patient", "password": "vida-demo-patient"})
assert signed_in.status_code == 302, signed_in.status_code
statuses = {
    path: client.get(path).status_code
    for path in (
        "/today/",
        "/history/",
        "/history/?days=7",
        "/history/?days=365",
        "/api/v1/trends/?days=365",
        "/api/v1/me/report/?days=30",  # the visit-ready PDF
    )
}
trends = client.get("/api/v1/trends/").json()
print(
    json.dumps(
        {
            "engine": django.db.connection.vendor,
            "statuses": statuses,
            "leading_region": trends["leading_region"]["label"],
            "series_days": len(trends["series"]),
            "summary": trends["summary"],
        }
    )
)
