"""Login answer times: unknown name, wrong password, a try made to wait, the right password.

Each failed try must take as long as the others (one password hash each: scrypt, the app's
default), so the time tells neither which names exist nor which tries were held back. Times
POST /login through the Flask test client on SQLite (synchronous=FULL) in one process, the
cases interleaved round by round; each try starts from a fresh throttle, except the waiting
one, whose client failed twice just before. Baselines in the same run: one scrypt check alone,
and GET /login (the page without any hash).
Usage: .venv/bin/python bench/login_timing_bench.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gangway import create_app  # noqa: E402
from gangway.extensions import db  # noqa: E402
from gangway.services.accounts.accounts import create_user  # noqa: E402
from gangway.web.login_throttle import Client, LoginThrottle  # noqa: E402

PASSWORD = "correct horse battery"
ADDRESS = "10.9.0.1"


def build(folder: Path):
    url = f"sqlite:///{folder / 'bench.db'}"
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": os.urandom(32).hex()}
    app = create_app({**config, "WTF_CSRF_ENABLED": False}, instance_path=folder / "instance")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        create_user(db.session, "watch", "watch", PASSWORD)  # scrypt, as in production
        db.session.commit()
    return app


def timed_post(app, username: str, password: str, *, waiting: bool) -> tuple[float, int]:
    throttle = app.extensions["gangway.web.login_throttle"] = LoginThrottle()
    if waiting:
        for _ in range(2):
            throttle.failed(username, Client("address:" + ADDRESS, ADDRESS, False))
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    start = time.perf_counter()
    answer = client.post("/login", data={"username": username, "password": password})
    return (time.perf_counter() - start) * 1000, answer.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    cases = {
        "unknown name": ("nobody", "guess", False),
        "wrong password": ("watch", "guess", False),
        "made to wait (429)": ("watch", PASSWORD, True),
        "right password": ("watch", PASSWORD, False),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    statuses: dict[str, set[int]] = {name: set() for name in cases}
    baseline_hash, baseline_page = [], []
    digest = generate_password_hash("something else")
    with tempfile.TemporaryDirectory() as tmp:
        app = build(Path(tmp))
        page = app.test_client()
        for round_ in range(args.rounds + 2):  # the first two warm up
            for name, (username, password, waiting) in cases.items():
                ms, status = timed_post(app, username, password, waiting=waiting)
                if round_ >= 2:
                    times[name].append(ms)
                    statuses[name].add(status)
            start = time.perf_counter()
            check_password_hash(digest, "guess")
            baseline_hash.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            page.get("/login")
            baseline_page.append((time.perf_counter() - start) * 1000)
        with app.app_context():
            db.engine.dispose()
    print(f"{args.rounds} rounds, load {os.getloadavg()[0]:.1f}, SQLite synchronous=FULL")
    print("| case | status | n | median ms | p90 ms |\n|---|---|---:|---:|---:|")
    for name, values in times.items():
        print(row(name, "/".join(map(str, sorted(statuses[name]))), values))
    print(row("baseline: one scrypt check alone", "-", baseline_hash[2:]))
    print(row("baseline: GET /login (no hash)", "200", baseline_page[2:]))


def row(name: str, status: str, values: list[float]) -> str:
    p90 = statistics.quantiles(values, n=10)[-1]
    return f"| {name} | {status} | {len(values)} | {statistics.median(values):.1f} | {p90:.1f} |"


if __name__ == "__main__":
    main()
