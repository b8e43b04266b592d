"""Sphinx configuration for podmodel's documentation (built by CI with warnings as errors)."""

from __future__ import annotations

import podmodel

project = "podmodel"
author = "The podmodel developers"
copyright = "2026, the podmodel developers"
release = podmodel.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "examples/*.py"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
napoleon_google_docstring = True
# No intersphinx: the docs build must not need the network.
html_theme = "furo"
html_title = f"podmodel {release}"
# A few additions to furo (answers in the pod lab, pictures on a phone): see the file.
html_static_path = ["_static"]
html_css_files = ["podmodel.css"]


def _draw_tutorial_pictures(app: object) -> None:
    """Draw the seed pods for the tutorial with the podmodel being documented."""
    import pathlib
    import runpy

    here = pathlib.Path(__file__).resolve().parent
    drawing = runpy.run_path(str(here / "examples" / "draw_seed_pods.py"))
    drawing["draw"](here / "tutorial" / "_generated")
    drawing["draw_timeline"](here / "tutorial" / "_generated")


def setup(app: object) -> None:
    app.connect("builder-inited", _draw_tutorial_pictures)  # type: ignore[attr-defined]
