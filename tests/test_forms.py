"""What forms tell assistive technology and browsers: errors tied to inputs, a summary to land
on, autocomplete, no silent defaults, updates that start from what stands."""
from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from .conftest import DEMO_EMPLOYEE, csrf_token
from .support.forms import declare, employee_id, notice_form, post_notice


def tag(page: str, pattern: str) -> str:
    match = re.search(rf"<(?:input|select|textarea)[^>]*{pattern}[^>]*>", page)
    assert match, pattern
    return match.group(0)


def test_declaration_errors_are_tied_to_their_inputs(employee_client: FlaskClient) -> None:
    page = declare(employee_client, status="level2_active", activated_on="31/02/2024").get_data(as_text=True)
    date_input = tag(page, 'id="activated_on"')
    assert 'aria-invalid="true"' in date_input
    assert 'aria-describedby="activated_on-hint activated_on-error"' in date_input
    assert 'id="activated_on-error"' in page


def test_declaration_status_and_commitment_errors_are_tied_to_their_inputs(employee_client: FlaskClient) -> None:
    page = declare(employee_client).get_data(as_text=True)
    radio = tag(page, 'id="status-0"')
    assert 'aria-invalid="true"' in radio and 'aria-describedby="status-error"' in radio
    page = declare(employee_client, status="level2_active", activated_on="05/03/2024").get_data(as_text=True)
    box = tag(page, 'id="committed"')
    assert 'aria-invalid="true"' in box and 'aria-describedby="committed-error"' in box


def test_a_failed_declaration_opens_on_a_summary_linking_to_each_field(employee_client: FlaskClient) -> None:
    page = declare(employee_client, status="level2_active", activated_on="05/03/2024").get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "no error summary"
    assert "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    # A checkbox is named by its message alone: its label is the whole commitment sentence.
    assert '<a href="#committed">Vui lòng xác nhận cam kết' in summary.group(1)
    assert "Vui lòng xác nhận cam kết" in summary.group(1)
    # Before the form: focus lands on it, then Tab goes on into the form.
    assert page.index('class="error-summary"') < page.index('name="status"')


def test_a_form_without_errors_has_no_summary(employee_client: FlaskClient) -> None:
    assert "error-summary" not in employee_client.get("/declaration").get_data(as_text=True)


def test_notice_summary_names_the_case_of_each_error(head_client: FlaskClient, synced_app: Flask) -> None:
    data = notice_form(synced_app, reference_number="", **{"cases-1-dossier_code": ""})
    page = post_notice(head_client, data).get_data(as_text=True)
    assert '<a href="#reference_number">Số, ký hiệu văn bản thông báo: Vui lòng nhập số, ký hiệu văn bản.</a>' in page


def test_login_fields_say_what_a_password_manager_should_fill(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="username"' in tag(page, 'id="username"')
    assert 'autocomplete="current-password"' in tag(page, 'id="password"')


def test_wrong_password_summary_is_an_alert_with_focus(client: FlaskClient) -> None:
    page = client.post("/login", data={"username": DEMO_EMPLOYEE, "password": "sai",
                                       "csrf_token": csrf_token(client)}).get_data(as_text=True)
    assert re.search(r'<div class="error-summary" role="alert" tabindex="-1" autofocus', page)
    assert "Chưa đăng nhập được" in page


def test_appraisal_period_starts_unchosen(head_client: FlaskClient, synced_app: Flask) -> None:
    page = head_client.get(f"/appraisals/new?employee={employee_id(synced_app, DEMO_EMPLOYEE)}").get_data(as_text=True)
    period = re.search(r'<select[^>]*id="period".*?</select>', page, re.S).group(0)
    first = re.search(r"<option[^>]*>([^<]*)</option>", period)
    assert first.group(1) == "— Chọn —"
    assert "selected" not in period


def test_updating_a_declaration_starts_from_the_current_status(employee_client: FlaskClient) -> None:
    assert declare(employee_client, status="level2_active", activated_on="05/03/2024", committed="y").status_code == 302
    page = employee_client.get("/declaration").get_data(as_text=True)
    assert "checked" in tag(page, 'value="level2_active"')
    assert 'value="05/03/2024"' in tag(page, 'id="activated_on"')
    # The commitment is given again with each declaration, never carried over.
    assert "checked" not in tag(page, 'id="committed"')


def test_chart_figures_table_is_a_region_the_keyboard_reaches(admin_client: FlaskClient) -> None:
    page = admin_client.get("/compliance/trend").get_data(as_text=True)
    assert re.search(r'<div class="table-scroll" tabindex="0" role="region" aria-label="[^"]+">', page)
