"""A throw-away certificate authority for the TLS tests, made with the openssl command.

    ca = CertificateAuthority(tmp_path / "ca")
    files = ca.server_files(tmp_path / "srv", dns=["localhost"], ips=["127.0.0.1"])
    Slapd(..., tls=files)   # files.ca is the CA the app must trust (LDAP_CA_FILE)
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from .ldap_server import TlsFiles

OPENSSL = "openssl"


def _run(*args: str) -> None:
    result = subprocess.run([OPENSSL, *args], capture_output=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr.decode(errors='replace')}")


class CertificateAuthority:
    def __init__(self, folder: Path, name: str = "Chi cuc Kiem lam test CA") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.cert = folder / "ca.pem"
        self.key = folder / "ca.key"
        _run(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout", str(self.key), "-out", str(self.cert),
        )

    def server_files(self, folder: Path, *, dns: list[str], ips: list[str] = ()) -> TlsFiles:
        """A server certificate for these names, signed by this CA."""
        folder.mkdir(parents=True, exist_ok=True)
        key, request, cert, ext = (folder / n for n in ("server.key", "server.csr", "server.pem", "ext.cnf"))
        names = [f"DNS:{name}" for name in dns] + [f"IP:{ip}" for ip in ips]
        ext.write_text(
            f"subjectAltName={','.join(names)}\nextendedKeyUsage=serverAuth\n"
            "basicConstraints=CA:FALSE\n",
            encoding="ascii",
        )
        _run(
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", f"/CN={dns[0] if dns else ips[0]}", "-keyout", str(key), "-out", str(request),
        )
        _run(
            "x509", "-req", "-in", str(request), "-CA", str(self.cert), "-CAkey", str(self.key),
            "-CAcreateserial", "-days", "2", "-extfile", str(ext), "-out", str(cert),
        )
        return TlsFiles(ca=self.cert, cert=cert, key=key)
