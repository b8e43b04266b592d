"""``kubectl get pods`` and ``kubectl describe pod`` as kubectl's printers print them.

The expected texts follow kubectl v1.35's ``printPod`` (pkg/printers/internalversion) and
``describePod`` (staging/src/k8s.io/kubectl/pkg/describe), laid out by Go's ``text/tabwriter``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podmodel import Node
from podmodel.codec import from_dict
from podmodel.display.kubectl import describe_pod, get_pods, status_cell, tabwriter
from podmodel.model.spec import Pod

SLEEP = ["sh", "-c", "sleep 3600"]


def _pod(name: str, spec: dict[str, Any]) -> Pod:
    return from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})


def _busybox(name: str, script: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": "busybox", "command": ["sh", "-c", script], **extra}


def _hostport_clash() -> Node:
    web = {"name": "web", "image": "nginx", "ports": [{"containerPort": 80, "hostPort": 8080}]}
    a, b = _pod("a", {"containers": [web]}), _pod("b", {"containers": [web]})
    return Node().start(a).advance(10).start(b).advance(20)


def _terminating() -> Node:
    p = _pod("p", {"containers": [_busybox("app", "sleep 3600")]})
    return Node().start(p).advance(10).delete("p").advance(5)


def _started(spec: dict[str, Any], seconds: float) -> Node:
    return Node().start(_pod("p", spec)).advance(seconds)


#: scenario -> (node, the exact ``kubectl get pods`` table)
GET_PODS = {
    "port conflict": (
        lambda: _started(
            {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "nginx"}]}, 30
        ),
        "NAME   READY   STATUS             RESTARTS      AGE\n"
        "p      1/2     CrashLoopBackOff   2 (14s ago)   30s",
    ),
    "init containers running": (
        lambda: _started(
            {
                "initContainers": [_busybox("i1", "sleep 20"), _busybox("i2", "sleep 20")],
                "containers": [{"name": "app", "image": "nginx"}],
            },
            5,
        ),
        "NAME   READY   STATUS     RESTARTS   AGE\np      0/1     Init:0/2   0          5s",
    ),
    "init container crash loop": (
        lambda: _started(
            {
                "initContainers": [_busybox("i1", "exit 1")],
                "containers": [{"name": "app", "image": "nginx"}],
            },
            30,
        ),
        "NAME   READY   STATUS                  RESTARTS      AGE\n"
        "p      0/1     Init:CrashLoopBackOff   2 (19s ago)   30s",
    ),
    "init container fails, restartPolicy Never": (
        lambda: _started(
            {
                "restartPolicy": "Never",
                "initContainers": [_busybox("i1", "exit 2")],
                "containers": [{"name": "app", "image": "nginx"}],
            },
            30,
        ),
        "NAME   READY   STATUS       RESTARTS   AGE\np      0/1     Init:Error   0          30s",
    ),
    "completed": (
        lambda: _started(
            {"restartPolicy": "Never", "containers": [_busybox("job", "echo done")]}, 30
        ),
        "NAME   READY   STATUS      RESTARTS   AGE\np      0/1     Completed   0          30s",
    ),
    "non-zero exit, restartPolicy Never": (
        lambda: _started({"restartPolicy": "Never", "containers": [_busybox("job", "exit 4")]}, 30),
        "NAME   READY   STATUS   RESTARTS   AGE\np      0/1     Error    0          30s",
    ),
    "OOMKilled": (
        lambda: _started(
            {
                "restartPolicy": "Never",
                "containers": [
                    {"name": "r", "image": "redis", "resources": {"limits": {"memory": "1Mi"}}}
                ],
            },
            5,
        ),
        "NAME   READY   STATUS      RESTARTS   AGE\np      0/1     OOMKilled   0          5s",
    ),
    "a completed container beside a running one": (
        lambda: _started(
            {
                "restartPolicy": "Never",
                "containers": [_busybox("job", "true"), {"name": "web", "image": "nginx"}],
            },
            30,
        ),
        "NAME   READY   STATUS     RESTARTS   AGE\np      1/2     NotReady   0          30s",
    ),
    "image typo": (
        lambda: _started({"containers": [{"name": "web", "image": "ngnix"}]}, 30),
        "NAME   READY   STATUS         RESTARTS   AGE\np      0/1     ErrImagePull   0          30s",
    ),
    "missing ConfigMap key": (
        lambda: _started(
            {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx",
                        "env": [
                            {
                                "name": "X",
                                "valueFrom": {"configMapKeyRef": {"name": "missing", "key": "k"}},
                            }
                        ],
                    }
                ]
            },
            30,
        ),
        "NAME   READY   STATUS                       RESTARTS   AGE\n"
        "p      0/1     CreateContainerConfigError   0          30s",
    ),
    "missing ConfigMap volume": (
        lambda: _started(
            {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx",
                        "volumeMounts": [{"name": "cfg", "mountPath": "/etc/cfg"}],
                    }
                ],
                "volumes": [{"name": "cfg", "configMap": {"name": "nope"}}],
            },
            30,
        ),
        "NAME   READY   STATUS              RESTARTS   AGE\n"
        "p      0/1     ContainerCreating   0          30s",
    ),
    "sidecar": (
        lambda: _started(
            {
                "initContainers": [_busybox("log", "sleep 3600", restartPolicy="Always")],
                "containers": [{"name": "web", "image": "nginx"}],
            },
            30,
        ),
        "NAME   READY   STATUS    RESTARTS   AGE\np      2/2     Running   0          30s",
    ),
    "hostPort taken: pending": (
        _hostport_clash,
        "NAME   READY   STATUS    RESTARTS   AGE\n"
        "a      1/1     Running   0          30s\n"
        "b      0/1     Pending   0          20s",
    ),
    "terminating": (
        _terminating,
        "NAME   READY   STATUS        RESTARTS   AGE\np      1/1     Terminating   0          15s",
    ),
}


@pytest.mark.parametrize("scenario", GET_PODS)
def test_get_pods_prints_what_kubectl_prints(scenario: str) -> None:
    make, expected = GET_PODS[scenario]
    assert get_pods(make()) == expected


def test_get_pods_all_namespaces_and_creation_times() -> None:
    node = GET_PODS["sidecar"][0]()
    assert get_pods(node, 90, all_namespaces=True, created={"default/p": 30}) == (
        "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE\n"
        "default     p      2/2     Running   0          60s"
    )


def test_restarts_show_how_long_ago_the_last_one_was() -> None:
    node = GET_PODS["port conflict"][0]()
    rows = [get_pods(node.advance(t)).splitlines()[1].split(None, 3)[3] for t in (0, 100, 400)]
    assert rows == ["2 (14s ago)   30s", "4 (50s ago)   2m10s", "6 (106s ago)   7m10s"]


#: the golden texts mark a trailing space, which kubectl's tabwriter leaves there, with ``·``
DESCRIBE_OOM = """\
Name:         p
Namespace:    default
Node:         node-1/192.168.49.2
Start Time:   Thu, 01 Jan 2026 00:00:00 +0000
Labels:       <none>
Annotations:  <none>
Status:       Failed
IP:           10.244.0.2
IPs:
  IP:  10.244.0.2
Containers:
  r:
    Image:          redis
    Port:           <none>
    Host Port:      <none>
    State:          Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Thu, 01 Jan 2026 00:00:00 +0000
      Finished:     Thu, 01 Jan 2026 00:00:00 +0000
    Ready:          False
    Restart Count:  0
    Limits:
      memory:  1Mi
    Requests:
      memory:     1Mi
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   False·
  Initialized                 True·
  Ready                       False·
  ContainersReady             False·
  PodScheduled                True·
Volumes:                      <none>
QoS Class:                    Burstable
Node-Selectors:               <none>
Tolerations:                  <none>
Events:
"""

DESCRIBE_PENDING = """\
Name:         b
Namespace:    default
Node:         <none>
Labels:       <none>
Annotations:  <none>
Status:       Pending
IP:···········
IPs:          <none>
Containers:
  web:
    Image:        nginx
    Port:         80/TCP
    Host Port:    8080/TCP
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False·
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  20s   default-scheduler  0/1 nodes are available: 1 node(s) \
didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No \
preemption victims found for incoming pod."""


def _golden(text: str) -> str:
    """*text* with each ``·`` read as the trailing space kubectl's tabwriter leaves."""
    return text.replace("\u00b7", " ")


def test_describe_an_oom_killed_pod() -> None:
    p = GET_PODS["OOMKilled"][0]().pod("p")
    assert describe_pod(p).startswith(_golden(DESCRIBE_OOM))


def test_describe_an_unscheduled_pod() -> None:
    assert describe_pod(_hostport_clash().pod("b")) == _golden(DESCRIBE_PENDING)


def test_describe_a_terminating_pod() -> None:
    lines = describe_pod(_terminating().pod("p")).splitlines()
    assert lines[6:8] == [
        "Status:                    Terminating (lasts 5s)",
        "Termination Grace Period:  30s",
    ]


def test_describe_shows_resources_probes_environment_and_mounts() -> None:
    spec = {
        "containers": [
            {
                "name": "web",
                "image": "nginx",
                "ports": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 8443}],
                "resources": {"limits": {"memory": "128Mi", "cpu": "0.5"}},
                "env": [
                    {"name": "A", "value": "b"},
                    {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                    {
                        "name": "PASS",
                        "valueFrom": {"secretKeyRef": {"name": "s", "key": "pw", "optional": True}},
                    },
                ],
                "livenessProbe": {"httpGet": {"path": "/", "port": 80}},
                "readinessProbe": {"exec": {"command": ["cat", "/tmp/ok"]}, "periodSeconds": 5},
                "volumeMounts": [
                    {"name": "data", "mountPath": "/data"},
                    {"name": "logs", "mountPath": "/a/logs", "readOnly": True, "subPath": "x"},
                ],
            }
        ],
        "volumes": [
            {"name": "data", "emptyDir": {"sizeLimit": "1Gi"}},
            {"name": "logs", "hostPath": {"path": "/var/log", "type": "DirectoryOrCreate"}},
        ],
    }
    text = describe_pod(_started(spec, 1).pod("p"))
    block = text[text.index("    Ports:") : text.index("Conditions:")].splitlines()
    assert block[:2] == [
        "    Ports:          80/TCP, 443/TCP",
        "    Host Ports:     0/TCP, 8443/TCP",
    ]
    assert block[2:] == [
        "    State:          Running",
        "      Started:      Thu, 01 Jan 2026 00:00:00 +0000",
        "    Ready:          False",
        "    Restart Count:  0",
        "    Limits:",
        "      cpu:     500m",
        "      memory:  128Mi",
        "    Requests:",
        "      cpu:      500m",
        "      memory:   128Mi",
        "    Liveness:   http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3",
        "    Readiness:  exec [cat /tmp/ok] delay=0s timeout=1s period=5s #success=1 #failure=3",
        "    Environment:",
        "      A:     b",
        "      POD:   p (v1:metadata.name)",
        "      PASS:  <set to the key 'pw' in secret 's'>  Optional: true",
        "    Mounts:",
        '      /a/logs from logs (ro,path="x")',
        "      /data from data (rw)",
    ]
    volumes = text[text.index("Volumes:") : text.index("QoS Class:")].splitlines()
    assert volumes == [
        "Volumes:",
        "  data:",
        "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)",
        "    Medium:     ",
        "    SizeLimit:  1Gi",
        "  logs:",
        "    Type:          HostPath (bare host directory volume)",
        "    Path:          /var/log",
        "    HostPathType:  DirectoryOrCreate",
    ]


def test_describe_lists_sidecars_and_init_containers_as_init_containers() -> None:
    text = describe_pod(GET_PODS["sidecar"][0]().pod("p"))
    assert "Init Containers:\n  log:\n" in text
    assert text.index("Init Containers:") < text.index("Containers:\n  web:")


# ---- properties ----

CELL = st.text(st.sampled_from("ab -:"), min_size=0, max_size=8).map(str.strip)


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1, max_size=6)
    )
)
def test_tabwriter_pads_each_column_to_its_widest_cell(rows: list[list[str]]) -> None:
    widths = [max(len(r[j]) for r in rows) + 3 for j in range(len(rows[0]) - 1)]
    expected = ["".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + r[-1] for r in rows]
    assert tabwriter("\n".join("\t".join(r) for r in rows), 3).split("\n") == expected


@given(st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=6))
def test_tabwriter_keeps_every_cell_in_order(rows: list[list[str]]) -> None:
    lines = tabwriter("\n".join("\t".join(r) for r in rows), 2).split("\n")
    assert [line.replace(" ", "") for line in lines] == ["".join(r).replace(" ", "") for r in rows]


@given(st.sampled_from(sorted(GET_PODS)), st.floats(0, 3600))
def test_get_pods_columns_never_run_together(scenario: str, later: float) -> None:
    node = GET_PODS[scenario][0]().advance(later)
    lines = get_pods(node).splitlines()
    header = lines[0]
    starts = [m.start() for m in re.finditer(r"\S+", header)]
    assert header.split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    for line in lines[1:]:
        for start in starts[1:]:
            assert line[start - 3 : start] == "   "  # 3 spaces before every column
        key = line.split()[0]
        assert line[starts[2] :].split("   ")[0] == status_cell(node.pod(key))


# ---- --explain: one sentence for every outcome ----

EXPLAINED = {
    "init container crash loop": "init container i1 exited with code 1; restartPolicy OnFailure",
    "init container fails, restartPolicy Never": "restartPolicy Never: the kubelet does not "
    "restart it and the pod is Failed. The app containers do not start until every init "
    "container has succeeded.",
    "init containers running": "The pod is initializing (Init:0/2: 0 of 2 init containers",
    "completed": "job ran to completion (exit code 0) and stays Completed",
    "non-zero exit, restartPolicy Never": "job exited with code 4; restartPolicy Never",
    "OOMKilled": "r was OOMKilled",
    "image typo": 'image "ngnix" could not be pulled (did you mean "nginx"?)',
    "missing ConfigMap key": "web cannot start (CreateContainerConfigError)",
    "missing ConfigMap volume": "The pod is stuck ContainerCreating: MountVolume.SetUp failed for "
    'volume "cfg"',
    "hostPort taken: pending": "A hostPort is a port of the node itself",
    "terminating": "The pod is being deleted (Terminating)",
    "port conflict": "Containers of a pod share one network namespace, so two servers cannot "
    "bind the same port",
    "sidecar": "The 2 containers (log, web) share the pod's network namespace (one IP, "
    "10.244.0.2; one localhost; one set of ports) and its UTS namespace (one hostname, p)",
}


@pytest.mark.parametrize("scenario", EXPLAINED)
def test_explain_says_what_happened(scenario: str) -> None:
    from podmodel.display.report import explain

    node = GET_PODS[scenario][0]()
    name = sorted(node.pods)[-1].split("/", 1)[1]
    assert EXPLAINED[scenario] in " ".join(explain(node, node.pod(name)))


def test_every_scenario_but_a_healthy_pod_is_explained() -> None:
    from podmodel.display.report import explain

    for scenario, (make, _) in GET_PODS.items():
        node = make()
        for key in node.pods:
            p = node.pod(key.split("/", 1)[1])
            if status_cell(p) != "Running":
                assert explain(node, p), scenario


def test_reprs_are_short() -> None:
    node = GET_PODS["port conflict"][0]()
    for _ in range(20):
        node = node.start(
            _pod(f"p{len(node.pods)}", {"containers": [{"name": "c", "image": "nginx"}]})
        )
    p = node.pod("p")
    assert repr(node) == "Node(name='node-1', clock=30, pods=21)"
    assert repr(p) == "RunningPod('default/p', ready='1/2', status='CrashLoopBackOff')"
    assert repr(p.container("b")) == (
        "ContainerStatus(name='b', kind='app', state='waiting', reason='CrashLoopBackOff', "
        "exit_code=1, restart_count=2)"
    )
    assert repr(p.state.pod) == "Pod(name='p', namespace=None, containers=('a', 'b'))"
    assert max(len(repr(x)) for x in (node, p, p.state.pod, *p.containers)) < 200


def test_a_completed_init_container_is_ready_and_the_pod_initialized() -> None:
    spec = {
        "initContainers": [_busybox("init", "sleep 5")],
        "containers": [{"name": "app", "image": "nginx"}],
    }
    during, after = _started(spec, 1).pod("p"), _started(spec, 10).pod("p")
    assert status_cell(during) == "Init:0/1"
    assert status_cell(after) == "Running"
    text = describe_pod(after)
    init = text[text.index("Init Containers:") : text.index("Containers:\n  app:")]
    assert "      Reason:       Completed\n" in init
    assert "    Ready:          True\n" in init
    assert "  Initialized                 True \n" in text
    assert "  Initialized                 False \n" in describe_pod(during)
