from django.core.management.base import BaseCommand

from api.openapi.examples import RECORDED, live_responses


class Command(BaseCommand):
    help = "Record the OpenAPI examples (api/openapi/examples.json) from the live seed corpus; then regenerate v1.yaml."

    def handle(self, *args, **options):
        import json

        RECORDED.write_text(json.dumps(live_responses(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {RECORDED}. Now run: manage.py spectacular --file api/openapi/v1.yaml")
