from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from corpus.services.loading import FixtureError, load_fixture


class Command(BaseCommand):
    help = "Load the seed corpus (or the given fixtures): validated, all-or-nothing and idempotent."

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", default=[str(Path(settings.BASE_DIR) / "fixtures" / "corpus.json")])

    def handle(self, *args, fixtures, **options):
        for fixture in fixtures:
            try:
                count = load_fixture(Path(fixture))
            except FixtureError as exc:
                raise CommandError(f"Nothing was loaded from {fixture}:\n{exc}") from exc
            self.stdout.write(self.style.SUCCESS(f"Loaded {count} objects from {fixture}."))
