#!/usr/bin/env python3
"""Write the intranet's nginx site (deploy/nginx/intranet.conf.in) with this server's values.

    python3 deploy/render_nginx_site.py --server-name intranet.kiemlam.example.vn \\
        > /etc/nginx/sites-available/intranet

Only the standard library: it runs before the app's virtualenv exists.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nginx" / "intranet.conf.in"
FIELD = re.compile(r"@([A-Z_]+)@")
# A value goes into nginx's syntax as one word: nothing that could end or add a directive.
SAFE_VALUE = re.compile(r"[A-Za-z0-9_.:/\[\]\-]+")


class RenderError(ValueError):
    """A value is missing or would not be a single nginx word."""


def render(values: dict[str, str | list[str]], template: str | None = None) -> str:
    """The site's text with every @FIELD@ filled; APP_SERVERS is a list of host:port."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    filled: dict[str, str] = {}
    for name, value in values.items():
        words = value if isinstance(value, list) else [value]
        if not words:
            raise RenderError(f"{name}: no value")
        for word in words:
            if not SAFE_VALUE.fullmatch(word):
                raise RenderError(f"{name}: {word!r} is not a plain address, name or path")
        if name == "APP_SERVERS":
            filled[name] = "\n".join(
                f"    server {word} max_fails=1 fail_timeout=3s;" for word in words
            )
        else:
            filled[name] = " ".join(words)
    missing = sorted(set(FIELD.findall(text)) - set(filled))
    if missing:
        raise RenderError("no value for " + ", ".join(missing))
    return FIELD.sub(lambda match: filled[match.group(1)], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server-name", required=True, help="the site's DNS name (and aliases, space-separated)"
    )
    parser.add_argument(
        "--app",
        action="append",
        help="an app server host:port; repeat for several (127.0.0.1:8000)",
    )
    parser.add_argument(
        "--cert", default="/etc/ssl/certs/intranet.pem", help="certificate chain (PEM)"
    )
    parser.add_argument(
        "--key", default="/etc/ssl/private/intranet.key", help="its private key (PEM)"
    )
    parser.add_argument(
        "--static-dir", default=str(HERE.parent / "static"), help="the app's static/ folder"
    )
    parser.add_argument("--https-listen", default="443", help="HTTPS address:port or port (443)")
    parser.add_argument(
        "--http-listen", default="80", help="HTTP address:port or port, redirected (80)"
    )
    parser.add_argument("--log-dir", default="/var/log/nginx", help="where the site's logs go")
    parser.add_argument("--max-body", default="2m", help="largest request body nginx accepts (2m)")
    parser.add_argument("--output", "-o", type=Path, help="write here instead of standard output")
    args = parser.parse_args(argv)
    try:
        text = render(
            {
                "SERVER_NAME": args.server_name.split(),
                "APP_SERVERS": args.app or ["127.0.0.1:8000"],
                "TLS_CERT": args.cert,
                "TLS_KEY": args.key,
                "STATIC_DIR": args.static_dir.rstrip("/"),
                "HTTPS_LISTEN": args.https_listen,
                "HTTP_LISTEN": args.http_listen,
                "LOG_DIR": args.log_dir.rstrip("/"),
                "MAX_BODY": args.max_body,
            }
        )
    except RenderError as error:
        parser.error(str(error))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
