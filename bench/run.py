"""make bench: this service, uncached and warm, against the peer (Datasette) and the ceiling, in one interleaved run.

For each corpus size it makes (once) a PostgreSQL database holding a synthetic corpus and an
SQLite copy of the same data for Datasette (rebuilt when the generator version, seed or size
changes: a marker table records them), serves the service (uncached and warm), the peer and
the ceiling on loopback ports, measures each hot endpoint with wrk in interleaved rounds,
counts SQL queries per request, and writes bench/results/latest.{json,md}.
Every loop is bounded; only 127.0.0.1 is contacted (and Debian's mirror if wrk is missing).

    python bench/run.py                          # 1,000 and 100,000 articles, 5 s x 5 rounds
    python bench/run.py --sizes 1000 --seconds 2 --rounds 1
    python bench/run.py --sweep --sizes 100000   # gunicorn worker settings for the service
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/{db}")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15")  # a database of its own: flushed between sizes
PORTS = {"service": 8101, "peer": 8102, "ceiling": 8103, "warm": 8104, "warm_redis": 8105}
# Worker settings tried by --sweep (docs/performance.md): class, workers, threads, connections per worker.
# The defaults of --worker-class/--workers/--threads/--worker-connections are the best measured.
SWEEP = [("sync", 2, 1, 1), ("sync", 4, 1, 1), ("gthread", 2, 4, 1000), ("gthread", 2, 2, 4), ("gthread", 3, 1, 3)]
TARGETS = {"service/peer": 1.0, "warm/ceiling": 0.7, "sql_per_list": 3, "rss_mb": 200, "growth": 1.5}
LISTS = ("article_list", "actor_list", "timeline")
# Longer than a run (~7 minutes per size), so warm figures measure hits, not the expiry of primed entries.
WARM_CACHE_SECONDS = 3600


def run(cmd, env=None, **kwargs):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=True, **kwargs)


def django_env(database_url, cache_seconds=0, cache_url="locmem://"):
    return {
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench",
        "ANON_THROTTLE_RATE": "100000000/second",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "CONN_MAX_AGE": "600",
        "API_CACHE_SECONDS": str(cache_seconds),
        "CACHE_URL": cache_url,
    }


def apt_install(package: str, required: bool = True):
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], check=False).returncode == 0:
        return
    if subprocess.run([*sudo, "apt-get", "update", "-qq"], check=False).returncode == 0:
        if subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], check=False).returncode == 0:
            return
    if required:
        raise RuntimeError(f"could not install {package} from Debian")
    print(f"{package} could not be installed: going on without it", flush=True)


def ensure_wrk():
    if not shutil.which("wrk"):
        apt_install("wrk")


def ensure_rum():
    """The rum extension, so the service ranks searches by its index (corpus migration 0005) as CI and the docker-compose
    database do. Installed only for a PostgreSQL on this machine; without it the service ranks with ts_rank."""
    if pg_query("postgres", "SELECT 1 FROM pg_available_extensions WHERE name = 'rum'"):
        return
    if not re.search(r"@(127\.0\.0\.1|localhost)[:/]", PG):
        print("PostgreSQL is on another machine and lacks the rum extension: /search/ ranks with ts_rank", flush=True)
        return
    major = int(pg_query("postgres", "SHOW server_version_num")[0][0]) // 10000
    apt_install(f"postgresql-{major}-rum", required=False)


# --- Databases ----------------------------------------------------------------------------------


def generator_version() -> int:
    """Read from the generator's source, so the bench need not set Django up to know it."""
    text = (ROOT / "corpus" / "services" / "synthetic" / "generator.py").read_text()
    return int(re.search(r"^GENERATOR_VERSION = (\d+)", text, re.MULTILINE).group(1))


def actors_for(size: int) -> int:
    return max(50, size // 20)  # 5,000 actors at 100,000 articles


def marker(size: int, seed: int) -> str:
    return json.dumps(
        {"generator": generator_version(), "articles": size, "actors": actors_for(size), "seed": seed}, sort_keys=True
    )


def read_marker(query) -> str | None:
    try:
        rows = query("SELECT marker FROM bench_marker")
    except (psycopg.Error, sqlite3.Error):
        return None
    return rows[0][0] if rows else None


def pg_query(db: str, sql: str, params=None):
    with psycopg.connect(PG.format(db=db), autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def generate(url: str, size: int, seed: int):
    env = django_env(url)
    run([PY, "manage.py", "migrate", "--noinput", "-v0", "--skip-checks"], env=env)
    run(
        [
            PY,
            "manage.py",
            "generate_corpus",
            "--skip-checks",
            "--articles",
            str(size),
            "--actors",
            str(actors_for(size)),
            "--seed",
            str(seed),
        ],
        env=env,
    )


def prepare(size: int, seed: int) -> tuple[str, Path]:
    """A PostgreSQL database and an SQLite file holding the same synthetic corpus of `size` articles."""
    db, want = f"aznato_bench_{size}", marker(size, seed)
    url = PG.format(db=db)
    exists = pg_query("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [db])
    if not exists or read_marker(lambda sql: pg_query(db, sql)) != want:
        print(f"PostgreSQL database {db}: (re)building for {want}", flush=True)
        pg_query("postgres", f'DROP DATABASE IF EXISTS "{db}"')
        pg_query("postgres", f'CREATE DATABASE "{db}"')
        generate(url, size, seed)
        pg_query(db, "CREATE TABLE bench_marker (marker text)")
        pg_query(db, "INSERT INTO bench_marker VALUES (%s)", [want])
        pg_query(db, "VACUUM ANALYZE")
    else:  # the data is current; the schema may have moved on (another engineer's migrations)
        run([PY, "manage.py", "migrate", "--noinput", "-v0", "--skip-checks"], env=django_env(url))
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"bench_{size}.sqlite3"

    def sqlite_query(sql):
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            return con.execute(sql).fetchall()

    if not path.exists() or read_marker(sqlite_query) != want:
        print(f"SQLite copy {path.name}: (re)building for {want}", flush=True)
        path.unlink(missing_ok=True)
        generate(f"sqlite:///{path}", size, seed)  # the generator is deterministic: the same rows as PostgreSQL
        add_fts(path)
        with sqlite3.connect(path) as con:
            con.execute("CREATE TABLE bench_marker (marker text)")
            con.execute("INSERT INTO bench_marker VALUES (?)", [want])
    counts = (
        "SELECT (SELECT count(*) FROM corpus_article), (SELECT count(*) FROM corpus_mention), (SELECT count(*) FROM corpus_event)"
    )
    if tuple(pg_query(db, counts)[0]) != tuple(sqlite_query(counts)[0]):
        raise RuntimeError(f"{db} and {path.name} hold different corpora: delete {path} and run again")
    return url, path


def add_fts(path: Path):
    """Datasette's search runs on SQLite FTS5 over article titles and bodies."""
    with sqlite3.connect(path) as con:
        con.executescript("""
            CREATE VIRTUAL TABLE corpus_article_fts USING fts5(title, body, content='corpus_article', content_rowid='id');
            INSERT INTO corpus_article_fts(corpus_article_fts) VALUES ('rebuild');
            ANALYZE;
        """)


def corpus_stats(db: str) -> dict:
    tables = ["article", "actor", "mention", "event", "citation", "datestatement", "quote"]
    row = pg_query(db, "SELECT " + ", ".join(f"(SELECT count(*) FROM corpus_{t})" for t in tables))[0]
    return dict(zip(tables, row, strict=True)) | {
        "database_mb": pg_query(db, "SELECT pg_database_size(%s) / 1048576", [db])[0][0],
        "search_ranking": "rum"
        if pg_query(db, "SELECT 1 FROM pg_indexes WHERE indexname = 'corpus_article_search_rum'")
        else "ts_rank",
    }


# --- Servers --------------------------------------------------------------------------------------

PEER_QUERIES = {
    "article_list": """
        select a.slug, a.title, a.url as original_url, a.language, a.source_note,
          a.published_at, a.published_utc_offset, a.published_precision, a.published_text, a.published_note,
          case when s.id is null then null else json_object('slug', s.slug, 'name', s.name) end as source,
          (select json_group_array(json_object('slug', x.slug, 'name', x.name)) from corpus_articleauthor b
           join corpus_actor x on x.id = b.author_id where b.article_id = a.id) as authors
        from corpus_article a left join corpus_source s on s.id = a.source_id
        order by a.published_at desc, a.slug limit 50""",
    "article_detail": """
        select a.slug, a.title, a.url as original_url, a.language, a.source_note,
          a.published_at, a.published_utc_offset, a.published_precision, a.published_text, a.published_note,
          a.body, a.body_sha256,
          case when s.id is null then null else json_object('slug', s.slug, 'name', s.name) end as source,
          (select json_group_array(json_object('slug', x.slug, 'name', x.name)) from corpus_articleauthor b
           join corpus_actor x on x.id = b.author_id where b.article_id = a.id) as authors,
          (select json_group_array(json_object('slug', slug, 'name', name)) from (select distinct x.slug, x.name
           from corpus_mention m join corpus_actor x on x.id = m.actor_id where m.article_id = a.id)) as mentions,
          (select json_group_array(json_object('key', q.key, 'speaker', sp.name, 'text', c.excerpt)) from corpus_citation c
           join corpus_quote q on q.citation_id = c.id join corpus_actor sp on sp.id = q.speaker_id
           where c.article_id = a.id) as quotes
        from corpus_article a left join corpus_source s on s.id = a.source_id where a.slug = :slug""",
    "actor_list": """
        select a.slug, a.name, a.kind, a.description, a.iso_code, a.wikidata_id,
          case when c.id is null then null else json_object('slug', c.slug, 'name', c.name) end as country,
          case when p.id is null then null else json_object('slug', p.slug, 'name', p.name) end as parent
        from corpus_actor a left join corpus_actor c on c.id = a.country_id left join corpus_actor p on p.id = a.parent_id
        order by a.name, a.slug limit 50""",
    "timeline": """
        select e.slug, e.title, e.type, e.place, e.description,
          e.date_edtf, e.date_earliest, e.date_latest, e.date_precision, e.date_text,
          case when c.id is null then null else json_object('slug', c.slug, 'name', c.name) end as country,
          (select json_group_array(json_object('slug', x.slug, 'name', x.name, 'role', p.role)) from corpus_eventparticipant p
           join corpus_actor x on x.id = p.actor_id where p.event_id = e.id) as participants,
          (select json_group_array(json_object('slug', g.slug, 'name', g.name)) from corpus_event_programmes ep
           join corpus_programme g on g.id = ep.programme_id where ep.event_id = e.id) as programmes
        from corpus_event e left join corpus_actor c on c.id = e.country_id
        where e.date_earliest is not null or e.date_latest is not null
        order by e.date_earliest nulls first, e.date_latest, e.slug limit 50""",
    "search": """
        select a.slug, a.title, snippet(corpus_article_fts, 1, '<mark>', '</mark>', '…', 30) as snippet, rank
        from corpus_article_fts join corpus_article a on a.id = corpus_article_fts.rowid
        where corpus_article_fts match :q order by rank limit 10""",
}


def endpoints(detail_slug: str) -> list[tuple[str, str, str]]:
    """(name, service path, peer path) for each hot endpoint."""
    return [
        ("article_list", "/api/v1/articles/?page_size=50", "/bench/article_list.json?_shape=array"),
        ("article_detail", f"/api/v1/articles/{detail_slug}/", f"/bench/article_detail.json?slug={detail_slug}&_shape=array"),
        ("actor_list", "/api/v1/actors/?page_size=50", "/bench/actor_list.json?_shape=array"),
        ("timeline", "/api/v1/timeline/?page_size=50", "/bench/timeline.json?_shape=array"),
        ("search", "/api/v1/search/?q=summit&kinds=articles", "/bench/search.json?q=summit&_shape=array"),  # articles, as FTS5
    ]


def start(name: str, cmd: list[str], env: dict, port: int) -> subprocess.Popen:
    log = open(DATA / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except urllib.error.HTTPError:
            return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError(f"{name} did not start: see {log.name}")


def stop(proc: subprocess.Popen):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        pass


def gunicorn(app: str, port: int, worker: tuple[str, int, int, int]) -> list[str]:
    kind, workers, threads, connections = worker
    return [
        PY,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        kind,
        "--threads",
        str(threads),
        "--worker-connections",  # gthread: the most connections a worker holds (and keeps alive: this less its threads)
        str(connections),
        "--log-level",
        "warning",
        "--no-control-socket",  # one control socket per user: the bench's servers would contend for it
    ]


def get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
        return response.read()


def rss_mb(proc: subprocess.Popen) -> float | None:
    """The largest resident set among a server's worker processes (or the process itself, for Datasette)."""
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split() or [str(proc.pid)]
    sizes = []
    for pid in children:
        try:
            sizes.append(int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0]))
        except (OSError, IndexError):
            continue
    return round(max(sizes) / 1024, 1) if sizes else None


# --- Measuring ------------------------------------------------------------------------------------


def wrk(url: str, seconds: float, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk {url} gave no result:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))

    def latency(pct):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", out)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": rps,
        "requests": requests,
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": sum(map(int, errors.groups())) if errors else 0,
    }


def median_round(runs: list[dict]) -> dict:
    """The median round by requests/s, so one noisy round does not decide; errors summed over all rounds;
    every round's requests/s kept, in the order run, to show the spread."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    totals = {"non_2xx": sum(r["non_2xx"] for r in runs), "errors": sum(r["errors"] for r in runs)}
    return ordered[len(ordered) // 2] | totals | {"rounds_rps": [r["rps"] for r in runs]}


def sql_counts(database_url: str, paths: list[str]) -> dict:
    out = subprocess.run(
        [PY, "bench/queries.py", *paths],
        cwd=ROOT,
        env={**os.environ, **django_env(database_url)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if out.returncode:
        print(out.stderr[-2000:], file=sys.stderr)
        return {}
    return json.loads(out.stdout.strip().splitlines()[-1])


def flush_redis() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=2).flushdb()
        return True
    except Exception as exc:  # noqa: BLE001 - no redis here: the run goes on without it
        print(f"redis at {REDIS} unavailable ({exc}); measuring the local-memory cache only", flush=True)
        return False


def measure(size: int, args) -> dict:
    url, sqlite_path = prepare(size, args.seed)
    db = f"aznato_bench_{size}"
    worker = (args.worker_class, args.workers, args.threads, args.worker_connections)
    servers = {
        "service": start(
            "service", gunicorn("config.wsgi:application", PORTS["service"], worker), django_env(url), PORTS["service"]
        )
    }
    try:
        detail_slug = json.loads(get(PORTS["service"], "/api/v1/articles/?page_size=1"))["results"][0]["slug"]
        hot = endpoints(detail_slug)
        bodies = {path: get(PORTS["service"], path).decode() for _, path, _ in hot}
        ceiling_file = DATA / f"ceiling_{size}.json"
        ceiling_file.write_text(json.dumps(bodies))
        db_link = DATA / "bench.sqlite3"  # Datasette names the database after the file: /bench/...
        db_link.unlink(missing_ok=True)
        db_link.symlink_to(sqlite_path.name)
        metadata = DATA / "datasette.json"
        metadata.write_text(json.dumps({"databases": {"bench": {"queries": PEER_QUERIES}}}))
        redis = args.cache in ("redis", "both") and flush_redis()  # flushed: another size's responses share its keys
        if args.cache != "redis" or not redis:
            servers["warm"] = start(
                "warm",
                gunicorn("config.wsgi:application", PORTS["warm"], worker),
                django_env(url, WARM_CACHE_SECONDS),
                PORTS["warm"],
            )
        if redis:
            servers["warm_redis"] = start(
                "warm_redis",
                gunicorn("config.wsgi:application", PORTS["warm_redis"], worker),
                django_env(url, WARM_CACHE_SECONDS, REDIS),
                PORTS["warm_redis"],
            )
        servers["peer"] = start(
            "peer",
            [
                PY,
                "-m",
                "datasette",
                "serve",
                "-i",
                str(db_link),
                "-m",
                str(metadata),
                "-h",
                "127.0.0.1",
                "-p",
                str(PORTS["peer"]),
                "--setting",
                "sql_time_limit_ms",
                "30000",
                "--setting",
                "default_cache_ttl",
                "0",
            ],
            {},
            PORTS["peer"],
        )
        servers["ceiling"] = start(
            "ceiling",
            gunicorn("bench.ceiling:application", PORTS["ceiling"], worker),
            {"BENCH_CEILING_FILE": str(ceiling_file)},
            PORTS["ceiling"],
        )
        names = list(servers)

        def target_path(target, path, peer_path):
            return f"http://127.0.0.1:{PORTS[target]}{peer_path if target == 'peer' else path}"

        for _, path, peer_path in hot:  # priming: every warm worker sees each path; then a short warm-up
            for target in names:
                for _ in range(2 * args.workers * args.threads):
                    get(PORTS[target], peer_path if target == "peer" else path)
                wrk(target_path(target, path, peer_path), 1, args.connections)
        results = {name: {target: [] for target in names} for name, _, _ in hot}
        for round_ in range(args.rounds):  # interleaved: every target sees the same machine state
            print(f"{size} articles: round {round_ + 1}/{args.rounds}", flush=True)
            for name, path, peer_path in hot:
                for target in names:
                    results[name][target].append(wrk(target_path(target, path, peer_path), args.seconds, args.connections))
        memory = {target: rss_mb(proc) for target, proc in servers.items()}
    finally:
        for proc in servers.values():
            stop(proc)
    queries = sql_counts(url, [path for _, path, _ in hot])
    return {
        "size": size,
        "corpus": corpus_stats(db),
        "endpoints": {
            name: {target: median_round(runs) for target, runs in results[name].items()}
            | {"bytes": len(bodies[path].encode()), "sql": queries.get(path)}
            for name, path, _ in hot
        },
        "worker_rss_mb": memory,
    }


def sweep(size: int, args) -> list[dict]:
    """Each gunicorn worker setting in SWEEP, for the uncached service alone: requests/s and p99 per endpoint."""
    url, _ = prepare(size, args.seed)
    rows = []
    for worker in SWEEP:
        proc = start("sweep", gunicorn("config.wsgi:application", PORTS["service"], worker), django_env(url), PORTS["service"])
        try:
            slug = json.loads(get(PORTS["service"], "/api/v1/articles/?page_size=1"))["results"][0]["slug"]
            row = {"worker": "{} x{} threads {} connections {}".format(*worker), "endpoints": {}}
            for name, path, _ in endpoints(slug):
                wrk(f"http://127.0.0.1:{PORTS['service']}{path}", 1, args.connections)
                row["endpoints"][name] = wrk(f"http://127.0.0.1:{PORTS['service']}{path}", args.seconds, args.connections)
            row["rss_mb"] = rss_mb(proc)
            rows.append(row)
            print(row, flush=True)
        finally:
            stop(proc)
    return rows


# --- Reporting ------------------------------------------------------------------------------------


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(value, spec=".0f", suffix=""):
    return "–" if value is None else f"{value:{spec}}{suffix}"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("pass" if ok else "**FAIL**")


def checks(report: dict) -> list[tuple]:
    """(what, size, value, target, pass) for every target the issue sets."""
    rows = []
    for run_ in report["runs"]:
        size = run_["size"]
        for name, t in run_["endpoints"].items():
            peer = ratio(t["service"]["rps"], t["peer"]["rps"])
            rows.append(
                (
                    f"{name}: uncached / Datasette{' FTS5' if name == 'search' else ''}",
                    size,
                    peer,
                    "≥ 1.0x",
                    peer is not None and peer >= TARGETS["service/peer"],
                )
            )
            for warm in ("warm", "warm_redis"):
                if warm in t:
                    value = ratio(t[warm]["rps"], t["ceiling"]["rps"])
                    rows.append(
                        (
                            f"{name}: {warm} / ceiling",
                            size,
                            value,
                            "≥ 0.7x",
                            value is not None and value >= TARGETS["warm/ceiling"],
                        )
                    )
            if name in LISTS:
                sql = (t.get("sql") or {}).get("uncached")
                rows.append((f"{name}: SQL per request", size, sql, "≤ 3", sql is not None and sql <= TARGETS["sql_per_list"]))
            failures = sum(
                t[target]["non_2xx"] + t[target]["errors"] for target in t if isinstance(t[target], dict) and "rps" in t[target]
            )
            rows.append((f"{name}: errors + non-2xx (all targets)", size, failures, "= 0", failures == 0))
        for target in ("service", "warm", "warm_redis"):
            rss = run_["worker_rss_mb"].get(target)
            if rss is not None:
                rows.append((f"{target} worker RSS (MB)", size, rss, "≤ 200", rss <= TARGETS["rss_mb"]))
    sizes = f"{report['runs'][0]['size']:,}→{report['runs'][-1]['size']:,}"
    for name, growth in report.get("growth", {}).items():
        rows.append((f"{name}: uncached p99 growth", sizes, growth, "≤ 1.5x", growth is not None and growth <= TARGETS["growth"]))
    return rows


def growth(runs: list[dict]) -> dict:
    if len(runs) < 2:
        return {}
    small, large = runs[0], runs[-1]
    return {
        name: ratio(large["endpoints"][name]["service"]["p99_ms"], small["endpoints"][name]["service"]["p99_ms"])
        for name in small["endpoints"]
    }


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"# Benchmark, {report['date']}",
        "",
        f"Machine: {m['cpus']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, {m['os']}, PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}; commit {m['commit']}.",
        "",
        f"wrk {report['settings']}; gunicorn `{report['worker']}` for the service and the ceiling; Datasette {m['datasette']} "
        "(immutable, one process). *service* = uncached (API_CACHE_SECONDS=0); "
        f"*warm* = API_CACHE_SECONDS={WARM_CACHE_SECONDS} after priming requests "
        "(cache: local memory; *warm_redis*: Redis, shared by the workers, each keeping copies of the responses it serves). "
        "Requests/s of the median round.",
        "",
    ]
    for run_ in report["runs"]:
        c = run_["corpus"]
        targets = [t for t in ("service", "warm", "warm_redis", "peer", "ceiling") if t in next(iter(run_["endpoints"].values()))]
        lines += [
            f"## {run_['size']:,} articles",
            "",
            f"{c['article']:,} articles, {c['actor']:,} actors, {c['mention']:,} mentions, {c['event']:,} events, "
            f"{c['citation']:,} citations; PostgreSQL database {c['database_mb']:,} MB; "
            f"search ranked with {c.get('search_ranking', 'ts_rank')}.",
            "",
            "| endpoint | bytes | SQL/req uncached (warm) | "
            + " | ".join(f"{t} req/s" for t in targets)
            + " | service/peer | warm/ceiling | service/ceiling | service p50 / p99 ms | "
            + " | ".join(f"{t} p99" for t in targets if t != "service")
            + " | errors |",
            "|---" * (7 + 2 * len(targets)) + "|",
        ]
        for name, t in run_["endpoints"].items():
            sql = t.get("sql") or {}
            warm = t.get("warm") or t.get("warm_redis")
            errors = sum(t[x]["non_2xx"] + t[x]["errors"] for x in targets)
            lines.append(
                f"| {name} | {t['bytes']:,} | {fmt(sql.get('uncached'), 'd')} ({fmt(sql.get('warm'), 'd')}) | "
                + " | ".join(fmt(t[x]["rps"]) for x in targets)
                + f" | {fmt(ratio(t['service']['rps'], t['peer']['rps']), '.2f', 'x')}"
                f" | {fmt(ratio(warm['rps'], t['ceiling']['rps']) if warm else None, '.2f', 'x')}"
                f" | {fmt(ratio(t['service']['rps'], t['ceiling']['rps']), '.2f', 'x')}"
                f" | {fmt(t['service']['p50_ms'], '.1f')} / {fmt(t['service']['p99_ms'], '.1f')} | "
                + " | ".join(fmt(t[x]["p99_ms"], ".1f") for x in targets if x != "service")
                + f" | {errors} |"
            )
        rss = ", ".join(f"{k} {fmt(v, '.0f')} MB" for k, v in run_["worker_rss_mb"].items())
        lines += ["", f"Largest worker RSS after the run: {rss}.", ""]
    if report.get("growth"):
        small, large = report["runs"][0]["size"], report["runs"][-1]["size"]
        lines += [
            f"## Growth: uncached p99 at {large:,} / at {small:,} articles",
            "",
            "| endpoint | p99 ratio | target ≤ 1.5x |",
            "|---|---|---|",
        ]
        for name, value in report["growth"].items():
            lines.append(f"| {name} | {fmt(value, '.2f', 'x')} | {verdict(value is not None and value <= TARGETS['growth'])} |")
        lines.append("")
    lines += ["## Targets", "", "| target | size | value | wanted | result |", "|---|---|---|---|---|"]
    for what, size, value, wanted, ok in checks(report):
        shown = fmt(value, ".2f") if isinstance(value, float) else fmt(value, "")
        where = f"{size:,}" if isinstance(size, int) else size
        lines.append(f"| {what} | {where} | {shown} | {wanted} | {verdict(ok)} |")
    return "\n".join(lines)


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0]) / 1024 / 1024

    def output(cmd):
        try:
            return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
        except OSError:
            return "?"

    dirty = " (uncommitted changes)" if output(["git", "status", "--porcelain"]) else ""
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgresql": pg_query("postgres", "SHOW server_version")[0][0],
        "datasette": output([PY, "-m", "datasette", "--version"]).split()[-1],
        "commit": output(["git", "rev-parse", "--short", "HEAD"]) + dirty,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated corpus sizes (articles), smallest first")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker-connections", type=int, default=4, help="gunicorn's cap per worker (docs/performance.md)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--cache", default="both", choices=["locmem", "redis", "both"], help="the warm service's cache")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sweep", action="store_true", help="compare gunicorn worker settings instead (first size only)")
    parser.add_argument("--render", action="store_true", help="only write latest.md again from latest.json")
    args = parser.parse_args()
    if args.render:
        (RESULTS / "latest.md").write_text(markdown(json.loads((RESULTS / "latest.json").read_text())) + "\n")
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a terminated run still stops its servers (finally blocks)
    ensure_wrk()
    ensure_rum()
    sizes = [int(size) for size in args.sizes.split(",")]
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.sweep:
        rows = sweep(sizes[0], args)
        (RESULTS / "sweep.json").write_text(
            json.dumps({"size": sizes[0], "seconds": args.seconds, "rows": rows}, indent=2) + "\n"
        )
        for row in rows:
            cells = ", ".join(f"{n} {e['rps']:.0f}/s p99 {fmt(e['p99_ms'], '.0f')} ms" for n, e in row["endpoints"].items())
            print(f"{row['worker']}: {cells}; RSS {row['rss_mb']} MB")
        return
    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "settings": f"-t2 -c{args.connections} -d{args.seconds:g}s x {args.rounds} interleaved rounds",
        "worker": f"--worker-class {args.worker_class} --workers {args.workers} --threads {args.threads} "
        f"--worker-connections {args.worker_connections}",
        "runs": [measure(size, args) for size in sizes],
    }
    report["growth"] = growth(report["runs"])
    report["checks"] = [dict(zip(["target", "size", "value", "wanted", "pass"], row, strict=True)) for row in checks(report)]
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(report) + "\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
