"""`make loadtest` and `make faulttest`: the production-style server on PostgreSQL under load.

    python -m tests.load.run load     # one user of each kind, then LOAD_USERS (50); LOAD_TIME (2m)
    python -m tests.load.run fault    # the same for 60s, PostgreSQL restarted in the middle

Each run:
1. drops and recreates LOAD_DATABASE_URL (its name must contain "load"), migrates it, loads the
   demo data, creates the load-test accounts with a fresh random password (prepare.py), and
   collects the static files;
2. starts gunicorn with the production settings on 127.0.0.1:LOAD_PORT (plain HTTP, so only
   here SECURE_SSL_REDIRECT and SECURE_COOKIES are false), LOAD_WORKERS workers;
3. runs locust headless (locustfile.py): LOAD_USERS users arrive LOAD_SPAWN_RATE a second and
   sign in, then all of them work for LOAD_TIME;
4. fault only: FAULT_AT seconds in (default: halfway through LOAD_TIME), stops the PostgreSQL
   cluster serving the database for FAULT_DOWN seconds (default 3), starts it, and times how
   long /healthz takes to answer 200 again;
5. stops gunicorn (always, also on failure or Ctrl-C) and runs the checker (check.py), whose
   exit status is the run's.
The load test does this twice under the same script: first with one officer and one scrutiny
member (LOAD_RESULTS/load-one-user/), then with LOAD_USERS (LOAD_RESULTS/load/), whose p95s the
checker holds against the first run's (at most LOAD_P95_RATIO, default 3, times each).
Results go to LOAD_RESULTS/<mode>/ (default load-results/, git-ignored).
"""

import json
import math
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://127.0.0.1:5432/leeds_communities_load"


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def seconds(text: str) -> int:
    """'120', '120s', '2m' or '1m30s' as seconds."""
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s?)?", text.strip())
    if not match or not any(match.groups()):
        raise SystemExit(f"LOAD_TIME={text!r}: use seconds or minutes, e.g. 120, 90s, 2m, 1m30s.")
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def run(*command: str, env: dict) -> None:
    print("+", " ".join(command[1:] if command[0] == PYTHON else command), flush=True)
    subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own tools, fixed arguments


def recreate_database(config: dict) -> None:
    name = config["NAME"]
    if "load" not in name:
        raise SystemExit(
            f"Refusing to drop {name!r}: the load-test database's name must contain 'load'."
        )
    with psycopg.connect(
        dbname="postgres",
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"Created the empty database {name}.", flush=True)


def healthz(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own http://127.0.0.1 URL
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_for_health(url: str, seconds: float) -> float | None:
    """Poll until 200; the time it answered, or None if it never did within `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if healthz(url, timeout=1.0) == 200:
            return time.time()
        time.sleep(0.1)
    return None


@contextmanager
def gunicorn(env: dict, results: Path, port: str, workers: str):
    command = [
        str(BIN / "gunicorn"),
        "leeds_communities.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        workers,
        "--access-logfile",
        str(results / "access.log"),
        "--error-logfile",
        str(results / "gunicorn.log"),
        "--capture-output",
        # Leave the per-user control socket to any other gunicorn on this machine.
        "--no-control-socket",
    ]
    print(f"+ gunicorn on 127.0.0.1:{port} with {workers} workers", flush=True)
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603 - fixed arguments
    try:
        yield server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        print("Stopped gunicorn.", flush=True)


def postgres_cluster(port: int) -> tuple[str, str]:
    """The (version, name) of the local cluster listening on `port`, from pg_lsclusters."""
    lsclusters = shutil.which("pg_lsclusters")
    if lsclusters is None:
        raise SystemExit("make faulttest needs pg_lsclusters/pg_ctlcluster (postgresql-common).")
    listing = subprocess.run(  # noqa: S603 - fixed arguments
        [lsclusters, "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    for line in listing.splitlines():
        version, name, cluster_port, *_ = line.split()
        if int(cluster_port) == port:
            return version, name
    raise SystemExit(f"No local PostgreSQL cluster listens on port {port}.")


def pg_ctlcluster(version: str, name: str, action: str) -> None:
    command = [shutil.which("pg_ctlcluster") or "pg_ctlcluster", "--skip-systemctl-redirect"]
    command += [version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    print(f"+ pg_ctlcluster {version} {name} {action}", flush=True)
    subprocess.run(command, check=True)  # noqa: S603 - fixed program; version and name from pg_lsclusters


def inject_fault(locust, config: dict, health_url: str, results: Path, at: float) -> dict:
    """Stop PostgreSQL in the middle of the run and time the app's recovery."""
    down = float(setting("FAULT_DOWN", "3"))
    version, name = postgres_cluster(int(config["PORT"] or 5432))
    time.sleep(at)
    if locust.poll() is not None:
        raise SystemExit("locust ended before the fault.")
    stopped_at = time.time()
    pg_ctlcluster(version, name, "stop")
    started = False
    try:
        time.sleep(down)
        during = healthz(health_url)
        pg_ctlcluster(version, name, "start")
        started = True
        started_at = time.time()
    finally:
        if not started:
            pg_ctlcluster(version, name, "start")
    healthy_at = wait_for_health(health_url, float(setting("FAULT_RECOVERY_LIMIT", "60")))
    fault = {
        "stopped_at": stopped_at,
        "started_at": started_at,
        "healthy_at": healthy_at or time.time(),
        "recovered": healthy_at is not None,
        "down_seconds": started_at - stopped_at,
        "recovery_seconds": (healthy_at or time.time()) - started_at,
        "healthz_while_down": during,
    }
    print(
        f"PostgreSQL was down {fault['down_seconds']:.1f} s (healthz said {during} meanwhile); "
        f"healthz 200 again {fault['recovery_seconds']:.2f} s after it started.",
        flush=True,
    )
    (results / "fault.json").write_text(json.dumps(fault))
    return fault


def one_run(
    mode: str,
    *,
    duration: int,
    users: str,
    results: Path,
    config: dict,
    url: str,
    extra_env: dict,
    single: Path | None = None,
) -> int:
    """Steps 1 to 5 for one run of `users` users for `duration` seconds once all are on; the
    checker's exit status."""
    shutil.rmtree(results, ignore_errors=True)
    results.mkdir(parents=True)
    port = setting("LOAD_PORT", "8010")
    workers = setting("LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
    spawn_rate = setting("LOAD_SPAWN_RATE", "1")
    # LOAD_TIME is the time with every user on; the ramp-up (users signing in) comes first.
    ramp = math.ceil(int(users) / float(spawn_rate))
    health_url = f"http://127.0.0.1:{port}/healthz"

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leeds_communities.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        # Plain HTTP on 127.0.0.1: the only place these are off.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOAD_PASSWORD": secrets.token_urlsafe(24),
        "LOAD_RESULTS": str(results),
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    recreate_database(config)
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0", env=env)
    run(PYTHON, "manage.py", "load_demo_data", env=env)
    run(PYTHON, "-m", "tests.load.prepare", "--baseline", str(results / "baseline.json"), env=env)
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)

    print(
        f"\n{mode} test: {users} users, spawning {spawn_rate}/s ({ramp} s), then {duration} s",
        flush=True,
    )
    with gunicorn(env, results, port, workers) as server:
        if wait_for_health(health_url, 60) is None:
            raise SystemExit(f"gunicorn did not answer on {health_url}; see {results}/gunicorn.log")
        locust_command = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "tests" / "load" / "locustfile.py"),
            "--headless",
            "--users",
            users,
            "--spawn-rate",
            spawn_rate,
            "--run-time",
            f"{ramp + duration}s",
            "--stop-timeout",
            "15",
            "--host",
            f"http://127.0.0.1:{port}",
            "--only-summary",
            "--csv",
            str(results / "locust"),
        ]
        locust = subprocess.Popen(locust_command, env=env, cwd=ROOT)  # noqa: S603 - fixed arguments
        try:
            if mode == "fault":
                # By default halfway through the time with every user on.
                at = float(setting("FAULT_AT", str(ramp + duration // 2)))
                inject_fault(locust, config, health_url, results, at)
            locust.wait()
        finally:
            if locust.poll() is None:
                locust.terminate()
                locust.wait()
        boots = (results / "gunicorn.log").read_text().count("Booting worker")
        (results / "server.json").write_text(
            json.dumps(
                {"workers": int(workers), "worker_boots": boots, "alive": server.poll() is None}
            )
        )

    check = [PYTHON, "-m", "tests.load.check", "--results", str(results)]
    if mode == "fault":
        check.append("--fault")
    if single is not None:
        check += ["--single", str(single)]
    if extra_env.get("LOAD_ONE_EACH") == "1":
        check.append("--one-user")
    print(f"\nResults in {results}", flush=True)
    return subprocess.run(check, env=env, cwd=ROOT).returncode  # noqa: S603 - fixed arguments


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv not in (["load"], ["fault"]):
        print(__doc__)
        return 2
    mode = argv[0]
    # Ctrl-C and `kill` both unwind through the finally blocks (gunicorn, PostgreSQL).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    url = setting("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "LOAD_DATABASE_URL must be a postgres:// URL: the load test is on PostgreSQL."
        )
    config = dj_database_url.parse(url)
    results = Path(setting("LOAD_RESULTS", str(ROOT / "load-results")))
    duration = seconds(setting("LOAD_TIME", "2m" if mode == "load" else "60s"))
    common = {"config": config, "url": url, "duration": duration}
    if mode == "fault":
        return one_run(
            mode, users=setting("LOAD_USERS", "50"), results=results / mode, extra_env={}, **common
        )
    # The load test proper is judged against the same script with one user of each kind.
    single = results / "load-one-user"
    # One user makes few requests a minute: it runs longer (LOAD_SINGLE_TIME, default 3m).
    single_time = seconds(setting("LOAD_SINGLE_TIME", "3m"))
    status = one_run(
        mode,
        users="2",
        results=single,
        extra_env={"LOAD_ONE_EACH": "1"},
        **{**common, "duration": single_time},
    )
    if status != 0:
        print("The one-user run failed its checks: no comparison.", flush=True)
        return status
    return one_run(
        mode,
        users=setting("LOAD_USERS", "50"),
        results=results / mode,
        extra_env={"LOAD_ONE_EACH": "0"},
        single=single,
        **common,
    )


if __name__ == "__main__":
    sys.exit(main())
