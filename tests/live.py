"""The site as it runs for real, for tests that need other processes to reach its database:
a database of the test's own (a file for SQLite, a fresh database on the PostgreSQL server
the suite runs on), `manage.py` commands and gunicorn workers started against it, all on
127.0.0.1. An in-memory test database would hide what these tests look for."""

import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def on_postgres():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_parameters():
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    return {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
    }


@contextmanager
def own_database(tmp_path, prefix="live"):
    """A database URL of the test's own, created empty and dropped afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    if not on_postgres():
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    import psycopg

    params = server_parameters()
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{params['password']}" if params["password"] else ""
        yield f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params, dbname="postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def raw_connection(url):
    """A plain DB-API connection, outside Django, reading one snapshot per transaction."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        connection = sqlite3.connect(config["NAME"], isolation_level=None, timeout=20)
        connection.execute("BEGIN")
    else:
        import psycopg

        connection = psycopg.connect(url)
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    try:
        yield connection
    finally:
        connection.rollback()
        connection.close()


def environment(url, **extra):
    """What a deployment sets, pointed at the test's database."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "live-test-" + secrets.token_hex(16),
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_USER_RATE": "100000/min",
        "API_ANON_RATE": "100000/min",
        "DJANGO_SETTINGS_MODULE": "summit.settings",
        **extra,
    }


def manage(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def run_json(env, module, timeout=120):
    """Run `python -m module` against the database; it prints one JSON line last."""
    result = subprocess.run(
        [sys.executable, "-m", module],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextmanager
def gunicorn(env, port, log, workers=4):
    """gunicorn on 127.0.0.1:port; its log (Django's included) goes to the file `log`, where
    a pipe nobody reads would fill and stall the workers."""
    command = [sys.executable, "-m", "gunicorn", "summit.wsgi", "--workers", str(workers)]
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"],
            cwd=BASE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=5)
                    break
                # Refused until gunicorn listens; slow while its workers start on a busy machine.
                except OSError as error:
                    assert process.poll() is None, Path(log).read_text()
                    assert time.monotonic() < deadline, f"server did not start: {error}"
                    time.sleep(0.2)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=20)
