"""Writes to the test Samba AD DC's database, run by Debian's /usr/bin/python3 (python3-samba).

The project's venv has no `samba` module, so tests/support/samba_dc.py runs this script:

    /usr/bin/python3 tests/support/samba_admin.py SMB_CONF COMMAND '{"json": "arguments"}'

It works on the DC's own sam.ldb with the system session, as samba-tool does, while the
DC runs. Commands: see COMMANDS at the end.
"""
from __future__ import annotations

import json
import sys

try:
    import ldb
    from samba.auth import system_session
    from samba.param import LoadParm
    from samba.samdb import SamDB
except ImportError:  # the tests' venv imports this module for its names and passwords only
    if __name__ == "__main__":
        raise

PASSWORD = "Matkhau#2024"
SERVICE_PASSWORD = "Dichvu#2024-intranet"

AGENCY = "Chi cục Kiểm lâm"
TEAM = "Đội Kiểm lâm cơ động và PCCCR"  # a second user base, beside the agency's OU
UNITS = ("Hạt Kiểm lâm An Lão", "Phòng Tổ chức – Hành chính")

# username, full name, unit (OU and department), title
STAFF = [
    ("dathv", "Hồ Văn Đạt", UNITS[0], "Kiểm lâm viên"),
    ("khoabm", "Bùi Minh Khoa", UNITS[0], "Kiểm lâm viên"),
    ("annv", "Nguyễn Văn An", UNITS[0], "Hạt trưởng"),
    ("huonglt", "Lê Thị Hương", UNITS[1], "Trưởng phòng"),
    ("sauld", "Lê Đức Sáu", UNITS[1], "Chuyên viên"),  # disabled (userAccountControl 514)
    ("tamnt", "Nguyễn Thị Tâm", UNITS[1], "Chuyên viên"),  # expired (accountExpires past)
    ("moinv", "Nguyễn Văn Mới", UNITS[1], "Chuyên viên"),  # must change password (pwdLastSet 0)
    ("thanhpv", "Phạm Văn Thành", TEAM, "Đội trưởng"),
]
HEADS = "Thủ trưởng đơn vị"  # LDAP_HEAD_GROUP: holds the group below, not people
HAT_HEADS = "Hạt trưởng các Hạt"  # nested in HEADS; annv is a member
TEAM_HEADS = "Đội trưởng"  # nested twice: TEAM_HEADS in HAT_HEADS in HEADS; thanhpv
ADMINS = "Quản trị intranet"


def connect(smb_conf: str) -> "SamDB":
    lp = LoadParm()
    lp.load(smb_conf)
    return SamDB(url=lp.samdb_url(), session_info=system_session(), lp=lp)


def user_dn(db: SamDB, username: str) -> ldb.Dn:
    found = db.search(
        base=db.domain_dn(), scope=ldb.SCOPE_SUBTREE,
        expression=f"(sAMAccountName={ldb.binary_encode(username)})", attrs=["dn"],
    )
    if len(found) != 1:
        raise SystemExit(f"no single account {username!r}")
    return found[0].dn


def replace(db: SamDB, dn: ldb.Dn | str, **attributes: str) -> None:
    message = ldb.Message()
    message.dn = ldb.Dn(db, str(dn))
    for name, value in attributes.items():
        message[name] = ldb.MessageElement(value, ldb.FLAG_MOD_REPLACE, name)
    db.modify(message)


def add_ou(db: SamDB, dn: str) -> None:
    db.add({"dn": dn, "objectClass": "organizationalUnit"})


def populate(db: SamDB, _args: dict) -> dict:
    domain = str(db.domain_dn())
    agency = f"OU={AGENCY},{domain}"
    add_ou(db, agency)
    for unit in UNITS:
        add_ou(db, f"OU={unit},{agency}")
    add_ou(db, f"OU={TEAM},{domain}")
    add_ou(db, f"OU=Máy tính,{agency}")
    add_ou(db, f"OU=Tài khoản dịch vụ,{agency}")
    add_ou(db, f"OU=Nhóm,{agency}")
    realm = db.domain_dns_name()
    dns = {}
    for username, full_name, unit, title in STAFF:
        ou = f"OU={unit},{domain}" if unit == TEAM else f"OU={unit},{agency}"
        db.newuser(username, PASSWORD, userou=ou.removesuffix("," + domain), useusernameascn=True,
                   department=unit, jobtitle=title, mailaddress=f"{username}@{realm}")
        dn = f"CN={full_name},{ou}"
        db.rename(ldb.Dn(db, f"CN={username},{ou}"), ldb.Dn(db, dn))
        replace(db, dn, displayName=full_name)
        dns[username] = dn
    db.disable_account("(sAMAccountName=sauld)")
    replace(db, dns["tamnt"], accountExpires="132000000000000000")  # 2019
    db.force_password_change_at_next_login("(sAMAccountName=moinv)")
    # The service account lives among the people the sync reads: it must never be staff.
    db.newuser("svc-intranet", SERVICE_PASSWORD, userou=f"OU=Tài khoản dịch vụ,OU={AGENCY}",
               useusernameascn=True, department=UNITS[1])
    db.newcomputer("PC-VT01", computerou=f"OU=Máy tính,OU={AGENCY}")
    groups = f"OU=Nhóm,OU={AGENCY}"
    for group in (HEADS, HAT_HEADS, TEAM_HEADS, ADMINS):
        db.newgroup(group, groupou=groups)
    db.add_remove_group_members(HEADS, [HAT_HEADS], member_types=["group"])
    db.add_remove_group_members(HAT_HEADS, [TEAM_HEADS, "annv"], member_types=["user", "group"])
    db.add_remove_group_members(TEAM_HEADS, ["thanhpv"], member_types=["user"])
    db.add_remove_group_members(ADMINS, ["huonglt"], member_types=["user"])
    return {
        "domain_dn": domain,
        "agency_base": agency,
        "team_base": f"OU={TEAM},{domain}",
        "heads": f"CN={HEADS},{groups},{domain}",
        "admins": f"CN={ADMINS},{groups},{domain}",
        "service_dn": f"CN=svc-intranet,OU=Tài khoản dịch vụ,{agency}",
        "realm": realm,
        "users": dns,
    }


def rename(db: SamDB, args: dict) -> dict:
    """A new account name (sAMAccountName and UPN), as an administrator renames someone."""
    dn = user_dn(db, args["username"])
    new = args["new_username"]
    replace(db, dn, sAMAccountName=new, userPrincipalName=f"{new}@{db.domain_dns_name()}")
    return {}


def disable(db: SamDB, args: dict) -> dict:
    db.disable_account(f"(sAMAccountName={ldb.binary_encode(args['username'])})")
    return {}


def enable(db: SamDB, args: dict) -> dict:
    db.enable_account(f"(sAMAccountName={ldb.binary_encode(args['username'])})")
    return {}


def expire(db: SamDB, args: dict) -> dict:
    replace(db, user_dn(db, args["username"]), accountExpires=str(args["filetime"]))
    return {}


def lockout_threshold(db: SamDB, args: dict) -> dict:
    """Failed passwords before AD locks an account (0: never, the provisioned default)."""
    replace(db, db.domain_dn(), lockoutThreshold=str(args["value"]))
    return {}


def unlock(db: SamDB, args: dict) -> dict:
    replace(db, user_dn(db, args["username"]), lockoutTime="0")
    return {}


COMMANDS = {"populate": populate, "rename": rename, "disable": disable, "enable": enable,
            "expire": expire, "lockout_threshold": lockout_threshold,
            "unlock": unlock}


def main() -> None:
    smb_conf, command, raw = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "{}"
    result = COMMANDS[command](connect(smb_conf), json.loads(raw))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
