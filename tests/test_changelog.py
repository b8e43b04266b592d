"""CHANGELOG.md keeps the Keep a Changelog shape."""

from __future__ import annotations

import re

from tests.conftest import REPO


def test_changelog_has_an_unreleased_section_and_valid_headings() -> None:
    text = (REPO / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.M)
    assert headings, "no release headings"
    assert headings[0] == "Unreleased" or re.fullmatch(r"\d+\.\d+\.\d+", headings[0])
    for sub in re.findall(r"^### (.+)$", text, flags=re.M):
        assert sub in {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
