"""The OpenAPI schema at a stable URL, valid, and the docs page that renders it under the CSP."""

from __future__ import annotations

import re

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3_and_names_every_endpoint(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/organisations/",
        "/api/v1/strategies/",
        "/api/v1/strategies/{slug}/",
        "/api/v1/plans/",
        "/api/v1/plans/{id}/",
        "/api/v1/plan-items/{id}/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/values/",
        "/api/v1/indicators/{id}/targets/",
        "/api/v1/maturity-models/",
        "/api/v1/maturity-models/{id}/heatmap/",
        "/api/v1/reports/",
        "/api/v1/reports/{id}/download/",
    }
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token from the profile page.",
    }
    patch = schema["paths"]["/api/v1/plan-items/{id}/"]["patch"]
    assert {"200", "400", "403", "409"} <= set(patch["responses"])


def test_schema_as_json_too(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Suunta API"


def test_docs_page_loads_swagger_from_files_not_inline_scripts(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes and not body.strip(), attributes
    assert "unsafe-inline" not in response.get("Content-Security-Policy", "")
    # Nothing from another host (a CDN): every script and stylesheet comes
    # from this server. (Not a search for "cdn" in the page: the CSP nonce is
    # random text and once held those letters.)
    sources = re.findall(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']*)["']""", html)
    assert sources and all(source.startswith("/") and not source.startswith("//") for source in sources), sources
