"""ConfigMaps and Secrets on the node, and what the kubelet makes of them (private).

The objects themselves (:class:`ConfigMap`, :class:`Secret`, :func:`config_object`) and the two
places the kubelet reads them, with its rules and messages (v1.35):

* **volumes** (``pkg/volume/configmap/configmap.go``, ``secret/secret.go``,
  ``projected/projected.go``, ``downwardapi/downwardapi.go``, ``MakePayload``): every key, or the
  ``items`` asked for, as files with ``defaultMode``/``mode`` (0644 by default); a missing object
  fails the set-up (``configmap "x" not found``, as the kubelet's watch-based manager words it)
  unless ``optional``; a missing item key fails with ``configmap references non-existent config
  key: k`` / ``references non-existent secret key: k``. The operation generator prefixes
  ``MountVolume.SetUp failed for volume "v" : ``.
* **environment** (``pkg/kubelet/kubelet_pods.go``, ``makeEnvironmentVariables``): ``envFrom``
  first (with its ``prefix``), then ``env`` in order; ``configMapKeyRef``/``secretKeyRef`` and
  ``fieldRef``. A missing object or key (not ``optional``) makes the container wait with
  ``CreateContainerConfigError``: ``configmap "x" not found``, ``couldn't find key k in ConfigMap
  ns/x``, ``couldn't find key k in Secret ns/x``.

A fresh cluster has, in every namespace, the ``kube-root-ca.crt`` ConfigMap (published by the
controller manager's root-ca-cert-publisher) and the ``default`` ServiceAccount (made by its
serviceaccounts controller), and both controllers make them again when they are deleted:
:func:`cluster_lookup` adds them to the node's objects. A projected ``serviceAccountToken``
source gets a token from the API server's TokenRequest for the pod's ServiceAccount
(:func:`service_account_token`: JWT-shaped, with the real claims, but not signed); a missing
ServiceAccount fails with the token manager's ``failed to fetch token: serviceaccounts "x" not
found``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from podmodel.errors import PodmodelError
from podmodel.kernel._tree import FileTree
from podmodel.kubelet.shell import EPOCH
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.model.spec import Container, Pod

__all__ = [
    "CONFIG_KINDS",
    "ROOT_CA",
    "ROOT_CA_CERT",
    "SYNC_DELAY",
    "TOKEN_AUDIENCE",
    "ConfigError",
    "ConfigMap",
    "ConfigObject",
    "Secret",
    "ServiceAccount",
    "cluster_lookup",
    "config_object",
    "container_env",
    "expand",
    "service_account_token",
    "volume_payload",
    "volume_refs",
]

#: How long a change to a ConfigMap or Secret takes to reach the volumes that mount it: the
#: kubelet's sync period (``syncFrequency``, 1 minute) plus its cache's propagation (podmodel
#: takes the whole minute, from the change).
SYNC_DELAY = 60.0
#: Volume sources the kubelet fills from the API server (and mounts read-only).
CONFIG_KINDS = ("configMap", "secret", "projected", "downwardAPI")
_DEFAULT_MODE = 0o644


class ConfigError(PodmodelError, ValueError):
    """A ConfigMap or Secret that cannot be applied (not one, or malformed)."""


class _Missing(Exception):
    """Internal: a missing object or key, with the kubelet's message."""


def _strmap(value: Any, what: str) -> FrozenMap[str, str]:
    if value is None:
        return FrozenMap()
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(f"{what} must map strings to strings")
    return FrozenMap(dict(value))


def _bytesmap(value: Any, what: str) -> FrozenMap[str, bytes]:
    if value is None:
        return FrozenMap()
    if not isinstance(value, Mapping):
        raise ConfigError(f"{what} must be a map")
    out: dict[str, bytes] = {}
    for k, v in value.items():
        if isinstance(v, bytes):
            out[str(k)] = v
        elif isinstance(v, str):
            try:
                out[str(k)] = base64.b64decode(v, validate=True)
            except (binascii.Error, ValueError):
                raise ConfigError(f"{what}[{k}]: illegal base64 data") from None
        else:
            raise ConfigError(f"{what}[{k}] must be base64 text or bytes")
    return FrozenMap(out)


def _data_text(value: object) -> FrozenMap[str, str]:
    return _strmap(value, "data")


def _binary_data(value: object) -> FrozenMap[str, bytes]:
    return _bytesmap(value, "binaryData")


def _secret_data(value: object) -> FrozenMap[str, bytes]:
    return _bytesmap(value, "data")


def _string_data(value: object) -> FrozenMap[str, str]:
    return _strmap(value, "stringData")


@attrs.frozen(kw_only=True)
class ConfigMap:
    """A ConfigMap: ``data`` (text) and ``binary_data`` (bytes; base64 text is decoded)."""

    name: str
    namespace: str = "default"
    data: FrozenMap[str, str] = attrs.field(factory=FrozenMap, converter=_data_text)
    binary_data: FrozenMap[str, bytes] = attrs.field(factory=FrozenMap, converter=_binary_data)

    kind: ClassVar[str] = "ConfigMap"

    @property
    def files(self) -> dict[str, bytes]:
        """Every key's content, as the volume holds it."""
        return {**{k: v.encode() for k, v in self.data.items()}, **dict(self.binary_data)}


@attrs.frozen(kw_only=True)
class Secret:
    """A Secret: ``data`` is base64 text as in the API (decoded here; ``bytes`` are taken as
    they are), ``string_data`` plain text that wins over ``data``, as the API server merges it."""

    name: str
    namespace: str = "default"
    data: FrozenMap[str, bytes] = attrs.field(factory=FrozenMap, converter=_secret_data)
    string_data: FrozenMap[str, str] = attrs.field(factory=FrozenMap, converter=_string_data)
    type: str = "Opaque"

    kind: ClassVar[str] = "Secret"

    @property
    def files(self) -> dict[str, bytes]:
        """Every key's decoded content."""
        return {**dict(self.data), **{k: v.encode() for k, v in self.string_data.items()}}


@attrs.frozen(kw_only=True)
class ServiceAccount:
    """A ServiceAccount: the identity a pod's API tokens are issued for (it holds no keys)."""

    name: str
    namespace: str = "default"

    kind: ClassVar[str] = "ServiceAccount"

    @property
    def uid(self) -> str:
        """Its UID (derived from its namespace and name: the same on every run)."""
        h = hashlib.sha256(f"ServiceAccount/{self.namespace}/{self.name}".encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"

    @property
    def files(self) -> dict[str, bytes]:
        """None: a ServiceAccount is not mounted as files."""
        return {}


#: What the node holds: ConfigMaps, Secrets and ServiceAccounts.
ConfigObject = ConfigMap | Secret | ServiceAccount


def config_object(obj: object) -> ConfigObject:
    """*obj* as a :class:`ConfigMap`, :class:`Secret` or :class:`ServiceAccount` (a manifest
    dict is decoded).

    Raises:
        ConfigError: *obj* is none of them, or is malformed.
    """
    if isinstance(obj, ConfigMap | Secret | ServiceAccount):
        return obj
    if not isinstance(obj, Mapping):
        raise ConfigError(
            f"expected a ConfigMap, Secret or ServiceAccount, got {type(obj).__name__}"
        )
    kind = obj.get("kind")
    meta = obj.get("metadata") or {}
    name = meta.get("name") if isinstance(meta, Mapping) else None
    if not isinstance(name, str) or not name:
        raise ConfigError("metadata.name: Required value")
    namespace = meta.get("namespace") or "default"
    if kind == "ConfigMap":
        return ConfigMap(
            name=name,
            namespace=namespace,
            data=obj.get("data"),
            binary_data=obj.get("binaryData"),
        )
    if kind == "Secret":
        return Secret(
            name=name,
            namespace=namespace,
            data=obj.get("data"),
            string_data=obj.get("stringData"),
            type=obj.get("type") or "Opaque",
        )
    if kind == "ServiceAccount":
        return ServiceAccount(name=name, namespace=namespace)
    raise ConfigError(f'kind must be "ConfigMap", "Secret" or "ServiceAccount", not {kind!r}')


Lookup = Mapping[str, ConfigObject]

#: The ConfigMap the root-ca-cert-publisher puts in every namespace, and the key it holds.
ROOT_CA = "kube-root-ca.crt"
#: Its ``ca.crt``: PEM-shaped, not a real certificate (podmodel verifies nothing with it).
ROOT_CA_CERT = (
    "-----BEGIN CERTIFICATE-----\n"
    + "\n".join(
        base64.b64encode(hashlib.sha512(f"podmodel-ca-{i}".encode()).digest()).decode()[:64]
        for i in range(6)
    )
    + "\n-----END CERTIFICATE-----\n"
)
#: The audience of a token whose source names none: the API server's own
#: (``--api-audiences``, which kubeadm and kind set to the issuer).
TOKEN_AUDIENCE = "https://kubernetes.default.svc.cluster.local"
#: ``WarnOnlyBoundTokenExpirationSeconds`` (the admission plugin's token) and the year the API
#: server extends such a token to (``--service-account-extend-token-expiration``).
_WARN_ONLY_EXPIRATION = 3607
_EXTENDED_EXPIRATION = 365 * 24 * 3600


class _ClusterObjects(Mapping[str, ConfigObject]):
    """The node's objects plus what every namespace of a fresh cluster has."""

    def __init__(self, configs: Lookup) -> None:
        self._configs = configs

    def __getitem__(self, key: str) -> ConfigObject:
        found = self._configs.get(key)
        if found is not None:
            return found
        kind, _, rest = key.partition("/")
        namespace, _, name = rest.partition("/")
        if kind == "ConfigMap" and name == ROOT_CA:
            return ConfigMap(name=ROOT_CA, namespace=namespace, data={"ca.crt": ROOT_CA_CERT})
        if kind == "ServiceAccount" and name == "default":
            return ServiceAccount(name="default", namespace=namespace)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._configs)

    def __len__(self) -> int:
        return len(self._configs)


def cluster_lookup(configs: Lookup, *, cluster_objects: bool = True) -> Lookup:
    """*configs*, plus (with *cluster_objects*) ``kube-root-ca.crt`` and the ``default``
    ServiceAccount in every namespace, as a fresh cluster's controllers keep them.

    >>> cluster_lookup({})["ServiceAccount/team-a/default"].name
    'default'
    """
    return _ClusterObjects(configs) if cluster_objects else configs


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def service_account_token(
    pod: Pod, uid: str, account: ServiceAccount, *, audience: str, expiration: int, now: float
) -> str:
    """The token the kubelet writes for a projected ``serviceAccountToken`` source: a JWT
    (``header.payload.signature``, base64url) whose payload holds the claims the API server's
    TokenRequest puts there (``aud``, ``exp``, ``iat``, ``iss``, ``kubernetes.io`` with the
    namespace, pod and ServiceAccount, ``nbf``, ``sub``). Deterministic, and **not signed**:
    the signature is a hash of the rest, which no API server would accept. A 3607 s request
    (the admission plugin's) is extended to a year, with ``warnafter`` at 3607 s."""
    iat = EPOCH + int(now)
    namespace = pod.metadata.namespace or "default"
    exp = expiration if expiration != _WARN_ONLY_EXPIRATION else _EXTENDED_EXPIRATION
    claims: dict[str, Any] = {
        "aud": [audience],
        "exp": iat + exp,
        "iat": iat,
        "iss": TOKEN_AUDIENCE,
        "jti": hashlib.sha256(f"{uid}/{account.uid}/{iat}".encode()).hexdigest()[:36],
        "kubernetes.io": {
            "namespace": namespace,
            "pod": {"name": pod.name, "uid": uid},
            "serviceaccount": {"name": account.name, "uid": account.uid},
        },
        "nbf": iat,
        "sub": f"system:serviceaccount:{namespace}:{account.name}",
    }
    if expiration == _WARN_ONLY_EXPIRATION:
        claims["kubernetes.io"]["warnafter"] = iat + expiration
    header = _b64(json.dumps({"alg": "RS256", "kid": "podmodel"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hashlib.sha512(f"{header}.{payload}".encode()).digest() * 4)
    return f"{header}.{payload}.{signature}"


def _key(kind: str, namespace: str, name: str) -> str:
    return f"{kind}/{namespace}/{name}"


def _get(configs: Lookup, kind: str, namespace: str, name: str) -> ConfigObject:
    found = configs.get(_key(kind, namespace, name))
    if found is None:
        raise _Missing(f'{kind.lower()} "{name}" not found')
    return found


def _field(pod: Pod, uid: str, path: str) -> str | None:
    meta = pod.metadata
    simple = {
        "metadata.name": pod.name,
        "metadata.namespace": meta.namespace or "default",
        "metadata.uid": uid,
        "spec.serviceAccountName": pod.spec.service_account_name or "default",
    }
    if path in simple:
        return simple[path]
    for prefix, values in (
        ("metadata.labels", meta.labels),
        ("metadata.annotations", meta.annotations),
    ):
        if path == prefix:
            return "\n".join(
                f"{k}={json.dumps(values[k], ensure_ascii=False)}" for k in sorted(values)
            )
        if path.startswith(prefix + "['") and path.endswith("']"):
            return str(values.get(path[len(prefix) + 2 : -2], ""))
    return None


def _items(fields: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = fields.get("items") or ()
    return [i for i in items if isinstance(i, Mapping)]


def _keyed(
    files: dict[str, bytes], fields: Mapping[str, Any], mode: int, optional: bool, missing: str
) -> dict[str, tuple[bytes, int]]:
    items = _items(fields)
    if not items:
        return {k: (v, mode) for k, v in files.items()}
    out: dict[str, tuple[bytes, int]] = {}
    for item in items:
        key = str(item.get("key", ""))
        if key not in files:
            if optional:
                continue
            raise _Missing(f"{missing}: {key}")
        item_mode = item.get("mode")
        out[str(item.get("path", key))] = (
            files[key],
            item_mode if isinstance(item_mode, int) else mode,
        )
    return out


def _source_payload(
    kind: str,
    fields: Mapping[str, Any],
    pod: Pod,
    uid: str,
    configs: Lookup,
    mode: int,
    now: float = 0.0,
) -> dict[str, tuple[bytes, int]]:
    namespace = pod.metadata.namespace or "default"
    optional = bool(fields.get("optional"))
    if kind == "serviceAccountToken":  # TokenRequest, through the kubelet's token manager
        account_name = pod.spec.service_account_name or "default"
        try:
            account = _get(configs, "ServiceAccount", namespace, account_name)
        except _Missing:
            raise _Missing(
                f'failed to fetch token: serviceaccounts "{account_name}" not found'
            ) from None
        assert isinstance(account, ServiceAccount)
        expiration = fields.get("expirationSeconds")
        token = service_account_token(
            pod,
            uid,
            account,
            audience=str(fields.get("audience") or TOKEN_AUDIENCE),
            expiration=expiration if isinstance(expiration, int) else 3600,
            now=now,
        )
        return {str(fields.get("path", "")): (token.encode(), mode)}
    if kind in ("configMap", "secret"):
        name_field = "name" if kind == "configMap" else "secretName"
        if kind == "secret" and "secretName" not in fields:
            name_field = "name"  # a projected secret names it "name"
        name = str(fields.get(name_field, ""))
        api_kind = "ConfigMap" if kind == "configMap" else "Secret"
        try:
            obj = _get(configs, api_kind, namespace, name)
        except _Missing:
            if optional:
                return {}
            raise
        missing = (
            "configmap references non-existent config key"
            if kind == "configMap"
            else "references non-existent secret key"
        )
        return _keyed(obj.files, fields, mode, optional, missing)
    if kind == "downwardAPI":
        out: dict[str, tuple[bytes, int]] = {}
        for item in _items(fields):
            ref = item.get("fieldRef")
            value = (
                _field(pod, uid, str(ref.get("fieldPath", "")))
                if isinstance(ref, Mapping)
                else None
            )
            item_mode = item.get("mode")
            out[str(item.get("path", ""))] = (
                (value or "").encode(),
                item_mode if isinstance(item_mode, int) else mode,
            )
        return out
    return {}


def volume_payload(
    kind: str,
    fields: Mapping[str, Any],
    pod: Pod,
    uid: str,
    configs: Lookup,
    *,
    now: float = 0.0,
) -> dict[str, tuple[bytes, int]] | str:
    """The files (path → (content, mode)) of a configMap, secret, downwardAPI or projected
    volume (a ``serviceAccountToken`` source gets a token issued at *now*), or the kubelet's
    error when it cannot be set up."""
    mode = fields.get("defaultMode")
    mode = mode if isinstance(mode, int) else _DEFAULT_MODE
    try:
        if kind != "projected":
            return _source_payload(kind, fields, pod, uid, configs, mode)
        out: dict[str, tuple[bytes, int]] = {}
        errors: list[str] = []
        for source in fields.get("sources") or ():
            if not isinstance(source, Mapping):
                continue
            for sub_kind in ("configMap", "secret", "downwardAPI", "serviceAccountToken"):
                sub = source.get(sub_kind)
                if isinstance(sub, Mapping):
                    try:
                        out.update(_source_payload(sub_kind, sub, pod, uid, configs, mode, now))
                    except _Missing as exc:
                        errors.append(str(exc))
        if errors:  # utilerrors.NewAggregate
            return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        return out
    except _Missing as exc:
        return str(exc)


def volume_refs(kind: str, fields: Mapping[str, Any], namespace: str) -> tuple[str, ...]:
    """The config objects a volume is filled from (``ConfigMap/ns/name`` keys)."""
    pairs: list[tuple[str, Mapping[str, Any]]] = []
    if kind == "projected":
        for source in fields.get("sources") or ():
            if isinstance(source, Mapping):
                pairs.extend(
                    (k, source[k])
                    for k in ("configMap", "secret")
                    if isinstance(source.get(k), Mapping)
                )
    elif kind in ("configMap", "secret"):
        pairs.append((kind, fields))
    refs = []
    for sub_kind, sub in pairs:
        name = sub.get("secretName", sub.get("name")) if sub_kind == "secret" else sub.get("name")
        refs.append(
            _key("ConfigMap" if sub_kind == "configMap" else "Secret", namespace, str(name))
        )
    return tuple(refs)


def fill(payload: dict[str, tuple[bytes, int]]) -> FileTree:
    """A volume's file tree holding *payload*."""
    tree = FileTree()
    for path, (data, mode) in sorted(payload.items()):
        full = "/" + path.lstrip("/")
        tree = tree.write(full, data, parents=True).chmod(full, mode & 0o7777)
    return tree


def container_env(
    container: Container, pod: Pod, uid: str, configs: Lookup, extra: Mapping[str, str]
) -> tuple[tuple[str, str], ...] | str:
    """The variables the container's ``envFrom`` and ``env`` give it, in the kubelet's order, or
    the kubelet's error (the container then waits with ``CreateContainerConfigError``).

    *extra*: the values of ``fieldRef`` paths the pod alone does not hold (``status.podIP``,
    ``spec.nodeName``, ``status.hostIP``).
    """
    namespace = pod.metadata.namespace or "default"
    env: dict[str, str] = {}
    try:
        for source in container.env_from:
            if not isinstance(source, Mapping):
                continue
            prefix = str(source.get("prefix") or "")
            for api_kind, field in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                ref = source.get(field)
                if not isinstance(ref, Mapping):
                    continue
                try:
                    obj = _get(configs, api_kind, namespace, str(ref.get("name", "")))
                except _Missing:
                    if ref.get("optional"):
                        continue
                    raise
                for k, v in sorted(obj.files.items()):
                    env[prefix + k] = v.decode("utf-8", "replace")
        for var in container.env:
            name = var.name or ""
            if var.value_from is None:
                env[name] = expand(var.value or "", env)
                continue
            if not isinstance(var.value_from, Mapping):
                continue
            value = _env_value(var.value_from, pod, uid, configs, namespace, extra)
            if value is not None:
                env[name] = value
    except _Missing as exc:
        return str(exc)
    return tuple(env.items())


def expand(value: str, env: Mapping[str, str]) -> str:
    """``$(VAR)`` references in an ``env`` value, expanded as the kubelet does
    (``third_party/forked/golang/expansion``): a variable defined before it is replaced, an
    unknown one is left as written, ``$$`` is one ``$``.

    >>> expand("$(A)-$(B)-$$(A)-$x", {"A": "1"})
    '1-$(B)-$(A)-$x'
    """
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] != "$" or i + 1 == len(value):
            out.append(value[i])
            i += 1
            continue
        nxt = value[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "(" and (end := value.find(")", i + 2)) != -1:
            name = value[i + 2 : end]
            out.append(env.get(name, f"$({name})"))
            i = end + 1
        else:
            out.append("$" + nxt)
            i += 2
    return "".join(out)


def _env_value(
    value_from: Mapping[str, Any],
    pod: Pod,
    uid: str,
    configs: Lookup,
    namespace: str,
    extra: Mapping[str, str],
) -> str | None:
    field = value_from.get("fieldRef")
    if isinstance(field, Mapping):
        path = str(field.get("fieldPath", ""))
        found = _field(pod, uid, path)
        return found if found is not None else extra.get(path, "")
    for api_kind, ref_field in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
        ref = value_from.get(ref_field)
        if not isinstance(ref, Mapping):
            continue
        name, key = str(ref.get("name", "")), str(ref.get("key", ""))
        optional = bool(ref.get("optional"))
        try:
            obj = _get(configs, api_kind, namespace, name)
        except _Missing:
            if optional:
                return None
            raise
        # a ConfigMap key ref reads ``data`` only (kubelet_pods.go)
        files = (
            {k: v.encode() for k, v in obj.data.items()}
            if isinstance(obj, ConfigMap)
            else obj.files
        )
        if key not in files:
            if optional:
                return None
            raise _Missing(f"couldn't find key {key} in {api_kind} {namespace}/{name}")
        return files[key].decode("utf-8", "replace")
    return ""  # resourceFieldRef: podmodel does not model resources here
