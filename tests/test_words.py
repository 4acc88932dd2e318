"""The words a Vietnamese office uses (DOMAIN.md, "Words to use"), in the interface and in English."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from .support.forms import declare

ROOT = Path(__file__).parent.parent
# Said instead: công chức, viên chức, người lao động; tình hình thực hiện; thông báo trường hợp
# nộp hồ sơ giấy; ngày tiếp nhận hồ sơ; ban hành; đề xuất (a head proposes); tài khoản đăng nhập
# mạng nội bộ.
NOT_SAID = [
    r"\bcán bộ\b", r"\btuân thủ\b", r"thông báo của Bộ phận Một cửa", r"Cán bộ được thông báo",
    r"Cơ quan thông báo", r"\bngày nộp\b", r"\bđề ngày\b", r"tài khoản danh bạ",
    r"chờ (thủ trưởng )?quyết định", r"quyết định (đánh giá|trong tháng|ghi nhận)",
    r"ghi nhận quyết định", r"lưu quyết định",
]
NOT_SAID_IN_ENGLISH = [r"\bcompliance\b", r"\bdecisions?\b"]


def interface_files() -> list[Path]:
    # The demo directory's people and units are data, as a real directory's are.
    # The column names other systems' files use are matched as they are written (imports).
    return [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt"),
            *(p for p in ROOT.glob("intranet/**/*.py") if p.name not in ("demo.py", "columns.py"))]


@pytest.mark.parametrize("pattern", NOT_SAID)
def test_the_interface_does_not_say(pattern: str) -> None:
    found = [
        str(path.relative_to(ROOT)) for path in interface_files()
        if re.search(pattern, path.read_text(encoding="utf-8"), re.IGNORECASE)
    ]
    assert found == []


def test_nor_does_its_english() -> None:
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as catalogue:
        strings = [m.string for m in read_po(catalogue) if m.id and isinstance(m.string, str)]
    # Placeholders such as %(decisions)s are names in code, not words.
    words = [re.sub(r"%\(\w+\)s", "", s) for s in strings]
    found = [s for s in words for p in NOT_SAID_IN_ENGLISH if re.search(p, s, re.IGNORECASE)]
    assert found == []


def test_column_heads_name_declared_activation(admin_client: FlaskClient) -> None:
    page = admin_client.get("/compliance").get_data(as_text=True)
    for head in ("Tình hình thực hiện", "Số CC, VC, NLĐ", "Đã kích hoạt mức độ 2", "Tỷ lệ đã kích hoạt (%)",
                 "Mới có mức độ 1", "Thông báo trường hợp nộp hồ sơ giấy", "Đề xuất trong tháng"):
        assert head in page, head


def test_the_notice_form_and_the_declaration_page(head_client: FlaskClient, employee_client: FlaskClient) -> None:
    form = head_client.get("/notices/new").get_data(as_text=True)
    for label in ("Người có tên trong thông báo", "Cơ quan ban hành thông báo", "Ngày tiếp nhận hồ sơ",
                  "Ghi nhận thông báo trường hợp nộp hồ sơ giấy"):
        assert label in form, label
    declaration = employee_client.get("/declaration").get_data(as_text=True)
    assert "số định danh cá nhân (số thẻ căn cước/CCCD), mật khẩu, passcode hay mã OTP" in declaration
    declare(employee_client, status="level1")
    home = employee_client.get("/").get_data(as_text=True)
    assert "Công chức, viên chức, người lao động" in home
    assert "100% công chức, viên chức, người lao động" in home


def test_sign_in_names_the_internal_network_account(client: FlaskClient) -> None:
    assert "tài khoản đăng nhập mạng nội bộ" in client.get("/login").get_data(as_text=True)
