"""TLS to the directory is verified, plain LDAP is refused in production, dead servers are skipped.

slapd serves LDAPS and StartTLS with a certificate from a CA the tests make
(tests/support/tls_certs.py) for `localhost`: reached as 127.0.0.1, the same server has the
wrong host name.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from intranet import ConfigurationError, create_app

from .conftest import TESTS, make_app, sign_in
from .support.directory_settings import ldap_settings
from .support.ldap_server import Slapd, TlsFiles
from .support.silent_server import SilentServer
from .support.tls_certs import CertificateAuthority
from .support.production import SECRET, production_settings

UNAVAILABLE = "Không kết nối được danh bạ"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    folder = tmp_path_factory.mktemp("tls")
    return CertificateAuthority(folder / "ca").server_files(folder / "server", dns=["localhost"])


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return CertificateAuthority(tmp_path_factory.mktemp("other-ca"), name="Some other CA").cert


@pytest.fixture(scope="module")
def tls_slapd(tmp_path_factory: pytest.TempPathFactory, tls_files: TlsFiles) -> Iterator[Slapd]:
    with Slapd(TESTS / "ldap" / "test.ldif", tmp_path_factory.mktemp("slapd-tls"), tls=tls_files) as server:
        yield server


def tls_app(tmp_path: Path, url: str, ca: Path | None, **overrides: object) -> Flask:
    return make_app(tmp_path, **ldap_settings(url, LDAP_CA_FILE=str(ca) if ca else None, **overrides))


def assert_directory_page(response) -> None:
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert UNAVAILABLE in body and "Traceback" not in body


def test_ldaps_with_the_right_ca_and_name_signs_in(tmp_path: Path, tls_slapd: Slapd, tls_files: TlsFiles) -> None:
    app = tls_app(tmp_path, tls_slapd.url_for("localhost", ldaps=True), tls_files.ca)
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302


def test_start_tls_with_the_right_ca_and_name_signs_in(tmp_path: Path, tls_slapd: Slapd, tls_files: TlsFiles) -> None:
    app = tls_app(tmp_path, tls_slapd.url_for("localhost"), tls_files.ca, LDAP_START_TLS=True)
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302


@pytest.mark.parametrize("start_tls", [False, True], ids=["ldaps", "starttls"])
def test_a_certificate_for_another_name_is_refused_with_the_503_page(
    tmp_path: Path, tls_slapd: Slapd, tls_files: TlsFiles, start_tls: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The certificate names localhost; the same server is reached as 127.0.0.1.
    url = tls_slapd.url_for("127.0.0.1", ldaps=not start_tls)
    app = tls_app(tmp_path, url, tls_files.ca, LDAP_START_TLS=start_tls)
    with caplog.at_level(logging.WARNING):
        assert_directory_page(sign_in(app.test_client(), "nguyenvana", "Matkhau#1"))
    # The log keeps ldap3's own diagnostic.
    assert "doesn't match" in caplog.text or "certificate" in caplog.text.lower()


@pytest.mark.parametrize("start_tls", [False, True], ids=["ldaps", "starttls"])
def test_a_certificate_from_an_unknown_ca_is_refused_with_the_503_page(
    tmp_path: Path, tls_slapd: Slapd, other_ca: Path, start_tls: bool
) -> None:
    app = tls_app(
        tmp_path, tls_slapd.url_for("localhost", ldaps=not start_tls), other_ca, LDAP_START_TLS=start_tls
    )
    assert_directory_page(sign_in(app.test_client(), "nguyenvana", "Matkhau#1"))


def test_without_ldap_ca_file_the_system_store_decides(tmp_path: Path, tls_slapd: Slapd) -> None:
    """The README used to promise a "system default" that verified nothing."""
    app = tls_app(tmp_path, tls_slapd.url_for("localhost", ldaps=True), None)
    assert_directory_page(sign_in(app.test_client(), "nguyenvana", "Matkhau#1"))


def test_a_start_tls_failure_is_one_line_from_the_cli(tmp_path: Path, tls_slapd: Slapd, other_ca: Path) -> None:
    app = tls_app(tmp_path, tls_slapd.url_for("localhost"), other_ca, LDAP_START_TLS=True)
    result = app.test_cli_runner().invoke(args=["directory", "sync"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "không kết nối được danh bạ" in result.output and "Traceback" not in result.output


# -- production settings ---------------------------------------------------------------


def production(tmp_path: Path, **env: str) -> dict:
    return production_settings(tmp_path, **SECRET, **env)


def test_production_refuses_plain_ldap_without_start_tls(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="LDAP_START_TLS"):
        create_app(production(tmp_path, LDAP_URL="ldaps://dc1.example ldap://dc2.example"))


@pytest.mark.parametrize(
    "env", [{"LDAP_URL": "ldaps://dc1.example"}, {"LDAP_URL": "ldap://dc1.example", "LDAP_START_TLS": "1"}]
)
def test_production_starts_with_ldaps_or_start_tls(tmp_path: Path, env: dict) -> None:
    app = create_app(production(tmp_path, **env))
    assert "warnings" not in app.test_client().get("/healthz").get_json()


def test_plain_ldap_allowed_explicitly_is_said_in_the_log_and_healthz(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        app = create_app(production(tmp_path, LDAP_URL="ldap://dc1.example", LDAP_ALLOW_PLAINTEXT="1",
                                    LDAP_TIMEOUT="1"))
    assert "LDAP_ALLOW_PLAINTEXT" in caplog.text
    assert app.test_client().get("/healthz").get_json()["warnings"] == ["directory_plaintext"]


def test_a_missing_ca_file_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="LDAP_CA_FILE"):
        create_app(production(tmp_path, LDAP_URL="ldaps://dc1.example", LDAP_CA_FILE=str(tmp_path / "nope.pem")))


def test_an_unknown_server_type_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="LDAP_SERVER_TYPE"):
        create_app(production(tmp_path, LDAP_URL="ldaps://dc1.example", LDAP_SERVER_TYPE="novell"))


# -- failover ----------------------------------------------------------------------------


@pytest.fixture
def hung_server() -> Iterator[SilentServer]:
    """A hung directory server that counts who came."""
    with SilentServer() as server:
        yield server


def test_a_hung_first_server_costs_one_timeout_then_is_skipped(
    tmp_path: Path, hung_server: SilentServer, slapd: Slapd
) -> None:
    app = make_app(tmp_path, **ldap_settings(f"{hung_server.url} {slapd.url}", LDAP_TIMEOUT=1))
    started = time.monotonic()
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302
    assert time.monotonic() - started < 1 + 1 + 1  # LDAP_TIMEOUT + 1 s, and a margin for CI
    tried = hung_server.connections
    assert tried >= 1
    for _ in range(3):
        assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302
    assert hung_server.connections == tried  # passed over for LDAP_RETRY_AFTER


def test_a_dead_server_is_tried_again_after_the_retry_period(
    tmp_path: Path, hung_server: SilentServer, slapd: Slapd
) -> None:
    app = make_app(tmp_path, **ldap_settings(f"{hung_server.url} {slapd.url}", LDAP_TIMEOUT=1, LDAP_RETRY_AFTER=0))
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302
    tried = hung_server.connections
    assert sign_in(app.test_client(), "nguyenvana", "Matkhau#1").status_code == 302
    assert hung_server.connections > tried

