"""Liveness and readiness probes for the process manager and load balancer."""

from django.db import connection
from django.http import JsonResponse

from vida.celery import app as celery_app


def healthz(request):
    return JsonResponse({"status": "ok"})


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok():
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        return False


def readyz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failing = [name for name, ok in checks.items() if not ok]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})
