"""The one Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vida.settings")

app = Celery("vida")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
