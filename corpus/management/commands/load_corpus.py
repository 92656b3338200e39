import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from corpus.services.loading import FixtureError, load_fixture, reset_fixture


class Command(BaseCommand):
    help = (
        "Load the seed corpus (or the given fixtures): validated and all-or-nothing. Adds only the records this "
        "database has never held, so curators' edits and deletions survive; --reset overwrites them with the seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", default=[str(Path(settings.BASE_DIR) / "fixtures" / "corpus.json")])
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Write every record as the fixture has it: curated edits go back to the seed text and deleted "
            "records come back (with a history entry for each row written). Asks for confirmation.",
        )
        parser.add_argument("--yes", action="store_true", help="With --reset: do not ask for confirmation (scripts).")

    def handle(self, *args, fixtures, reset, yes, **options):
        if reset and not yes:
            self.confirm(fixtures)
        for fixture in fixtures:
            try:
                result = (reset_fixture if reset else load_fixture)(Path(fixture))
            except FixtureError as exc:
                raise CommandError(f"Nothing was loaded from {fixture}:\n{exc}") from exc
            if reset:
                self.stdout.write(self.style.SUCCESS(f"Reset {result.loaded} objects to {fixture}."))
                continue
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {result.loaded} new objects from {fixture}; {result.held} already held, unchanged.")
            )
            for name in result.skipped:
                self.stderr.write(f"Not loaded: {name}: it names a row this database no longer has.")

    def confirm(self, fixtures) -> None:
        if not sys.stdin.isatty():
            raise CommandError("--reset overwrites curated rows: confirm with --yes when not run interactively.")
        answer = input(
            f"--reset writes every record of {', '.join(fixtures)} as it stands there: curators' edits to those "
            "records are overwritten and records they deleted come back. Type 'reset' to go on: "
        )
        if answer.strip() != "reset":
            raise CommandError("Reset cancelled; nothing was written.")
