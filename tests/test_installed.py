"""Installed without make, the app still speaks French by default.

A coordinator deploys by the Procfile (a clean clone: `release`, then `web`), or an
administrator runs `pip install .` into a fresh virtual environment and starts the
server from elsewhere. Neither runs `make translations`: the catalogues are compiled at
start-up (app/catalogues.py), and the wheel carries the templates, static files and
workshop scripts (setup.py).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.paths import ROOT
from tests.fixtures.servers import free_port, wait_for_health

pytestmark = pytest.mark.server

FRENCH_LOGIN = "Se connecter"


def clean_clone(into: Path) -> Path:
    """The checkout as `git clone` gives it: tracked and new files, nothing ignored (no
    compiled catalogue, no virtual environment, no instance)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    assert not list(into.glob("app/translations/*/LC_MESSAGES/*.mo"))
    return into


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIGRAPASS_", "FLASK_"))}
    for key in ("DATABASE_URL", "SECRET_KEY", "PYTHONPATH"):
        env.pop(key, None)
    env.update({"HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1", **extra})
    return env


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(shlex.split(command), cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


def serving(command: str, cwd: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """Start the server as `command` does, yield its address, stop it."""
    with log.open("wb") as out:
        process = subprocess.Popen(shlex.split(command), cwd=cwd, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        wait_for_health(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def assert_french_pages(url: str) -> None:
    page = requests.get(f"{url}/login", timeout=10)
    assert page.status_code == 200
    assert 'lang="fr"' in page.text
    assert FRENCH_LOGIN in page.text, "the interface is not in French"
    stylesheet = page.text.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert requests.get(f"{url}{stylesheet}", timeout=10).status_code == 200


def test_the_procfile_deployment_of_a_clean_clone_serves_french(tmp_path: Path):
    clone = clean_clone(tmp_path / "clone")
    bin_dir = Path(sys.executable).parent
    env = environment(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PORT=str(free_port()))
    procfile = dict(
        line.split(": ", 1) for line in (clone / "Procfile").read_text().splitlines() if line
    )
    run(procfile["release"], clone, env)
    where = run("python -c 'import app; print(app.__file__)'", clone, env).stdout
    assert where.strip() == str(clone / "app" / "__init__.py")
    for url in serving(procfile["web"], clone, env, tmp_path / "web.log"):
        assert_french_pages(url)


def test_pip_install_of_the_sdist_into_a_fresh_environment_serves_french_from_anywhere(
    tmp_path: Path,
):
    clone = clean_clone(tmp_path / "clone")
    # As a package index holds it: an sdist, and the wheel built from that sdist.
    dist = tmp_path / "dist"
    run(f"{sys.executable} -m build --sdist --outdir {dist} {clone}", tmp_path, dict(os.environ))
    wheels = tmp_path / "wheels"
    sdist = next(dist.glob("*.tar.gz"))
    run(
        f"{sys.executable} -m pip wheel --quiet --no-deps -w {wheels} {sdist}",
        tmp_path,
        {**os.environ},
    )
    fresh = tmp_path / "fresh"
    run(f"{sys.executable} -m venv --without-pip {fresh}", tmp_path, dict(os.environ))
    python = fresh / "bin" / "python"
    site = Path(
        run(
            f"{python} -c 'import sysconfig; print(sysconfig.get_path(\"purelib\"))'",
            tmp_path,
            {**os.environ},
        ).stdout.strip()
    )
    wheel = next(wheels.glob("*.whl"))
    run(
        f"{sys.executable} -m pip install --quiet --no-deps --target {site} {wheel}",
        tmp_path,
        {**os.environ},
    )
    # The dependencies are this environment's: only the app itself is the fresh install.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = environment(PORT=str(free_port()))
    where = run(f"{python} -c 'import app; print(app.__file__)'", elsewhere, env).stdout
    assert where.strip() == str(site / "app" / "__init__.py")
    assert not list(site.glob("app/translations/*/LC_MESSAGES/*.mo"))
    run(f"{python} -m flask --app app db upgrade", elsewhere, env)
    for url in serving(f"{python} -m app.serve", elsewhere, env, tmp_path / "web.log"):
        assert_french_pages(url)
    assert (elsewhere / "instance").is_dir(), "the instance folder is where the server runs"
