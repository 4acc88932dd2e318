"""Friendly error pages: a status, a sentence in the user's language, never a traceback."""
from __future__ import annotations

import logging
import secrets

from flask import Flask, render_template, session
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .directory import DirectoryUnavailable
from .database import discard

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Yêu cầu không hợp lệ"), _l("Dữ liệu gửi lên không hợp lệ. Vui lòng quay lại và thử lại.")),
    403: (_l("Không có quyền truy cập"), _l("Tài khoản của bạn không có quyền xem trang này.")),
    404: (_l("Không tìm thấy trang"), _l("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")),
    405: (_l("Thao tác không được hỗ trợ"), _l("Trang này không nhận thao tác vừa gửi.")),
    422: (_l("Dữ liệu chưa hợp lệ"), _l("Dữ liệu gửi lên chưa hợp lệ. Vui lòng quay lại và sửa.")),
    413: (_l("Dữ liệu quá lớn"), _l("Dữ liệu gửi lên vượt quá giới hạn cho phép.")),
    415: (_l("Dữ liệu không đúng dạng"), _l("Dữ liệu gửi lên phải là một biểu mẫu.")),
    429: (_l("Quá nhiều yêu cầu"), _l("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.")),
    500: (_l("Lỗi hệ thống"), _l("Đã có lỗi xảy ra. Bộ phận quản trị đã được ghi nhận; vui lòng thử lại sau.")),
    503: (
        _l("Không kết nối được danh bạ"),
        _l(
            "Hệ thống danh bạ (LDAP) hiện không phản hồi nên chưa thể đăng nhập. "
            "Vui lòng thử lại sau ít phút; nếu vẫn lỗi, hãy báo bộ phận quản trị mạng."
        ),
    ),
}


def render_error(code: int, message: str | None = None, error_id: str | None = None):
    """The error page. The request failed: nothing it wrote is kept (database/transaction.py)."""
    discard()
    title, default = MESSAGES.get(code, MESSAGES[500])
    body = render_template(
        "errors/error.html",
        code=code,
        title=title,
        message=message or default,
        error_id=error_id,
    )
    return body, code


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, InternalServerError):
            return unexpected_error(error.original_exception or error)
        return render_error(error.code or 500)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_error(
            400, _l("Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và gửi lại.")
        )

    @app.errorhandler(DirectoryUnavailable)
    def directory_unavailable(error: DirectoryUnavailable):
        log.warning("directory unavailable: %s", error)
        return render_error(503)

    @app.errorhandler(Exception)
    def unexpected_error(error: BaseException):
        error_id = secrets.token_hex(4)
        log.exception("unhandled error %s", error_id, exc_info=error)
        # Not even a "saved" message a view queued before its commit failed.
        session.pop("_flashes", None)
        return render_error(500, error_id=error_id)
