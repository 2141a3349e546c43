"""The shore server as it runs ashore: granian serving the app's factory (what `gangway serve`
runs) in processes of its own, on a PostgreSQL database, so that a test or a benchmark can kill
it (SIGKILL) and start it again. Granian is started directly: `gangway serve` would build the app
once more in its own process first, a second or more of each start on a loaded machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MAIN = "from gangway.cli import main; main()"  # this checkout's gangway, not the venv's script


def shore_env(database_url: str, instance: Path, **config) -> dict[str, str]:
    """The environment of a shore server process on `database_url` (GANGWAY_* settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GANGWAY_")}
    return env | {
        "PYTHONPATH": str(REPO),
        "PYTHONUNBUFFERED": "1",
        "GANGWAY_SHORE": "1",
        "GANGWAY_DATABASE_URL": database_url,
        "GANGWAY_INSTANCE_PATH": str(instance),
        "GANGWAY_SECRET_KEY": "shore-test-secret-key-not-for-production",
        **{f"GANGWAY_{k}": str(v) for k, v in config.items()},
    }


def gangway(env: dict[str, str], *args: str, input: str | None = None) -> str:
    """Run a gangway command of this checkout in the shore's environment; return its output."""
    done = subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        env=env, cwd=REPO, capture_output=True, text=True, input=input,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"gangway {' '.join(args)}: {done.stdout}{done.stderr}")
    return done.stdout


class ShoreServer:
    """`gangway serve` on a port, in its own process group: stop() or kill() it, start() again."""

    def __init__(self, env: dict[str, str], port: int, workers: int = 1, threads: int = 2):
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.log = Path(env["GANGWAY_INSTANCE_PATH"]) / "serve.log"

    def start(self, timeout: float = 60.0) -> ShoreServer:
        """Start serving and wait until the shore answers."""
        Path(self.env["GANGWAY_INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)
        args = ["--interface", "wsgi", "--factory", "--no-ws", "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(self.workers), "--blocking-threads",
                str(self.threads), "--no-access-log", "--respawn-failed-workers",
                "gangway:create_app"]  # fmt: skip
        with self.log.open("ab") as log:  # new session: kill() reaches granian's workers too
            self.process = subprocess.Popen(
                [sys.executable, "-m", "granian", *args], env=self.env, cwd=REPO,
                stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"the shore server did not start:\n{self.log.read_text()}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """SIGKILL every process of the server at once, as a power cut would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """Stop the server gently (SIGTERM), or kill it if it does not stop."""
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/shore/head", timeout=2):
                return True
        except urllib.error.HTTPError:  # 401 without a token: it is serving
            return True
        except OSError:
            return False


@contextmanager
def shore_server(env: dict[str, str], port: int, workers: int = 1):
    """Serve the shore for the block; stop it after."""
    server = ShoreServer(env, port, workers).start()
    try:
        yield server
    finally:
        server.stop()
