"""Every route of the URL map, as every role, sent every hostile shape the security review
used: line breaks (CR/LF and Unicode separators), NUL, 100 KB strings, file parts, repeated,
missing and empty fields, extreme and malformed dates, months and ids, JSON bodies. No answer
is a 5xx, and a request that is refused (or only re-shows its form) writes nothing.

The routes and their URLs come from the access matrix (tests/support/access_matrix.py, whose
test fails when a route is missing from it); the fields a POST takes come from the forms the pages render, the query parameters
a GET reads from recording what the view asks for. So a new route or field is attacked too.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from intranet.clock import local_today
from intranet.extensions import db

from .conftest import DEMO_EMPLOYEE, DEMO_PASSWORD, csrf_token
from .support.access_matrix import ROLES, ROUTES, build_world, client_for

# Each value shape, sent in place of one field at a time: these to every field (line breaks
# after a "/", so that a "next" parameter takes them for a path),
LINE_BREAKS = "/x\r\nX-Injected: 1\u2028y\u2029z\x85\x0b\x0c"
EVERY_FIELD: dict[str, str] = {
    "line breaks": LINE_BREAKS,
    "NUL": "x\x00y",
    "100 KB": "Đ" + "x" * 100_000,
    "empty": "",
}
# and these to the fields whose value is a date, a month, an id or a choice (and to every
# query parameter), since they are the ones parsed.
PARSED: dict[str, str] = {
    "date 31/12/9999": "31/12/9999",
    "date 01/01/0001": "01/01/0001",
    "date 32/13/2024": "32/13/2024",
    "date 29/02/2023": "29/02/2023",
    "month 9999-12": "9999-12",
    "month 0000-01": "0000-01",
    "month 2024-13": "2024-13",
    "id 0": "0",
    "id -1": "-1",
    "id 2**31": str(2**31),
    "id 2**63": str(2**63),
    "id ٣": "٣",
    "id 1e3": "1e3",
}
# Values a form needs to get past its first check, where a page cannot suggest them.
KNOWN = {"username": DEMO_EMPLOYEE, "password": DEMO_PASSWORD}
# Shapes of the request rather than of a value.
FILE, REPEATED, MISSING = "file part", "repeated", "missing"  # and odd row numbers in lists
PATH_IDS = ("0", "-1", str(2**31), str(2**63), "٣", "1e3", "%00", "%0D%0AX", "%E2%80%A8")
ERROR_STATUSES = range(500, 600)


# --- what each route reads ---------------------------------------------------------------

READ_ARGS: set[str] = set()


class RecordingArgs(ImmutableMultiDict):
    """request.args that notes each parameter name a view asks for."""

    def __getitem__(self, key):
        READ_ARGS.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        READ_ARGS.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        READ_ARGS.add(key)
        return super().getlist(key, type)

    def __contains__(self, key) -> bool:
        READ_ARGS.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    @cached_property
    def args(self) -> RecordingArgs:
        return RecordingArgs(super().args)


@dataclass
class FormSpec:
    """A POST form found on a page: its fields and a value that would pass for each."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    # Fields the app parses (choices, dates, hidden values) rather than keeps as typed text.
    parsed: set[str] = field(default_factory=set)
    # The form's other buttons ("Thêm một hồ sơ"), each a request of its own.
    other_buttons: list[tuple[str, str]] = field(default_factory=list)


class Forms(HTMLParser):
    """The POST forms of a page, by the path they post to."""

    def __init__(self, page_path: str, sample_date: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path, self.sample_date = page_path, sample_date
        self.forms: dict[str, FormSpec] = {}
        self.current: FormSpec | None = None
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None
        self.seen: set[str] = set()
        self.submit: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                path = urlsplit(a.get("action") or self.page_path).path
                self.current = self.forms.setdefault(path, FormSpec())
                self.seen, self.submit = set(), None
            return
        if self.current is None:
            return
        if tag == "option" and self.select and a.get("value"):
            if self.select_value is None or "selected" in a:
                self.select_value = a["value"]  # the chosen one, or the first real choice
            return
        if not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "submit":
                if self.submit and self.submit not in self.current.other_buttons:
                    self.current.other_buttons.append(self.submit)
                self.submit = (name, a.get("value", "1"))  # the last one: the form's main button
            elif kind in ("checkbox", "radio", "hidden"):
                self.add(name, a.get("value", "y"), parsed=True)
            elif kind == "file":
                self.add(name, "", parsed=True)  # no file as rendered; its shapes send one
            else:
                date = a.get("placeholder") == "dd/mm/yyyy"
                sample = KNOWN.get(name) or (self.sample_date if date else f"Thử {name}")
                self.add(name, a.get("value") or sample, parsed=date)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.add(name, a.get("value", "1"), parsed=True)
        elif tag == "select":
            self.select, self.select_value = name, None
        elif tag == "textarea":
            self.textarea = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.current is not None:
            if self.submit:
                self.add(*self.submit, parsed=True)
            self.current = None
        elif tag == "select" and self.select:
            self.add(self.select, self.select_value or "", parsed=True)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, f"Ghi chú {self.textarea}")
            self.textarea = None

    def add(self, name: str, value: str, parsed: bool = False) -> None:
        assert self.current is not None
        if name not in self.seen:
            self.seen.add(name)
            self.current.fields.append((name, value))
            if parsed:
                self.current.parsed.add(name)


# --- the walk ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: str
    path_ids: bool


def routes(app: Flask, ids: dict[str, int]) -> list[Route]:
    walked = []
    # Signing out ends every session of the user (the walk's too): last.
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.endpoint, r.rule)):
        _, url_of, _ = ROUTES[rule.endpoint]
        url = url_of(ids)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            walked.append(Route(rule.endpoint, method, url, bool(rule.arguments)))
    return walked


def discover_forms(app: Flask, ids: dict[str, int]) -> dict[str, FormSpec]:
    """Every POST form any role is shown, by the path it posts to."""
    with app.app_context():
        sample_date = (local_today() - timedelta(days=2)).strftime("%d/%m/%Y")
    forms: dict[str, FormSpec] = {}
    for role in reversed(ROLES):  # the admin's pages first: their links lead nowhere forbidden
        client = client_for(app, role)
        for endpoint, (method, url_of, _) in sorted(ROUTES.items()):
            if method != "GET" or endpoint == "static":
                continue
            url = url_of(ids)
            response = client.get(url)
            if response.status_code != 200 or not response.mimetype == "text/html":
                continue
            parser = Forms(urlsplit(url).path, sample_date)
            parser.feed(response.get_data(as_text=True))
            for path, spec in parser.forms.items():
                forms.setdefault(path, spec)
    return forms


@dataclass
class Walk:
    app: Flask
    role: str
    client: FlaskClient
    token: str
    tables: list[str]
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    serial: int = 0
    last_counts: tuple[int, ...] | None = None
    reached: set[str] = field(default_factory=set)  # routes whose view ran for this role

    def counts(self) -> tuple[int, ...]:
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in self.tables)
        with self.app.app_context():
            return tuple(db.session.execute(text(sql)).one())

    def fresh_client(self) -> FlaskClient:
        return client_for(self.app, self.role)

    def send(self, route: Route, label: str, *, url: str | None = None,
             query: list[tuple[str, str]] | None = None, form: list[tuple[str, object]] | None = None,
             json: object = None) -> bool:
        """Send one request and check the answer; whether the role was turned away."""
        self.requests += 1
        client, token = self.client, self.token
        signs_in = route.endpoint == "auth.login" and self.role == "anonymous"
        if signs_in or (route.endpoint == "auth.logout" and self.role != "anonymous"):
            client = self.fresh_client()  # signing in or out must not change the walk's session
            token = csrf_token(client, "/login" if self.role == "anonymous" else "/")
        before = self.last_counts or self.counts()
        data = None
        if form is not None:
            data = MultiDict()
            for name, value in form:
                data.add(name, token if value == self.token else value)
        if json is not None:  # with the token in the header Flask-WTF also reads
            response = client.open(url or route.url, method=route.method, json=json, headers={"X-CSRFToken": token})
        else:
            response = client.open(url or route.url, method=route.method, query_string=query, data=data)
        status = response.status_code
        where = f"{self.role} {route.method} {route.endpoint} [{label}]"
        self.last_counts = self.counts()
        if status in ERROR_STATUSES:
            self.failures.append(f"{where}: {status}")
        elif not (route.method == "POST" and status in (301, 302, 303)) and self.last_counts != before:
            self.failures.append(f"{where}: {status} but the database changed")
        return turned_away(status, response.headers.get("Location"))


def unique(form: list[tuple[str, object]], serial: int) -> list[tuple[str, object]]:
    """Text made different in each request, so an accepted write does not make the next
    one a duplicate (a dossier code is unique per person)."""
    def made_unique(value: object) -> object:
        if isinstance(value, str) and value.startswith(("Thử ", "Ghi chú ")):
            return f"{value} {serial}"
        return value

    return [(name, made_unique(value)) for name, value in form]


def mutations(fields: list[tuple[str, str]], parsed: set[str]) -> Iterator[tuple[str, list[tuple[str, object]]]]:
    """The base fields with one field at a time sent in each hostile shape."""
    for index, (name, value) in enumerate(fields):
        before, after = fields[:index], fields[index + 1:]
        shapes = {**EVERY_FIELD, **PARSED} if name in parsed else EVERY_FIELD
        for label, hostile in shapes.items():
            yield f"{name}={label}", [*before, (name, hostile), *after]
        yield f"{name} as {FILE}", [*before, (name, (io.BytesIO(b"=1+1\r\n"), "x.csv")), *after]
        yield f"{name} {REPEATED}", [*before, (name, value), (name, LINE_BREAKS), *after]
        yield f"{name} {MISSING}", [*before, *after]
        row = re.fullmatch(r"(.+?-)\d+(-.+)", name)  # a row of a list of fields: cases-0-…
        if row:
            for index in ("①", "9" * 5000):
                yield f"{name} in row {index[:4]}", [*fields, (f"{row[1]}{index}{row[2]}", value)]


def with_rows(fields: list[tuple[str, str]], rows: int) -> list[tuple[str, str]]:
    """The fields with their first list row copied until the list has `rows` rows."""
    first = [(match[1], match[2], value) for name, value in fields
             if (match := re.fullmatch(r"(.+?-)0(-.+)", name))]
    copies = [(f"{head}{n}{tail}", value) for n in range(1, rows) for head, tail, value in first]
    taken = {name for name, _ in fields}
    return [*fields, *((name, value) for name, value in copies if name not in taken)]


def all_at_once(fields: list[tuple[str, str]]) -> Iterator[tuple[str, list[tuple[str, object]]]]:
    """Each shape in every field of one request: for a role the route turns away before its
    view runs, where only the checks in front of the view read the fields."""
    for label, hostile in {**EVERY_FIELD, **PARSED}.items():
        yield f"all={label}", [(name, hostile) for name, _ in fields]
    yield f"all as {FILE}", [(name, (io.BytesIO(b"=1+1"), "x.csv")) for name, _ in fields]
    yield f"all {REPEATED}", [pair for name, value in fields for pair in ((name, value), (name, LINE_BREAKS))]
    yield f"all {MISSING}", []


def turned_away(response_status: int, location: str | None) -> bool:
    return response_status == 403 or (response_status == 302 and (location or "").startswith("/login?next="))


def walk_get(walk: Walk, route: Route) -> None:
    split = urlsplit(route.url)
    base = parse_qsl(split.query, keep_blank_values=True)
    READ_ARGS.clear()
    away = walk.send(route, "as linked", query=base, url=split.path)
    if not away:
        walk.reached.add(route.endpoint)
    names = sorted({name for name, _ in base} | READ_ARGS)
    fields = [(name, dict(base).get(name, "")) for name in names]
    for label, query in (all_at_once(fields) if away else mutations(fields, parsed=set(names))):
        if FILE in label:
            continue  # a query string has no file parts
        walk.send(route, label, url=split.path, query=query)  # type: ignore[arg-type]


def walk_post(walk: Walk, route: Route, spec: FormSpec) -> None:
    fields = [(name, walk.token if name == "csrf_token" else value) for name, value in spec.fields]
    walk.serial += 1
    READ_ARGS.clear()
    away = walk.send(route, "as rendered", form=unique(fields, walk.serial))  # type: ignore[arg-type]
    if not away:
        walk.reached.add(route.endpoint)
    query_names = sorted(READ_ARGS)  # e.g. where to go after signing in
    for label, form in (all_at_once(fields) if away else mutations(fields, spec.parsed)):
        walk.serial += 1
        walk.send(route, label, form=unique(form, walk.serial))  # type: ignore[arg-type]
    for button in spec.other_buttons:
        main = [pair for pair in fields if (pair[0], pair[1]) != spec.fields[-1]]
        for label, form in (("", main), (" with 25 rows", with_rows(main, 25))):
            walk.serial += 1
            walk.send(route, f"{button[0]}{label}", form=unique([*form, button], walk.serial))  # type: ignore[arg-type]
    as_json = dict(unique(fields, walk.serial))
    for label, body in (("JSON", as_json), ("JSON numbers", {name: 5 for name in as_json}), ("JSON list", [1, 2])):
        walk.send(route, label, json=body)
    split = urlsplit(route.url)
    linked = parse_qsl(split.query, keep_blank_values=True)
    base = [*linked, *((name, "") for name in query_names if name not in dict(linked))]
    for label, query in mutations(base, {name for name, _ in base}):
        if FILE not in label:
            walk.serial += 1
            walk.send(route, f"query {label}", url=split.path, query=query,  # type: ignore[arg-type]
                      form=unique(fields, walk.serial))


def walk_path_ids(walk: Walk, route: Route, ids: dict[str, int]) -> None:
    _, url_of, _ = ROUTES[route.endpoint]
    for hostile in PATH_IDS:
        url = url_of({name: hostile for name in ids})  # type: ignore[misc]
        form = [("csrf_token", walk.token)] if route.method == "POST" else None
        walk.send(route, f"path id {hostile}", url=url, form=form)


@pytest.fixture
def hostile_world(synced_app: Flask) -> tuple[Flask, dict[str, int]]:
    app, ids = build_world(synced_app)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 page, as a user gets, not a raise
    app.config["LOGIN_LIMIT_PER_USERNAME"] = app.config["LOGIN_LIMIT_PER_ADDRESS"] = "100000 per minute"
    app.request_class = RecordingRequest
    return app, ids


@pytest.mark.parametrize("role", ROLES)
def test_no_hostile_request_gets_a_5xx_or_writes_in_part(hostile_world, role: str) -> None:
    app, ids = hostile_world
    forms = discover_forms(app, ids)
    with app.app_context():
        tables = sorted(t.name for t in db.metadata.sorted_tables if t.name != "audit_event")
    client = client_for(app, role)
    token = csrf_token(client, "/login" if role == "anonymous" else "/")
    walk = Walk(app, role, client, token, tables)
    walked: set[str] = set()
    for route in routes(app, ids):
        walked.add(route.endpoint)
        if route.method == "GET":
            walk_get(walk, route)
        else:
            # A route whose form no page of the walk's world shows (the access matrix points it
            # at a record that does not exist) is still sent every shape of its CSRF token.
            spec = forms.get(urlsplit(route.url).path) or FormSpec([("csrf_token", "")], {"csrf_token"})
            walk_post(walk, route, spec)
        if route.path_ids:
            walk_path_ids(walk, route, ids)
    assert walked == {rule.endpoint for rule in app.url_map.iter_rules()}
    # The walk went past the access checks wherever the access matrix lets this role in.
    allowed = {endpoint for endpoint, (_, _, expected) in ROUTES.items() if expected[role] not in ("login", 403)}
    assert allowed <= walk.reached, f"the walk was turned away from {allowed - walk.reached}"
    assert not walk.failures, f"{len(walk.failures)} of {walk.requests} requests:\n" + "\n".join(walk.failures[:40])
