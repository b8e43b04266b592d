"""Draw the seed's three pods, 30 simulated seconds after they start, as SVG pictures, and the
port-conflict pod's restart timeline over two minutes.

Run: python docs/examples/draw_seed_pods.py [OUTDIR]

The docs build runs this (from ``docs/conf.py``) to make the tutorial's pictures, so they always
show what the current podmodel does.
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

import podmodel
from podmodel.display.picture import render_svg
from podmodel.display.timeline import history, render_timeline

SEED = pathlib.Path(__file__).resolve().parent / "seed"


def draw(outdir: pathlib.Path, seconds: float = 30) -> list[pathlib.Path]:
    """Write one ``<experiment>.svg`` per seed manifest into *outdir*; return the paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for manifest in sorted(SEED.glob("*.yaml")):
        pod = podmodel.load(manifest)
        running = podmodel.Node().start(pod).advance(seconds).pod(pod.name)
        target = outdir / f"{manifest.stem}.svg"
        target.write_text(render_svg(running), encoding="utf-8")
        written.append(target)
    return written


def draw_timeline(outdir: pathlib.Path, seconds: float = 120) -> pathlib.Path:
    """Write the port-conflict pod's restart timeline over *seconds* into *outdir*."""
    outdir.mkdir(parents=True, exist_ok=True)
    pod = podmodel.load(SEED / "port-conflict.yaml")
    target = outdir / "port-conflict-timeline.svg"
    drawn = render_timeline(history(podmodel.Node().start(pod), pod.name, seconds))
    target.write_text(drawn, encoding="utf-8")
    return target


if __name__ == "__main__":
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(tempfile.mkdtemp())
    for path in [*draw(out), draw_timeline(out)]:
        print(f"wrote {path}")
