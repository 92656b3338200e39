from django.core.management.base import BaseCommand
from django.db import transaction

from corpus.models import CorpusVersion, DatabaseEpoch


class Command(BaseCommand):
    help = (
        "Give this database a new random epoch and bump the corpus version: run it after every restore, so no "
        "response cached (in Redis, or as a client's ETag) for the database as it was before matches again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            epoch = DatabaseEpoch.rotate()
            CorpusVersion.bump()  # a new stamp: every process reads the new epoch; Last-Modified moves forward
        self.stdout.write(self.style.SUCCESS(f"New database epoch {epoch}."))
