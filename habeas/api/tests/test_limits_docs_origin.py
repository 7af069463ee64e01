"""The API docs load nothing from another origin (issue 14, finding 9: /api/v1/docs pulled
Swagger UI from a CDN, telling a third party who reads our API documentation)."""

import re

import pytest


@pytest.fixture
def docs(stranger):
    response = stranger.get("/api/v1/docs")
    assert response.status_code == 200
    return response


def test_the_docs_page_uses_the_bundled_swagger_ui(docs, stranger):
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads its script and style"
    assert all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert stranger.get(asset).status_code == 200


def test_the_docs_page_is_under_the_strict_policy(docs):
    # Swagger UI's validator badge would be an image from validator.swagger.io: the policy
    # lets a browser load images only from here.
    policy = docs["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data:" in policy
    assert "script-src 'self'" in policy
