import pytest
from django.core.management import call_command


def test_openapi_schema_is_valid_and_warning_free(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in [
        "/api/v1/checkins/",
        "/api/v1/checkins/{day}/",
        "/api/v1/flares/",
        "/api/v1/me/",
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
    ]:
        assert f"{path}:" in text


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in docs and "unpkg.com" not in docs
