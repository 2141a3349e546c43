"""Run `gangway serve` (granian) on an instance folder, and kill it the way a crash would.

`Server` starts the console script as a subprocess. A crash test restarts the server 20 times,
and each start of the script spends ~2-4 s (on a busy 2-core machine) importing the app before
granian even binds; `Launcher` pays that once: a process that imported the app forks a fresh
`gangway serve` (the same `gangway.cli:main` the console script calls) per start.

`.venv/bin/python -m tests.durability.server` builds an instance, serves it and prints a token.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import closing, suppress
from pathlib import Path

from .driver import GANGWAY, NO_ANSWER, Client, Instance, free_port

REPO = Path(__file__).resolve().parents[2]


def server_env(instance: Instance) -> dict[str, str]:
    """Return the environment of a server on this instance (no test database settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GANGWAY_")}
    env["GANGWAY_INSTANCE_PATH"] = str(instance.folder)
    env["GANGWAY_BADGES_DIR"] = str(instance.folder / "badges")
    return env


class Server:
    """One `gangway serve` on the instance, in a process group of its own so a kill takes all."""

    def __init__(self, instance: Instance, *, workers=None, threads=None, launcher=None):
        self.instance, self.port, self.launcher = instance, free_port(), launcher
        self.log_path = instance.folder / "server.log"
        self.args = ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        for option, value in (("--workers", workers), ("--threads", threads)):
            if value:
                self.args += [option, str(value)]
        self.process: subprocess.Popen | None = None
        self.pid: int | None = None

    def start(self, timeout: float = 60) -> Server:
        """Start the server; return once it answers an authenticated request."""
        if self.launcher:
            self.pid = self.launcher.spawn(self.args, self.log_path)
        else:
            with open(self.log_path, "ab") as log:  # a file: a full pipe would block the server
                self.process = subprocess.Popen(
                    [GANGWAY, *self.args],
                    env=server_env(self.instance),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            self.pid = self.process.pid
        deadline = time.monotonic() + timeout
        while not self._answers():
            if not _group_alive(self.pid) or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"server did not start:\n{self.log()}")
            time.sleep(0.02)
        return self

    def _answers(self) -> bool:
        try:
            with closing(Client(self.port, self.instance.token, timeout=5)) as client:
                return client.request("GET", "/api/v1/ping")[0] == 200
        except NO_ANSWER:
            return False

    def kill(self) -> None:
        """SIGKILL the master and every worker at once; return when none is left running."""
        if self.pid is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        if self.process:
            self.process.wait()
        deadline = time.monotonic() + 10
        while _group_alive(self.pid) and time.monotonic() < deadline:
            time.sleep(0.005)

    def stop(self) -> None:
        """Shut down gracefully (SIGTERM to granian's main process); kill what is left at 20 s."""
        if self.pid is not None and _group_alive(self.pid):
            with suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while _group_alive(self.pid) and time.monotonic() < deadline:
                time.sleep(0.02)
        self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _group_alive(pgid: int) -> bool:
    """Tell whether any process of the group still runs (zombies awaiting a reaper do not)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            return True
    return False


class Launcher:
    """A process with the app imported that forks `gangway serve` for an instance on demand."""

    def __init__(self, instance: Instance):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.durability.server", "--launcher"],
            cwd=REPO,
            env=server_env(instance),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def spawn(self, args: list[str], log_path: Path) -> int:
        """Fork `gangway ARGS` in a new session logging to `log_path`; return its pid."""
        self.process.stdin.write(json.dumps([args, str(log_path)]) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the launcher died")
        return int(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _launcher_main() -> None:
    """Import the app and granian once, then fork a `gangway` command per line read."""
    import tempfile

    import granian  # noqa: F401  (what `serve` imports when it runs)

    from gangway import create_app
    from gangway.cli import main

    with tempfile.TemporaryDirectory() as warm:  # imports every blueprint; opens no database
        create_app({"TESTING": True, "SECRET_KEY": "x" * 32}, instance_path=warm)
    signal.signal(signal.SIGCHLD, _reap)
    for line in sys.stdin:
        args, log_path = json.loads(line)
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.setsid()
            os.close(ready_r)
            os.close(ready_w)  # tells the launcher the new process group exists
            log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(log, 1)
            os.dup2(log, 2)
            code = 1
            try:
                main(args=args, prog_name="gangway")
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            finally:
                os._exit(code)
        os.close(ready_w)
        os.read(ready_r, 1)  # returns once the child has its own group (or died)
        os.close(ready_r)
        print(pid, flush=True)


def _reap(signum, frame) -> None:
    with suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


if __name__ == "__main__":
    if sys.argv[1:] == ["--launcher"]:
        _launcher_main()
    else:
        import tempfile

        from .driver import build_instance

        inst = build_instance(Path(tempfile.mkdtemp(prefix="gangway-serve-")))
        with Server(inst) as srv:
            print(f"http://127.0.0.1:{srv.port}/  token {inst.token}  db {inst.db_path}")
            with suppress(KeyboardInterrupt):
                srv.process.wait()
