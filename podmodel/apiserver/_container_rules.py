"""Container rules of ``validation.go`` v1.35 (private): the common checks, ports, env, mounts and
devices, and the per-kind rules (app, init, ephemeral); the deeper field checks (resources,
security context, probes, lifecycle) are in :mod:`podmodel.apiserver._container_checks`.

Functions append to an :class:`~podmodel.apiserver._rules.Errors` in the server's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from podmodel.apiserver._container_checks import lifecycle_and_probes, resources, security_context
from podmodel.apiserver._container_extras import (
    container_claims,
    resize_policy,
    restart_policy_rules,
)
from podmodel.apiserver._names import (
    inclusive_range,
    is_config_map_key,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_relaxed_env_var_name,
    is_valid_port_name,
)
from podmodel.apiserver._rules import Errors, local_descending_path, no_backsteps
from podmodel.apiserver._selectors import field_selector, resource_field_selector
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.errors import FieldPath
    from podmodel.model.spec import Container, Volume

__all__ = [
    "PodContext",
    "check_host_port_conflicts",
    "file_key_volumes",
    "validate_app_containers",
    "validate_ephemeral_containers",
    "validate_image_whitespace",
    "validate_init_containers",
]

ENV_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)


@attrs.frozen
class PodContext:
    """What container validation needs to know of the pod: its resource claims' names, its
    restart policy and ``spec.os.name`` (None: no ``spec.os``)."""

    claims: tuple[str, ...] = ()
    restart_policy: str | None = None
    os_name: str | None = None
    host_users: bool = True


_NO_POD = PodContext()
_NO_PATHS: frozenset[str] = frozenset()
#: What ``strings.TrimSpace`` trims from an image name (Go's unicode.IsSpace, Latin-1 part).
_IMAGE_SPACE = " \t\n\r\v\f\x85\xa0"
_EPHEMERAL_POINTERS = frozenset(
    {"restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"}
)
_PROTOCOLS = ("SCTP", "TCP", "UDP")
_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_TERMINATION_POLICIES = ("File", "FallbackToLogsOnError")
_CONTAINER_RESTART = ("Always", "Never", "OnFailure")
_PROPAGATIONS = ("Bidirectional", "HostToContainer", "None")
_RRO = ("Disabled", "Enabled", "IfPossible")
# EphemeralContainerCommon fields outside allowedEphemeralContainerFields, in struct order.
_EPHEMERAL_FORBIDDEN = (
    ("ports", "ports"),
    ("resources", "resources"),
    ("resizePolicy", "resize_policy"),
    ("restartPolicy", "restart_policy"),
    ("restartPolicyRules", "restart_policy_rules"),
    ("livenessProbe", "liveness_probe"),
    ("readinessProbe", "readiness_probe"),
    ("startupProbe", "startup_probe"),
    ("lifecycle", "lifecycle"),
)


def _ports(errs: Errors, c: Container, path: FieldPath) -> None:
    names: set[str] = set()
    for j, port in enumerate(c.ports):
        if port.name:
            msgs = is_valid_port_name(port.name)
            for msg in msgs:
                errs.invalid(path.index(j).child("name"), port.name, msg, "port.name")
            if not msgs:
                if port.name in names:
                    errs.duplicate(path.index(j).child("name"), port.name, "port.name.duplicate")
                names.add(port.name)
        if not port.container_port:
            errs.required(path.index(j).child("containerPort"), origin="containerPort.required")
        elif not 1 <= port.container_port <= 65535:
            errs.invalid(
                path.index(j).child("containerPort"),
                port.container_port,
                inclusive_range(1, 65535),
                "containerPort.range",
            )
        if port.host_port and not 1 <= port.host_port <= 65535:
            errs.invalid(
                path.index(j).child("hostPort"),
                port.host_port,
                inclusive_range(1, 65535),
                "hostPort.range",
            )
        if not port.protocol:
            errs.required(path.index(j).child("protocol"), origin="port.protocol")
        elif port.protocol not in _PROTOCOLS:
            errs.not_supported(
                path.index(j).child("protocol"), port.protocol, _PROTOCOLS, "port.protocol"
            )


def _key_selector(errs: Errors, sel: Any, path: FieldPath, kind: str) -> None:
    if not isinstance(sel, FrozenMap):
        return
    name = sel.get("name") or ""
    for msg in is_dns1123_subdomain(name):
        errs.invalid(path.child("name"), name, msg, f"{kind}.name")
    key = sel.get("key") or ""
    if not key:
        errs.required(path.child("key"), origin=f"{kind}.key")
    else:
        for msg in is_config_map_key(key):
            errs.invalid(path.child("key"), key, msg, f"{kind}.key")


def _file_key_ref(errs: Errors, ref: Any, path: FieldPath) -> None:
    """``validateFileKeySelector`` (EnvFiles, alpha in v1.35 but validated when set)."""
    if not isinstance(ref, FrozenMap):
        return
    if not ref.get("key"):
        errs.required(path.child("key"), origin="fileKeyRef.key")
    volume = ref.get("volumeName") or ""
    if not volume:
        errs.required(path.child("volumeName"), origin="fileKeyRef.volumeName")
    else:
        errs.label(path.child("volumeName"), str(volume), "fileKeyRef.volumeName")
    file = ref.get("path") or ""
    if not file:
        errs.required(path.child("path"), origin="fileKeyRef.path")
    elif not no_backsteps(str(file)):
        errs.invalid(path.child("path"), file, "must not contain '..'", "fileKeyRef.path")


def file_key_volumes(
    errs: Errors, c: Container, volumes: dict[str, Volume], path: FieldPath
) -> None:
    """Every ``fileKeyRef.volumeName`` must name an ``emptyDir`` volume of the pod (checked last
    of the pod spec, container by container: init, app, ephemeral). *volumes* are all the
    pod's volumes by name, valid or not (the last one of a repeated name); a volume without a
    source is an ``emptyDir`` (the v1 default)."""
    for i, ev in enumerate(c.env):
        ref = ev.value_from.get("fileKeyRef") if ev.value_from is not None else None
        if not isinstance(ref, FrozenMap):
            continue
        name = ref.get("volumeName") or ""
        p = path.index(i).child("valueFrom", "fileKeyRef", "volumeName")
        volume = volumes.get(name)
        if volume is None:
            errs.not_found(p, name, "fileKeyRef.volumeName.notFound")
        elif volume.sources and volume.empty_dir is None:
            errs.invalid(
                p, name, "referenced volume must be of type emptyDir", "fileKeyRef.volumeName.type"
            )


def _value_from(errs: Errors, value: str | None, vf: FrozenMap[str, Any], path: FieldPath) -> None:
    n = 0
    if isinstance(vf.get("fieldRef"), FrozenMap):
        n += 1
        field_selector(errs, vf["fieldRef"], path.child("fieldRef"), ENV_FIELD_PATHS)
    if isinstance(vf.get("resourceFieldRef"), FrozenMap):
        n += 1
        resource_field_selector(
            errs, vf["resourceFieldRef"], path.child("resourceFieldRef"), volume=False
        )
    if vf.get("configMapKeyRef") is not None:
        n += 1
        _key_selector(errs, vf["configMapKeyRef"], path.child("configMapKeyRef"), "configMapKeyRef")
    if vf.get("secretKeyRef") is not None:
        n += 1
        _key_selector(errs, vf["secretKeyRef"], path.child("secretKeyRef"), "secretKeyRef")
    if vf.get("fileKeyRef") is not None:
        n += 1
        _file_key_ref(errs, vf["fileKeyRef"], path.child("fileKeyRef"))
    if n == 0:
        errs.invalid(
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, "
            "`configMapKeyRef`, `secretKeyRef` or `fileKeyRef`",
            "env.valueFrom.none",
        )
    elif value:
        errs.invalid(
            path, "", "may not be specified when `value` is not empty", "env.valueFrom.withValue"
        )
    elif n > 1:
        errs.invalid(
            path,
            "",
            "may not have more than one field specified at a time",
            "env.valueFrom.multiple",
        )


def _env(errs: Errors, c: Container, path: FieldPath) -> None:
    for i, ev in enumerate(c.env):  # paths are built only where they are needed
        name = ev.name or ""
        if not name:
            errs.required(path.index(i).child("name"), origin="env.name")
        else:
            for msg in is_relaxed_env_var_name(name):
                errs.invalid(path.index(i).child("name"), name, msg, "env.name")
        if ev.value_from is not None:
            _value_from(errs, ev.value, ev.value_from, path.index(i).child("valueFrom"))


def _env_from(errs: Errors, c: Container, path: FieldPath) -> None:
    for i, src in enumerate(c.env_from):
        if not isinstance(src, FrozenMap):
            continue
        p = path.index(i)
        prefix = src.get("prefix") or ""
        if prefix:
            for msg in is_relaxed_env_var_name(prefix):
                errs.invalid(p.child("prefix"), prefix, msg, "envFrom.prefix")
        n = 0
        for kind in ("configMapRef", "secretRef"):
            ref = src.get(kind)
            if ref is None:
                continue
            n += 1
            name = ref.get("name") if isinstance(ref, FrozenMap) else ""
            if not name:
                errs.required(p.child(kind, "name"), origin=f"envFrom.{kind}.name")
            else:
                masked = name[:-1] + "a" if len(name) > 1 and name.endswith("-") else name
                for msg in is_dns1123_subdomain(masked):
                    errs.invalid(p.child(kind, "name"), name, msg, f"envFrom.{kind}.name")
        if n == 0:
            errs.invalid(
                path, "", "must specify one of: `configMapRef` or `secretRef`", "envFrom.none"
            )
        elif n > 1:
            errs.invalid(
                path, "", "may not have more than one field specified at a time", "envFrom.multiple"
            )


def _privileged(c: Container) -> bool:
    sc = c.security_context
    return isinstance(sc, FrozenMap) and sc.get("privileged") is True


def _mounts(errs: Errors, c: Container, volumes: dict[str, Volume], path: FieldPath) -> None:
    # Go's maps hold "" for a missing name or path
    devices = {d.get("name") or "": d.get("devicePath") or "" for d in c.volume_devices}
    device_paths = set(devices.values()) if devices else _NO_PATHS
    seen: set[str | None] = set()
    for j, m in enumerate(c.volume_mounts):
        if not m.name:
            errs.required(path.index(j).child("name"), origin="volumeMount.name")
        if (m.name or "") not in volumes:
            errs.not_found(path.index(j).child("name"), m.name or "", "volumeMount.name.notFound")
        if not m.mount_path:
            errs.required(path.index(j).child("mountPath"), origin="volumeMount.mountPath")
        if (m.mount_path or "") in seen:
            errs.invalid(
                path.index(j).child("mountPath"),
                m.mount_path or "",
                "must be unique",
                "volumeMount.mountPath.unique",
            )
        seen.add(m.mount_path or "")
        if (m.name or "") in devices:
            errs.invalid(
                path.index(j).child("name"),
                m.name or "",
                "must not already exist in volumeDevices",
                "volumeMount.name.device",
            )
        if (m.mount_path or "") in device_paths:
            errs.invalid(
                path.index(j).child("mountPath"),
                m.mount_path or "",
                "must not already exist as a path in volumeDevices",
                "volumeMount.mountPath.device",
            )
        if m.sub_path:
            local_descending_path(errs, m.sub_path, path.child("subPath"), "volumeMount.subPath")
        if m.sub_path_expr:
            if m.sub_path:
                errs.invalid(
                    path.index(j).child("subPathExpr"),
                    m.sub_path_expr,
                    "subPathExpr and subPath are mutually exclusive",
                    "volumeMount.subPathExpr.exclusive",
                )
            local_descending_path(
                errs, m.sub_path_expr, path.child("subPathExpr"), "volumeMount.subPathExpr"
            )
        if m.mount_propagation is not None:
            pp = path.child("mountPropagation")
            if m.mount_propagation not in _PROPAGATIONS:
                errs.not_supported(
                    pp, m.mount_propagation, _PROPAGATIONS, "volumeMount.mountPropagation"
                )
            if m.mount_propagation == "Bidirectional" and not _privileged(c):
                errs.forbidden(
                    pp,
                    "Bidirectional mount propagation is available only to privileged containers",
                    "volumeMount.mountPropagation.privileged",
                )
        if m.recursive_read_only is not None:
            rp = path.child("recursiveReadOnly")
            if m.recursive_read_only in ("Enabled", "IfPossible"):
                if not m.read_only:
                    errs.forbidden(
                        rp,
                        "may only be specified when readOnly is true",
                        "volumeMount.recursiveReadOnly.readOnly",
                    )
                if m.mount_propagation not in (None, "None"):
                    errs.forbidden(
                        rp,
                        "may only be specified when mountPropagation is None or not specified",
                        "volumeMount.recursiveReadOnly.propagation",
                    )
            elif m.recursive_read_only != "Disabled":
                errs.not_supported(rp, m.recursive_read_only, _RRO, "volumeMount.recursiveReadOnly")


def _devices(errs: Errors, c: Container, volumes: dict[str, Volume], path: FieldPath) -> None:
    mounts = {m.name or "": m.mount_path or "" for m in c.volume_mounts}
    mount_paths = set(mounts.values())
    names: set[str] = set()
    paths: set[str] = set()
    for j, d in enumerate(c.volume_devices):
        if not isinstance(d, FrozenMap):
            continue
        p = path.index(j)
        name, dev_path = d.get("name") or "", d.get("devicePath") or ""
        vol = volumes.get(name)
        is_pvc = vol is not None and any(
            s.kind in ("persistentVolumeClaim", "ephemeral") for s in vol.sources
        )
        if not name:
            errs.required(p.child("name"), origin="volumeDevice.name")
        if name in names:
            errs.invalid(p.child("name"), name, "must be unique", "volumeDevice.name.unique")
        if vol is not None and not is_pvc:
            errs.invalid(
                p.child("name"),
                name,
                "can only use volume source type of "
                "PersistentVolumeClaim or Ephemeral for block mode",
                "volumeDevice.source",
            )
        if vol is None:
            errs.not_found(p.child("name"), name, "volumeDevice.name.notFound")
        if not dev_path:
            errs.required(p.child("devicePath"), origin="volumeDevice.devicePath")
        if dev_path in paths:
            errs.invalid(
                p.child("devicePath"), dev_path, "must be unique", "volumeDevice.devicePath.unique"
            )
        if dev_path and not no_backsteps(dev_path):
            errs.invalid(
                p.child("devicePath"),
                dev_path,
                "can not contain backsteps ('..')",
                "volumeDevice.devicePath.backsteps",
            )
        else:
            paths.add(dev_path)
        if name in mounts:
            errs.invalid(
                p.child("name"),
                name,
                "must not already exist in volumeMounts",
                "volumeDevice.name.mount",
            )
        if dev_path in mount_paths:
            errs.invalid(
                p.child("devicePath"),
                dev_path,
                "must not already exist as a path in volumeMounts",
                "volumeDevice.devicePath.mount",
            )
        if name:
            names.add(name)


def _common(
    errs: Errors, c: Container, volumes: dict[str, Volume], path: FieldPath, pod: PodContext
) -> None:
    """``validateContainerCommon``."""
    if not c.name:
        errs.required(path.child("name"), origin="container.name")
    else:
        for msg in is_dns1123_label(c.name):  # the path is built for an error only
            errs.invalid(path.child("name"), c.name, msg, "container.name")
    if not c.image:
        errs.required(path.child("image"), origin="container.image")
    policy = c.termination_message_policy
    if not policy:
        errs.required(
            path.child("terminationMessagePolicy"), origin="container.terminationMessagePolicy"
        )
    elif policy not in _TERMINATION_POLICIES:
        errs.not_supported(
            path.child("terminationMessagePolicy"),
            policy,
            _TERMINATION_POLICIES,
            "container.terminationMessagePolicy",
        )
    # each list's path is built only when there is a list to check (paths cost more than
    # most checks)
    if c.ports:
        _ports(errs, c, path.child("ports"))
    if c.env:
        _env(errs, c, path.child("env"))
    if c.env_from:
        _env_from(errs, c, path.child("envFrom"))
    if c.volume_mounts:
        _mounts(errs, c, volumes, path.child("volumeMounts"))
    if c.volume_devices:
        _devices(errs, c, volumes, path.child("volumeDevices"))
    pull = c.image_pull_policy
    if not pull:
        errs.required(path.child("imagePullPolicy"), origin="container.imagePullPolicy")
    elif pull not in _PULL_POLICIES:
        errs.not_supported(
            path.child("imagePullPolicy"), pull, _PULL_POLICIES, "container.imagePullPolicy"
        )
    if c.resources is not None:
        resources(errs, c.resources, path.child("resources"))
        if c.resources.get("claims") is not None:
            container_claims(
                errs, c.resources["claims"], pod.claims, path.child("resources", "claims")
            )
    written = c.resize_policy or c.extra.get("resizePolicy")
    if written is not None:
        resize_policy(errs, written, pod.restart_policy, path.child("resizePolicy"))
    if c.security_context is not None:
        security_context(errs, c.security_context, path.child("securityContext"), pod.host_users)


def check_host_port_conflicts(
    errs: Errors, containers: tuple[Container, ...], path: FieldPath
) -> None:
    """``AccumulateUniqueHostPorts``: key ``<protocol>/<hostIP>/<hostPort>``, hostPort ≠ 0."""
    seen: set[str] = set()
    for i, c in enumerate(containers):
        for j, port in enumerate(c.ports):
            if not port.host_port:
                continue
            key = f"{port.protocol or ''}/{port.host_ip or ''}/{port.host_port}"
            if key in seen:
                errs.duplicate(
                    path.index(i).child("ports").index(j).child("hostPort"),
                    key,
                    "hostPort.duplicate",
                )
            seen.add(key)


def validate_app_containers(
    errs: Errors,
    containers: tuple[Container, ...],
    volumes: dict[str, Volume],
    grace: int | None,
    path: FieldPath,
    pod: PodContext = _NO_POD,
) -> None:
    """``validateContainers``."""
    if not containers:
        errs.required(path, origin="containers.required")
    names: set[str] = set()
    for i, c in enumerate(containers):
        p = path.index(i)
        _common(errs, c, volumes, p, pod)
        name = c.name or ""
        if name in names:
            errs.duplicate(p.child("name"), name, "container.name.duplicate")
        names.add(name)
        if not (  # (a lifecycle or a probe to check: few containers have one)
            c.lifecycle is None
            and c.liveness_probe is None
            and c.readiness_probe is None
            and c.startup_probe is None
        ):
            lifecycle_and_probes(errs, c, grace, p, pod.os_name)
        if c.restart_policy is not None and c.restart_policy not in _CONTAINER_RESTART:
            errs.not_supported(
                p.child("restartPolicy"),
                c.restart_policy,
                _CONTAINER_RESTART,
                "container.restartPolicy",
            )
        if c.restart_policy_rules or c.extra.get("restartPolicyRules") is not None:
            restart_policy_rules(errs, c, p, init=False)
    check_host_port_conflicts(errs, containers, path)


def validate_init_containers(
    errs: Errors,
    containers: tuple[Container, ...],
    apps: tuple[Container, ...],
    volumes: dict[str, Volume],
    grace: int | None,
    path: FieldPath,
    pod: PodContext = _NO_POD,
) -> None:
    """``validateInitContainers``."""
    names = {c.name or "" for c in apps}
    for i, c in enumerate(containers):
        p = path.index(i)
        _common(errs, c, volumes, p, pod)
        if c.restart_policy is not None and c.restart_policy not in _CONTAINER_RESTART:
            errs.not_supported(
                p.child("restartPolicy"),
                c.restart_policy,
                _CONTAINER_RESTART,
                "initContainer.restartPolicy",
            )
        restart_policy_rules(errs, c, p, init=True)
        name = c.name or ""
        if name in names:
            errs.duplicate(p.child("name"), name, "container.name.duplicate")
        elif name:
            names.add(name)
        # each init container on its own: the path always says initContainers[0]
        check_host_port_conflicts(errs, (c,), path)
        if c.restart_policy == "Always":
            lifecycle_and_probes(errs, c, grace, p, pod.os_name)
        else:
            detail = "may not be set for init containers without restartPolicy=Always"
            for key, value in (
                ("lifecycle", c.lifecycle),
                ("livenessProbe", c.liveness_probe),
                ("readinessProbe", c.readiness_probe),
                ("startupProbe", c.startup_probe),
            ):
                if value is not None:
                    errs.forbidden(p.child(key), detail, f"initContainer.{key}")


def validate_ephemeral_containers(
    errs: Errors,
    containers: tuple[Container, ...],
    apps: tuple[Container, ...],
    inits: tuple[Container, ...],
    volumes: dict[str, Volume],
    path: FieldPath,
    pod: PodContext = _NO_POD,
) -> None:
    """``validateEphemeralContainers``."""
    others = {c.name or "" for c in (*apps, *inits)}
    names = set(others)
    for i, c in enumerate(containers):
        p = path.index(i)
        _common(errs, c, volumes, p, pod)
        # "Ephemeral containers don't need looser constraints for pod templates": checked for
        # a template too, so under an origin of their own
        validate_image_whitespace(errs, c, path, i, "ephemeralContainer.image.whitespace")
        name = c.name or ""
        if name in names:
            errs.duplicate(p.child("name"), name, "container.name.duplicate")
        names.add(name)
        target = c.target_container_name
        if target and target not in others:
            errs.not_found(p.child("targetContainerName"), target, "ephemeral.targetContainerName")
        for wire, attr in _EPHEMERAL_FORBIDDEN:
            value = getattr(c, attr)
            # a pointer (probe, lifecycle, restartPolicy) counts when written, a list when
            # written even empty (Go compares with the zero value: nil)
            if wire in _EPHEMERAL_POINTERS:
                written = value is not None
            else:
                written = value not in (None, (), FrozenMap()) or c.extra.get(wire) == ()
            if written:
                errs.forbidden(
                    p.child(wire), "cannot be set for an Ephemeral Container", f"ephemeral.{wire}"
                )
        for j, m in enumerate(c.volume_mounts):
            for key, value in (("subPath", m.sub_path), ("subPathExpr", m.sub_path_expr)):
                if value:
                    errs.forbidden(
                        p.child("volumeMounts").index(j).child(key),
                        "cannot be set for an Ephemeral Container",
                        f"ephemeral.volumeMount.{key}",
                    )


def validate_image_whitespace(
    errs: Errors,
    c: Container,
    containers: FieldPath,
    i: int,
    origin: str = "container.image.whitespace",
) -> None:
    """``validateContainerOnlyForPod``: no leading or trailing whitespace in ``image`` of
    container *i* of the list at *containers*."""
    image = c.image or ""
    if image != image.strip(_IMAGE_SPACE):
        errs.invalid(
            containers.index(i).child("image"),
            image,
            "must not have leading or trailing whitespace",
            origin,
        )
