"""The sign-in form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import StopValidation


def _required(message: str):
    """Refuse a missing or blank value: a blank password would be an anonymous bind."""

    def check(_form: FlaskForm, field: StringField) -> None:
        if not (field.data or "").strip():
            raise StopValidation(message)

    return check


class LoginForm(FlaskForm):
    # No length rule: an over-long name gets the same answer as any wrong one.
    username = StringField(
        _l("Tên đăng nhập"), validators=[_required(_l("Vui lòng nhập tên đăng nhập."))],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Mật khẩu"), validators=[_required(_l("Vui lòng nhập mật khẩu."))],
        render_kw={"autocomplete": "current-password"},
    )
