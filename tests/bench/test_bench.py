"""The bench's machinery, cheaply: the peer's SQL on an SQLite copy, the report's tables and verdicts."""

import sqlite3

from bench.run import PEER_QUERIES, add_fts, checks, generate, growth, markdown


def test_peer_queries_run_on_an_sqlite_copy(tmp_path):
    path = tmp_path / "bench.sqlite3"
    generate(f"sqlite:///{path}", 20, 1)  # migrate and generate_corpus, as the bench makes its copies
    add_fts(path)
    with sqlite3.connect(path) as con:
        slug = con.execute("select slug from corpus_article order by published_at desc limit 1").fetchone()[0]
        for name, sql in PEER_QUERIES.items():
            rows = con.execute(sql, {"slug": slug, "q": "the"}).fetchall()
            assert rows, name


def result(rps, p99=10.0, errors=0):
    return {"rps": rps, "requests": int(rps * 5), "p50_ms": p99 / 2, "p99_ms": p99, "non_2xx": errors, "errors": 0}


def fake_run(size, p99):
    endpoints = {
        name: {"service": result(100, p99), "warm": result(900), "peer": result(80), "ceiling": result(1000),
               "bytes": 1234, "sql": {"uncached": 3, "warm": 1}}
        for name in PEER_QUERIES
    }  # fmt: skip
    endpoints["search"]["service"] = result(10, p99, errors=2)
    corpus = {"article": size, "actor": 50, "mention": 5 * size, "event": size // 4, "citation": size // 2, "database_mb": 9}
    return {"size": size, "corpus": corpus, "endpoints": endpoints, "worker_rss_mb": {"service": 150.0, "warm": 250.0}}


def test_report_shows_ratios_growth_and_verdicts():
    runs = [fake_run(1000, 10.0), fake_run(100000, 20.0)]
    machine = {"cpus": 2, "cpu": "cpu", "memory_gb": 4, "os": "Linux", "postgresql": "16", "python": "3.11",
               "datasette": "0.65", "commit": "abc"}  # fmt: skip
    report = {"date": "today", "machine": machine, "settings": "-c8", "worker": "sync x2", "runs": runs}
    report["growth"] = growth(runs)
    assert report["growth"]["article_list"] == 2.0
    verdicts = {(what, size): ok for what, size, _, _, ok in checks(report)}
    assert verdicts[("article_list: uncached / Datasette", 1000)] is True  # 100 vs 80 req/s
    assert verdicts[("search: uncached / Datasette FTS5", 1000)] is False
    assert verdicts[("search: errors + non-2xx (all targets)", 1000)] is False
    assert verdicts[("timeline: warm / ceiling", 1000)] is True  # 0.9x
    assert verdicts[("warm worker RSS (MB)", 1000)] is False
    assert verdicts[("article_list: uncached p99 growth", "1,000→100,000")] is False
    text = markdown(report)
    assert "| article_list | 1,234 | 3 (1) | 100 | 900 | 80 | 1000 | 1.25x | 0.90x | 0.10x |" in text
    assert "**FAIL**" in text
