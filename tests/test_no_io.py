"""podmodel never touches the real file system or network on its own: with every way of opening
a file, a socket or a process patched to fail, the whole library still works (decode, validate,
run pods, exec ``curl``, write files in containers, draw them). Only ``podmodel.load(path)`` and
the command line open a file, the one the caller names."""

from __future__ import annotations

import builtins
import importlib
import io
import os
import pkgutil
import shutil
import socket
import subprocess
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import strategies as pst

# Every module of the package, imported before the doors close (imports read files).
for _info in pkgutil.walk_packages(podmodel.__path__, "podmodel."):
    if _info.name != "podmodel.__main__":
        importlib.import_module(_info.name)

SEED = """
apiVersion: v1
kind: Pod
metadata: {name: mypod}
spec:
  containers:
  - name: mycon1
    image: sunwu51/node
    volumeMounts: [{name: logs, mountPath: /root/.pm2/logs}]
  - name: mycon2
    image: nginx
    volumeMounts: [{name: logs, mountPath: /pm2logs}]
  - {name: mycon3, image: nginx}
  volumes:
  - {name: logs, emptyDir: {}}
  - {name: host, hostPath: {path: /var/log/pods, type: DirectoryOrCreate}}
"""


class RealIO(AssertionError):
    pass


def _refuse(what: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise RealIO(f"podmodel used the real {what}: {args!r}")

    return refuse


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every door to the real world raises."""
    for owner, name in [
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (os, "listdir"),
        (os, "scandir"),
        (os, "mkdir"),
        (os, "makedirs"),
        (os, "remove"),
        (os, "unlink"),
        (os, "rename"),
        (os, "stat"),
        (shutil, "copyfile"),
        (socket, "socket"),
        (socket, "create_connection"),
        (socket, "getaddrinfo"),
        (socket, "gethostbyname"),
        (subprocess, "Popen"),
        (os, "system"),
    ]:
        monkeypatch.setattr(owner, name, _refuse(f"{owner.__name__}.{name}"))


def test_the_seed_runs_without_touching_the_host(sealed: None) -> None:
    pod = podmodel.loads(SEED)
    assert podmodel.validate(pod).ok
    podmodel.apply_defaults(pod)
    text = podmodel.dumps(pod)
    node = podmodel.Node().start(podmodel.loads(text)).advance(60)
    p = node.pod("mypod")
    assert p.status == "CrashLoopBackOff"
    assert "Welcome to nginx!" in p.exec("mycon2", "curl -s localhost").stdout
    node, result = node.exec("mypod", "mycon2", "sh -c 'echo hi > /pm2logs/x && cat /pm2logs/x'")
    assert result.stdout == "hi\n"
    assert node.host_listdir("/var/log") == ("pods",)  # the *simulated* node's tree
    p._repr_svg_()
    p.describe_events()
    node.delete("mypod")
    ns, sock = podmodel.NetworkNamespace(ip="10.0.0.2").bind("a", "0.0.0.0", 80)
    assert ns.listen(sock).connect("10.0.0.2", 80) == "a"


def test_load_opens_only_the_file_it_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(SEED)
    opened: list[str] = []
    real_open = builtins.open

    def watching_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    monkeypatch.setattr(socket, "socket", _refuse("socket.socket"))
    podmodel.Node().start(podmodel.load(path)).advance(5)
    assert opened == [str(path)]


@settings(max_examples=25, deadline=None, database=None)
@given(pod=pst.pods(), data=st.data())
def test_random_pods_run_sealed(pod: podmodel.Pod, data: st.DataObject) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        for owner, name in [(builtins, "open"), (os, "open"), (socket, "socket")]:
            monkeypatch.setattr(owner, name, _refuse(f"{owner.__name__}.{name}"))
        try:
            node = podmodel.Node().start(pod).advance(data.draw(st.sampled_from([0, 5, 60])))
        except podmodel.PodmodelError:
            return
        running = node.pod(pod.name, pod.metadata.namespace or "default")
        running._repr_svg_()
        for c in running.containers:
            running.exec(c.name, "ls / && hostname -i && curl -s localhost:80")
