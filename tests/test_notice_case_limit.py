"""A notice keeps every case it names, up to a bound refused whole with a clear sentence:
never a 500 on "Thêm một hồ sơ", never a silently shortened list."""
from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Notice, NoticeCase
from intranet.notices.service import MAX_CASES

from .support.forms import case, notice_form, post_notice
from .support.rows import count

TOO_MANY = f"Một thông báo ghi nhận tối đa {MAX_CASES} hồ sơ."


def cases(n: int) -> list[dict[str, str]]:
    return [case(i) for i in range(1, n + 1)]


def case_rows(page: str) -> int:
    return len(re.findall(r'name="cases-\d+-dossier_code"', page))


@pytest.fixture
def original(head_client: FlaskClient, synced_app: Flask) -> int:
    """A standing notice to correct."""
    location = post_notice(head_client, notice_form(synced_app)).headers["Location"]
    return int(location.rsplit("/", 1)[1])


def correction(app: Flask, n: int) -> dict[str, object]:
    return {**notice_form(app, cases=cases(n), reference_number="125/TB (đc)"), "correction_reason": "Thiếu hồ sơ"}


def test_a_notice_naming_190_dossiers_keeps_all_190(head_client: FlaskClient, synced_app: Flask) -> None:
    response = post_notice(head_client, notice_form(synced_app, cases=cases(190)))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with synced_app.app_context():
        notice = db.session.scalar(select(Notice))
        assert [c.position for c in notice.cases] == list(range(1, 191))
        assert notice.cases[-1].dossier_code == case(190)["dossier_code"]


def test_a_correction_naming_45_dossiers_keeps_all_45(
    head_client: FlaskClient, synced_app: Flask, original: int
) -> None:
    response = post_notice(head_client, correction(synced_app, 45), f"/notices/{original}/correct")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with synced_app.app_context():
        latest = db.session.scalar(select(Notice).order_by(Notice.id.desc()).limit(1))
        assert latest.corrects_id == original and len(latest.cases) == 45


def test_more_rows_than_the_form_offers_are_refused_whole(head_client: FlaskClient, synced_app: Flask) -> None:
    response = post_notice(head_client, notice_form(synced_app, cases=cases(MAX_CASES + 1)))
    assert response.status_code == 413
    assert TOO_MANY in response.get_data(as_text=True)
    assert count(synced_app, Notice) == 0 and count(synced_app, NoticeCase) == 0


def test_more_rows_than_the_form_offers_refuse_a_correction_whole(
    head_client: FlaskClient, synced_app: Flask, original: int
) -> None:
    before = count(synced_app, NoticeCase)
    response = post_notice(head_client, correction(synced_app, MAX_CASES + 1), f"/notices/{original}/correct")
    assert response.status_code == 413 and TOO_MANY in response.get_data(as_text=True)
    assert count(synced_app, Notice) == 1 and count(synced_app, NoticeCase) == before


def test_twelve_thousand_rows_are_refused_before_any_is_built(head_client: FlaskClient, synced_app: Flask) -> None:
    data = notice_form(synced_app, cases=[])
    data.update({f"cases-{i}-procedure_name": "x" for i in range(12_000)})
    response = post_notice(head_client, data)
    assert response.status_code == 413 and len(response.get_data()) < 20_000


@pytest.mark.parametrize("index", ["\u2460", "\u00b2", "\u0663", "9" * 5000, "-1", "1e3"])
def test_row_numbers_that_are_not_plain_numbers_are_ignored(
    head_client: FlaskClient, synced_app: Flask, index: str
) -> None:
    data = notice_form(synced_app, cases=[case(1)])
    data[f"cases-{index}-dossier_code"] = "H01.99"
    assert post_notice(head_client, data).status_code == 302
    assert count(synced_app, NoticeCase) == 1


def test_the_service_refuses_more_cases_than_a_notice_holds(synced_app: Flask) -> None:
    from datetime import date

    from intranet.models import Employee, IssuingBody
    from intranet.notices.service import CaseDraft, NoticeDraft, record_notice
    from intranet.validation import RuleViolation

    from .conftest import DEMO_EMPLOYEE, DEMO_HEAD

    with synced_app.test_request_context():
        head = db.session.scalar(select(Employee).filter_by(username=DEMO_HEAD))
        person = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        drafts = [CaseDraft(f"Thủ tục {i}", None, f"HS-{i}", date(2026, 11, 2), "Người nhận")
                  for i in range(MAX_CASES + 1)]
        draft = NoticeDraft(person, db.session.scalar(select(IssuingBody).where(IssuingBody.active).limit(1)), "1/TB",
                            date(2026, 11, 3), drafts, None)
        with pytest.raises(RuleViolation, match=f"tối đa {MAX_CASES} hồ sơ"):
            record_notice(head, draft, today=date(2026, 11, 4), address=None)
        draft = NoticeDraft(person, draft.issuing_body, "1/TB", date(2026, 11, 3), drafts[:MAX_CASES], None)
        assert len(record_notice(head, draft, today=date(2026, 11, 4), address=None).cases) == MAX_CASES


def test_blank_rows_are_not_stored(head_client: FlaskClient, synced_app: Flask) -> None:
    blank = {name: "" for name in case(1)}
    response = post_notice(head_client, notice_form(synced_app, cases=[*cases(MAX_CASES - 2), blank, blank]))
    assert response.status_code == 302
    assert count(synced_app, NoticeCase) == MAX_CASES - 2


def add_case(client: FlaskClient, data: dict[str, object], path: str = "/notices/new"):
    data = {**data, "add_case": "Thêm một hồ sơ"}
    data.pop("submit", None)
    return post_notice(client, data, path)


@pytest.mark.parametrize("rows", [20, 21, 57])
def test_add_case_past_twenty_adds_a_row(head_client: FlaskClient, synced_app: Flask, rows: int) -> None:
    response = add_case(head_client, notice_form(synced_app, cases=cases(rows)))
    assert response.status_code == 200
    assert case_rows(response.get_data(as_text=True)) == rows + 1
    assert count(synced_app, Notice) == 0


def test_add_case_past_twenty_on_a_correction(head_client: FlaskClient, synced_app: Flask, original: int) -> None:
    response = add_case(head_client, correction(synced_app, 25), f"/notices/{original}/correct")
    assert response.status_code == 200
    assert case_rows(response.get_data(as_text=True)) == 26
    assert count(synced_app, Notice) == 1


def test_add_case_at_the_bound_says_so(head_client: FlaskClient, synced_app: Flask, original: int) -> None:
    for path, data in (("/notices/new", notice_form(synced_app, cases=cases(MAX_CASES))),
                       (f"/notices/{original}/correct", correction(synced_app, MAX_CASES))):
        response = add_case(head_client, data, path)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert TOO_MANY in page and case_rows(page) == MAX_CASES
