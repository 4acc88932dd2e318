"""Names and unit names sort as ICU's Vietnamese collation orders them, word by word."""
from __future__ import annotations

import random
from itertools import combinations

import icu
import pytest
from flask import Flask
from sqlalchemy import insert, select

from intranet.extensions import db
from intranet.models import Employee, Unit
from intranet.vietnamese import name_sort_key, normalize, place_tone, text_sort_key

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Đinh", "Đàm", "Chu", "Chung", "Tô", "Tôn Nữ",
    "La", "Lam", "Lâm", "Âu", "Ông", "Ưng", "Mai", "Quách", "Thái", "Trương", "Lương", "Khúc",
    "Kiều", "Hà", "Tạ", "Doãn", "Tôn Thất", "Nguyễn Phước", "Y", "Ksor", "Rơ Châm",
]
MIDDLE = [
    "", "Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Xuân", "Thu", "Thị Kim",
    "Văn Hoà", "Đình", "Công", "Bảo", "Hoài", "Thuỳ", "Thùy", "Anh", "Ánh",
]
GIVEN = [
    "An", "Anh", "Ánh", "Ân", "Ẩn", "Ấn", "Bảo", "Bình", "Chi", "Cúc", "Dũng", "Dương", "Đặng",
    "Đức", "Hoà", "Hòa", "Hoá", "Họa", "Hoạ", "Khoẻ", "Khỏe", "Thuỷ", "Thủy", "Thụy", "Uyên",
    "Ưng", "Quý", "Quỳnh", "Qua", "Lan", "Lân", "Lam", "La", "Sáu", "Sau", "Tâm", "Tầm", "Yến",
    "Ý", "Vy", "Vỹ", "Xuân", "Toàn", "Tuấn", "Thoa", "Thoả", "Loan", "Huy", "Huệ", "Giang",
    "Gia", "Nga", "Ngà", "Ngân", "Ngọc", "Oanh", "Ơn", "Phúc", "Phước", "Hạnh", "Hằng", "Hà",
]
EDGE_NAMES = [
    "Chu Văn Lan", "Chung Văn Lan", "Lam Thị La", "La Thị Lam", "La Văn Lan", "Lam Văn Lan",
    "Tôn Nữ Thu", "Tô Văn Thu", "Nguyễn Thị Hoà", "Nguyễn Thị Hòa", "Đặng An", "Dương An",
    "Đinh Thị Ánh", "Đỗ Anh", "Lê Ân", "Lê Ẩn", "Lê Ấn", "Lê Anh", "Lê Ánh", "Ủy Văn Hùng",
]
UNITS = [
    "Hạt Kiểm lâm An Lão", "Hạt Kiểm lâm Hoài Nhơn", "Hạt Kiểm lâm Hoài Ân", "Hạt Kiểm lâm Phù Mỹ",
    "Hạt Kiểm lâm Phù Cát", "Hạt Kiểm lâm Tây Sơn", "Hạt Kiểm lâm Vĩnh Thạnh", "Hạt Kiểm lâm Vân Canh",
    "Hạt Kiểm lâm Tuy Phước – Quy Nhơn", "Hạt Kiểm lâm Tuy Phước", "Hạt Kiểm lâm số 2", "Hạt Kiểm lâm số 10",
    "Phòng Tổ chức – Hành chính", "Phòng Tổ chức cán bộ", "Phòng Quản lý bảo vệ rừng và bảo tồn thiên nhiên",
    "Phòng Thanh tra – Pháp chế", "Phòng Sử dụng và phát triển rừng", "Đội Kiểm lâm cơ động và PCCCR",
    "Đội Kiểm lâm cơ động", "Dự án Rừng", "Ban Quản lý rừng phòng hộ", "Ban Quản lý", "Văn phòng",
]

COLLATOR = icu.Collator.createInstance(icu.Locale("vi"))


def icu_words(words: list[str]) -> tuple[bytes, ...]:
    """The reference: ICU's Vietnamese key of each word (tone placed one way), compared in turn."""
    return tuple(COLLATOR.getSortKey(place_tone(word)) for word in words)


def icu_name(full_name: str) -> tuple[bytes, ...]:
    words = normalize(full_name).split()
    return icu_words(words[-1:] + words[:-1])


def real_looking_names(count: int) -> list[str]:
    chooser = random.Random(17)
    names = {
        " ".join(part for part in (chooser.choice(FAMILY), chooser.choice(MIDDLE), chooser.choice(GIVEN)) if part)
        for _ in range(count * 2)
    }
    return sorted(names)[:count] + EDGE_NAMES


def sign(value: int) -> int:
    return (value > 0) - (value < 0)


def cmp(a: object, b: object) -> int:
    return sign((a > b) - (a < b))  # type: ignore[operator]


@pytest.mark.parametrize(("make_key", "reference", "items"), [
    (name_sort_key, icu_name, real_looking_names(260)),
    (text_sort_key, lambda text: icu_words(normalize(text).split()), UNITS),
], ids=["staff names", "unit names"])
def test_every_pair_compares_as_icu_vietnamese_collation_does(make_key, reference, items) -> None:
    assert len(items) >= 20
    keys = {item: (make_key(item), reference(item)) for item in items}
    wrong = [
        (a, b) for a, b in combinations(items, 2)
        if cmp(keys[a][0], keys[b][0]) != cmp(keys[a][1], keys[b][1])
    ]
    assert wrong == []


def test_a_space_weighs_less_than_any_letter() -> None:
    def ordered(*names: str) -> list[str]:
        return sorted(names, key=name_sort_key)

    assert ordered("Chung Văn Lan", "Chu Văn Lan") == ["Chu Văn Lan", "Chung Văn Lan"]
    assert ordered("Lam Thị Hoa", "La Thị Hoa") == ["La Thị Hoa", "Lam Thị Hoa"]
    assert ordered("Tôn Nữ Thu", "Tô Văn Thu") == ["Tô Văn Thu", "Tôn Nữ Thu"]
    assert ordered("Trần Lam", "Trần La") == ["Trần La", "Trần Lam"]
    assert ordered("Ẩn", "Ấn", "Anh", "Ân", "Ánh", "Đặng", "Dương") == ["Anh", "Ánh", "Ân", "Ẩn", "Ấn", "Dương", "Đặng"]
    assert sorted(["Phòng Tổ chức cán bộ", "Phòng Tổ chức – Hành chính"], key=text_sort_key) == [
        "Phòng Tổ chức – Hành chính", "Phòng Tổ chức cán bộ"
    ]


@pytest.mark.parametrize(("old", "new"), [
    ("Hòa", "Hoà"), ("Khỏe", "Khoẻ"), ("Thủy", "Thuỷ"), ("Thụy", "Thuỵ"), ("HÒA", "HOÀ"), ("Ủy", "Uỷ"),
    ("hoạ", "hoạ"),
])
def test_old_and_new_tone_placement_are_the_same_name(old: str, new: str) -> None:
    assert place_tone(old) == place_tone(new)
    assert name_sort_key(f"Nguyễn Thị {old}") == name_sort_key(f"Nguyễn Thị {new}")


@pytest.mark.parametrize("word", ["Quý", "Quả", "Qùy", "Hoàn", "Toàn", "Khuya", "Thuyền", "Hoài", "Ưng", ""])
def test_tone_stays_where_the_syllable_leaves_no_choice(word: str) -> None:
    assert place_tone(word) == normalize(word)


def test_the_database_orders_staff_and_units_by_the_stored_keys(app: Flask) -> None:
    names = real_looking_names(60)
    with app.app_context():
        db.session.execute(insert(Unit), [{"name": name, "sort_key": text_sort_key(name)} for name in UNITS])
        db.session.execute(insert(Employee), [
            {"username": f"u{i}", "directory_dn": f"uid=u{i}", "full_name": name, "sort_key": name_sort_key(name)}
            for i, name in enumerate(names)
        ])
        db.session.commit()
        stored_units = list(db.session.scalars(select(Unit.name).order_by(Unit.sort_key)))
        stored_names = list(db.session.scalars(select(Employee.full_name).order_by(Employee.sort_key, Employee.id)))
    assert stored_units == sorted(UNITS, key=lambda text: icu_words(text.split()))
    assert stored_names == sorted(names, key=icu_name)
