"""What the migrations that run SQL of their own share (Django's migration loader skips modules whose names start with "_")."""


def on_postgresql(statements: list[str]):
    """A RunPython function running ``statements`` as they are (no parameters) on PostgreSQL, and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


def per_vendor(statements: dict[str, list[str]]):
    """A RunPython function running ``statements[vendor]`` as they are (no parameters) on the connection's database."""

    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run
