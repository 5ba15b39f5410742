"""HTTPS for the emulator: a generated certificate authority and a TLS front on the public port.

Waitress serves plain HTTP only, so with ``tls=True`` it listens on a private loopback port and
:class:`TlsFrontend` owns the public one: each accepted connection completes its TLS handshake
in its own thread (a slow client holds up nobody) and is then relayed byte for byte to waitress.
Everything the emulator does over HTTP (keep-alive, dropped connections, error answers) is
therefore the same over HTTPS.

The certificates are generated at start with the ``cryptography`` package, imported only here
and only when TLS is asked for: ``pip install cryptography`` (or the ``tls`` extra). A CA
certificate (``ca.pem``, what clients trust) signs the server certificate, which names
``localhost``, ``127.0.0.1``, ``::1`` and the server's host names (and ``*.<name>`` of each, for
clients that address ``<project>.<name>``).
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import socket
import ssl
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional

__all__ = ["CertificateFiles", "TlsFrontend", "generate_certificates"]

logger = logging.getLogger(__name__)

#: seconds a client may take for its TLS handshake
HANDSHAKE_TIMEOUT = 30.0
_CHUNK = 64 * 1024


class CertificateFiles:
    """Where the generated PEM files are: ``ca_file`` (trust this), ``cert_file``, ``key_file``."""

    def __init__(self, folder: Path) -> None:
        self.ca_file = folder / "ca.pem"
        self.cert_file = folder / "server.pem"
        self.key_file = folder / "server-key.pem"


def _cryptography() -> Any:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        raise RuntimeError(
            "the emulator's HTTPS mode (tls=True, --tls) generates its certificate with the "
            "'cryptography' package, which is not installed: pip install cryptography"
        ) from None
    return x509, hashes, serialization, ec, NameOID


def generate_certificates(folder: Path, names: Iterable[str] = ()) -> CertificateFiles:
    """Write a fresh CA and a server certificate it signs (valid for 30 days) into ``folder``."""
    x509, hashes, serialization, ec, name_oid = _cryptography()
    folder.mkdir(parents=True, exist_ok=True)
    files = CertificateFiles(folder)
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=30)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(name_oid.COMMON_NAME, "SLS emulator test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    alt: list[Any] = []
    dns = {"localhost"}
    for name in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            dns.add(name.lower())
    for ip in ("127.0.0.1", "::1"):
        if not any(getattr(entry, "value", None) == ipaddress.ip_address(ip) for entry in alt):
            alt.append(x509.IPAddress(ipaddress.ip_address(ip)))
    for name in sorted(dns):
        alt.extend((x509.DNSName(name), x509.DNSName(f"*.{name}")))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(name_oid.COMMON_NAME, "sls-emulator")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    files.ca_file.write_bytes(ca_cert.public_bytes(pem))
    files.cert_file.write_bytes(cert.public_bytes(pem))
    key_bytes = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # The key is written readable by its owner only: it is a test key, but a key nonetheless.
    descriptor = os.open(files.key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    return files


class TlsFrontend:
    """Accepts TLS on ``host:port`` and relays each connection to ``127.0.0.1:backend_port``.

    :param files: the server certificate and key to present.
    """

    def __init__(self, host: str, port: int, backend_port: int, files: CertificateFiles) -> None:
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.minimum_version = ssl.TLSVersion.TLSv1_2
        self._context.load_cert_chain(str(files.cert_file), str(files.key_file))
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.socket(family, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, port))
        self._listener.listen(128)
        self.port = int(self._listener.getsockname()[1])
        self._backend = ("127.0.0.1", backend_port)
        self._closed = threading.Event()
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        """Accept connections in a background thread."""
        self._thread = threading.Thread(target=self._accept_loop, name="sls-emulator-tls", daemon=True)
        self._thread.start()

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                raw, _ = self._listener.accept()
            except OSError:
                if self._closed.is_set():
                    return
                continue
            threading.Thread(target=self._serve, args=(raw,), name="sls-emulator-tls-conn", daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(HANDSHAKE_TIMEOUT)
        try:
            client = self._context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError) as exc:
            logger.info("TLS handshake failed: %s", exc)
            raw.close()
            return
        client.settimeout(None)
        try:
            backend = socket.create_connection(self._backend)
        except OSError:
            client.close()
            return
        self._track(client, backend)
        upstream = threading.Thread(target=self._pump, args=(client, backend), daemon=True)
        upstream.start()
        self._pump(backend, client)
        upstream.join()
        self._untrack(client, backend)

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        """Copy ``source`` to ``target`` until either side closes, then close both."""
        try:
            while True:
                data = source.recv(_CHUNK)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _track(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._connections.update(sockets)

    def _untrack(self, *sockets: socket.socket) -> None:
        with self._lock:
            for sock in sockets:
                self._connections.discard(sock)
                sock.close()

    def stop(self) -> None:
        """Stop accepting and close every relayed connection."""
        self._closed.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for sock in list(self._connections):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self._thread is not None:
            self._thread.join(timeout=10)
