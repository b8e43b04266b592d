"""The mutating admission of a fresh v1.35 cluster, as an explicit step: ``admit(pod) -> Pod``.

A real API server runs its admission plugins on a create request after decoding and v1
defaulting and before validation; a manifest ``kubectl apply`` accepts can therefore need what
they add (a projected ``serviceAccountToken`` volume is Forbidden without ``serviceAccountName``,
which the ServiceAccount plugin fills in). :func:`admit` returns the pod as the default plugin
chain of a fresh kubeadm or kind cluster leaves it, plugin by plugin in the server's order
(``pkg/kubeapiserver/options/plugins.go``, ``AllOrderedPlugins``); a plugin that would deny the
request raises :class:`AdmissionError` with the server's text.

>>> import podmodel
>>> pod = podmodel.loads('''
... apiVersion: v1
... kind: Pod
... metadata: {name: web}
... spec:
...   containers: [{name: c, image: nginx}]
... ''')
>>> out = admit(pod)
>>> out.spec.service_account_name, out.spec.priority, out.spec.volumes[0].name
('default', 0, 'kube-api-access-hj8mw')
>>> out.spec.containers[0].volume_mounts[0].mount_path
'/var/run/secrets/kubernetes.io/serviceaccount'
>>> admit(out) == out
True

The plugins, what they do to a plain pod in a fresh cluster, and the Go sources they follow are
in ``docs/explanation/admission.md``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any, Literal

import attrs

from podmodel.codec import to_dict
from podmodel.errors import PodmodelError, go_quote
from podmodel.model._frozen import FrozenMap, freeze, replace
from podmodel.model._typed import lookup
from podmodel.model.spec import (
    Container,
    OtherVolumeSource,
    Pod,
    Volume,
    VolumeMount,
)

__all__ = [
    "ADMISSION_ORDER",
    "API_TOKEN_MOUNT_PATH",
    "CHECKING",
    "DEFAULT_PLUGINS",
    "MIRROR_POD_ANNOTATION",
    "SYSTEM_PRIORITY_CLASSES",
    "AdmissionChange",
    "AdmissionError",
    "AdmissionResult",
    "ClusterFacts",
    "PriorityClass",
    "UnknownAdmissionPlugin",
    "admission",
    "admit",
    "token_volume_name",
]

API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
"""Where the ServiceAccount plugin mounts the API credentials (``DefaultAPITokenMountPath``)."""

MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
"""The annotation that marks a mirror pod (the kubelet's copy of a static pod)."""

_TOKEN_VOLUME_PREFIX = "kube-api-access-"
# names.SimpleNameGenerator: utilrand.String(5) over this alphabet (no vowels, no 0/1/3).
_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_DEFAULT_SERVICE_ACCOUNT = "default"
_NOT_READY = "node.kubernetes.io/not-ready"
_UNREACHABLE = "node.kubernetes.io/unreachable"
_PREEMPT_LOWER = "PreemptLowerPriority"


@attrs.frozen(kw_only=True)
class PriorityClass:
    """A ``scheduling.k8s.io/v1`` PriorityClass, as the Priority plugin reads it.

    Attributes:
        name: The class name pods refer to in ``priorityClassName``.
        value: The priority it gives.
        preemption_policy: The ``preemptionPolicy`` it gives (the API defaults it to
            ``PreemptLowerPriority``).
        global_default: Whether pods without a ``priorityClassName`` get this class.

    .. versionadded:: 0.2.0
    """

    name: str
    value: int
    preemption_policy: str = _PREEMPT_LOWER
    global_default: bool = False


SYSTEM_PRIORITY_CLASSES = (
    PriorityClass(name="system-node-critical", value=2000001000),
    PriorityClass(name="system-cluster-critical", value=2000000000),
)
"""The two classes every cluster creates at start-up (``SystemPriorityClasses``)."""


@attrs.frozen(kw_only=True)
class ClusterFacts:
    """The cluster objects the plugins consult, as a fresh kubeadm or kind cluster has them.

    Attributes:
        priority_classes: Every PriorityClass (default: the two system classes, no global
            default, so a pod without a class gets priority 0).
        runtime_classes: The names of the RuntimeClass objects (default: none).
        service_accounts: The ServiceAccount names of the pod's namespace, or ``None`` (the
            default) to assume the one the pod names exists. A fresh cluster has only
            ``default``; pass ``frozenset({"default"})`` to get the server's Forbidden for any
            other name.
        not_ready_toleration_seconds, unreachable_toleration_seconds: The kube-apiserver flags
            ``--default-not-ready-toleration-seconds`` and
            ``--default-unreachable-toleration-seconds`` (300 each).
        named_objects: What a PriorityClass or RuntimeClass the pod names, and these facts do
            not list, means: ``"refuse"`` (the default: a fresh cluster has none, so the server
            refuses the pod) or ``"assume"`` (it exists in the cluster the manifest is meant
            for: the RuntimeClass passes, and the PriorityClass's priority, which podmodel
            cannot know, is left unset). :data:`CHECKING` uses ``"assume"``.

    .. versionadded:: 0.2.0
    """

    priority_classes: tuple[PriorityClass, ...] = attrs.field(
        default=SYSTEM_PRIORITY_CLASSES, converter=tuple
    )
    runtime_classes: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
    service_accounts: frozenset[str] | None = attrs.field(
        default=None, converter=attrs.converters.optional(frozenset)
    )
    not_ready_toleration_seconds: int = 300
    unreachable_toleration_seconds: int = 300
    named_objects: Literal["refuse", "assume"] = "refuse"


CHECKING = ClusterFacts(named_objects="assume")
"""The facts :func:`podmodel.check` and ``podmodel check`` admit with: the cluster the manifest
is meant for, so every PriorityClass, RuntimeClass and ServiceAccount it names exists there."""


@attrs.frozen(kw_only=True)
class AdmissionChange:
    """One change a plugin made: the plugin, the field path and what it did.

    .. versionadded:: 0.2.0
    """

    plugin: str
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.plugin}: {self.path}: {self.detail}"


@attrs.frozen(kw_only=True)
class AdmissionResult:
    """What admission did to a pod.

    Attributes:
        pod: The pod as the mutating phase leaves it: what validation sees.
        changes: Every change, in the order the plugins made them.
        plugins: The plugins that ran, in the server's order.
        denial: A refusal of the *validating* phase, which the server only reports when field
            validation passes (so raise it after :func:`~podmodel.validate` finds no error), or
            ``None``.

    .. versionadded:: 0.2.0
    """

    pod: Pod
    changes: tuple[AdmissionChange, ...] = ()
    plugins: tuple[str, ...] = ()
    denial: AdmissionError | None = attrs.field(default=None, eq=False)


class AdmissionError(PodmodelError, ValueError):
    """An admission plugin denied the request; ``str()`` is the server's message.

    Attributes:
        plugin: The plugin's name (``Priority``, ``ServiceAccount``, ``RuntimeClass``).
        reason: The HTTP status reason (``Forbidden``, 403).
        detail: The plugin's own text, after ``is forbidden:``.
        name: The name the message shows: ``metadata.name``, else ``generateName`` (the name
            is generated after admission), else ``Unknown`` (``extractResourceName``).
        phase: ``"mutating"`` (the denial comes before field validation) or ``"validating"``
            (after it: the server reports validation errors first).

    .. versionadded:: 0.2.0
    """

    def __init__(
        self, plugin: str, detail: str, *, name: str = "Unknown", phase: str = "mutating"
    ) -> None:
        self.plugin = plugin
        self.reason = "Forbidden"
        self.detail = detail
        self.name = name
        self.phase = phase
        super().__init__(f"pods {go_quote(name)} is forbidden: {detail}")

    def kubectl_message(self, filename: str = "pod.yaml") -> str:
        """What ``kubectl apply -f FILENAME`` prints for this denial."""
        return f'Error from server (Forbidden): error when creating "{filename}": {self}'

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.plugin, self.detail, self.name, self.phase))


def _rebuild(plugin: str, detail: str, name: str, phase: str) -> AdmissionError:
    return AdmissionError(plugin, detail, name=name, phase=phase)


class UnknownAdmissionPlugin(PodmodelError, ValueError):
    """A plugin name podmodel does not know was asked for.

    .. versionadded:: 0.2.0
    """

    def __init__(self, name: str) -> None:
        self.plugin = name
        super().__init__(
            f"unknown admission plugin {name!r}: known plugins are " + ", ".join(ADMISSION_ORDER)
        )


@attrs.frozen(kw_only=True)
class _Request:
    name: str
    namespace: str
    cluster: ClusterFacts


_Changes = list[AdmissionChange]
_Step = Callable[[Pod, _Request, _Changes], Pod]


# --- ServiceAccount (plugin/pkg/admission/serviceaccount/admission.go) -----------------------


def token_volume_name(pod: Pod) -> str:
    """The ``kube-api-access-<5 characters>`` name podmodel gives the token volume of *pod*.

    The server draws the 5 characters at random (``names.SimpleNameGenerator``, alphabet
    ``bcdfghjklmnpqrstvwxz2456789``). podmodel takes them from the SHA-256 of the pod's manifest
    (``to_dict``, keys sorted), one byte per character modulo 27: the same pod always gets the
    same name, different pods almost always different ones.

    >>> import podmodel
    >>> token_volume_name(podmodel.Pod())
    'kube-api-access-sdfw6'
    """
    text = json.dumps(to_dict(pod), sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(text.encode()).digest()
    suffix = "".join(_NAME_ALPHABET[b % len(_NAME_ALPHABET)] for b in digest[:5])
    return _TOKEN_VOLUME_PREFIX + suffix


# TokenVolumeSource(): defaultMode 420 set explicitly (kubernetes#104464).
_TOKEN_SOURCE = OtherVolumeSource(
    kind="projected",
    fields=freeze(
        {
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {
                    "configMap": {
                        "name": "kube-root-ca.crt",
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                    }
                },
                {
                    "downwardAPI": {
                        "items": [
                            {
                                "path": "namespace",
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                            }
                        ]
                    }
                },
            ],
            "defaultMode": 420,
        }
    ),
)


def _secret_refs(pod: Pod) -> bool:
    """Whether the pod names any Secret (``podutil.VisitPodSecretNames``, all containers)."""
    spec = pod.spec
    if spec.image_pull_secrets:
        return True
    for _, _, c in spec.all_containers():
        if any(ef.get("secretRef") is not None for ef in c.env_from):
            return True
        for e in c.env:
            vf = e.value_from
            if isinstance(vf, FrozenMap) and vf.get("secretKeyRef") is not None:
                return True
    for vol in spec.volumes:
        for src in vol.sources:
            fields = getattr(src, "fields", None)
            if not isinstance(fields, FrozenMap):
                continue
            if src.kind == "projected":
                projections = fields.get("sources")
                for proj in projections if isinstance(projections, tuple) else ():
                    if isinstance(proj, FrozenMap) and proj.get("secret") is not None:
                        return True
            # secret, azureFile.secretName; cephfs, cinder, flexVolume, rbd, iscsi, scaleIO,
            # storageos .secretRef; csi.nodePublishSecretRef
            elif src.kind in ("secret", "azureFile") or (
                fields.get("secretRef") is not None or fields.get("nodePublishSecretRef")
            ):
                return True
    return False


def _mirror_pod(pod: Pod, account: str, req: _Request) -> None:
    """``Validate`` for mirror pods: no service account, no secrets, no token projection."""
    if account:
        raise AdmissionError(
            "ServiceAccount", "a mirror pod may not reference service accounts", name=req.name
        )
    if _secret_refs(pod):
        raise AdmissionError(
            "ServiceAccount", "a mirror pod may not reference secrets", name=req.name
        )
    for vol in pod.spec.volumes:
        for src in vol.sources:
            fields = getattr(src, "fields", None)
            if src.kind != "projected" or not isinstance(fields, FrozenMap):
                continue
            projections = fields.get("sources")
            for proj in projections if isinstance(projections, tuple) else ():
                if isinstance(proj, FrozenMap) and proj.get("serviceAccountToken") is not None:
                    raise AdmissionError(
                        "ServiceAccount",
                        "a mirror pod may not use ServiceAccountToken volume projections",
                        name=req.name,
                    )


def _mount_token(containers: tuple[Container, ...], mount: VolumeMount) -> tuple[Container, ...]:
    out = []
    for c in containers:
        if any(m.mount_path == API_TOKEN_MOUNT_PATH for m in c.volume_mounts):
            out.append(c)
        else:
            out.append(replace(c, volume_mounts=(*c.volume_mounts, mount)))
    return tuple(out)


def _service_account(pod: Pod, req: _Request, changes: _Changes) -> Pod:
    spec = pod.spec
    deprecated = spec.service_account
    # v1 -> internal conversion: serviceAccountName wins, else the deprecated serviceAccount.
    account = spec.service_account_name or (deprecated if isinstance(deprecated, str) else "")
    if MIRROR_POD_ANNOTATION in pod.metadata.annotations:
        _mirror_pod(pod, account, req)
        return pod
    if not account:
        account = _DEFAULT_SERVICE_ACCOUNT
        changes.append(
            AdmissionChange(
                plugin="ServiceAccount", path="spec.serviceAccountName", detail='set to "default"'
            )
        )
    known = req.cluster.service_accounts
    if known is not None and account not in known:
        raise AdmissionError(
            "ServiceAccount",
            f"error looking up service account {req.namespace}/{account}: "
            f"serviceaccount {go_quote(account)} not found",
            name=req.name,
        )
    # internal -> v1 conversion writes both fields
    spec = replace(
        spec,
        service_account_name=account,
        service_account=account,
        extra=spec.extra.delete("serviceAccount"),  # (a written null)
    )
    automount = spec.automount_service_account_token
    if automount is False:
        return replace(pod, spec=spec)
    existing = next(
        (v.name for v in spec.volumes if (v.name or "").startswith(_TOKEN_VOLUME_PREFIX)), None
    )
    volume_name = existing or token_volume_name(pod)
    mount = VolumeMount(name=volume_name, read_only=True, mount_path=API_TOKEN_MOUNT_PATH)
    init = _mount_token(spec.init_containers, mount)
    apps = _mount_token(spec.containers, mount)
    for kind, before, after in (
        ("initContainers", spec.init_containers, init),
        ("containers", spec.containers, apps),
    ):
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            if a is not b:
                changes.append(
                    AdmissionChange(
                        plugin="ServiceAccount",
                        path=f"spec.{kind}[{i}].volumeMounts[{len(b.volume_mounts)}]",
                        detail=f"mounted {volume_name} read-only at {API_TOKEN_MOUNT_PATH}",
                    )
                )
    needs_volume = init != spec.init_containers or apps != spec.containers
    volumes = spec.volumes
    if existing is None and needs_volume:
        volumes = (*volumes, Volume(name=volume_name, sources=(_TOKEN_SOURCE,)))
        changes.append(
            AdmissionChange(
                plugin="ServiceAccount",
                path=f"spec.volumes[{len(spec.volumes)}]",
                detail=f"added the projected volume {volume_name} (token, kube-root-ca.crt, "
                "namespace)",
            )
        )
    spec = replace(spec, init_containers=init, containers=apps, volumes=volumes)
    return replace(pod, spec=spec)


# --- Priority (plugin/pkg/admission/priority/admission.go) ------------------------------------


def _priority(pod: Pod, req: _Request, changes: _Changes) -> Pod:
    spec = pod.spec
    classes = req.cluster.priority_classes
    wanted = spec.priority_class_name or ""
    if not wanted:
        defaults = [pc for pc in classes if pc.global_default]
        chosen = min(defaults, key=lambda pc: pc.value) if defaults else None
        name = chosen.name if chosen else ""
        value = chosen.value if chosen else 0
        policy = chosen.preemption_policy if chosen else _PREEMPT_LOWER
    else:
        found = next((pc for pc in classes if pc.name == wanted), None)
        if found is None and req.cluster.named_objects == "assume":
            changes.append(
                AdmissionChange(
                    plugin="Priority",
                    path="spec.priorityClassName",
                    detail=f"{wanted} assumed to exist (its priority is not known)",
                )
            )
            return pod
        if found is None:
            raise AdmissionError(
                "Priority", f"no PriorityClass with name {wanted} was found", name=req.name
            )
        name, value, policy = wanted, found.value, found.preemption_policy
    given = spec.priority
    if given is not None and given != value:
        raise AdmissionError(
            "Priority",
            f"the integer value of priority ({given}) must not be provided in pod spec; "
            f"priority admission controller computed {value} from the given PriorityClass name",
            name=req.name,
        )
    given_policy = spec.preemption_policy
    if given_policy is not None and given_policy != policy:
        raise AdmissionError(
            "Priority",
            f"the string value of PreemptionPolicy ({given_policy}) must not be provided in pod "
            f"spec; priority admission controller computed {policy} from the given "
            "PriorityClass name",
            name=req.name,
        )
    if given != value:
        changes.append(AdmissionChange(plugin="Priority", path="spec.priority", detail=f"{value}"))
    if given_policy != policy:
        changes.append(
            AdmissionChange(plugin="Priority", path="spec.preemptionPolicy", detail=policy)
        )
    if name and name != wanted:
        changes.append(
            AdmissionChange(
                plugin="Priority",
                path="spec.priorityClassName",
                detail=f"{name} (the global default)",
            )
        )
        spec = replace(spec, priority_class_name=name)
    extra = spec.extra.delete("priority").delete("preemptionPolicy")  # (a written null)
    spec = replace(spec, priority=value, preemption_policy=policy, extra=extra)
    return replace(pod, spec=spec)


# --- DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds/admission.go) ---


def _tolerates(tolerations: Iterable[Any], key: str) -> bool:
    for t in tolerations:
        if not isinstance(t, FrozenMap):
            continue
        t_key, effect = t.get("key") or "", t.get("effect") or ""
        if t_key in ("", key) and effect in ("", "NoExecute"):
            return True
    return False


def _default_toleration_seconds(pod: Pod, req: _Request, changes: _Changes) -> Pod:
    spec = pod.spec
    tolerations = spec.tolerations
    added = []
    for key, seconds in (
        (_NOT_READY, req.cluster.not_ready_toleration_seconds),
        (_UNREACHABLE, req.cluster.unreachable_toleration_seconds),
    ):
        if not _tolerates(tolerations, key):
            added.append(
                lookup("Toleration")(
                    key=key, operator="Exists", effect="NoExecute", toleration_seconds=seconds
                )
            )
            changes.append(
                AdmissionChange(
                    plugin="DefaultTolerationSeconds",
                    path=f"spec.tolerations[{len(tolerations) + len(added) - 1}]",
                    detail=f"tolerate {key}:NoExecute for {seconds}s",
                )
            )
    if not added:
        return pod
    extra = spec.extra.delete("tolerations")  # (written null or empty)
    return replace(pod, spec=replace(spec, tolerations=(*tolerations, *added), extra=extra))


# --- RuntimeClass (plugin/pkg/admission/runtimeclass/admission.go) ----------------------------


def _runtime_class(pod: Pod, req: _Request, changes: _Changes) -> Pod:
    del changes  # podmodel's RuntimeClass facts carry no overhead or scheduling to copy
    spec = pod.spec
    if spec.runtime_class_name is not None:
        rc = spec.runtime_class_name
        if rc not in req.cluster.runtime_classes and req.cluster.named_objects == "refuse":
            raise AdmissionError(
                "RuntimeClass",
                f"pod rejected: RuntimeClass {go_quote(str(rc))} not found",
                name=req.name,
            )
    return pod


def _runtime_class_validate(pod: Pod, req: _Request) -> AdmissionError | None:
    """``Validate``, after field validation: no RuntimeClass here defines an Overhead (an
    assumed one might)."""
    assumed = req.cluster.named_objects == "assume" and pod.spec.runtime_class_name
    if pod.spec.overhead and not assumed:
        return AdmissionError(
            "RuntimeClass",
            "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead",
            name=req.name,
            phase="validating",
        )
    return None


def _no_op(pod: Pod, req: _Request, changes: _Changes) -> Pod:
    del req, changes
    return pod


ADMISSION_ORDER = (
    "NamespaceLifecycle",
    "LimitRanger",
    "ServiceAccount",
    "NodeRestriction",
    "TaintNodesByCondition",
    "PodSecurity",
    "Priority",
    "DefaultTolerationSeconds",
    "RuntimeClass",
    "ResourceQuota",
)
"""The default-on plugins that look at a pod, in ``AllOrderedPlugins`` order (kubeadm and kind
add ``NodeRestriction``). The others of the default set act on other resources only."""

DEFAULT_PLUGINS = ADMISSION_ORDER
"""What :func:`admit` runs unless told otherwise: all of :data:`ADMISSION_ORDER`."""

_STEPS: dict[str, _Step] = {
    # No-ops for a pod created by a user in a fresh cluster (see docs/explanation/admission.md):
    "NamespaceLifecycle": _no_op,  # the namespace is assumed to exist and not be terminating
    "LimitRanger": _no_op,  # no LimitRange objects
    "NodeRestriction": _no_op,  # only requests made by a kubelet (system:node:*)
    "TaintNodesByCondition": _no_op,  # Node objects only
    "PodSecurity": _no_op,  # the default level is privileged: everything allowed, no warning
    "ResourceQuota": _no_op,  # no ResourceQuota objects
    "ServiceAccount": _service_account,
    "Priority": _priority,
    "DefaultTolerationSeconds": _default_toleration_seconds,
    "RuntimeClass": _runtime_class,
}
# The validating phase (after field validation): the plugins whose Validate can refuse a pod
# the mutating phase let through.
_VALIDATORS: dict[str, Callable[[Pod, _Request], AdmissionError | None]] = {
    "RuntimeClass": _runtime_class_validate,
}


def admission(
    pod: Pod,
    *,
    plugins: Iterable[str] = DEFAULT_PLUGINS,
    cluster: ClusterFacts | None = None,
    namespace: str = "default",
) -> AdmissionResult:
    """Run the admission *plugins* on *pod* (in the server's order, whatever order they are
    given in) and report every change.

    Args:
        pod: The pod as decoded (admission sees it after v1 defaulting, which changes nothing
            any plugin here reads).
        plugins: Names from :data:`ADMISSION_ORDER` (or one name); ``()`` runs none.
        cluster: The objects the plugins consult; default: a fresh cluster's.
        namespace: The request's namespace when ``metadata.namespace`` is empty.

    Raises:
        AdmissionError: A plugin denied the request in the mutating phase (the chain stops at
            the first denial). A refusal of the validating phase is returned as ``denial``.
        UnknownAdmissionPlugin: A name in *plugins* is not one of :data:`ADMISSION_ORDER`.
    """
    chosen = (plugins,) if isinstance(plugins, str) else tuple(plugins)
    for name in chosen:
        if name not in _STEPS:
            raise UnknownAdmissionPlugin(name)
    req = _Request(
        name=pod.metadata.name or pod.metadata.generate_name or "Unknown",
        namespace=pod.metadata.namespace or namespace,
        cluster=cluster or ClusterFacts(),
    )
    changes: _Changes = []
    ran = tuple(name for name in ADMISSION_ORDER if name in chosen)
    for name in ran:
        pod = _STEPS[name](pod, req, changes)
    denial = None
    for name in ran:
        check = _VALIDATORS.get(name)
        denial = check(pod, req) if check else None
        if denial is not None:
            break
    return AdmissionResult(pod=pod, changes=tuple(changes), plugins=ran, denial=denial)


def admit(
    pod: Pod,
    *,
    plugins: Iterable[str] = DEFAULT_PLUGINS,
    cluster: ClusterFacts | None = None,
    namespace: str = "default",
) -> Pod:
    """The pod as a fresh v1.35 cluster's admission chain leaves it, before validation.

    A new value: *pod* is never changed. ``admit(admit(p)) == admit(p)``. See
    :func:`admission` for the arguments, the list of changes and the refusals that come after
    field validation (not raised here).

    Raises:
        AdmissionError: A plugin denied the request in the mutating phase, with the server's
            message.
        UnknownAdmissionPlugin: A name in *plugins* is not one of :data:`ADMISSION_ORDER`.

    >>> import podmodel
    >>> pod = podmodel.from_dict({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
    ...     "spec": {"priorityClassName": "high", "containers": [{"name": "c", "image": "i"}]}})
    >>> admit(pod)
    Traceback (most recent call last):
      ...
    podmodel.apiserver.admission.AdmissionError: pods "x" is forbidden: no PriorityClass with name high was found
    >>> admit(pod, plugins=()) == pod
    True
    """
    return admission(pod, plugins=plugins, cluster=cluster, namespace=namespace).pod
