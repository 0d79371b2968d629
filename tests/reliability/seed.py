"""Run in a process of its own against the load test's database: N patients with API tokens, as JSON."""

import json
import sys

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.common import make_api_tokens  # noqa: E402

count = int(sys.argv[1])
unusable = make_password(None)
users = User.objects.bulk_create(
    [
        User(username=f"load-{n:04d}", role=User.Role.PATIENT, timezone="UTC", password=unusable)
        for n in range(count)
    ]
)
print(json.dumps([{"id": user.pk, "token": token} for user, token in zip(users, make_api_tokens(users))]))
