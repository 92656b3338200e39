"""Cache invalidation: any write to a corpus model bumps the corpus version in the same transaction."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from corpus.models import CorpusVersion


def bump_version(sender, raw=False, **kwargs):
    if not raw:  # fixture loads bump once, at the end (corpus.services.loading)
        CorpusVersion.bump()


def connect():
    for model in apps.get_app_config("corpus").get_models():
        if model is CorpusVersion or model.__name__.startswith("Historical"):
            continue
        post_save.connect(bump_version, sender=model, dispatch_uid=f"corpus-version-save-{model.__name__}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"corpus-version-delete-{model.__name__}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(bump_version, sender=field.remote_field.through,
                                dispatch_uid=f"corpus-version-m2m-{model.__name__}-{field.name}")  # fmt: skip
