"""The production entry point: docker-compose's `web` runs bin/start-web, and so does this test."""

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_docker_compose_runs_the_tested_entry_point():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["web"]["command"] == ["bin/start-web"]
    assert compose["services"]["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(compose["services"]["postgres"]["healthcheck"]["test"])
    assert 'CMD ["bin/start-web"]' in (ROOT / "Dockerfile").read_text()
    assert "/readyz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_docker_compose_database_has_the_rum_extension():
    """The index /search/ ranks by (corpus migration 0005) needs it; without it search falls back to ts_rank."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = (ROOT / compose["services"]["postgres"]["build"] / "Dockerfile").read_text()
    assert "FROM postgres:15" in dockerfile and "postgresql-$PG_MAJOR-rum" in dockerfile


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="Debian's docker-compose is not installed")
def test_docker_compose_file_is_valid():
    env = {**os.environ, "SECRET_KEY": "test-only"}  # it ships none: compose refuses without one
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def start_web(database_url: str, workers: int = 2):
    """bin/start-web on ``database_url``, as docker-compose runs it: its port and master pid, once it serves."""
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }
    server = subprocess.Popen([str(ROOT / "bin" / "start-web")], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        for _ in range(120):  # bounded: at most ~60 s
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=2):
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        if server.poll() is not None:
            pytest.fail(server.communicate(timeout=5)[0].decode()[-2000:])
        yield port, server.pid  # start-web execs gunicorn: its pid is the master's
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def web_database(tmp_path_factory) -> str:
    """The empty SQLite database the ``web`` fixture starts on."""
    return f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite3'}"


@pytest.fixture(scope="module")
def web(web_database):
    """bin/start-web on an empty SQLite database, as docker-compose runs it (two workers): its port and master pid."""
    with start_web(web_database) as started:
        yield started


def get_json(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return json.load(response)


def test_start_web_migrates_loads_and_serves_with_gunicorn(web):
    port, _ = web
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/articles/?page_size=1", timeout=10) as response:
        body = json.load(response)
    assert body["count"] == 5  # the seed corpus, loaded
    assert body["results"][0]["url"].startswith(f"http://127.0.0.1:{port}/api/v1/articles/")
    assert get_json(port, "/healthz") == {"status": "ok"}
    assert get_json(port, "/readyz")["status"] == "ok"  # what docker-compose's healthcheck asks


def connections_by_worker(master: int, port: int) -> list[int]:
    """How many established connections to ``port`` each of the gunicorn master's workers holds (from /proc)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # local port; TCP_ESTABLISHED
                established.add(f"socket:[{fields[9]}]")
    workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return sorted((sum(1 for target in open_files(worker) if target in established) for worker in workers), reverse=True)


def open_files(pid: str) -> list[str]:
    """What a process's file descriptors point to (those closed while being read are skipped)."""
    targets = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            targets.append(os.readlink(fd))
        except FileNotFoundError:
            continue
    return targets


def test_keep_alive_clients_spread_over_the_workers(web):
    """Eight clients opening their keep-alive connections at once are shared by the two workers, four each: with
    gunicorn's default cap (1,000 per worker) one worker often took all eight and served them on one core
    (docs/performance.md, "Worker settings")."""
    port, master = web
    clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(8)]
    try:
        for client in clients:
            client.connect()
        for _ in range(100):  # bounded: at most ~5 s for both workers to accept
            placement = connections_by_worker(master, port)
            if sum(placement) == len(clients):
                break
            time.sleep(0.05)
        assert placement == [4, 4]
        for client in clients:  # and every one is answered
            client.request("GET", "/api/v1/")
        assert all("articles" in json.load(client.getresponse()) for client in clients)
    finally:
        for client in clients:
            client.close()


CURATE = """
from corpus.models import Actor
actor = Actor.objects.get(slug="nato")
actor.description = "Edited by a curator."
actor.save()
actor.aliases.get(name="OTAN").delete()
"""


def test_a_restart_keeps_curated_edits_and_deletions(web, web_database):
    """Every start runs the seed load; it used to put the seed's description back and bring the deleted alias back."""
    port, _ = web
    assert "OTAN" in [alias["name"] for alias in get_json(port, "/api/v1/actors/nato/")["aliases"]]
    env = {**os.environ, "DATABASE_URL": web_database, "SECRET_KEY": "test-only", "DEBUG": "false"}
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", CURATE], cwd=ROOT, env=env, check=True, timeout=60
    )
    with start_web(web_database, workers=1) as (restarted, _):
        actor = get_json(restarted, "/api/v1/actors/nato/")
    assert actor["description"] == "Edited by a curator."
    assert "OTAN" not in [alias["name"] for alias in actor["aliases"]]
    history = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from corpus.models import Actor; print(Actor.history.filter(slug='nato').first().description)"],
        cwd=ROOT, env=env, check=True, timeout=60, capture_output=True, text=True,
    )  # fmt: skip
    assert history.stdout.strip() == "Edited by a curator."  # the edit is the latest history record: nothing overwrote it
