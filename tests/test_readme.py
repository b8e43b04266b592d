"""The README's two commands: the quick start does what the README shows, and the test command is
the one CI runs."""

from __future__ import annotations

import pathlib
import re
import shlex
import subprocess
import sys

from tests.conftest import REPO

README = (REPO / "README.md").read_text()
CONSOLE = re.findall(r"```console\n(.*?)```", README, re.DOTALL)


def test_quick_start_prints_what_the_readme_shows(tmp_path: pathlib.Path) -> None:
    command, *shown = CONSOLE[0].splitlines()
    install, _, run = command.removeprefix("$ ").partition(" && ")
    assert install == "pip install ."
    argv = shlex.split(run)
    assert argv[0] == "podmodel"
    (tmp_path / "docs").symlink_to(REPO / "docs")  # run from a checkout, as the README says
    proc = subprocess.run(
        [sys.executable, "-m", "podmodel", *argv[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr  # the README says: 1, the pod is failing
    pattern = ".*".join(re.escape(line.strip()) for line in "\n".join(shown).split("..."))
    pattern = r"\s+".join(pattern.split(r"\ "))
    assert re.search(pattern, proc.stdout, re.DOTALL), proc.stdout
    assert (tmp_path / "pod.svg").read_text(encoding="utf-8").startswith("<svg")


def test_the_test_command_is_the_one_ci_runs() -> None:
    assert CONSOLE[1].strip() == "$ pip install -e '.[test]' && python -m pytest"
    ci = (REPO / ".ci" / "run").read_text()
    assert "\npython -m pytest\n" in ci
    assert "pip install --quiet -e '.[test,lint,docs,schema]'" in ci
