import pytest

from vida.celery import app as celery_app


def test_healthz_answers_without_touching_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_with_the_real_database_and_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "broker": True}


@pytest.mark.django_db
def test_readyz_names_the_broker_when_it_is_unreachable(client, monkeypatch):
    # Port 1 on loopback refuses connections: a real broker connection that fails.
    real = celery_app.connection_for_write
    monkeypatch.setattr(celery_app, "connection_for_write", lambda: real(url="redis://127.0.0.1:1/0"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_unreachable(client, monkeypatch):
    from django.db import OperationalError, connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "database" in response.json()["failing"]
