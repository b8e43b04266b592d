"""Image pulls: typos and bad references fail as the kubelet reports them, pull policies, and
the image pull back-off on the simulated clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import Node
from podmodel.kubelet._pull import WAITING_REASONS, edit_distance, near_miss, parse_error, qualified
from podmodel.kubelet.images import default_catalogue
from tests.support.helpers import pod_of

NGNIX_ERROR = (
    'failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve '
    'reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist '
    "or may require authorization: server message: insufficient_scope: authorization failed"
)


def _pod(*containers: dict[str, object], name: str = "web") -> podmodel.Pod:
    return pod_of({"containers": list(containers)}, name=name)


def test_a_typo_image_fails_to_pull_then_backs_off() -> None:
    node = Node().start(_pod({"name": "web", "image": "ngnix"}))
    rows = {t: node.advance(t).pod("web").get_line() for t in (0, 15, 20, 30, 45, 75)}
    assert rows == {
        0: "web         0/1     ErrImagePull        0",
        15: "web         0/1     ErrImagePull        0",  # the second pull, at 10 s, failed too
        20: "web         0/1     ImagePullBackOff    0",  # inside the 20 s window
        30: "web         0/1     ErrImagePull        0",
        45: "web         0/1     ImagePullBackOff    0",  # 40 s window: next pull at 70 s
        75: "web         0/1     ErrImagePull        0",
    }
    p = node.advance(60).pod("web")
    c = p.container("web")
    assert (c.state, c.reason, c.restart_count, p.phase) == (
        "waiting",
        "ImagePullBackOff",
        0,
        "Pending",
    )
    assert c.message == 'Back-off pulling image "ngnix"'
    assert node.pod("web").container("web").message == NGNIX_ERROR
    table = [(e.type, e.reason, e.count, e.message) for e in p.events]
    assert table == [
        ("Normal", "Scheduled", 1, "Successfully assigned default/web to node-1"),
        ("Normal", "Pulling", 3, 'Pulling image "ngnix"'),
        ("Warning", "Failed", 3, f'Failed to pull image "ngnix": {NGNIX_ERROR}'),
        ("Warning", "Failed", 3, "Error: ErrImagePull"),
        ("Normal", "BackOff", 4, 'Back-off pulling image "ngnix"'),
        ("Warning", "Failed", 4, "Error: ImagePullBackOff"),
    ]


def test_the_pull_back_off_is_capped_at_five_minutes() -> None:
    node = Node().start(_pod({"name": "web", "image": "busybx"}))
    pulls = next(e for e in node.advance(3000).pod("web").events if e.reason == "Pulling")
    # pulls at 0, 10, 30, 70, 150, 310, then every 300 s: 610, 910, ..., 2710
    assert (pulls.count, pulls.time) == (6 + 8, 2710.0)


def test_other_containers_start_while_one_cannot_pull() -> None:
    p = (
        Node()
        .start(_pod({"name": "ok", "image": "nginx:1.27"}, {"name": "bad", "image": "redsi"}))
        .advance(1)
        .pod("web")
    )
    assert (p.ready, p.status, p.phase) == ("1/2", "ErrImagePull", "Pending")
    assert p.exec("ok", "hostname").stdout == "web\n"


def test_an_init_container_that_cannot_pull_blocks_the_pod() -> None:
    pod = pod_of(
        {
            "initContainers": [{"name": "init", "image": "busybx"}],
            "containers": [{"name": "app", "image": "nginx"}],
        },
        name="web",
    )
    p = Node().start(pod).advance(1).pod("web")
    assert (p.status, p.container("app").reason) == ("Init:ErrImagePull", "PodInitializing")


def test_an_invalid_reference_is_invalid_image_name() -> None:
    p = Node().start(_pod({"name": "web", "image": "Nginx"})).advance(1).pod("web")
    message = (
        'Failed to apply default image tag "Nginx": couldn\'t parse image name "Nginx": invalid '
        "reference format: repository name (library/Nginx) must be lowercase"
    )
    assert (p.status, p.container("web").message) == ("InvalidImageName", message)
    assert [(e.reason, e.message) for e in p.events[-2:]] == [
        ("InspectFailed", message),
        ("Failed", "Error: InvalidImageName"),
    ]


def test_pull_policies_word_their_events_as_the_kubelet_does() -> None:
    pod = _pod(
        {"name": "a", "image": "nginx"},  # no tag: Always
        {"name": "b", "image": "redis:7", "ports": [{"containerPort": 6380}]},  # IfNotPresent
        {"name": "c", "image": "httpd:2", "imagePullPolicy": "Never"},
    )
    p = Node().start(pod).pod("web")
    messages = [e.message for e in p.events if e.reason in ("Pulling", "Pulled")]
    nginx_size = sum(
        len(n.data)
        for _, n in default_catalogue().get("nginx").tree.walk()
        if hasattr(n, "data") and isinstance(n.data, bytes)
    )
    assert messages == [
        'Pulling image "nginx"',
        f'Successfully pulled image "nginx" in 0s (0s including waiting). Image size: '
        f"{nginx_size} bytes.",
        'Container image "redis:7" already present on machine',
        'Container image "httpd:2" already present on machine',
    ]


def test_never_with_an_image_not_on_the_node() -> None:
    pod = _pod({"name": "web", "image": "example.com/app:v1", "imagePullPolicy": "Never"})
    p = Node().start(pod).advance(1).pod("web")
    message = 'Container image "example.com/app:v1" is not present with pull policy of Never'
    assert (p.status, p.container("web").message) == ("ErrImageNeverPull", message)
    assert p.events[-2].reason == "ErrImageNeverPull"
    assert p.events[-2].type == "Warning"


def test_an_unknown_image_is_assumed_to_exist_and_pulled_once_if_not_present() -> None:
    pod = _pod(
        {
            "name": "web",
            "image": "example.com/app:v1",
            "command": ["sh", "-c", "exit 1"],
        }
    )
    node = Node().start(pod)
    assert "docker.io/library/example.com/app:v1" not in node.pulled_images
    assert "example.com/app:v1" in node.pulled_images
    p = node.advance(30).pod("web")
    assumed = [e for e in p.events if e.reason == "AssumedImage"]
    assert len(assumed) == 1
    assert assumed[0].source == "podmodel"
    pulled = [e for e in p.events if e.reason == "Pulled"]
    assert [e.message.split(" ", 1)[0] for e in pulled] == ["Successfully", "Container"]
    assert pulled[1].message == 'Container image "example.com/app:v1" already present on machine'


def test_an_unknown_image_listens_on_its_declared_ports() -> None:
    pod = _pod({"name": "web", "image": "example.com/app:v1", "ports": [{"containerPort": 8080}]})
    p = Node().start(pod).pod("web")
    assert p.status == "Running"
    assert p.connect("web", "localhost", 8080) == "web"


def test_unknown_images_can_be_made_to_fail() -> None:
    pod = _pod({"name": "web", "image": "example.com/app:v1"})
    p = Node(unknown_images="fail").start(pod).advance(1).pod("web")
    assert p.status == "ErrImagePull"
    assert p.container("web").message == (
        'failed to pull and unpack image "example.com/app:v1": failed to resolve reference '
        '"example.com/app:v1": pull access denied, repository does not exist or may require '
        "authorization: server message: insufficient_scope: authorization failed"
    )
    # catalogue images still run
    assert Node(unknown_images="fail").start(_pod({"name": "web", "image": "nginx"})).pod(
        "web"
    ).status == ("Running")


def test_the_explanation_suggests_the_image_meant() -> None:
    from podmodel.display.report import explain

    node = Node().start(_pod({"name": "web", "image": "ngnix:1.27"}))
    lines = explain(node, node.pod("web"))
    assert any('image "ngnix:1.27" could not be pulled (did you mean "nginx"?)' in s for s in lines)


def test_reference_helpers() -> None:
    assert qualified("busybx") == "docker.io/library/busybx:latest"
    assert qualified("me/app@sha256:" + "a" * 64) == "docker.io/me/app@sha256:" + "a" * 64
    assert near_miss(default_catalogue(), "docker.io/library/redsi:7") == "redis"
    assert near_miss(default_catalogue(), "nginxx") == "nginx"
    assert near_miss(default_catalogue(), "mysql") is None
    assert parse_error("registry.k8s.io/pause:3.10") is None
    assert parse_error("a" * 64) is not None


@given(st.text("abcnigx", max_size=7), st.text("abcnigx", max_size=7))
def test_edit_distance_is_a_symmetric_distance(a: str, b: str) -> None:
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert (d == 0) == (a == b)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))


IMAGES = ["nginx", "ngnix", "busybx", "Nginx", "example.com/x:v1", "redis:7", "alpine"]
POLICIES = [None, "Always", "IfNotPresent", "Never"]
KUBECTL_STATUSES = {
    "Running",
    "NotReady",
    "Pending",
    "CrashLoopBackOff",
    "Error",
    "Completed",
    *WAITING_REASONS,
}


@st.composite
def image_pods(draw: st.DrawFn) -> podmodel.Pod:
    n = draw(st.integers(1, 3))
    containers = []
    for i in range(n):
        c: dict[str, object] = {"name": f"c{i}", "image": draw(st.sampled_from(IMAGES))}
        policy = draw(st.sampled_from(POLICIES))
        if policy:
            c["imagePullPolicy"] = policy
        if draw(st.booleans()):
            c["command"] = ["sh", "-c", draw(st.sampled_from(["exit 1", "sleep 5", "sleep inf"]))]
        containers.append(c)
    return _pod(*containers)


@given(
    image_pods(),
    st.lists(st.floats(0, 200), min_size=1, max_size=5),
    st.sampled_from(["assume", "fail"]),
)
def test_pulls_keep_every_rule(
    pod: podmodel.Pod, steps: list[float], unknown: podmodel.kubelet._pull.UnknownImages
) -> None:
    node = Node(unknown_images=unknown).start(pod)
    restarts = [c.restart_count for c in node.pod("web").containers]
    for dt in steps:
        before = (node.clock, node.pod("web").containers, node.pod("web").events)
        nxt = node.advance(dt)
        # the older node is unchanged
        assert (node.clock, node.pod("web").containers, node.pod("web").events) == before
        p = nxt.pod("web")
        assert p.status in KUBECTL_STATUSES
        now = [c.restart_count for c in p.containers]
        assert all(b >= a for a, b in zip(restarts, now, strict=True))
        for c in p.containers:
            # a container that cannot get its image never ran
            if c.reason in WAITING_REASONS:
                assert c.restart_count == 0
                assert c.started_at is None
        restarts, node = now, nxt


@given(st.lists(st.floats(0, 400), min_size=1, max_size=6), st.sampled_from(IMAGES[1:4]))
def test_events_do_not_depend_on_how_time_is_advanced(steps: list[float], image: str) -> None:
    pod = _pod({"name": "web", "image": image}, {"name": "b", "image": "nginx:1.27"})
    node = Node().start(pod)
    stepped = node
    for dt in steps:
        stepped = stepped.advance(dt)
    at_once = node.advance(sum(steps))
    assert stepped.pod("web").events == at_once.pod("web").events
    seen = [(c.state, c.reason, c.message, c.restart_count) for c in stepped.pod("web").containers]
    assert seen == [
        (c.state, c.reason, c.message, c.restart_count) for c in at_once.pod("web").containers
    ]


def test_a_typo_pod_can_be_advanced_for_days() -> None:
    # 8 days: within MAX_STEPS (5,000) at two steps per pull, one pull per 300 s
    p = Node().start(_pod({"name": "web", "image": "ngnix"})).advance(8 * 86400).pod("web")
    pulls = next(e for e in p.events if e.reason == "Pulling")
    # at 0, 10, 30, 70 and 150 s, then every 300 s from 310 s on
    assert pulls.count == 5 + (8 * 86400 - 310) // 300 + 1
