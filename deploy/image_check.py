"""The image's build replayed without Docker, for CI (no Docker daemon or registry here).

    .venv/bin/python deploy/image_check.py

Reads ``deploy/Dockerfile`` and ``deploy/compose.yaml`` and does what the image build and the
containers would do with Kring's own files, on this machine's Python:

- every ``COPY`` source exists, and is copied into an empty folder (the image's WORKDIR);
- the ``RUN`` steps that concern Kring run there with the Dockerfile's ``ENV``: the
  dependencies without the development group (``uv sync --no-dev``, into a fresh
  environment), the translations and the hashed static files. The operating-system steps
  (``apt-get``, ``pip install uv``, ``useradd``) belong to the base image and are skipped;
- with only those dependencies the app loads: gunicorn checks its configuration and the
  ``CMD`` application with the production settings, and every management command the
  compose file starts exists.

So a runtime dependency moved to the development group, a file the image forgets to copy, or
a build step that needs a setting the build does not have fails CI before a real build would.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
# Steps of the base image, not of Kring: the machine running this check has them already.
OPERATING_SYSTEM = ("apt-get", "pip install", "useradd")
# What the containers get from compose's environment; here throwaway values.
RUNTIME = {
    "SECRET_KEY": "image-check-secret-key-guards-nothing-0123456789abcdefghij",
    "KRING_PSEUDONYM_KEY": "image-check-pseudonym-key-guards-nothing-0123456789abc",
    "ALLOWED_HOSTS": "kring.example.org,localhost",
    "SITE_URL": "https://kring.example.org",
    "KRING_BEHIND_PROXY": "1",
    "EMAIL_BACKEND": "smtp",
}


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            name, _, rest = line.strip().partition(" ")
            found.append((name.upper(), rest.strip()))
    return found


def environment(arguments: str, env: dict[str, str]) -> dict[str, str]:
    """An ``ENV a=1 b=2`` line applied to env, with ``$NAME`` expanded as Docker does."""
    updated = dict(env)
    for pair in shlex.split(arguments):
        name, _, value = pair.partition("=")
        updated[name] = re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), ""), value)
    return updated


def main() -> int:
    build = Path(tempfile.mkdtemp(prefix="kring-image-"))
    try:
        replay(build)
    except subprocess.CalledProcessError as failed:
        print(f"image check failed: {failed.cmd}", file=sys.stderr)
        return 1
    except AssertionError as failed:
        print(f"image check failed: {failed}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(build, ignore_errors=True)
    print("image check: the build steps and the containers' commands work")
    return 0


def replay(build: Path) -> None:
    workdir, venv = build / "srv", build / "venv"
    # This machine's environment (its package index, certificates and uv cache), without
    # anything that would configure Kring or point at the project's own environment.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("KRING_", "DJANGO_", "VIRTUAL_ENV", "PYTHONPATH"))
        and name not in {"DEBUG", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT"}
    }
    provide_uv(build, env)
    machine_path = env["PATH"]
    # The image's Python is the only one; here pyenv's shims (uv, python) need to be told
    # which, outside the repository's folder with its .python-version.
    if (ROOT / ".python-version").exists():
        env["PYENV_VERSION"] = (ROOT / ".python-version").read_text().strip()
    for name, arguments in instructions(DOCKERFILE.read_text()):
        if name == "ENV":
            env = environment(arguments, env)
            # Into this check's folders, not the image's /opt and /srv.
            env["UV_PROJECT_ENVIRONMENT"] = str(venv)
            env["STATIC_ROOT"] = str(build / "static")
            env["PATH"] = f"{venv / 'bin'}:{machine_path}"
            # Byte-compiling every package speeds the containers' start, not this check.
            env["UV_COMPILE_BYTECODE"] = "0"
        elif name == "WORKDIR":
            workdir.mkdir()
        elif name == "COPY":
            copy(shlex.split(arguments), workdir)
        elif name == "RUN" and not any(step in arguments for step in OPERATING_SYSTEM):
            print(f"== RUN {arguments}")
            subprocess.run(["sh", "-c", arguments], cwd=workdir, env=env, check=True)
        elif name == "CMD":
            check_command(yaml.safe_load(arguments), workdir, env)
    services = yaml.safe_load(COMPOSE.read_text())["services"].values()
    started = " ".join(" ".join(service.get("command") or []) for service in services)
    check_manage_commands(started, workdir, env)


def provide_uv(build: Path, env: dict[str, str]) -> None:
    """The image installs uv with pip; here it is the machine's, or `python -m uv` where the
    Makefile installed it as a module only."""
    if shutil.which("uv", path=env["PATH"]):
        return
    python = shutil.which("python3", path=env["PATH"]) or sys.executable
    tools = build / "tools"
    tools.mkdir()
    (tools / "uv").write_text(f'#!/bin/sh\nexec "{python}" -m uv "$@"\n')
    (tools / "uv").chmod(0o755)
    env["PATH"] = f"{tools}:{env['PATH']}"


def copy(arguments: list[str], workdir: Path) -> None:
    *sources, target = arguments
    for source in sources:
        path = ROOT / source
        assert path.exists(), f"COPY {source}: not in the repository"
        destination = workdir / (target if target not in ("./", ".") else path.name)
        if path.is_dir():
            shutil.copytree(path, destination, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        else:
            shutil.copy(path, destination)


def check_command(command: list[str], workdir: Path, env: dict[str, str]) -> None:
    """The image's CMD (gunicorn) loads its configuration and the app with the production
    settings and nothing but the image's dependencies."""
    assert command[0] == "gunicorn", command
    print(f"== CMD {' '.join(command)} --check-config")
    subprocess.run(
        [*command[:-1], "--check-config", command[-1]],
        cwd=workdir,
        env={**env, **RUNTIME},
        check=True,
    )


def check_manage_commands(command: str, workdir: Path, env: dict[str, str]) -> None:
    known = subprocess.run(
        ["python", "manage.py", "help", "--commands"],
        cwd=workdir,
        env={**env, **RUNTIME},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    names = re.findall(r"manage\.py\s+(\w+)", command)
    assert names, "compose starts no management command"
    for name in names:
        assert name in known, f"compose starts manage.py {name}, which does not exist"
        print(f"== compose: manage.py {name} exists")


if __name__ == "__main__":
    sys.exit(main())
