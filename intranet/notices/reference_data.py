"""Reference data the product starts with; admins extend it (see DOMAIN.md)."""
from __future__ import annotations

from datetime import date

from ..extensions import db
from ..models import AppraisalOutcome, IssuingBody

# Decree 90/2020/NĐ-CP (amended by 48/2023) rating levels, then the adjustments a head proposes.
APPRAISAL_OUTCOMES = [
    ("rating_excellent", "Hoàn thành xuất sắc nhiệm vụ"),
    ("rating_good", "Hoàn thành tốt nhiệm vụ"),
    ("rating_completed", "Hoàn thành nhiệm vụ"),
    ("rating_not_completed", "Không hoàn thành nhiệm vụ"),
    ("one_level_lower", "Hạ một mức xếp loại"),
    ("not_eligible_top", "Không xét mức Hoàn thành xuất sắc nhiệm vụ"),
    ("no_effect", "Không ảnh hưởng đến xếp loại"),
    ("reminder", "Nhắc nhở"),
    ("deduct_5_points", "Trừ 5 điểm (thang 100 điểm, Nghị định 335/2025/NĐ-CP)"),
]
# Migration 0015: the rating levels retired (a head proposes a response, never a level), and
# what the two responses it adds carry.
RETIRED_ON = date(2025, 12, 31)
OUTCOME_DETAILS = {
    "deduct_5_points": {"valid_from": date(2026, 1, 1), "categories": "cong_chuc", "points": -5},
}

# What migration 0003 seeded: the provincial centre without its province, and district one-stop
# shops of districts abolished on 01/07/2025. Migration 0013 retired them (kept for old notices).
ISSUING_BODIES = [
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Bộ phận Một cửa UBND huyện An Lão",
    "Bộ phận Một cửa UBND thị xã Hoài Nhơn",
    "Bộ phận Một cửa UBND huyện Tây Sơn",
    "Bộ phận Một cửa UBND huyện Vĩnh Thạnh",
    "Bộ phận Một cửa UBND thành phố Quy Nhơn",
]
# The bodies of the merged province (Bình Định became part of Gia Lai on 01/07/2025) that send
# notices, seeded by migration 0013; the admin adds commune and ward one-stop shops as needed.
CURRENT_BODIES = [
    "Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
    "Văn phòng Ủy ban nhân dân tỉnh Gia Lai",
]


def seed() -> None:
    """The same rows migrations 0003, 0013 and 0015 leave, for databases built with create_all (tests)."""
    for position, (code, label) in enumerate(APPRAISAL_OUTCOMES, start=1):
        retired = code.startswith("rating_")
        db.session.add(AppraisalOutcome(
            code=code, label=label, position=position, active=not retired,
            valid_to=RETIRED_ON if retired else None, **OUTCOME_DETAILS.get(code, {}),
        ))
    for name in ISSUING_BODIES:
        db.session.add(IssuingBody(name, active=False))
    for name in CURRENT_BODIES:
        db.session.add(IssuingBody(name))
