"""`.env.example` lists every setting with its real default: config/env.py's and bin/start-web's."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r'(?:os\.environ\.get|get_bool|get_list|int\(os\.environ\.get)\(\s*"([A-Z_]+)"')


def example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def env_py_defaults() -> dict[str, str]:
    """config/env.py's values in an empty environment, as the strings .env.example would hold."""
    code = (
        "import json, config.env as e; print(json.dumps({k: v if isinstance(v, str) else "
        "(','.join(v) if isinstance(v, list) else str(v).lower()) for k, v in vars(e).items() if k.isupper()}))"
    )
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={}, capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def relative(value: str) -> str:
    """The project's absolute paths as .env.example writes them (relative to the project directory)."""
    return value.replace(f"{ROOT}/", "")


def test_every_setting_config_env_reads_is_in_the_example_with_its_default():
    names = set(READ.findall((ROOT / "config" / "env.py").read_text()))
    assert names, "no settings found in config/env.py"
    defaults, listed = env_py_defaults(), example()
    assert names <= set(listed), names - set(listed)
    for name in names:
        assert listed[name] == relative(defaults[name]), name


def test_start_web_settings_are_in_the_example_with_their_defaults():
    """.env.example said GUNICORN_THREADS=4 while start-web's default is 2: with the 4-connection cap, 4 threads
    closed every connection and cut throughput by a third."""
    start_web = (ROOT / "bin" / "start-web").read_text()
    defaults = dict(re.findall(r"\$\{([A-Z_]+):-([^}]*)\}", start_web))
    assert "GUNICORN_THREADS" in defaults
    listed = example()
    for name, default in defaults.items():
        assert listed.get(name) == default, name
