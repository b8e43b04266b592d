"""ConfigMaps and Secrets on the node: volumes, environment, missing objects, updates; and
downwardAPI volumes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel import Node
from podmodel.kubelet._config import SYNC_DELAY, ConfigError, ConfigMap, Secret, config_object
from podmodel.kubelet._pull import WAITING_REASONS
from tests.support.helpers import pod_of

CFG = ConfigMap(name="cfg", data={"level": "debug", "app.conf": "x=1\n"})
CREDS = Secret(name="creds", data={"password": "czNjcjN0"})  # base64 of "s3cr3t"


def _env_pod() -> podmodel.Pod:
    return pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "env": [
                        {
                            "name": "LEVEL",
                            "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "level"}},
                        },
                        {
                            "name": "PASSWORD",
                            "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}},
                        },
                        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                    ],
                    "envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}],
                }
            ]
        },
        name="app",
    )


def _volume_pod(name: str = "app", **configmap: object) -> podmodel.Pod:
    return pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "volumeMounts": [
                        {"name": "conf", "mountPath": "/etc/app"},
                        {"name": "conf", "mountPath": "/etc/one.conf", "subPath": "app.conf"},
                    ],
                }
            ],
            "volumes": [{"name": "conf", "configMap": {"name": "cfg", **configmap}}],
        },
        name=name,
    )


def test_a_missing_configmap_in_env_is_create_container_config_error() -> None:
    node = Node().start(_env_pod())
    p = node.pod("app")
    c = p.container("c")
    assert p.get_line() == "app         0/1     CreateContainerConfigError   0"
    assert (c.state, c.reason, c.message) == (
        "waiting",
        "CreateContainerConfigError",
        'configmap "cfg" not found',
    )
    assert (p.events[-1].type, p.events[-1].reason, p.events[-1].message) == (
        "Warning",
        "Failed",
        'Error: configmap "cfg" not found',
    )
    # the kubelet retries every sync: the error is counted up
    assert node.advance(25).pod("app").events[-1].count == 3
    node = node.apply(CFG).advance(10)
    assert node.pod("app").container("c").message == 'secret "creds" not found'
    node = node.apply(CREDS).advance(10)
    p = node.pod("app")
    assert (p.get_line(), p.container("c").restart_count) == (
        "app         1/1     Running             0",
        0,
    )
    env = p.exec("c", "env").stdout.splitlines()  # through the shell: sorted, with HOME, PWD
    shell_vars = ("HOME=", "HOSTNAME=", "PATH=", "PWD=")
    assert [line for line in env if not line.startswith(shell_vars)] == [
        "CFG_app.conf=x=1",
        "",
        "CFG_level=debug",
        "LEVEL=debug",
        "PASSWORD=s3cr3t",
        "POD=app",
    ]


def test_a_missing_key_names_the_object() -> None:
    node = Node().apply(ConfigMap(name="cfg", data={"other": "1"})).apply(CREDS)
    p = node.start(_env_pod()).pod("app")
    assert p.container("c").message == "couldn't find key level in ConfigMap default/cfg"
    node = Node().apply(CFG).apply(Secret(name="creds", string_data={"user": "me"}))
    p = node.start(_env_pod()).pod("app")
    assert p.container("c").message == "couldn't find key password in Secret default/creds"


def test_optional_references_may_be_missing() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "env": [
                        {
                            "name": "A",
                            "valueFrom": {
                                "configMapKeyRef": {"name": "no", "key": "k", "optional": True}
                            },
                        }
                    ],
                    "envFrom": [{"secretRef": {"name": "no", "optional": True}}],
                    "volumeMounts": [{"name": "v", "mountPath": "/v"}],
                }
            ],
            "volumes": [{"name": "v", "secret": {"secretName": "no", "optional": True}}],
        },
        name="app",
    )
    p = Node().start(pod).pod("app")
    assert p.status == "Running"
    assert p.listdir("c", "/v") == ()
    assert "A=" not in p.exec("c", "env").stdout


def test_a_missing_configmap_volume_keeps_the_pod_container_creating_until_applied() -> None:
    node = Node().start(_volume_pod())
    p = node.advance(30).pod("app")
    assert (p.get_line(), p.phase) == ("app         0/1     ContainerCreating   0", "Pending")
    assert p.events[-1].message == (
        'MountVolume.SetUp failed for volume "conf" : configmap "cfg" not found'
    )
    node = node.advance(30).apply(CFG)
    assert node.pod("app").status == "ContainerCreating"  # applying does not run the kubelet
    p = node.advance(0).pod("app")
    assert p.status == "Running"
    assert p.read("c", "/etc/app/level") == b"debug"
    assert p.read("c", "/etc/one.conf") == b"x=1\n"
    assert sorted(p.listdir("c", "/etc/app")) == ["app.conf", "level"]
    assert p.exec("c", "echo x > /etc/app/level").stderr == (
        "sh: can't create /etc/app/level: Read-only file system\n"
    )


def test_items_modes_and_missing_item_keys() -> None:
    node = Node().apply(CFG)
    pod = _volume_pod(items=[{"key": "level", "path": "sub/lvl", "mode": 0o400}], defaultMode=0o600)
    p = node.start(pod).pod("app")
    # the subPath mount's key is not among the items: the kubelet creates it as a directory
    assert (p.status, p.listdir("c", "/etc/app")) == ("Running", ("app.conf", "sub"))
    stat = node.start(pod).filesystem.stat(p._view("c"), "/etc/app/sub/lvl")
    assert stat.mode == 0o400
    bad = _volume_pod(items=[{"key": "nope", "path": "x"}])
    p = node.start(bad).pod("app")
    assert p.events[-1].message == (
        'MountVolume.SetUp failed for volume "conf" : configmap references non-existent config '
        "key: nope"
    )
    secret_pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "volumeMounts": [{"name": "s", "mountPath": "/s"}],
                }
            ],
            "volumes": [
                {
                    "name": "s",
                    "secret": {"secretName": "creds", "items": [{"key": "k", "path": "k"}]},
                }
            ],
        },
        name="app",
    )
    p = Node().apply(CREDS).start(secret_pod).pod("app")
    assert p.events[-1].message == (
        'MountVolume.SetUp failed for volume "s" : references non-existent secret key: k'
    )
    p = Node().apply(CREDS).start(_volume_pod(defaultMode=0o600)).pod("app")
    assert p.status == "ContainerCreating"


def test_configmap_updates_reach_volumes_after_the_sync_delay_but_not_subpath_mounts() -> None:
    node = Node().apply(CFG).start(_volume_pod()).advance(100)
    node = node.apply(ConfigMap(name="cfg", data={"level": "info", "app.conf": "x=2\n"}))
    before = node.advance(SYNC_DELAY - 1).pod("app")
    after = node.advance(SYNC_DELAY).pod("app")
    assert before.read("c", "/etc/app/level") == b"debug"
    assert after.read("c", "/etc/app/level") == b"info"
    assert after.read("c", "/etc/one.conf") == b"x=1\n"  # subPath: never updated
    assert node.pod("app").read("c", "/etc/app/level") == b"debug"  # the older node unchanged


def test_projected_and_downward_api_volumes() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "volumeMounts": [
                        {"name": "all", "mountPath": "/all"},
                        {"name": "info", "mountPath": "/info"},
                    ],
                }
            ],
            "volumes": [
                {
                    "name": "all",
                    "projected": {
                        "sources": [
                            {
                                "configMap": {
                                    "name": "cfg",
                                    "items": [{"key": "level", "path": "lvl"}],
                                }
                            },
                            {"secret": {"name": "creds"}},
                        ]
                    },
                },
                {
                    "name": "info",
                    "downwardAPI": {
                        "items": [
                            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                            {"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}},
                            {"path": "uid", "fieldRef": {"fieldPath": "metadata.uid"}},
                        ]
                    },
                },
            ],
        },
        name="app",
    )
    pod = podmodel.loads(
        podmodel.dumps(pod).replace("name: app", "name: app\n  labels: {tier: front, app: web}", 1)
    )
    missing = Node().start(pod).pod("app")
    assert missing.events[-1].message == (
        'MountVolume.SetUp failed for volume "all" : [configmap "cfg" not found, secret "creds" '
        "not found]"
    )
    p = Node().apply(CFG).apply(CREDS).start(pod).pod("app")
    assert sorted(p.listdir("c", "/all")) == ["lvl", "password"]
    assert p.read("c", "/all/password") == b"s3cr3t"
    assert p.read("c", "/info/labels") == b'app="web"\ntier="front"'
    assert p.read("c", "/info/ns") == b"default"
    assert p.read("c", "/info/uid").decode() == p.state.uid


def test_objects_from_manifests_and_bad_input() -> None:
    cm = config_object(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "a", "namespace": "x"},
            "binaryData": {"b": "AAE="},
        }
    )
    assert isinstance(cm, ConfigMap)
    assert (cm.namespace, cm.files) == ("x", {"b": b"\x00\x01"})
    secret = config_object(
        {
            "kind": "Secret",
            "metadata": {"name": "s"},
            "data": {"a": "YQ=="},
            "stringData": {"a": "b"},
        }
    )
    assert secret.files == {"a": b"b"}  # stringData wins, as the API server merges it
    for bad in ({"kind": "Pod", "metadata": {"name": "p"}}, {"kind": "Secret", "data": {}}, 3):
        with pytest.raises(ConfigError):
            config_object(bad)
    with pytest.raises(ConfigError, match="illegal base64"):
        Secret(name="s", data={"a": "!!"})
    node = Node().apply(CFG)
    assert "ConfigMap/default/cfg" in node.configs
    assert "ConfigMap/default/cfg" not in node.delete_config("ConfigMap", "cfg").configs
    with pytest.raises(podmodel.PodmodelError):
        node.delete_config("Secret", "cfg")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["apply-cfg", "apply-creds", "delete-cfg", "advance"]), st.floats(0, 90)
        ),
        max_size=8,
    )
)
def test_config_operations_keep_every_rule(ops: list[tuple[str, float]]) -> None:
    node = Node().start(_env_pod()).start(_volume_pod("vol"))
    restarts = 0
    for op, dt in ops:
        snapshot = (node.clock, node.configs, node.pod("app").containers, node.pod("vol").state)
        if op == "apply-cfg":
            nxt = node.apply(ConfigMap(name="cfg", data={"level": str(dt), "app.conf": "c"}))
        elif op == "apply-creds":
            nxt = node.apply(CREDS)
        elif op == "delete-cfg" and "ConfigMap/default/cfg" in node.configs:
            nxt = node.delete_config("ConfigMap", "cfg")
        else:
            nxt = node.advance(dt)
        assert (
            node.clock,
            node.configs,
            node.pod("app").containers,
            node.pod("vol").state,
        ) == snapshot
        node = nxt
        for name in ("app", "vol"):
            p = node.pod(name)
            assert p.status in {"Running", "ContainerCreating", *WAITING_REASONS}
        now = node.pod("app").restarts
        assert now >= restarts
        restarts = now


def test_env_values_expand_earlier_variables() -> None:
    pod = pod_of(
        {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx:1.27",
                    "envFrom": [{"configMapRef": {"name": "cfg"}}],
                    "env": [
                        {"name": "A", "value": "$(level)-$(NOPE)-$$(level)"},
                        {"name": "B", "value": "[$(A)]"},
                    ],
                }
            ]
        },
        name="app",
    )
    env = Node().apply(CFG).start(pod).pod("app").exec("c", "env").stdout
    assert "A=debug-$(NOPE)-$(level)\n" in env
    assert "B=[debug-$(NOPE)-$(level)]\n" in env
