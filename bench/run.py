"""make bench: this service (uncached) against the peer (Datasette) and the ceiling, in one interleaved run.

For each corpus size it makes (once) a PostgreSQL database with a synthetic corpus and an SQLite
copy of the same data for Datasette, serves all three with the same gunicorn settings on loopback
ports, measures each hot endpoint with wrk in interleaved rounds, and writes
bench/results/latest.{json,md}. Every loop is bounded; only 127.0.0.1 is contacted.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/{db}"
PORTS = {"service": 8101, "peer": 8102, "ceiling": 8103}


def run(cmd, env=None, **kwargs):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=True, **kwargs)


def django_env(database_url):
    return {"DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "bench", "ANON_THROTTLE_RATE": "100000000/second",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "CONN_MAX_AGE": "600"}  # fmt: skip


def ensure_wrk():
    if not shutil.which("wrk"):
        run(["apt-get", "install", "-y", "-qq", "wrk"])


def prepare(size, seed):
    """A PostgreSQL database and an SQLite file holding the same synthetic corpus of `size` articles."""
    db = f"aznato_bench_{size}"
    DATA.mkdir(parents=True, exist_ok=True)
    sqlite_path = DATA / f"bench_{size}.sqlite3"
    exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{db}'"], capture_output=True, text=True).stdout.strip()  # fmt: skip
    targets = [(PG.format(db=db), exists == "1"), (f"sqlite:///{sqlite_path}", sqlite_path.exists())]
    if exists != "1":
        run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {db}"])
    for url, ready in targets:
        if ready:
            continue
        env = django_env(url)
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env)
        run([PY, "manage.py", "generate_corpus", "--articles", str(size), "--actors", str(max(50, size // 20)),
             "--seed", str(seed)], env=env)  # fmt: skip
        if url.startswith("sqlite"):
            add_fts(sqlite_path)
    return PG.format(db=db), sqlite_path


def add_fts(path):
    """Datasette's search runs on SQLite FTS5 over article titles and bodies."""
    with sqlite3.connect(path) as con:
        con.executescript("""
            CREATE VIRTUAL TABLE IF NOT EXISTS corpus_article_fts USING fts5(title, body, content='corpus_article', content_rowid='id');
            INSERT INTO corpus_article_fts(corpus_article_fts) VALUES ('rebuild');
        """)


PEER_QUERIES = {
    "article_list": """
        select a.slug, a.title, a.published_at, s.name as source,
          (select json_group_array(x.name) from corpus_mention m join corpus_actor x on x.id = m.actor_id
           where m.article_id = a.id) as actors
        from corpus_article a left join corpus_source s on s.id = a.source_id
        order by a.published_at desc, a.slug limit 50""",
    "article_detail": """
        select a.slug, a.title, a.published_at, a.body, s.name as source,
          (select json_group_array(x.name) from corpus_mention m join corpus_actor x on x.id = m.actor_id
           where m.article_id = a.id) as actors
        from corpus_article a left join corpus_source s on s.id = a.source_id where a.slug = :slug""",
    "actor_list": "select slug, name, kind, description from corpus_actor order by name, slug limit 50",
    "timeline": """select slug, title, type, date_edtf, date_earliest, date_latest, date_precision from corpus_event
        order by date_earliest, date_latest, slug limit 50""",
    "search": """select a.slug, a.title, snippet(corpus_article_fts, 1, '<mark>', '</mark>', '…', 12) as snippet
        from corpus_article_fts join corpus_article a on a.id = corpus_article_fts.rowid
        where corpus_article_fts match :q order by rank limit 20""",
}


def endpoints(detail_slug):
    """(name, service path, peer path) for each hot endpoint."""
    return [
        ("article_list", "/api/v1/articles/?page_size=50", "/bench/article_list.json?_shape=array"),
        ("article_detail", f"/api/v1/articles/{detail_slug}/", f"/bench/article_detail.json?slug={detail_slug}&_shape=array"),
        ("actor_list", "/api/v1/actors/?page_size=50", "/bench/actor_list.json?_shape=array"),
        ("timeline", "/api/v1/timeline/?page_size=50", "/bench/timeline.json?_shape=array"),
        ("search", "/api/v1/search/?q=summit", "/bench/search.json?q=summit&_shape=array"),
    ]


def start(name, cmd, env, port):
    log = open(DATA / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except urllib.error.HTTPError:
            return proc
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{name} did not start: see {log.name}")


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def gunicorn(app, port, workers):
    return [PY, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"]


def wrk(url, seconds, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 30).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": rps, "p50_ms": latency(50), "p99_ms": latency(99),
            "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": sum(map(int, errors.groups())) if errors else 0}  # fmt: skip


def rss_mb(proc):
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    sizes = [int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0]) for pid in children]
    return round(max(sizes) / 1024, 1) if sizes else None


def measure(size, seed, seconds, rounds, workers, connections):
    pg_url, sqlite_path = prepare(size, seed)
    env = django_env(pg_url)
    service = start("service", gunicorn("config.wsgi:application", PORTS["service"], workers), env, PORTS["service"])
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORTS['service']}/api/v1/articles/?page_size=1") as r:
            detail_slug = json.load(r)["results"][0]["slug"]
        hot = endpoints(detail_slug)
        bodies = {}
        for _, path, _ in hot:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORTS['service']}{path}") as r:
                bodies[path] = r.read().decode()
        ceiling_file = DATA / f"ceiling_{size}.json"
        ceiling_file.write_text(json.dumps(bodies))
        metadata = DATA / "datasette.json"
        metadata.write_text(json.dumps({"databases": {sqlite_path.stem: {"queries": PEER_QUERIES}}}))
        db_link = DATA / "bench.sqlite3"
        if db_link.exists() or db_link.is_symlink():
            db_link.unlink()
        db_link.symlink_to(sqlite_path.name)
        metadata.write_text(json.dumps({"databases": {"bench": {"queries": PEER_QUERIES}}}))
        peer = start("peer", [PY, "-m", "datasette", "serve", str(db_link), "-m", str(metadata), "-h", "127.0.0.1",
                              "-p", str(PORTS["peer"]), "--setting", "default_cache_ttl", "0"], {}, PORTS["peer"])  # fmt: skip
        ceiling = start("ceiling", gunicorn("bench.ceiling:application", PORTS["ceiling"], workers),
                        {"BENCH_CEILING_FILE": str(ceiling_file)}, PORTS["ceiling"])  # fmt: skip
        try:
            results = {name: {"service": [], "peer": [], "ceiling": []} for name, _, _ in hot}
            for _ in range(rounds):  # interleaved: every target sees the same machine state
                for name, path, peer_path in hot:
                    results[name]["service"].append(wrk(f"http://127.0.0.1:{PORTS['service']}{path}", seconds, connections))
                    results[name]["peer"].append(wrk(f"http://127.0.0.1:{PORTS['peer']}{peer_path}", seconds, connections))
                    results[name]["ceiling"].append(wrk(f"http://127.0.0.1:{PORTS['ceiling']}{path}", seconds, connections))
            memory = {"service": rss_mb(service), "ceiling": rss_mb(ceiling)}
        finally:
            stop(peer)
            stop(ceiling)
    finally:
        stop(service)
    return {"size": size, "endpoints": {name: {target: best(runs) for target, runs in targets.items()}
                                        for name, targets in results.items()}, "worker_rss_mb": memory}  # fmt: skip


def best(runs):
    """The median round by requests/s, so one noisy round does not decide."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    return ordered[len(ordered) // 2]


def markdown(report):
    lines = [f"# Benchmark ({report['machine']})", "",
             f"wrk {report['settings']}; gunicorn sync workers: {report['workers']}. Uncached service (no response cache yet).", ""]  # fmt: skip
    for run_ in report["runs"]:
        lines += [f"## {run_['size']} articles", "",
                  "| endpoint | service req/s | peer req/s | ceiling req/s | service/peer | service/ceiling | service p50 / p99 ms | peer p99 ms | non-2xx |",
                  "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for name, t in run_["endpoints"].items():
            s, p, c = t["service"], t["peer"], t["ceiling"]
            lines.append(f"| {name} | {s['rps']:.0f} | {p['rps']:.0f} | {c['rps']:.0f} | {s['rps'] / p['rps']:.2f}x | "
                         f"{s['rps'] / c['rps']:.2f}x | {s['p50_ms']:.1f} / {s['p99_ms']:.1f} | {p['p99_ms']:.1f} | "
                         f"{s['non_2xx'] + s['errors']} |")  # fmt: skip
        lines += ["", f"Worker RSS after the run: {run_['worker_rss_mb']}", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated corpus sizes (articles)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ensure_wrk()
    runs = [measure(int(size), args.seed, args.seconds, args.rounds, args.workers, args.connections)
            for size in args.sizes.split(",")]  # fmt: skip
    report = {"machine": f"{os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}",
              "settings": f"-t2 -c{args.connections} -d{args.seconds}s x {args.rounds} interleaved rounds",
              "workers": args.workers, "runs": runs}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report) + "\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
