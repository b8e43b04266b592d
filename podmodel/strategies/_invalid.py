"""Invalid pods: a valid pod with one injected defect, and the errors (type and path) that
defect must produce (private; public in :mod:`podmodel.strategies`)."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from podmodel.errors import ErrorType, FieldError, FieldPath
from podmodel.model._frozen import FrozenMap
from podmodel.model.spec import ContainerPort, EmptyDir, EnvVar, HostPath, Pod, Volume, VolumeMount
from podmodel.strategies._pods import VOLUME_KINDS, pods

__all__ = ["Expected", "invalid_pods"]

# --- defects --------------------------------------------------------------------------

Expected = tuple[FieldError, ...]


def _err(kind: ErrorType, *path: Any) -> FieldError:
    return FieldError(type=kind, field=FieldPath(path), origin="strategies.expected")


def _set_container(pod: Pod, i: int, **changes: Any) -> Pod:
    items = list(pod.spec.containers)
    items[i] = attrs.evolve(items[i], **changes)
    return attrs.evolve(pod, spec=attrs.evolve(pod.spec, containers=tuple(items)))


def _defects(draw: st.DrawFn, pod: Pod) -> list[tuple[Pod, Expected]]:
    spec = pod.spec
    i = draw(st.integers(0, len(spec.containers) - 1))
    c = spec.containers[i]
    n_ports = len(c.ports)
    out: list[tuple[Pod, Expected]] = []
    bad_port = draw(st.sampled_from([0, 65536, 70000, -1]))
    out.append(
        (
            _set_container(pod, i, ports=(*c.ports, ContainerPort(container_port=bad_port))),
            (
                _err(
                    ErrorType.REQUIRED if bad_port == 0 else ErrorType.INVALID,
                    "spec",
                    "containers",
                    i,
                    "ports",
                    n_ports,
                    "containerPort",
                ),
            ),
        )
    )
    out.append(
        (
            _set_container(
                pod, i, ports=(*c.ports, ContainerPort(container_port=80, protocol="tcp"))
            ),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "containers", i, "ports", n_ports, "protocol"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, image=None),
            (_err(ErrorType.REQUIRED, "spec", "containers", i, "image"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, image=f" {c.image} "),
            (_err(ErrorType.INVALID, "spec", "containers", i, "image"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, name=(c.name or "x").upper() + "_"),
            (_err(ErrorType.INVALID, "spec", "containers", i, "name"),),
        )
    )
    later = len(spec.containers)
    dup = attrs.evolve(spec.containers[0], ports=(), volume_mounts=())
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, containers=(*spec.containers, dup))),
            (_err(ErrorType.DUPLICATE, "spec", "containers", later, "name"),),
        )
    )
    m = len(c.volume_mounts)
    out.append(
        (
            _set_container(
                pod,
                i,
                volume_mounts=(
                    *c.volume_mounts,
                    VolumeMount(name="no-such-volume", mount_path="/no/such/volume/here"),
                ),
            ),
            (_err(ErrorType.NOT_FOUND, "spec", "containers", i, "volumeMounts", m, "name"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, env=(*c.env, EnvVar(name="A=B", value="x"))),
            (_err(ErrorType.INVALID, "spec", "containers", i, "env", len(c.env), "name"),),
        )
    )
    out.append(
        (
            _set_container(pod, i, image_pull_policy="Sometimes"),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "containers", i, "imagePullPolicy"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, restart_policy="Sometimes")),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "restartPolicy"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, dns_policy="Google")),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "dnsPolicy"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, active_deadline_seconds=0)),
            (_err(ErrorType.INVALID, "spec", "activeDeadlineSeconds"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, hostname="my.host")),
            (_err(ErrorType.INVALID, "spec", "hostname"),),
        )
    )
    out.append(
        (
            attrs.evolve(pod, metadata=attrs.evolve(pod.metadata, name="My_Pod")),
            (_err(ErrorType.INVALID, "metadata", "name"),),
        )
    )
    out.append(
        (
            attrs.evolve(
                pod,
                metadata=attrs.evolve(pod.metadata, labels=pod.metadata.labels.set("app", "-bad-"))
                if pod.metadata.labels
                else attrs.evolve(pod.metadata, labels=FrozenMap({"app": "-bad-"})),
            ),
            (_err(ErrorType.INVALID, "metadata", "labels"),),
        )
    )
    k = len(spec.volumes)
    extra_vol = Volume(name="extra-vol", sources=(HostPath(path="/var/../etc"),))
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, extra_vol))),
            (_err(ErrorType.INVALID, "spec", "volumes", k, "hostPath", "path"),),
        )
    )
    typed = Volume(name="extra-vol", sources=(HostPath(path="/x", type="directory"),))
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, typed))),
            (_err(ErrorType.NOT_SUPPORTED, "spec", "volumes", k, "hostPath", "type"),),
        )
    )
    both = Volume(name="extra-vol", sources=(EmptyDir(), HostPath(path="/x")))
    out.append(
        (
            attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, both))),
            (_err(ErrorType.FORBIDDEN, "spec", "volumes", k, "hostPath"),),
        )
    )
    if spec.volumes:
        first = spec.volumes[0]
        again = Volume(name=first.name, sources=(EmptyDir(),))
        out.append(
            (
                attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(*spec.volumes, again))),
                (_err(ErrorType.DUPLICATE, "spec", "volumes", k, "name"),),
            )
        )
        # an invalid volume disappears: each of its mounts is Not found too (the cascade)
        broken = attrs.evolve(first, sources=(HostPath(path=""),))
        expected = [_err(ErrorType.REQUIRED, "spec", "volumes", 0, "hostPath", "path")]
        for ci, cont in enumerate(spec.containers):
            for mi, mnt in enumerate(cont.volume_mounts):
                if mnt.name == first.name:
                    expected.append(
                        _err(
                            ErrorType.NOT_FOUND,
                            "spec",
                            "containers",
                            ci,
                            "volumeMounts",
                            mi,
                            "name",
                        )
                    )
        for ii, cont in enumerate(spec.init_containers):
            for mi, mnt in enumerate(cont.volume_mounts):
                if mnt.name == first.name:
                    expected.append(
                        _err(
                            ErrorType.NOT_FOUND,
                            "spec",
                            "initContainers",
                            ii,
                            "volumeMounts",
                            mi,
                            "name",
                        )
                    )
        out.append(
            (
                attrs.evolve(pod, spec=attrs.evolve(spec, volumes=(broken, *spec.volumes[1:]))),
                tuple(expected),
            )
        )
        mount = VolumeMount(name=first.name, mount_path="/abs-sub", sub_path="/etc")
        out.append(
            (
                _set_container(pod, i, volume_mounts=(*c.volume_mounts, mount)),
                (_err(ErrorType.INVALID, "spec", "containers", i, "volumeMounts", "subPath"),),
            )
        )
    return out


def invalid_pods(**options: Any) -> st.SearchStrategy[tuple[Pod, Expected]]:
    """A pod with one injected defect, and the errors it must produce (type and path).

    The base pod comes from :func:`pods` (with *options*); the defect is one of a catalogue
    covering names, images, ports, protocols, env names, pull policies, restart and DNS policies,
    deadlines, hostnames, labels, volume names and sources, hostPath paths and types, mounts of
    missing volumes, the invalid-volume cascade and an absolute ``subPath``.
    """

    @st.composite
    def draw_invalid(draw: st.DrawFn) -> tuple[Pod, Expected]:
        # the defects' expected errors assume a plain base pod: no optional area, unless asked
        base = draw(
            pods(**{"areas": (), "volume_kinds": VOLUME_KINDS, **options, "port_collisions": False})
        )
        return draw(st.sampled_from(_defects(draw, base)))

    return draw_invalid()
