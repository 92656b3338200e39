"""The corpus version is bumped by triggers, once per transaction at commit on PostgreSQL, instead of
by ``post_save`` signals on the first write (which held the version row's lock until commit, so two
curators could deadlock, and missed bulk and raw SQL writes). See corpus/version_triggers.py.

The tables come from this migration's state of the models, not from a list; tables added later get
their triggers from the post_migrate receiver (corpus/apps.py), which runs the same ``sync``.
"""

from django.db import migrations

from corpus.version_triggers import install, uninstall


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0009_database_state"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
