"""Packaging hook: a wheel carries the files the app reads beside its package.

In a checkout, `templates/`, `static/` and `workshops/` sit next to `app/` (PRODUCT.md's
layout); an installed wheel has only what is inside `app/`. This copies the three into
the wheel as `app/_files/`, where app/paths.py looks when there is no checkout around it.
Everything else is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BESIDE_THE_PACKAGE = ("templates", "static", "workshops")


class BuildWithFiles(build_py):
    def run(self) -> None:
        super().run()
        here = Path(__file__).resolve().parent
        for name in BESIDE_THE_PACKAGE:
            self.copy_tree(str(here / name), str(Path(self.build_lib) / "app" / "_files" / name))


setup(cmdclass={"build_py": BuildWithFiles})
