from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CorpusConfig(AppConfig):
    name = "corpus"
    verbose_name = "Corpus"

    def ready(self):
        from corpus import version_triggers

        # Every corpus table, a new model's too, gets the triggers that bump the corpus version.
        post_migrate.connect(version_triggers.after_migrate, sender=self, dispatch_uid="corpus-version-triggers")
