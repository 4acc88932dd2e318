"""Every route of the app, walked as each kind of user, answers with the expected status.

The route list (tests/support/access_matrix.py) is checked against the app's URL map: a new
route without a line in ROUTES fails `test_every_route_has_a_rule`.
"""
from __future__ import annotations

import pytest
from flask import Flask

from .conftest import csrf_token
from .support.access_matrix import LOGIN, ROLES, ROUTES, build_world, client_for


@pytest.fixture
def world(synced_app: Flask) -> tuple[Flask, dict[str, int]]:
    return build_world(synced_app)


def test_every_route_has_a_rule(synced_app: Flask) -> None:
    endpoints = {rule.endpoint for rule in synced_app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), "add the new route to ROUTES with its expected statuses"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_everywhere(world: tuple[Flask, dict[str, int]], role: str) -> None:
    app, ids = world
    results = {}
    for endpoint, (method, url, expected) in ROUTES.items():
        client = client_for(app, role)  # a fresh session each time: logout must not end the walk
        if method == "GET":
            response = client.get(url(ids))
        else:
            token = csrf_token(client, "/login" if role == "anonymous" else "/")
            response = client.post(url(ids), data={"csrf_token": token})
        to_login = response.status_code == 302 and response.headers["Location"].startswith("/login")
        results[endpoint] = LOGIN if to_login else response.status_code
    assert results == {endpoint: expected[role] for endpoint, (_, _, expected) in ROUTES.items()}
