"""A deterministic synthetic corpus shaped like the seeds, for benchmarks at 1k–100k articles."""

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from corpus.models import Article
from corpus.services.synthetic import GENERATOR_VERSION, PREFIX, delete_synthetic, generate


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic corpus (slugs start with 'synthetic-'): bulk writes, COPY on PostgreSQL, "
        "in batches of 1,000 articles. --articles 100000 --actors 5000 takes a few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--actors", type=int, default=500)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="Delete an existing synthetic corpus first.")

    def handle(self, *args, articles, actors, seed, replace, verbosity, **options):
        if articles < 1 or actors < 10:
            raise CommandError("--articles must be at least 1 and --actors at least 10.")
        if Article.objects.filter(slug__startswith=PREFIX).exists():
            if not replace:
                raise CommandError("A synthetic corpus exists already: pass --replace to regenerate it.")
            delete_synthetic()
        started = time.monotonic()
        bar = ProgressBar(self.stdout, started) if verbosity else None
        rows = generate(articles, actors, seed, progress=bar)
        elapsed = time.monotonic() - started
        if verbosity:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
            written = ", ".join(f"{n:,} {table.removeprefix('corpus_')}" for table, n in sorted(rows.items()))
            self.stdout.write(f"Rows: {written}.")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {articles:,} articles and {actors:,} actors (seed {seed}, generator v{GENERATOR_VERSION}) "
                    f"in {elapsed:.1f} s ({articles / elapsed:,.0f} articles/s, peak RSS {peak:.0f} MB)."
                )
            )


class ProgressBar:
    """``articles [#####.....] 45,000/100,000 1,234/s ETA 0:45``, redrawn in place on a terminal, every 10% otherwise."""

    WIDTH = 30

    def __init__(self, out, started: float):
        self.out, self.started, self.tty, self.shown = out, started, sys.stdout.isatty(), -1

    def __call__(self, done: int, total: int) -> None:
        tenth = 10 * done // total
        if not self.tty and tenth == self.shown and done < total:
            return
        self.shown = tenth
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        eta = int((total - done) / rate) if rate else 0
        filled = self.WIDTH * done // total
        line = (
            f"articles [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:,}/{total:,} "
            f"{rate:,.0f}/s ETA {eta // 60}:{eta % 60:02d}"
        )
        self.out.write(f"\r{line}" if self.tty else line, ending="\n" if done == total or not self.tty else "")
        self.out.flush()
