"""What people read about the directory: sign-in refusals, sync failures, the sync plan."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import accounts
from .client import DirectorySearchFailed, DirectoryUnavailable
from .sync import GONE, SyncAborted, SyncPlan

# After the right password only (AD says so only then), so they tell an attacker nothing.
SIGN_IN_REFUSALS = {
    accounts.DISABLED: _l(
        "Tài khoản của bạn đã bị vô hiệu hóa trong danh bạ nên không đăng nhập được. "
        "Vui lòng liên hệ bộ phận quản trị mạng của cơ quan."
    ),
    accounts.EXPIRED: _l(
        "Tài khoản của bạn đã hết hạn sử dụng. Vui lòng liên hệ bộ phận quản trị mạng "
        "của cơ quan để gia hạn."
    ),
    accounts.PASSWORD_EXPIRED: _l(
        "Mật khẩu của bạn đã hết hạn. Hãy đổi mật khẩu trên máy tính cơ quan "
        "(Ctrl+Alt+Del → Đổi mật khẩu) rồi đăng nhập lại bằng mật khẩu mới."
    ),
    accounts.MUST_CHANGE_PASSWORD: _l(
        "Bạn cần đổi mật khẩu trước lần đăng nhập đầu tiên. Hãy đăng nhập vào máy tính "
        "cơ quan và đặt mật khẩu mới, rồi quay lại đây."
    ),
    accounts.LOCKED: _l(
        "Tài khoản của bạn đang bị khóa tạm thời vì nhập sai mật khẩu nhiều lần. "
        "Vui lòng đợi ít phút rồi thử lại, hoặc liên hệ bộ phận quản trị mạng."
    ),
}

LEAVING_REASONS = {
    GONE: _l("không còn trong danh bạ"),
    accounts.DISABLED: _l("tài khoản bị vô hiệu hóa"),
    accounts.EXPIRED: _l("tài khoản đã hết hạn"),
}

ROLES = {"head": _l("thủ trưởng đơn vị"), "admin": _l("quản trị")}

SECTIONS = (
    ("added", _l("Thêm mới")),
    ("renamed", _l("Đổi tên đăng nhập")),
    ("moved", _l("Chuyển đơn vị")),
    ("leaving", _l("Ngừng hoạt động")),
    ("back", _l("Hoạt động trở lại")),
    ("roles_gained", _l("Nhận vai trò")),
    ("roles_lost", _l("Thôi vai trò")),
)


def sync_failure(error: Exception) -> str:
    """One sentence on why the sync stopped; it always says that nothing was changed."""
    if isinstance(error, DirectorySearchFailed):
        if error.kind == DirectorySearchFailed.GROUP:
            return _(
                "Đồng bộ đã dừng, không thay đổi gì: không đọc được nhóm %(dn)s trong danh bạ "
                "(%(error)s). Hãy kiểm tra LDAP_HEAD_GROUP và LDAP_ADMIN_GROUP.",
                dn=error.dn, error=error.description,
            )
        return _(
            "Đồng bộ đã dừng, không thay đổi gì: danh bạ báo lỗi khi tìm trong %(dn)s "
            "(%(error)s). Hãy kiểm tra LDAP_USER_BASE.",
            dn=error.dn, error=error.description,
        )
    if isinstance(error, SyncAborted):
        return _(
            "Đồng bộ đã dừng, không thay đổi gì: danh bạ không trả về người nào trong khi "
            "đang có %(active)s người hoạt động. Hãy kiểm tra LDAP_USER_BASE và LDAP_SYNC_FILTER.",
            active=error.active,
        )
    if isinstance(error, DirectoryUnavailable):
        return _("Đồng bộ đã dừng, không thay đổi gì: không kết nối được danh bạ.")
    raise TypeError(error)


def needs_confirmation(plan: SyncPlan, max_share: float) -> str:
    return _(
        "Lần đồng bộ này sẽ ngừng hoạt động %(count)s trong số %(active)s người đang hoạt động, "
        "nhiều hơn mức %(share)s%% cho phép (LDAP_SYNC_MAX_LEAVERS). Chưa thay đổi gì: hãy xem "
        "danh sách và xác nhận nếu đúng.",
        count=len(plan.leavers), active=plan.active_before, share=f"{max_share * 100:g}",
    )


def item_detail(section: str, before: str | None, after: str | None) -> str:
    """The "what changes" part of a plan line."""
    if section == "leaving":
        return str(LEAVING_REASONS.get(after or "", after or ""))
    if section == "roles_gained":
        return str(ROLES.get(after or "", after or ""))
    if section == "roles_lost":
        return str(ROLES.get(before or "", before or ""))
    if section in ("renamed", "moved"):
        return f"{before or '—'} → {after or '—'}"
    return after or ""


def plan_lines(plan: SyncPlan, limit: int = 50) -> list[str]:
    """The plan as text lines for the command line; every leaver is listed, others capped."""
    lines: list[str] = []
    for section, title in SECTIONS:
        items = getattr(plan, section)
        if not items:
            continue
        lines.append(f"{title} ({len(items)}):")
        shown = items if section == "leaving" else items[:limit]
        for item in shown:
            detail = item_detail(section, item.before, item.after)
            lines.append(f"  - {item.full_name} ({item.username})" + (f": {detail}" if detail else ""))
        if len(shown) < len(items):
            lines.append("  " + _("… và %(count)s người khác", count=len(items) - len(shown)))
    return lines
