"""The production entry point: docker-compose's `web` runs bin/start-web, and so does this test."""

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


def test_docker_compose_database_has_the_rum_extension():
    """The index /search/ ranks by (corpus migration 0005) needs it; without it search falls back to ts_rank."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = (ROOT / compose["services"]["postgres"]["build"] / "Dockerfile").read_text()
    assert "FROM postgres:15" in dockerfile and "postgresql-$PG_MAJOR-rum" in dockerfile


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="Debian's docker-compose is not installed")
def test_docker_compose_file_is_valid():
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_start_web_migrates_loads_and_serves_with_gunicorn(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "SECRET_KEY": "test-only",
        "DEBUG": "false",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen([str(ROOT / "bin" / "start-web")], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        body = None
        for _ in range(120):  # bounded: at most ~60 s
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        assert body is not None, server.communicate(timeout=5)[0].decode()[-2000:] if server.poll() is not None else "no answer"
        assert "articles" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
