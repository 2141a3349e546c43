"""`gangway serve`: the production WSGI server (granian), optionally with TLS.

Browsers only allow the camera on HTTPS or localhost, so a tablet on the ship's Wi-Fi needs TLS:
bring a certificate, or let `--tls-self-signed` make one in the instance folder.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from gangway.background.supervisor import Workers
from gangway.db.types import utcnow
from gangway.extensions import db
from gangway.services.shore_link.settings import link_in_force

SENDER = "gangway.background.shore_sender"  # the shore link's own process (issue 17)


@click.command("serve")
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Processes (one per core).")
@click.option("--threads", default=2, show_default=True, type=int, help="Python threads each.")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False))
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False))
@click.option("--tls-self-signed", is_flag=True, help="Create and use a self-signed certificate.")
@click.option("--access-log/--no-access-log", default=True, show_default=True)
@click.option(
    "--job-workers",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Processes making reports, exports and imports, at low priority.",
)
@with_appcontext
def serve_command(
    host, port, workers, threads, tls_cert, tls_key, tls_self_signed, access_log, job_workers
):
    """Serve the app with granian.

    granian parses HTTP and keeps connections in Rust and calls the app on a few Python
    threads per process: ~0.05 ms of CPU a request against ~0.5 ms for gunicorn's threaded
    workers on the same machine (bench/scan_load_bench.py). Each worker process builds its own
    app from the same environment (GANGWAY_* variables), so no connection crosses a fork.
    Long work (reports, exports) runs in `--job-workers` processes of its own at low priority
    (gangway.background.supervisor, restarted if one dies), so that no scan waits behind the office.
    """
    from granian import Granian
    from granian.constants import Interfaces, SSLProtocols

    if bool(tls_cert) != bool(tls_key):
        raise click.UsageError("--tls-cert and --tls-key go together.")
    if tls_self_signed:
        tls_cert, tls_key = self_signed_certificate(Path(current_app.instance_path) / "tls")
    os.environ["GANGWAY_INSTANCE_PATH"] = current_app.instance_path  # the workers' app: this one
    os.environ.setdefault("PYTHONUNBUFFERED", "1")  # log lines reach a pipe or journal at once
    os.environ.setdefault("GANGWAY_DOCUMENT_WARM", "true")  # the OCR model loads at start
    server = Granian(
        "gangway:create_app",
        factory=True,
        interface=Interfaces.WSGI,
        websockets=False,
        address=host,
        port=port,
        workers=workers,
        blocking_threads=threads,
        log_access=access_log,
        respawn_failed_workers=True,  # a worker that dies is replaced, the others serve on
        **(
            {
                "ssl_cert": Path(tls_cert),
                "ssl_key": Path(tls_key),
                "ssl_protocol_min": SSLProtocols.tls12,  # older Android tablets
            }
            if tls_cert
            else {}
        ),
    )
    scheme = "https" if tls_cert else "http"
    app = current_app._get_current_object()
    jobs = Workers(app, job_workers).start()
    shore = Workers(app, module=SENDER).start() if shore_link_is_set(app) else None
    click.echo(f"Gangway on {scheme}://{host}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve()
    finally:
        jobs.stop()
        if shore:
            shore.stop()


def shore_link_is_set(app) -> bool:
    """Tell whether records go ashore (a link set here or in the environment)."""
    with app.app_context():
        is_set = link_in_force(db.session, app.config).is_set
        db.session.remove()
    return is_set


def self_signed_certificate(folder: Path) -> tuple[str, str]:
    """Create (once) a self-signed certificate for this host's names and addresses."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    if cert_path.exists() and key_path.exists():
        return str(cert_path), str(key_path)
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    hostname = socket.gethostname()
    names = [x509.DNSName("localhost"), x509.DNSName(hostname)]
    addresses = {"127.0.0.1"}
    with contextlib.suppress(OSError):  # no resolvable hostname: localhost still works
        addresses.update(info[4][0] for info in socket.getaddrinfo(hostname, None, socket.AF_INET))
    names += [x509.IPAddress(ipaddress.ip_address(a)) for a in sorted(addresses)]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Gangway {hostname}")])
    now = utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(cert_path), str(key_path)
