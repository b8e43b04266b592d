"""Security rules of pod validation (private), as ``validation.go`` v1.35.4 words them: the pod's
security context (sysctls, seccomp, AppArmor, Windows options, group policies), the seccomp and
AppArmor annotations, ``hostUsers``, ``os`` and the OS-specific checks, and the create-time
agreement between the annotations and the fields.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import inclusive_range, is_dns1123_subdomain
from podmodel.apiserver._rules import local_descending_path
from podmodel.errors import GoStruct
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath
    from podmodel.model.spec import Container, ObjectMeta, PodSpec

__all__ = [
    "apparmor_profile",
    "seccomp_profile",
    "security_context_struct",
    "validate_annotation_field_match",
    "validate_host_users",
    "validate_os",
    "validate_pod_security_context",
    "validate_security_annotations",
    "validate_windows_host_process",
    "windows_options",
]

_NO_MAP: FrozenMap[str, Any] = FrozenMap()  # the missing map, shared (it is immutable)

_MAX_ID = 2147483647
_SECCOMP_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
_SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
_SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
_APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/"
_MATCHED_ANNOTATIONS = (_SECCOMP_POD, _SECCOMP_CONTAINER, _APPARMOR_CONTAINER)
_SYSCTL_FMT = r"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"
_SYSCTL_RE = re.compile(_SYSCTL_FMT)
# utilsysctl.GetNamespace: the namespaced sysctls, by prefix (net.* and the IPC ones).
_IPC_SYSCTLS = (
    "kernel.shm_rmid_forced",
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.sem",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
)


def _map(value: Any) -> FrozenMap[str, Any]:
    return value if isinstance(value, FrozenMap) else _NO_MAP


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


# --- profiles -----------------------------------------------------------------------------------


def _struct(value: Any, fields: tuple[str, ...], pointers: bool) -> GoStruct | None:
    """The internal struct of a v1 object (None for nil): Go's field names in order (a field
    ``Go:json`` names its JSON key, else it is the Go name with a lower-case first letter); a
    missing field is nil (*pointers*) or the empty string."""
    if not isinstance(value, FrozenMap):
        return None
    default = None if pointers else ""
    pairs = [f.split(":") if ":" in f else (f, f[0].lower() + f[1:]) for f in fields]
    return GoStruct(tuple((go, value.get(key, default)) for go, key in pairs))


def _profile_struct(profile: Any) -> GoStruct | None:
    """A ``SeccompProfile`` or ``AppArmorProfile`` (``Type``, ``*LocalhostProfile``)."""
    if not isinstance(profile, FrozenMap):
        return None
    return GoStruct.of(
        Type=_str(profile.get("type")), LocalhostProfile=profile.get("localhostProfile")
    )


def security_context_struct(sc: FrozenMap[str, Any]) -> GoStruct:
    """A container's ``SecurityContext`` as Go prints the internal struct (a bad value)."""
    caps = sc.get("capabilities")
    windows = _struct(
        sc.get("windowsOptions"),
        (
            "GMSACredentialSpecName:gmsaCredentialSpecName",
            "GMSACredentialSpec:gmsaCredentialSpec",
            "RunAsUserName",
            "HostProcess",
        ),
        pointers=True,
    )
    return GoStruct.of(
        Capabilities=_struct(caps, ("Add", "Drop"), pointers=True),
        Privileged=sc.get("privileged"),
        SELinuxOptions=_struct(
            sc.get("seLinuxOptions"), ("User", "Role", "Type", "Level"), pointers=False
        ),
        WindowsOptions=windows,
        RunAsUser=sc.get("runAsUser"),
        RunAsGroup=sc.get("runAsGroup"),
        RunAsNonRoot=sc.get("runAsNonRoot"),
        ReadOnlyRootFilesystem=sc.get("readOnlyRootFilesystem"),
        AllowPrivilegeEscalation=sc.get("allowPrivilegeEscalation"),
        ProcMount=sc.get("procMount"),
        SeccompProfile=_profile_struct(sc.get("seccompProfile")),
        AppArmorProfile=_profile_struct(sc.get("appArmorProfile")),
    )


def seccomp_profile(errs: Errors, profile: Any, path: FieldPath) -> None:
    """``validateSeccompProfileField``."""
    if not isinstance(profile, FrozenMap):
        return
    kind = _str(profile.get("type"))
    local = profile.get("localhostProfile")
    if kind == "":
        errs.required(path.child("type"), "type is required when seccompProfile is set")
    elif kind not in _SECCOMP_TYPES:
        errs.not_supported(path.child("type"), kind, _SECCOMP_TYPES, "seccompProfile.type")
    if kind == "Localhost":
        if local is None:
            errs.required(
                path.child("localhostProfile"),
                "must be set when seccomp type is Localhost",
                "seccompProfile.localhost",
            )
        else:
            local_descending_path(errs, _str(local), path.child("localhostProfile"), "seccomp")
    elif local is not None:
        # Go prints the internal struct: {"Type":...,"LocalhostProfile":...}
        errs.invalid(
            path.child("localhostProfile"),
            _profile_struct(profile),
            "can only be set when seccomp type is Localhost",
            "seccompProfile.localhost",
        )


def apparmor_profile(errs: Errors, profile: Any, path: FieldPath) -> None:
    """``ValidateAppArmorProfileField``."""
    if not isinstance(profile, FrozenMap):
        return
    kind = _str(profile.get("type"))
    local = profile.get("localhostProfile")
    if kind == "Localhost":
        if local is None:
            errs.required(
                path.child("localhostProfile"), "must be set when AppArmor type is Localhost"
            )
        else:
            text = _str(local)
            if text.strip() != text:
                errs.invalid(
                    path.child("localhostProfile"), text, "must not be padded with whitespace"
                )
            elif not text:
                errs.required(
                    path.child("localhostProfile"), "must be set when AppArmor type is Localhost"
                )
            if len(text.encode()) > 4095:
                errs.too_long(path.child("localhostProfile"), 4095)
    elif kind in ("RuntimeDefault", "Unconfined"):
        if local is not None:
            errs.invalid(
                path.child("localhostProfile"),
                local,
                "can only be set when AppArmor type is Localhost",
            )
    elif kind == "":
        errs.required(path.child("type"), "type is required when appArmorProfile is set")
    else:
        errs.not_supported(path.child("type"), kind, _SECCOMP_TYPES, "appArmorProfile.type")


def windows_options(errs: Errors, opts: Any, path: FieldPath) -> None:
    """``validateWindowsSecurityContextOptions``."""
    if not isinstance(opts, FrozenMap):
        return
    name = opts.get("gmsaCredentialSpecName")
    if isinstance(name, str):
        for msg in is_dns1123_subdomain(name):
            errs.invalid(path.child("gmsaCredentialSpecName"), name, msg)
    spec = opts.get("gmsaCredentialSpec")
    if isinstance(spec, str):
        if not spec:
            errs.invalid(
                path.child("gmsaCredentialSpec"),
                spec,
                "gmsaCredentialSpec cannot be an empty string",
            )
        elif len(spec) > 64 * 1024:
            errs.invalid(
                path.child("gmsaCredentialSpec"),
                spec,
                "gmsaCredentialSpec size must be under 64 KiB",
            )
    user = opts.get("runAsUserName")
    if isinstance(user, str):
        _run_as_user_name(errs, user, path.child("runAsUserName"))


_CONTROL = re.compile(r"[\x00-\x1F\x7F]")
_NETBIOS = re.compile(r'[^\\/:\*\?"<>|\.][^\\/:\*\?"<>|]{0,14}')
_DOMAIN_DNS = re.compile(
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
)
_DOTS_SPACES = re.compile(r"[\. ]+")
_USER_BAD = re.compile(r'["/\\:;|=,\+\*\?<>@\[\]]')


def _run_as_user_name(errs: Errors, user: str, path: FieldPath) -> None:
    """The ``runAsUserName`` part of ``validateWindowsSecurityContextOptions``."""
    if not user:
        errs.invalid(path, user, "runAsUserName cannot be an empty string")
        return
    if _CONTROL.search(user):
        errs.invalid(path, user, "runAsUserName cannot contain control characters")
        return
    parts = user.split("\\")
    if len(parts) > 2:
        errs.invalid(path, user, "runAsUserName cannot contain more than one backslash")
        return
    domain, name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    if len(domain) >= 256:
        errs.invalid(path, user, "runAsUserName's Domain length must be under 256 characters")
    if len(parts) == 2 and not (_NETBIOS.fullmatch(domain) or _DOMAIN_DNS.fullmatch(domain)):
        errs.invalid(
            path, user, "runAsUserName's Domain doesn't match the NetBios nor the DNS format"
        )
    if not name:
        errs.invalid(path, user, "runAsUserName's User cannot be empty")
    elif len(name) > 104:
        errs.invalid(
            path, user, "runAsUserName's User length must not be longer than 104 characters"
        )
    if _DOTS_SPACES.fullmatch(name):
        errs.invalid(path, user, "runAsUserName's User cannot contain only periods or spaces")
    if _USER_BAD.search(name):
        errs.invalid(
            path,
            user,
            "runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]",
        )


# --- the pod's security context -----------------------------------------------------------------


def _ids(errs: Errors, sc: FrozenMap[str, Any], path: FieldPath) -> None:
    for key in ("fsGroup", "runAsUser", "runAsGroup"):
        value = sc.get(key)
        if isinstance(value, int) and not 0 <= value <= _MAX_ID:
            errs.invalid(
                path.child(key), value, inclusive_range(0, _MAX_ID), f"securityContext.{key}"
            )
    groups = sc.get("supplementalGroups")
    for i, gid in enumerate(groups if isinstance(groups, tuple) else ()):
        if isinstance(gid, int) and not 0 <= gid <= _MAX_ID:
            errs.invalid(
                path.child("supplementalGroups").index(i),
                gid,
                inclusive_range(0, _MAX_ID),
                "securityContext.supplementalGroups",
            )


def _sysctls(errs: Errors, sysctls: tuple[Any, ...], spec: PodSpec, path: FieldPath) -> None:
    seen: set[str] = set()
    for i, item in enumerate(sysctls):
        name = _str(_map(item).get("name"))
        p = path.index(i).child("name")
        if not name:
            errs.required(p, origin="sysctls.name")
        elif len(name) > 253 or not _SYSCTL_RE.match(name):
            errs.invalid(
                p,
                name,
                f"must have at most 253 characters and match regex {_SYSCTL_FMT}",
                "sysctls",
            )
        elif name in seen:
            errs.duplicate(p, name, "sysctls.duplicate")
        dotted = name.replace("/", ".")
        if spec.host_network and dotted.startswith("net."):
            errs.invalid(p, name, "may not be specified when 'hostNetwork' is true")
        elif spec.host_ipc and (dotted in _IPC_SYSCTLS or dotted.startswith("fs.mqueue.")):
            errs.invalid(p, name, "may not be specified when 'hostIPC' is true")
        seen.add(name)


def validate_pod_security_context(errs: Errors, spec: PodSpec, path: FieldPath) -> None:
    """``validatePodSpecSecurityContext`` (the internal type also holds hostPID and
    shareProcessNamespace, hence their check at this path)."""
    sc = spec.security_context
    if sc:  # defaulting leaves most pods an empty one: nothing below applies to it
        _ids(errs, _map(sc), path)
    if spec.share_process_namespace and spec.host_pid:
        errs.invalid(
            path.child("shareProcessNamespace"),
            True,
            "ShareProcessNamespace and HostPID cannot both be enabled",
            "shareProcessNamespace.hostPID",
        )
    if not isinstance(sc, FrozenMap) or not sc:
        return
    sysctls = sc.get("sysctls")
    if isinstance(sysctls, tuple) and sysctls:
        _sysctls(errs, sysctls, spec, path.child("sysctls"))
    policy = sc.get("fsGroupChangePolicy")
    if isinstance(policy, str) and policy not in ("OnRootMismatch", "Always"):
        errs.not_supported(path.child("fsGroupChangePolicy"), policy, ("Always", "OnRootMismatch"))
    seccomp_profile(errs, sc.get("seccompProfile"), path.child("seccompProfile"))
    windows_options(errs, sc.get("windowsOptions"), path.child("windowsOptions"))
    apparmor_profile(errs, sc.get("appArmorProfile"), path.child("appArmorProfile"))
    groups = sc.get("supplementalGroupsPolicy")
    if isinstance(groups, str) and groups not in ("Merge", "Strict"):
        errs.not_supported(path.child("supplementalGroupsPolicy"), groups, ("Merge", "Strict"))
    selinux = sc.get("seLinuxChangePolicy")
    if isinstance(selinux, str) and selinux != "Recursive":
        # SELinuxMount is off by default in v1.35: only Recursive is allowed
        errs.not_supported(path.child("seLinuxChangePolicy"), selinux, ("Recursive",))


def validate_windows_host_process(errs: Errors, spec: PodSpec, path: FieldPath) -> None:
    """``validateWindowsHostProcessPod`` (privileged containers allowed, as on most clusters)."""
    pod_hp = _map(_map(spec.security_context).get("windowsOptions")).get("hostProcess")
    if pod_hp is None and all(
        c.security_context is None or c.security_context.get("windowsOptions") is None
        for c in (*spec.init_containers, *spec.containers, *spec.ephemeral_containers)
    ):
        return  # no hostProcess anywhere (most pods): nothing below can apply
    count = host_process = 0
    for c, cpath in _visit(spec, path):
        count += 1
        mine = _map(_map(c.security_context).get("windowsOptions")).get("hostProcess")
        if isinstance(pod_hp, bool) and isinstance(mine, bool) and pod_hp != mine:
            errs.invalid(
                cpath.child("securityContext", "windowsOptions", "hostProcess"),
                mine,
                "pod hostProcess value must be identical if both are specified, was "
                + ("true" if pod_hp else "false"),
            )
        if mine is True or (mine is None and pod_hp is True):
            host_process += 1
    if not host_process:
        return
    if host_process != count:
        errs.invalid(
            path,
            "",
            "If pod contains any hostProcess containers then all containers must be HostProcess "
            "containers",
        )
    if not spec.host_network:
        errs.invalid(
            path.child("hostNetwork"),
            False,
            "hostNetwork must be true if pod contains any hostProcess containers",
        )


def validate_host_users(errs: Errors, spec: PodSpec, path: FieldPath) -> None:
    """``validateHostUsers`` (Go names two of the paths in capitals)."""
    if spec.host_users is not False:
        return
    if spec.host_network:
        errs.forbidden(path.child("hostNetwork"), "when `hostUsers` is false")
    if spec.host_pid:
        errs.forbidden(path.child("HostPID"), "when `hostUsers` is false")
    if spec.host_ipc:
        errs.forbidden(path.child("HostIPC"), "when `hostUsers` is false")
    for key, items in (
        ("initContainers", spec.init_containers),
        ("containers", spec.containers),
        ("ephemeralContainers", spec.ephemeral_containers),
    ):
        for i, c in enumerate(items):
            if c.volume_devices:
                errs.forbidden(
                    path.child(key).index(i).child("volumeDevices"),
                    "when `hostUsers` is false",
                    "volumeDevices.hostUsers",
                )


# --- annotations --------------------------------------------------------------------------------


def _seccomp_annotation(errs: Errors, value: str, path: FieldPath) -> None:
    """``ValidateSeccompProfile``."""
    if value in ("runtime/default", "docker/default", "unconfined"):
        return
    if value.startswith("localhost/"):
        local_descending_path(errs, value.removeprefix("localhost/"), path, "seccomp.annotation")
        return
    errs.invalid(path, value, "must be a valid seccomp profile", "seccomp.annotation")


def _has_container(spec: PodSpec, name: str) -> bool:
    return any(c.name == name for _, _, c in spec.all_containers())


def validate_security_annotations(
    errs: Errors, annotations: FrozenMap[str, str], spec: PodSpec, path: FieldPath
) -> None:
    """``ValidateSeccompPodAnnotations`` then ``ValidateAppArmorPodAnnotations`` (Go ranges over
    the annotations map: podmodel sorts the keys)."""
    pod = annotations.get(_SECCOMP_POD)
    if pod is not None:
        _seccomp_annotation(errs, pod, path.child(_SECCOMP_POD))
    keys = sorted(annotations)
    for key in keys:
        if key.startswith(_SECCOMP_CONTAINER):
            _seccomp_annotation(errs, annotations[key], path.child(key))
    for key in keys:
        if not key.startswith(_APPARMOR_CONTAINER):
            continue
        name = key.removeprefix(_APPARMOR_CONTAINER)
        if not _has_container(spec, name):
            errs.invalid(path.key(key), name, "container not found", "apparmor.annotation")
        value = annotations[key]
        if value not in ("", "runtime/default", "unconfined") and not value.startswith(
            "localhost/"
        ):
            errs.invalid(
                path.key(key),
                value,
                f"invalid AppArmor profile name: {_go_q(value)}",
                "apparmor.annotation",
            )


def _go_q(text: str) -> str:
    from podmodel.errors import go_quote

    return go_quote(text)


def _match(
    errs: Errors, annotation: str, profile: FrozenMap[str, Any], path: FieldPath, what: str
) -> None:
    kind = _str(profile.get("type"))
    local = profile.get("localhostProfile")
    if kind == "Unconfined":
        ok = annotation == "unconfined"
    elif kind == "RuntimeDefault":
        ok = annotation == "runtime/default" or (
            what == "seccomp" and annotation == "docker/default"
        )
    elif kind == "Localhost":
        if not annotation.startswith("localhost/"):
            ok = False
        else:
            if local is None or annotation.removeprefix("localhost/") != local:
                errs.forbidden(
                    path.child("localhostProfile"),
                    f"{what} profile in annotation and field must match",
                )
            return
    else:
        return
    if not ok:
        errs.forbidden(path.child("type"), f"{what} type in annotation and field must match")


class _At:
    """The path of one container, built only when an error names it (most pods have none)."""

    __slots__ = ("i", "key", "path")

    def __init__(self, path: FieldPath, key: str, i: int) -> None:
        self.path, self.key, self.i = path, key, i

    def child(self, *names: str) -> FieldPath:
        return self.path.child(self.key).index(self.i).child(*names)


def _visit(spec: PodSpec, path: FieldPath) -> list[tuple[Container, _At]]:
    """``VisitContainersWithPath``: init, app, then ephemeral containers, with their paths."""
    out = []
    for key, items in (
        ("initContainers", spec.init_containers),
        ("containers", spec.containers),
        ("ephemeralContainers", spec.ephemeral_containers),
    ):
        for i, c in enumerate(items):
            out.append((c, _At(path, key, i)))
    return out


def validate_annotation_field_match(
    errs: Errors, meta: ObjectMeta, spec: PodSpec, path: FieldPath
) -> None:
    """``validateSeccompAnnotationsAndFields`` and
    ``validateAppArmorAnnotationsAndFieldsMatchOnCreate`` (ValidatePodCreate)."""
    notes = meta.annotations
    if not any(k.startswith(_MATCHED_ANNOTATIONS) for k in notes):
        return  # every check below looks up one of these annotations
    pod_sc = _map(spec.security_context)
    pod_seccomp = pod_sc.get("seccompProfile")
    if isinstance(pod_seccomp, FrozenMap) and _SECCOMP_POD in notes:
        _match(
            errs,
            notes[_SECCOMP_POD],
            pod_seccomp,
            path.child("securityContext", "seccompProfile"),
            "seccomp",
        )
    for c, cpath in _visit(spec, path):
        profile = _map(c.security_context).get("seccompProfile")
        key = _SECCOMP_CONTAINER + (c.name or "")
        if isinstance(profile, FrozenMap) and key in notes:
            _match(
                errs,
                notes[key],
                profile,
                cpath.child("securityContext", "seccompProfile"),
                "seccomp",
            )
    os = _map(spec.os)
    if os.get("name") == "windows":
        return
    pod_profile = pod_sc.get("appArmorProfile")
    for c, cpath in _visit(spec, path):
        profile = _map(c.security_context).get("appArmorProfile")
        if not isinstance(profile, FrozenMap):
            profile = pod_profile
        key = _APPARMOR_CONTAINER + (c.name or "")
        if isinstance(profile, FrozenMap) and key in notes:
            _match(
                errs,
                notes[key],
                profile,
                cpath.child("securityContext", "appArmorProfile"),
                "apparmor",
            )


# --- os -----------------------------------------------------------------------------------------

_WINDOWS_POD = (
    ("securityContext", "appArmorProfile"),
    ("securityContext", "seLinuxOptions"),
    ("hostUsers",),
    ("hostPID",),
    ("hostIPC",),
    ("securityContext", "seccompProfile"),
    ("securityContext", "fsGroup"),
    ("securityContext", "fsGroupChangePolicy"),
    ("securityContext", "sysctls"),
    ("shareProcessNamespace",),
    ("securityContext", "runAsUser"),
    ("securityContext", "runAsGroup"),
    ("securityContext", "supplementalGroups"),
    ("securityContext", "supplementalGroupsPolicy"),
    ("securityContext", "seLinuxChangePolicy"),
)
_WINDOWS_CONTAINER = (
    "appArmorProfile",
    "seLinuxOptions",
    "seccompProfile",
    "capabilities",
    "readOnlyRootFilesystem",
    "privileged",
    "allowPrivilegeEscalation",
    "procMount",
    "runAsUser",
    "runAsGroup",
)


def _pod_field_set(spec: PodSpec, field: tuple[str, ...]) -> bool:
    sc = _map(spec.security_context)
    if field[0] == "securityContext":
        value = sc.get(field[1])
        if field[1] == "sysctls":
            return isinstance(value, tuple) and bool(value)
        return value is not None
    name = field[0]
    if name == "hostUsers":
        return spec.host_users is not None
    if name == "hostPID":
        return bool(spec.host_pid)
    if name == "hostIPC":
        return bool(spec.host_ipc)
    return spec.share_process_namespace is not None


def validate_os(errs: Errors, spec: PodSpec, path: FieldPath) -> None:
    """``validateOS``, then ``validateLinux`` or ``validateWindows``."""
    os = spec.os
    if not isinstance(os, FrozenMap):
        return
    name = _str(os.get("name"))
    if not name:
        errs.required(path.child("os", "name"), origin="os.name")
        return
    if name not in ("linux", "windows"):
        errs.not_supported(path.child("os"), name, ("linux", "windows"), "os.name")
        return
    if name == "linux":
        if _map(spec.security_context).get("windowsOptions") is not None:
            errs.forbidden(
                path.child("securityContext", "windowsOptions"),
                "windows options cannot be set for a linux pod",
            )
        for c, cpath in _visit(spec, path):
            if _map(c.security_context).get("windowsOptions") is not None:
                errs.forbidden(
                    cpath.child("securityContext", "windowsOptions"),
                    "windows options cannot be set for a linux pod",
                )
        return
    for field in _WINDOWS_POD:  # defaulting always sets a (pod) security context
        if _pod_field_set(spec, field):
            errs.forbidden(path.child(*field), "cannot be set for a windows pod")
    for c, cpath in _visit(spec, path):
        sc = c.security_context
        if not isinstance(sc, FrozenMap):
            continue
        for key in _WINDOWS_CONTAINER:
            if sc.get(key) is not None:
                errs.forbidden(
                    cpath.child("securityContext", key), "cannot be set for a windows pod"
                )
