"""The directory's rules without a server: presets, login names, AD's account words, server order."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from config import settings_from_env
from intranet.directory import accounts
from intranet.directory.servers import DownServers, is_plaintext
from intranet.directory.settings import DirectorySettings, LoginName, SettingsError, login_name

AD_BASE = "OU=Chi cục Kiểm lâm,DC=kiemlam,DC=gov,DC=vn"


def settings(**env: str) -> DirectorySettings:
    return DirectorySettings.from_config(settings_from_env(env))


def test_an_ad_site_sets_only_url_account_base_and_groups() -> None:
    ad = settings(LDAP_SERVER_TYPE="active_directory", LDAP_USER_BASE=AD_BASE)
    assert ad.attr_username == "sAMAccountName" and ad.attr_id == "objectGUID"
    assert ad.attr_full_name == "displayName" and ad.attr_unit == "department"
    assert "objectCategory=person" in ad.user_filter and "objectCategory=person" in ad.sync_filter
    assert ad.nested_groups is True
    assert {"userAccountControl", "accountExpires", "objectGUID"} <= set(ad.attributes)
    assert (ad.ad_domain, ad.upn_suffix) == ("kiemlam", "kiemlam.gov.vn")


def test_openldap_is_the_default_and_each_setting_still_wins() -> None:
    ldap = settings(LDAP_USER_BASE="ou=people,dc=kiemlam,dc=gov,dc=vn")
    assert ldap.attr_username == "uid" and ldap.attr_id == "entryUUID" and not ldap.nested_groups
    custom = settings(LDAP_SERVER_TYPE="active_directory", LDAP_ATTR_UNIT="physicalDeliveryOfficeName",
                      LDAP_NESTED_GROUPS="0", LDAP_USER_BASE=AD_BASE)
    assert custom.attr_unit == "physicalDeliveryOfficeName" and custom.nested_groups is False


def test_several_bases_and_a_wrong_server_type() -> None:
    assert settings(LDAP_USER_BASE=f"{AD_BASE} ; OU=Đội,DC=kiemlam,DC=gov,DC=vn").user_bases == (
        AD_BASE, "OU=Đội,DC=kiemlam,DC=gov,DC=vn",
    )
    with pytest.raises(SettingsError):
        settings(LDAP_SERVER_TYPE="edirectory")


def test_max_leavers_reads_a_percentage_or_a_share() -> None:
    assert settings_from_env({})["LDAP_SYNC_MAX_LEAVERS"] == pytest.approx(0.10)
    assert settings_from_env({"LDAP_SYNC_MAX_LEAVERS": "25%"})["LDAP_SYNC_MAX_LEAVERS"] == pytest.approx(0.25)
    assert settings_from_env({"LDAP_SYNC_MAX_LEAVERS": "0.05"})["LDAP_SYNC_MAX_LEAVERS"] == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("dathv", LoginName("dathv")),
        ("  DatHV ", LoginName("dathv")),
        ("KIEMLAM\\dathv", LoginName("dathv")),
        ("kiemlam.gov.vn\\dathv", LoginName("dathv")),
        ("dathv@kiemlam.gov.vn", LoginName("dathv", upn="dathv@kiemlam.gov.vn")),
        ("dat.hv@kiemlam.vn", LoginName(None, upn="dat.hv@kiemlam.vn")),  # another UPN suffix
        ("KHAC\\dathv", None),
        ("KIEMLAM\\", None),
        ("@kiemlam.gov.vn", None),
    ],
)
def test_windows_login_names_on_ad(typed: str, expected: LoginName | None) -> None:
    assert login_name(typed, settings(LDAP_SERVER_TYPE="active_directory", LDAP_USER_BASE=AD_BASE)) == expected


def test_one_rate_limit_key_for_every_form_of_an_account() -> None:
    ad = settings(LDAP_SERVER_TYPE="active_directory", LDAP_USER_BASE=AD_BASE)
    keys = {login_name(t, ad).key for t in ("dathv", "KIEMLAM\\DATHV", "dathv@kiemlam.gov.vn")}
    assert keys == {"dathv"}


def test_openldap_takes_the_name_as_typed() -> None:
    assert login_name("KIEMLAM\\dathv", settings()) == LoginName("kiemlam\\dathv")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("80090308: LdapErr: DSID-0C09030B, comment: AcceptSecurityContext error, data 533, v893", "disabled"),
        ("... data 701, v1db1", "expired"),
        ("... data 532, v1db1", "password_expired"),
        ("... data 773, v1db1", "must_change_password"),
        ("... data 775, v1db1", "locked"),
        ("... data 52e, v1db1", None),  # wrong password: the generic answer
        ("... data 525, v1db1", None),  # no such user: the generic answer
        ("Invalid credentials", None),
    ],
)
def test_ad_bind_refusals(message: str, reason: str | None) -> None:
    assert accounts.bind_refusal(message) == reason


def test_ad_account_state() -> None:
    now = datetime(2026, 11, 28, tzinfo=timezone.utc)
    assert accounts.ad_state({"userAccountControl": ["514"]}, now) == "disabled"
    assert accounts.ad_state({"userAccountControl": ["512"], "accountExpires": ["132000000000000000"]}, now) == "expired"
    for never in ("0", "9223372036854775807"):
        assert accounts.ad_state({"userAccountControl": ["512"], "accountExpires": [never]}, now) is None
    assert accounts.filetime(116444736000000000) == datetime(1970, 1, 1, tzinfo=timezone.utc)


def test_machines_are_never_people() -> None:
    assert accounts.is_machine("pc-vt01$", {})
    assert accounts.is_machine("dc1", {"userAccountControl": ["532480"]})  # SERVER_TRUST_ACCOUNT
    assert not accounts.is_machine("dathv", {"userAccountControl": ["512"]})


def test_object_guid_reads_as_windows_prints_it() -> None:
    raw = bytes.fromhex("8b838f333c7ce945994af6211a4693d4")
    assert accounts.directory_id([raw]) == "338f838b-7c3c-45e9-994a-f6211a4693d4"
    assert accounts.directory_id(["3F2504E0-4F89-11D3-9A0C-0305E82C3301"]) == "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    assert accounts.directory_id([]) is None


def test_servers_that_failed_are_tried_last_for_a_while() -> None:
    down = DownServers()
    urls = ["ldaps://dc1", "ldaps://dc2", "ldaps://dc3"]
    down.mark("ldaps://dc1", retry_after=60)
    assert down.order(urls) == ["ldaps://dc2", "ldaps://dc3", "ldaps://dc1"]
    down.mark("ldaps://dc2", retry_after=0.01)
    time.sleep(0.02)
    assert down.order(urls) == ["ldaps://dc2", "ldaps://dc3", "ldaps://dc1"]
    down.clear("ldaps://dc1")
    assert down.order(urls) == urls


def test_plaintext_means_some_password_would_cross_in_clear() -> None:
    assert is_plaintext(["ldaps://a", "ldap://b"], start_tls=False)
    assert not is_plaintext(["ldaps://a", "LDAPS://b"], start_tls=False)
    assert not is_plaintext(["ldap://a"], start_tls=True)
