from django.core.management.base import BaseCommand
from django.db import transaction

from corpus.models import DatabaseEpoch


class Command(BaseCommand):
    help = (
        "Give this database a new random epoch and bump the corpus version: run it after every restore, so no "
        "response cached (in Redis, or as a client's ETag) for the database as it was before matches again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():  # its commit bumps the corpus version (corpus/version_triggers.py): a new stamp, so
            epoch = DatabaseEpoch.rotate()  # every process reads the new epoch, and Last-Modified moves forward
        self.stdout.write(self.style.SUCCESS(f"New database epoch {epoch}."))
