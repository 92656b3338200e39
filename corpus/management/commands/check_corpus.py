from django.core.management.base import BaseCommand, CommandError

from corpus.services.integrity import find_problems


class Command(BaseCommand):
    help = "Check the corpus's integrity (citation offsets, dates, orphans, duplicate actors); exit 1 on any problem."

    def handle(self, *args, **options):
        problems = find_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} integrity problem(s).")
        self.stdout.write(self.style.SUCCESS("The corpus is consistent."))
