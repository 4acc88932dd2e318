"""The VNeID compliance intranet: create_app() builds the Flask app from small named steps."""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request, session
from flask.cli import NoAppException

from config import settings_from_env

from . import database  # noqa: F401  registers the engine listeners (SQLite, PostgreSQL)
from .extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(NoAppException):
    """A setting the app cannot start without is missing or wrong.

    A NoAppException, so `flask ...` prints the message as an error instead of a traceback
    (and gunicorn still stops: a worker that cannot load the app halts it).
    """


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(settings_from_env())
    if test_config:
        app.config.update(test_config)
    configure(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def configure(app: Flask) -> None:
    """Fill in what the environment left empty, and refuse to start production half-set."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    production = app.config["INTRANET_ENV"] == "production"
    if production:
        missing = [name for name in ("SECRET_KEY", "LDAP_URL") if not app.config[name]]
        if missing:
            raise ConfigurationError(
                "Thiếu cấu hình bắt buộc khi chạy production / missing required settings: "
                + ", ".join(missing)
            )
    from .rate_limits import configure_storage

    problem = configure_storage(app.config)
    if problem:
        raise ConfigurationError(problem)
    from .reminders.settings import problems as reminder_problems

    if wrong := reminder_problems(app.config):
        raise ConfigurationError("Cấu hình thư nhắc việc sai / reminder settings: " + "; ".join(wrong))
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'intranet.db'}"
        )
    # The engine's options for that database; options a caller set explicitly win.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **database.engine.engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATABASE_PREPARED_STATEMENTS"]
        ),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    _check_directory(app, production)
    if not app.config["LDAP_URL"]:
        from .directory.demo import DEMO_SETTINGS

        for name, value in DEMO_SETTINGS.items():
            if not app.config.get(name):
                app.config[name] = value
    app.config["DEMO_DIRECTORY"] = not app.config["LDAP_URL"]
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "translations"))


def _check_directory(app: Flask, production: bool) -> None:
    """Directory settings that cannot work stop the start; clear-text passwords too, in production."""
    from .directory.servers import is_plaintext
    from .directory.settings import DirectorySettings, SettingsError

    try:
        DirectorySettings.from_config(app.config)
    except SettingsError as error:
        raise ConfigurationError(str(error)) from error
    ca_file = app.config["LDAP_CA_FILE"]
    if ca_file and not Path(ca_file).is_file():
        raise ConfigurationError(f"LDAP_CA_FILE={ca_file}: không có tệp này / no such file")
    urls = app.config["LDAP_URL"].split()
    app.config["LDAP_PLAINTEXT"] = bool(urls) and is_plaintext(urls, app.config["LDAP_START_TLS"])
    if production and app.config["LDAP_PLAINTEXT"]:
        if not app.config["LDAP_ALLOW_PLAINTEXT"]:
            raise ConfigurationError(
                "LDAP_URL dùng ldap:// không mã hóa: mật khẩu sẽ đi qua mạng ở dạng rõ. Dùng "
                "ldaps:// hoặc LDAP_START_TLS=1 (hoặc đặt LDAP_ALLOW_PLAINTEXT=1 nếu chấp nhận) / "
                "plain ldap:// without StartTLS: use ldaps:// or LDAP_START_TLS=1"
            )
        app.logger.warning(
            "LDAP_ALLOW_PLAINTEXT=1: directory passwords cross the network unencrypted (%s)",
            app.config["LDAP_URL"],
        )


def _instance_secret(instance: Path) -> str:
    """A development key kept in the instance folder, so every worker and restart shares it."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def select_locale() -> str:
    if not has_request_context():
        return "vi"  # the command line speaks the interface's language
    lang = session.get("lang")
    return lang if lang in ("vi", "en") else "vi"


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    database.commit_each_request(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    limiter.init_app(app)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    from .auth.session import configure_login

    configure_login(login_manager)


def register_blueprints(app: Flask) -> None:
    from .ids import IdConverter

    app.url_map.converters["id"] = IdConverter
    from .admin.views import bp as admin_bp
    from .appraisals import bp as appraisals_bp
    from .auth.views import bp as auth_bp
    from .compliance.views import bp as compliance_bp
    from .declarations.views import bp as declarations_bp
    from .explanations.views import bp as explanations_bp
    from .health import bp as health_bp
    from .imports.views import bp as imports_bp
    from .main.views import bp as main_bp
    from .notices import bp as notices_bp
    from .reports.views import bp as reports_bp
    from .reminders.views import bp as reminders_bp
    from .units.views import bp as units_bp

    for blueprint in (
        auth_bp, main_bp, declarations_bp, units_bp, notices_bp, appraisals_bp, admin_bp,
        compliance_bp, imports_bp, reports_bp, reminders_bp, explanations_bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(health_bp)  # /healthz, for probes: no sign-in


def register_errorhandlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from .directory.cli import directory_cli
    from .imports.cli import notices_cli
    from .maintenance.cli import backup_command
    from .reminders.cli import reminders_cli

    app.cli.add_command(directory_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(reminders_cli)


def register_template_helpers(app: Flask) -> None:
    from . import access, formatting, request_guards, static_urls

    formatting.register(app)
    static_urls.register(app)
    # Templates ask the rules (access.can_act_for_unit(current_user, ...)), never restate them.
    app.jinja_env.globals["access"] = access
    request_guards.register(app)

    @app.after_request
    def security_headers(response: Any) -> Any:
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config["INTRANET_ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # Pages show personal data: never kept in a shared browser's cache.
            headers["Cache-Control"] = "no-store"
        return response
