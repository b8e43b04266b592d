"""The picture draws the connections made inside the pod, apart from the volume mounts; the
Jupyter HTML shows the restart timeline under it."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel.display import picture
from podmodel.display.picture import MAX_DRAWN_CONNECTIONS, render_html, render_svg
from podmodel.display.timeline import history, render_timeline
from tests.display.test_picture import _contrast, _palettes, _texts

SVG = "{http://www.w3.org/2000/svg}"

POLLER = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts: [{name: v, mountPath: /usr/share/nginx/html}]
  - name: poller
    image: busybox
    command: [sh, -c, 'while true; do wget -qO- localhost; wget -qO- localhost:8080; sleep 10; done']
    volumeMounts: [{name: v, mountPath: /data}]
  volumes: [{name: v, emptyDir: {}}]
"""


def _node(manifest: str = POLLER) -> podmodel.Node:
    return podmodel.Node().start(podmodel.loads(manifest))


def _shown(svg: str) -> list[str]:
    """Every piece of text as it is drawn (without its tooltip)."""
    out = []
    for el in ET.fromstring(svg).iter(f"{SVG}text"):
        tip = el.find(f"{SVG}title")
        out.append((tip.tail if tip is not None else el.text) or "")
    return out


def _paths(svg: str, cls: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [p for p in root.iter(f"{SVG}path") if cls in (p.get("class") or "").split()]


def test_a_connection_is_an_arrow_with_its_port_apart_from_the_mounts() -> None:
    p = _node().advance(35).pod("p")
    svg = render_svg(p)
    assert svg == render_svg(p)  # deterministic
    conns = _paths(svg, "conn")
    refused = _paths(svg, "conn-refused")
    mounts = _paths(svg, "arrow")
    legend = 1
    assert len(conns) == 1 + legend
    assert len(refused) == 1 + legend
    assert len(mounts) == 2
    texts = [*_texts(svg), *_shown(svg)]
    assert "localhost:80 (x4)" in texts
    assert "✗ localhost:8080 refused (x4)" in texts
    assert "connection in the pod: host:port, (xN) times" in texts
    assert "✗ refused: nothing listened there" in texts
    assert "volume mount" in texts
    # an arrowhead of its own, a tooltip that says who accepted it
    assert 'id="conn-tip"' in svg
    assert "marker-end: url(#conn-tip)" in svg
    tip = conns[0].find(f"{SVG}title")
    assert tip is not None
    assert tip.text == ("poller connected to localhost:80/TCP: web accepted (x4)")
    # it leaves poller's box and enters web's (both at their top edge)
    boxes = [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if "box" in r.get("class", "")]
    web, poller = (float(b.get("x", 0)) for b in boxes)
    d = conns[0].get("d", "")
    start_x = float(d[1:].split(",")[0])
    end_x = float(d.rsplit(" ", 1)[1].split(",")[0])
    assert poller < start_x < poller + 250
    assert web < end_x < web + 250


def test_no_connection_no_band_and_no_legend() -> None:
    p = (
        _node(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n"
        )
        .advance(5)
        .pod("p")
    )
    svg = render_svg(p)
    assert not _paths(svg, "conn")
    assert not _paths(svg, "conn-refused")
    assert not [t for t in _texts(svg) if t.startswith("connection in the pod")]


def test_a_connection_to_itself_is_a_loop_and_exec_connections_are_drawn() -> None:
    node, _ = _node().advance(1).exec("p", "web", "curl -s localhost >/dev/null")
    svg = render_svg(node.pod("p"))
    loops = [
        p
        for p in _paths(svg, "conn")
        if (p.find(f"{SVG}title") is not None)
        and "web connected to localhost:80/TCP: web accepted" in (p.find(f"{SVG}title").text or "")  # type: ignore[union-attr]
    ]
    assert len(loops) == 1


def test_many_connections_are_capped_with_a_note() -> None:
    scan = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: scan
    image: busybox
    command: [sh, -c, 'for i in $(seq 1 30); do wget -q -O- localhost:$i; done; sleep 3600']
"""
    p = _node(scan).advance(5).pod("p")
    svg = render_svg(p)
    assert len(_paths(svg, "conn-refused")) == MAX_DRAWN_CONNECTIONS + 1  # and the legend's
    hidden = 30 - MAX_DRAWN_CONNECTIONS
    assert f"+{hidden} earlier connections not drawn (RunningPod.connections lists them)" in _texts(
        svg
    )
    assert "✗ localhost:30 refused" in _texts(svg)  # the most recent ones are drawn
    assert "✗ localhost:1 refused" not in _texts(svg)


def test_the_connection_colours_read_on_light_and_dark_backgrounds() -> None:
    for palette in _palettes(picture._STYLE):
        for fg in (".conn-label", ".bad"):
            for bg in (".bg", ".pod"):
                assert _contrast(palette[fg], palette[bg]) >= 4.5, (fg, bg, palette)
    light, dark = _palettes(picture._STYLE)
    assert light[".conn-label"] != dark[".conn-label"]
    # not the colour of the mounts, nor the network namespace's
    assert light[".conn-label"] not in (light[".netns-label"], light[".host-label"])


def test_the_jupyter_html_shows_the_picture_then_the_timeline() -> None:
    node = _node(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - {name: a, image: nginx}\n  - {name: b, image: nginx}\n"
    )
    p = node.advance(60).pod("p")
    html = p._repr_html_()
    assert html is not None
    picture_at = html.index('<div class="podmodel-pod"><svg')
    timeline_at = html.index('<div class="podmodel-timeline"><svg')
    assert picture_at < timeline_at
    assert render_timeline(p.history) in html
    assert p.history == history(node, "p", 60)  # the same record `run --timeline` replays
    assert p._repr_svg_() == render_svg(p)  # the SVG display stays the picture alone
    assert "\n" not in repr(p)
    # a pod that has not run yet has no timeline to show
    fresh = node.pod("p")._repr_html_()
    assert fresh is not None
    assert "podmodel-timeline" not in fresh
    assert render_html(p) == html


_CONTAINERS = (
    "image: nginx",
    "image: redis, resources: {limits: {memory: 1Mi}}",
    "image: busybox, command: [sh, -c, 'sleep 3; exit 2']",
    "image: busybox, command: [sh, -c, 'wget -qO- localhost; sleep 5']",
    "image: nginx, livenessProbe: {httpGet: {path: /, port: 81}, periodSeconds: 5}",
    "image: nginx, envFrom: [{configMapRef: {name: missing}}]",
    "image: sunwu51/node",
)


@settings(max_examples=25, deadline=None)
@given(
    inits=st.lists(st.sampled_from(_CONTAINERS[2:4]), max_size=1),
    apps=st.lists(st.sampled_from(_CONTAINERS), min_size=1, max_size=3),
    policy=st.sampled_from(["Always", "OnFailure", "Never"]),
    seconds=st.sampled_from([0, 1, 30, 400]),
)
def test_the_recorded_history_is_the_replayed_one(
    inits: list[str], apps: list[str], policy: str, seconds: int
) -> None:
    init = "".join(f"  - {{name: i{k}, {c}}}\n" for k, c in enumerate(inits))
    manifest = (
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  restartPolicy: {policy}\n"
        + (f"  initContainers:\n{init}" if init else "")
        + "  containers:\n"
        + "".join(f"  - {{name: c{k}, {c}}}\n" for k, c in enumerate(apps))
    )
    node = _node(manifest)
    after = node.advance(seconds)
    recorded = after.pod("p").history
    assert recorded == history(node, "p", seconds)
    html = render_html(after.pod("p"))
    for part in html.split("</div>"):
        if "<svg" in part:
            ET.fromstring(part[part.index("<svg") :])  # well-formed


THREE_CLIENTS = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: web, image: nginx}
  - name: poller
    image: busybox
    command: [sh, -c, 'while true; do wget -qO- localhost; wget -qO- localhost:8080; sleep 10; done']
  - name: logger
    image: busybox
    command: [sh, -c, 'while true; do wget -qO- 127.0.0.1:80; sleep 5; done']
"""


def test_labels_of_the_connections_over_one_row_never_share_a_line() -> None:
    svg = render_svg(_node(THREE_CLIENTS).advance(40).pod("p"))
    labels = [
        e
        for e in ET.fromstring(svg).iter(f"{SVG}text")
        if "conn-label" in (e.get("class") or "") or "bad" in (e.get("class") or "")
    ]
    assert len(labels) == 3
    ys = sorted(float(e.get("y") or 0) for e in labels)
    assert all(b - a >= 12 for a, b in itertools.pairwise(ys)), ys  # 11 px text: one line each


def test_an_oom_loop_is_recorded_as_replayed_one_mark_per_kill() -> None:
    """A container killed for memory and restarted: one ``oom`` mark per kill, in the record
    and in the replay (the replay once also marked the restart, when ``finished_at`` clears)."""
    pod = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: stress\n    image: polinux/stress\n"
        "    command: [stress]\n    args: [--vm, '1', --vm-bytes, 250M, --vm-hang, '1']\n"
        "    resources: {limits: {memory: 100Mi}}\n"
    )
    node = podmodel.Node().start(pod)
    recorded = node.advance(45).pod("p").history
    replayed = history(node, "p", 45)
    assert recorded == replayed
    kills = [m.time for m in replayed.marks if m.kind == "oom"]
    restarts = [m.time for m in replayed.marks if m.kind == "restart"]
    assert len(kills) == len(set(kills)) >= 2
    assert not set(kills) & set(restarts)
