"""The SVG picture of a running pod: what it must show, and that it is always well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import strategies as pst
from podmodel.display.picture import ORIGIN_MARKS, render_html, render_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def _texts(svg: str) -> list[str]:
    """Every piece of text shown, with the full text of cut lines (their ``<title>``)."""
    root = ET.fromstring(svg)
    out = []
    for el in root.iter("{http://www.w3.org/2000/svg}text"):
        tip = el.find("svg:title", NS)
        out.append(tip.text or "" if tip is not None else "".join(el.itertext()))
    return out


def _rect_classes(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [r.get("class", "") for r in root.iter("{http://www.w3.org/2000/svg}rect")]


def _run(manifest: str, seconds: float = 30, **node: object) -> podmodel.RunningPod:
    pod = podmodel.loads(manifest)
    return podmodel.Node(**node).start(pod).advance(seconds).pod(pod.name)  # type: ignore[arg-type]


def test_shared_ip_shows_the_sandbox_and_both_listeners(seed_experiments: dict[str, str]) -> None:
    p = _run(seed_experiments["shared-ip"])
    texts = _texts(render_svg(p))
    assert "pause (infra container) holds the namespace" in texts
    assert f"IP {p.ip} · hostname mypod · every container shares localhost" in texts
    assert {"mycon1", "mycon2"} <= set(texts)
    assert "listens 0.0.0.0:80/TCP" in texts
    assert "listens [::]:1880/TCP" in texts
    assert _rect_classes(render_svg(p)).count("box running") == 2


def test_port_conflict_draws_the_failed_bind_in_red(seed_experiments: dict[str, str]) -> None:
    svg = render_svg(_run(seed_experiments["port-conflict"]))
    root = ET.fromstring(svg)
    bad = [
        "".join(t.itertext())
        for t in root.iter("{http://www.w3.org/2000/svg}text")
        if "bad" in t.get("class", "").split()
    ]
    assert bad == ["✗ bind 0.0.0.0:80/TCP EADDRINUSE"]
    assert _rect_classes(svg).count("box failed") == 1
    assert _rect_classes(svg).count("box running") == 2
    assert "CrashLoopBackOff · restarts 2" in _texts(svg)
    assert "READY 2/3" in svg


def test_shared_disk_shows_first_mount_and_both_arrows(seed_experiments: dict[str, str]) -> None:
    svg = render_svg(_run(seed_experiments["shared-disk"]))
    texts = _texts(svg)
    assert ORIGIN_MARKS["first-mount"] in texts
    assert "mymount (emptyDir)" in texts
    assert {"/root/.pm2/logs", "/pm2logs"} <= set(texts)
    arrows = list(ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}path"))
    assert sum("arrow" in (a.get("class") or "") for a in arrows) == 2
    # In Kubernetes' own mode the volume starts empty, and the picture says so.
    k8s = render_svg(_run(seed_experiments["shared-disk"], volume_population="empty"))
    assert ORIGIN_MARKS["empty"] in _texts(k8s)
    assert ORIGIN_MARKS["first-mount"] not in _texts(k8s)


def test_host_path_volume_is_marked_as_the_nodes(seed_experiments: dict[str, str]) -> None:
    manifest = seed_experiments["shared-disk"].replace("emptyDir: {}", "hostPath: {path: /logs}")
    texts = _texts(render_svg(_run(manifest)))
    assert ORIGIN_MARKS["host"] in texts
    assert "the node's /logs" in texts


def test_text_is_escaped_and_long_text_keeps_a_tooltip() -> None:
    name = "a-very-long-container-name-that-does-not-fit-in-its-box-at-all"
    manifest = f"""
apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
  containers:
  - name: {name}
    image: nginx
    volumeMounts: [{{name: v, mountPath: /data}}]
  volumes:
  - name: v
    hostPath: {{path: "/srv/a&b<c>"}}
"""
    svg = render_svg(_run(manifest))
    assert name in _texts(svg)  # the full name is in the tooltip of the cut text
    assert "the node's /srv/a&b<c>" in _texts(svg)
    assert "&amp;b&lt;c&gt;" in svg


def test_rich_display_hooks() -> None:
    p = _run(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n"
    )
    assert p._repr_svg_() == render_svg(p)
    assert p._repr_html_() == render_html(p)
    assert render_html(p).startswith('<div class="podmodel-pod"><svg')


_NOT_DRAWN = {"style", "defs", "title", "desc"}


def test_the_title_line_is_drawn_over_the_background() -> None:
    pod = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
        "spec: {containers: [{name: c, image: nginx}]}\n"
    )
    svg = render_svg(podmodel.Node().start(pod).advance(5).pod("web"))
    elements = list(ET.fromstring(svg))
    kinds = [(e.tag.rsplit("}", 1)[-1], e.get("class"), "".join(e.itertext())) for e in elements]
    bg = next(i for i, k in enumerate(kinds) if k[1] == "bg")
    title = next(i for i, k in enumerate(kinds) if k[2] == "Pod web")
    ready = next(i for i, k in enumerate(kinds) if k[2].startswith("READY 1/1"))
    assert bg < title
    assert bg < ready


@settings(max_examples=60, deadline=None)
@given(pod=pst.pods(), seconds=st.sampled_from([0, 1, 30, 400]))
def test_any_valid_pod_draws_a_well_formed_deterministic_picture(
    pod: podmodel.Pod, seconds: int
) -> None:
    node = podmodel.Node().start(pod).advance(seconds)
    p = node.pod(pod.name, pod.metadata.namespace or "default")
    svg = render_svg(p)
    assert svg == render_svg(p)
    drawn = [e for e in ET.fromstring(svg) if e.tag.rsplit("}", 1)[-1] not in _NOT_DRAWN]
    assert drawn[0].get("class") == "bg", "the background must be under everything"
    texts = _texts(svg)
    for c in p.containers:
        assert any(t == c.name or t.startswith(f"{c.name} (") for t in texts), c.name
    failed = [f"✗ bind {c.failed_bind}" for c in p.containers if c.failed_bind is not None]
    assert [t for t in texts if t.startswith("✗ bind")] == failed
    mounts = sum(
        1 for c in (*pod.spec.init_containers, *pod.spec.containers) for _ in c.volume_mounts
    )
    arrows = sum(
        "arrow" in (a.get("class") or "")
        for a in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}path")
    )
    created = set(p.state.views)
    assert arrows == sum(
        len(c.volume_mounts)
        for c in (*pod.spec.init_containers, *pod.spec.containers)
        if c.name in created
    )
    assert arrows <= mounts


def test_the_explanation_names_a_failed_liveness_probe() -> None:
    import podmodel
    from podmodel.display.report import explain

    pod = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
        "  - name: web\n    image: nginx:1.27\n"
        "    livenessProbe: {httpGet: {path: /healthz, port: 80}}\n"
    )
    node = podmodel.Node().start(pod).advance(100)
    assert explain(node, node.pod("web")) == [
        "web failed its liveness probe (Liveness probe failed: HTTP probe failed with "
        "statuscode: 404); the kubelet kills it and restarts it with a growing back-off."
    ]


def _explained(manifest: str, seconds: float) -> list[str]:
    import podmodel
    from podmodel.display.report import explain

    pod = podmodel.loads(manifest)
    node = podmodel.Node().start(pod).advance(seconds)
    return explain(node, node.pod(pod.name))


def test_the_explanation_names_an_oom_kill_not_a_port_conflict() -> None:
    lines = _explained(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: r}\nspec:\n  containers:\n"
        "  - {name: r, image: redis, resources: {limits: {memory: 1Mi}}}\n",
        30,
    )
    assert lines == [
        "r was OOMKilled: its memory went over its limit (resources.limits.memory), so the "
        "kernel killed it (exit code 137); restartPolicy Always: the kubelet restarts it with a "
        "growing back-off (10s, 20s, 40s, ... up to 5m: CrashLoopBackOff)."
    ]


def test_the_explanation_names_a_failed_post_start_hook_and_a_plain_exit() -> None:
    hook = _explained(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: h}\nspec:\n  containers:\n"
        "  - name: h\n    image: nginx\n"
        "    lifecycle: {postStart: {exec: {command: [sh, -c, 'exit 1']}}}\n",
        30,
    )
    assert hook == [
        "h's postStart hook failed (FailedPostStartHook): the kubelet kills the container and "
        "restarts it under its restart policy, with a growing back-off."
    ]
    plain = _explained(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: e}\nspec:\n  containers:\n"
        "  - {name: e, image: busybox, command: [sh, -c, 'echo boom; exit 3']}\n",
        30,
    )
    assert plain == [
        "e exited with code 3: boom; restartPolicy Always: the kubelet restarts it with a "
        "growing back-off (10s, 20s, 40s, ... up to 5m: CrashLoopBackOff)."
    ]


def test_the_explanation_of_a_terminating_pod_names_the_grace_period() -> None:
    import podmodel
    from podmodel.display.report import explain

    pod = podmodel.loads(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  containers:\n"
        "  - {name: s, image: busybox, command: [sleep, '3600']}\n"
    )
    node = podmodel.Node().start(pod).delete("s").advance(10)
    assert explain(node, node.pod("s")) == [
        "The pod is being deleted (Terminating): each container ran its preStop hook, got its "
        "stop signal, and is killed with SIGKILL (exit code 137) when the 30 s grace period "
        "ends; a PID 1 without a handler for the signal ignores it.",
        "s is stopping: SIGKILL at 30 s if it has not exited by then.",
    ]


def _palettes(style: str) -> tuple[dict[str, str], dict[str, str]]:
    """(light, dark): each CSS selector's fill colour, the dark one from the
    ``prefers-color-scheme: dark`` block (falling back to the light one)."""
    import re

    light_css, _, dark_css = style.partition("@media (prefers-color-scheme: dark)")

    def fills(css: str) -> dict[str, str]:
        return {
            sel.strip(): colour
            for sel, body in re.findall(r"([.\w-]+)\s*\{([^}]*)\}", css)
            for colour in re.findall(r"fill:\s*(#[0-9a-f]{6})", body)
        }

    light = fills(light_css)
    return light, {**light, **fills(dark_css)}


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_pictures_read_on_light_and_dark_backgrounds() -> None:
    from podmodel.display import picture, timeline

    # every text colour against the picture's own background (and the pod's box), in both
    # palettes: WCAG's 4.5:1 for text (the picture paints its own background, so a dark page
    # does not show through; a dark system preference switches the whole palette)
    for style, texts, grounds in (
        (
            picture._STYLE,
            (
                "text",
                ".small",
                ".netns-label",
                ".host-label",
                ".state-running",
                ".state-failed",
                ".state-waiting",
                ".bad",
            ),
            (".bg", ".pod"),
        ),
        (timeline._STYLE, ("text", ".small"), (".bg",)),
    ):
        for palette in _palettes(style):
            for fg in texts:
                for bg in grounds:
                    assert _contrast(palette[fg], palette[bg]) >= 4.5, (fg, bg, palette)
    svg = render_svg(
        _run(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n"
        )
    )
    first = next(ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}rect"))
    assert first.get("class") == "bg"  # painted before anything else


def test_many_containers_wrap_onto_rows() -> None:
    containers = "".join(
        f"  - {{name: c{i}, image: busybox, command: [sleep, '3600']}}\n" for i in range(12)
    )
    svg = render_svg(
        _run(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n{containers}"
        )
    )
    root = ET.fromstring(svg)
    width = float(root.get("width", "0"))
    assert width < 1200
    boxes = [
        r for r in root.iter("{http://www.w3.org/2000/svg}rect") if "box" in r.get("class", "")
    ]
    assert len(boxes) == 12
    assert len({b.get("y") for b in boxes}) == 3  # rows of four


def test_host_network_is_drawn_as_the_nodes_namespace() -> None:
    p = _run(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n"
        "  containers: [{name: c, image: nginx}]\n"
    )
    texts = _texts(render_svg(p))
    assert "the node's network namespace (hostNetwork: node node-1)" in texts
    assert "network namespace (one per pod)" not in texts
    assert "IP 192.168.49.2 · hostname node-1 · every container shares localhost" in texts
