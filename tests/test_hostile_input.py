"""Property-based: hostile values in every form field and query parameter never cause a 500,
are stored exactly as validated, and come back escaped."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Declaration, Employee, Notice
from intranet.vietnamese import normalize

from .conftest import (
    ON_POSTGRES, PG_TEMPLATE, DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, csrf_token, make_app, signed_in_client,
    sync_demo_directory,
)
from .support.pg_server import FreshDatabase
from .support.forms import notice_form

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE declaration; --",
    "1 OR 1=1",
    "*)(uid=*))(|(uid=*",
    "\\2a\\00",
    "a\x00b",
    "=HYPERLINK(\"http://x\")",
    "Nguye\u0302\u0303n",  # decomposed Vietnamese
    "\u202eRTL",
    "99/99/9999",
    "31/02/2024",
    "-1",
    "1e309",
    "\r\nSet-Cookie: x=y",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(min_size=1000, max_size=3000, alphabet="aĐ<>&\"'"),
)
SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """One app for all the examples of this module (Hypothesis reruns a test many times)."""
    database: dict[str, str] = {}
    fresh = None
    if ON_POSTGRES:
        fresh = FreshDatabase(request.getfixturevalue("postgres"), template=PG_TEMPLATE)
        database["SQLALCHEMY_DATABASE_URI"] = fresh.url()
    app = make_app(Path(tmp_path_factory.mktemp("hostile")), LOGIN_LIMIT_PER_ADDRESS="100000 per minute",
                   LOGIN_LIMIT_PER_USERNAME="100000 per minute", **database)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    sync_demo_directory(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    if fresh is not None:
        fresh.drop()


@pytest.fixture(scope="module")
def clients(app: Flask) -> dict[str, FlaskClient]:
    return {role: signed_in_client(app, user) for role, user in
            (("employee", DEMO_EMPLOYEE), ("head", DEMO_HEAD), ("admin", DEMO_ADMIN))}


def assert_safe(response, value: str) -> None:
    assert response.status_code < 500, response.status_code
    body = response.get_data(as_text=True)
    if "<" in value and len(value) < 200:
        assert value not in body or value.replace("<", "&lt;") in body  # shown only escaped
    assert "Traceback" not in body


@SETTINGS
@given(username=hostile_text, password=hostile_text)
def test_login_form(app: Flask, username: str, password: str) -> None:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)})
    assert response.status_code in (401, 422)
    assert_safe(response, username)


@SETTINGS
@given(status=st.one_of(st.sampled_from(["level1", "level2_active", "none"]), hostile_text),
       activated_on=hostile_text, note=hostile_text, committed=st.sampled_from(["", "y", "<x>"]))
def test_declaration_form(app: Flask, clients, status: str, activated_on: str, note: str, committed: str) -> None:
    client = clients["employee"]
    with app.app_context():
        before = db.session.scalar(select(Declaration.id).order_by(Declaration.id.desc()).limit(1))
    data = {"status": status, "activated_on": activated_on, "note": note, "committed": committed,
            "csrf_token": csrf_token(client, "/declaration")}
    response = client.post("/declaration", data=data)
    assert response.status_code in (302, 400, 422)
    assert_safe(response, note)
    with app.app_context():
        latest = db.session.scalar(select(Declaration).order_by(Declaration.id.desc()).limit(1))
        if response.status_code == 302:
            assert latest.status == status
            assert latest.note == (normalize(note) if note.strip() else None)
            assert latest.note is None or unicodedata.is_normalized("NFC", latest.note)
        else:
            assert (latest.id if latest else None) == before  # nothing written


@SETTINGS
@given(reference=hostile_text, dossier=hostile_text, date_text=hostile_text, note=hostile_text)
def test_notice_form(app: Flask, clients, reference: str, dossier: str, date_text: str, note: str) -> None:
    client = clients["head"]
    data = notice_form(app, reference_number=reference, note=note, notice_date=date_text,
                       cases=[{"procedure_name": reference, "dossier_code": dossier, "filed_on": date_text,
                               "receiving_officer": note, "procedure_code": ""}])
    with app.app_context():
        before = db.session.scalar(select(Notice.id).order_by(Notice.id.desc()).limit(1))
    response = client.post("/notices/new", data={**data, "csrf_token": csrf_token(client, "/")})
    assert response.status_code in (302, 400, 422)
    assert_safe(response, reference)
    with app.app_context():
        latest = db.session.scalar(select(Notice).order_by(Notice.id.desc()).limit(1))
        if response.status_code == 302:
            assert latest.reference_number == normalize(reference)
            assert latest.cases[0].dossier_code == normalize(dossier)
        else:
            assert (latest.id if latest else None) == before


@SETTINGS
@given(value=hostile_text)
def test_query_parameters(clients, value: str) -> None:
    with_value = {"month": value, "status": value, "filter": value, "unit": value, "page": value,
                  "action": value, "actor": value, "since": value, "employee": value, "notice": value}
    for role, paths in (
        ("head", ["/unit", "/notices", "/notices/new", "/appraisals/new"]),
        ("admin", ["/admin/audit", "/notices", "/"]),
        ("employee", ["/", "/declaration"]),
    ):
        for path in paths:
            response = clients[role].get(path, query_string=with_value)
            assert_safe(response, value)


@SETTINGS
@given(name=hostile_text)
def test_issuing_body_form(app: Flask, clients, name: str) -> None:
    client = clients["admin"]
    response = client.post("/admin/issuing-bodies",
                           data={"name": name, "csrf_token": csrf_token(client, "/admin/issuing-bodies")})
    assert response.status_code in (302, 400, 422)
    assert_safe(response, name)


@SETTINGS
@given(path_value=st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), hostile_text))
def test_ids_in_urls(clients, path_value: str) -> None:
    for template in ("/notices/{}", "/appraisals/{}", "/staff/{}", "/unit/{}", "/notices/{}/correct"):
        response = clients["head"].get(template.format(path_value.replace("/", "%2F").replace("?", "%3F")))
        assert response.status_code in (403, 404, 405, 308, 200), (template, path_value)


def test_names_from_the_directory_are_escaped(app: Flask, clients) -> None:
    with app.app_context():
        person = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        person.set_full_name("<b>Kẻ Xấu</b>")
        db.session.commit()
    page = clients["head"].get("/unit").get_data(as_text=True)
    assert "<b>Kẻ Xấu</b>" not in page and "&lt;b&gt;Kẻ Xấu&lt;/b&gt;" in page
