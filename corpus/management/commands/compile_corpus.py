import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from corpus.seedcompiler import CompileError, Compiler

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Compile fixtures/curated/*.yaml and fixtures/pages/*.txt into fixtures/corpus.json."

    def add_arguments(self, parser):
        parser.add_argument("--curated", default=str(FIXTURES / "curated"))
        parser.add_argument("--pages", default=str(FIXTURES / "pages"))
        parser.add_argument("--output", default=str(FIXTURES / "corpus.json"))
        parser.add_argument("--check", action="store_true", help="Fail if the output file is not up to date.")

    def handle(self, *args, curated, pages, output, check, **options):
        try:
            objects = Compiler(Path(curated), Path(pages)).compile()
        except CompileError as exc:
            raise CommandError(f"{len(exc.problems)} problem(s) in the curated corpus:\n" + str(exc)) from exc
        text = json.dumps(objects, ensure_ascii=False, indent=1) + "\n"
        path = Path(output)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is out of date: run `make fixtures`.")
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(objects)} objects to {path}."))
