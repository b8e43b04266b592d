"""Items of secret, configMap and downwardAPI volumes, and projected volumes
(``validateProjectionSources`` of Kubernetes v1.35.4), private.

A projected source is checked part by part (secret, configMap, downwardAPI, serviceAccountToken,
clusterTrustBundle, podCertificate), every part it sets, then refused as a whole when it sets
more than one. Every file path it projects is collected across the sources: a repeated one is a
``conflicting duplicate paths`` error at ``projected`` itself (with the secret's or configMap's
name as the value, or the path). The token's path errors name ``projected.path`` (sic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podmodel.apiserver._names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
)
from podmodel.apiserver._rules import local_non_reserved_path
from podmodel.apiserver._scheduling_rules import label_selector
from podmodel.apiserver._selectors import field_selector, resource_field_selector
from podmodel.errors import GoStruct, go_quote
from podmodel.model._frozen import FrozenMap

if TYPE_CHECKING:
    from podmodel.apiserver._rules import Errors
    from podmodel.errors import FieldPath

__all__ = ["VOLUME_FIELD_PATHS", "downward_api_items", "key_to_paths", "projected"]

VOLUME_FIELD_PATHS = (
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
)
_KEY_TYPES = ("RSA3072", "RSA4096", "ECDSAP256", "ECDSAP384", "ECDSAP521", "ED25519")
_SIGNER_FORM = "must be a fully qualified domain and path of the form 'example.com/signer-name'"
_DUPLICATE = "conflicting duplicate paths"


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _key_to_path(errs: Errors, item: FrozenMap[str, Any], p: FieldPath) -> None:
    """``validateKeyToPath``."""
    if not item.get("key"):
        errs.required(p.child("key"), origin="volume.items.key")
    target = _s(item.get("path"))
    if not target:
        errs.required(p.child("path"), origin="volume.items.path")
    local_non_reserved_path(errs, target, p.child("path"), "volume.items.path")
    errs.file_mode(p.child("mode"), item.get("mode"), "volume.items.mode")


def key_to_paths(errs: Errors, items: Any, path: FieldPath) -> None:
    """The ``items`` of a secret or configMap volume."""
    for k, item in enumerate(items if isinstance(items, tuple) else ()):
        if isinstance(item, FrozenMap):
            _key_to_path(errs, item, path.index(k))


def _downward_file(errs: Errors, item: FrozenMap[str, Any], path: FieldPath) -> None:
    """``validateDownwardAPIVolumeFile``: reported at ``downwardAPI.path`` with no index (the
    server's quirk)."""
    target = _s(item.get("path"))
    if not target:
        errs.required(path.child("path"), origin="downwardAPI.path")
    local_non_reserved_path(errs, target, path.child("path"), "downwardAPI.path")
    ref, res = item.get("fieldRef"), item.get("resourceFieldRef")
    if isinstance(ref, FrozenMap):
        field_selector(errs, ref, path.child("fieldRef"), VOLUME_FIELD_PATHS)
        if res is not None:
            errs.invalid(
                path,
                "resource",
                "fieldRef and resourceFieldRef can not be specified simultaneously",
                "downwardAPI.bothRefs",
            )
    elif isinstance(res, FrozenMap):
        resource_field_selector(errs, res, path.child("resourceFieldRef"), volume=True)
    else:
        errs.required(path, "one of fieldRef and resourceFieldRef is required", "downwardAPI.ref")
    errs.file_mode(path.child("mode"), item.get("mode"), "downwardAPI.mode")


def downward_api_items(errs: Errors, items: Any, path: FieldPath) -> None:
    """The ``items`` of a downwardAPI volume (or projection)."""
    for item in items if isinstance(items, tuple) else ():
        if isinstance(item, FrozenMap):
            _downward_file(errs, item, path)


def signer_name(errs: Errors, path: FieldPath, name: str) -> None:
    """``ValidateSignerName`` (certificates): ``<domain>/<path>``."""
    if not name:
        errs.required(path, origin="signerName")
        return
    segments = name.split("/")
    if len(segments) != 2:
        errs.invalid(path, name, _SIGNER_FORM, "signerName")
        return
    domain, rest = segments
    if len(domain) > 253:
        errs.too_long(path, 253, "signerName")
    labels = domain.split(".")
    for label in labels:
        msgs = is_dns1123_label(label)
        for msg in msgs:
            errs.invalid(path, domain, f"validating label {go_quote(label)}: {msg}", "signerName")
        if msgs:
            break  # one label's errors make the point
    if len(labels) < 2:
        errs.invalid(
            path, domain, "should be a domain with at least two segments separated by dots"
        )
    for msg in is_dns1123_subdomain(rest):
        errs.invalid(path, rest, f"validating label {go_quote(rest)}: {msg}", "signerName")


class _Paths:
    """The file paths a projected volume has produced so far."""

    def __init__(self, errs: Errors, path: FieldPath) -> None:
        self.errs, self.path, self.seen = errs, path, set[str]()

    def add(self, target: str, shown: Any) -> None:
        if target in self.seen:
            self.errs.invalid(self.path, shown, _DUPLICATE, "projected.duplicatePaths")
        self.seen.add(target)


def _items(errs: Errors, sub: FrozenMap[str, Any], p: FieldPath, paths: _Paths) -> None:
    if not sub.get("name"):
        errs.required(p.child("name"), origin="projected.name")
    items = sub.get("items")
    for k, item in enumerate(items if isinstance(items, tuple) else ()):
        if not isinstance(item, FrozenMap):
            continue
        _key_to_path(errs, item, p.child("items").index(k))
        target = _s(item.get("path"))
        if target:
            paths.add(target, _s(sub.get("name")))


def _token(errs: Errors, sub: FrozenMap[str, Any], p: FieldPath, volume: FieldPath) -> None:
    seconds = sub.get("expirationSeconds")
    if isinstance(seconds, int) and seconds < 600:
        errs.invalid(
            p.child("expirationSeconds"),
            seconds,
            "may not specify a duration less than 10 minutes",
            "projected.serviceAccountToken.expirationSeconds",
        )
    if isinstance(seconds, int) and seconds > 1 << 32:
        errs.invalid(
            p.child("expirationSeconds"),
            seconds,
            "may not specify a duration larger than 2^32 seconds",
            "projected.serviceAccountToken.expirationSeconds",
        )
    target = _s(sub.get("path"))
    if not target:
        errs.required(volume.child("path"), origin="projected.serviceAccountToken.path")
    else:
        local_non_reserved_path(
            errs, target, volume.child("path"), "projected.serviceAccountToken.path"
        )


def _requirements(items: Any) -> Any:
    """``metav1.LabelSelectorRequirement`` items as JSON writes them: ``key`` and ``operator``
    always (no ``omitempty``), ``values`` when not empty."""
    if not isinstance(items, tuple):
        return items
    return tuple(
        GoStruct(
            (
                ("key", _s(r.get("key"))),
                ("operator", _s(r.get("operator"))),
                *((("values", r["values"]),) if r.get("values") else ()),
            )
        )
        if isinstance(r, FrozenMap)
        else r
        for r in items
    )


def _bundle_struct(sub: FrozenMap[str, Any]) -> GoStruct:
    selector = sub.get("labelSelector")
    shown = None
    if isinstance(selector, FrozenMap):
        shown = GoStruct(
            tuple(
                (k, _requirements(selector[k]) if k == "matchExpressions" else selector[k])
                for k in ("matchLabels", "matchExpressions")
                if selector.get(k)
            )
        )
    return GoStruct.of(
        Name=sub.get("name"),
        SignerName=sub.get("signerName"),
        LabelSelector=shown,
        Optional=sub.get("optional"),
        Path=_s(sub.get("path")),
    )


_USER_ANNOTATIONS_LIMIT = 256 * 1024


def _bundle_name_errors(name: str) -> list[str]:
    """``ValidateClusterTrustBundleName`` of the signer the name itself names
    (``extractSignerNameFromClusterTrustBundleName``: what precedes its last ``:``, with ``:``
    read as ``/``). A signer-scoped name (``example.com:signer:bundle``) then always has the
    signer's prefix, and its part after the last ``:`` must be a DNS subdomain; a name starting
    with ``:`` names no signer, and a name without a signer must not contain ``:``."""
    split = name.rfind(":")
    if split == -1:
        return is_dns1123_subdomain(name)
    if split == 0:
        return ['ClusterTrustBundle without signer name must not have ":" in its name']
    return is_dns1123_subdomain(name[split + 1 :])


def _trust_bundle(errs: Errors, sub: FrozenMap[str, Any], p: FieldPath, paths: _Paths) -> None:
    name, signer = sub.get("name"), sub.get("signerName")
    if name is not None and signer is not None:
        errs.invalid(p, _bundle_struct(sub), "only one of name and signerName may be used")
    elif name is not None:
        name = _s(name)
        if not name:
            errs.required(p.child("name"), "must be a valid object name", "clusterTrustBundle")
        for msg in _bundle_name_errors(name):
            errs.invalid(p.child("name"), name, f"not a valid clustertrustbundlename: {msg}")
        if sub.get("labelSelector") is not None:
            errs.invalid(
                p.child("labelSelector"),
                sub["labelSelector"],
                "labelSelector must be unset if name is specified",
            )
    elif signer is not None:
        signer = _s(signer)
        if not signer:
            errs.required(
                p.child("signerName"), "must be a valid signer name", "clusterTrustBundle"
            )
        signer_name(errs, p.child("signerName"), signer)
        label_selector(
            errs, sub.get("labelSelector"), p.child("labelSelector"), "clusterTrustBundle"
        )
    else:
        errs.required(p, "either name or signerName must be specified", "clusterTrustBundle")
    target = _s(sub.get("path"))
    if not target:
        errs.required(p.child("path"), origin="clusterTrustBundle.path")
    local_non_reserved_path(errs, target, p.child("path"), "clusterTrustBundle.path")
    paths.add(target, target)


def _pod_certificate(errs: Errors, sub: FrozenMap[str, Any], p: FieldPath, paths: _Paths) -> None:
    signer = _s(sub.get("signerName"))
    signer_name(errs, p.child("signerName"), signer)
    notes = sub.get("userAnnotations")
    for key in sorted(notes) if isinstance(notes, FrozenMap) else ():
        lower = key.lower()
        if not lower:  # IsDomainPrefixedKey
            errs.required(p.child("userAnnotations"), origin="podCertificate.userAnnotations")
            continue
        msgs = is_qualified_name(lower)
        for msg in msgs:
            errs.invalid(p.child("userAnnotations"), lower, msg, "podCertificate.userAnnotations")
        if not msgs and "/" not in lower:
            errs.invalid(
                p.child("userAnnotations"),
                lower,
                'must be a domain-prefixed key (such as "acme.io/foo")',
                "podCertificate.userAnnotations",
            )
    if isinstance(notes, FrozenMap):  # the size cap of ValidateAnnotations
        size = sum(len(k.encode()) + len(_s(v).encode()) for k, v in notes.items())
        if size > _USER_ANNOTATIONS_LIMIT:
            errs.too_long(
                p.child("userAnnotations"),
                _USER_ANNOTATIONS_LIMIT,
                "podCertificate.userAnnotations.size",
            )
    key_type = _s(sub.get("keyType"))
    if key_type not in _KEY_TYPES:
        errs.not_supported(p.child("keyType"), key_type, _KEY_TYPES, "podCertificate.keyType")
    seconds = sub.get("maxExpirationSeconds")
    if isinstance(seconds, int):
        limit = 86400 if signer.startswith("kubernetes.io/") else 7862400
        if seconds < 3600:
            msg = "if provided, maxExpirationSeconds must be >= 3600"
        elif seconds > limit:
            msg = f"if provided, maxExpirationSeconds must be <= {limit}"
        else:
            msg = ""
        if msg:
            errs.invalid(p.child("maxExpirationSeconds"), seconds, msg, "podCertificate.expiry")
    files = [_s(sub.get(k)) for k in ("credentialBundlePath", "keyPath", "certificateChainPath")]
    for key, target in zip(
        ("credentialBundlePath", "keyPath", "certificateChainPath"), files, strict=True
    ):
        if target:
            local_non_reserved_path(errs, target, p.child(key), f"podCertificate.{key}")
    if not any(files):
        errs.required(
            p,
            "specify at least one of credentialBundlePath, keyPath, and certificateChainPath",
            "podCertificate.paths",
        )
    for target in files:
        if target:
            paths.add(target, target)


def projected(errs: Errors, f: FrozenMap[str, Any], path: FieldPath) -> None:
    """``validateProjectedVolumeSource``."""
    errs.file_mode(path.child("defaultMode"), f.get("defaultMode"), "projected.defaultMode")
    sources = f.get("sources")
    paths = _Paths(errs, path)
    for k, proj in enumerate(sources if isinstance(sources, tuple) else ()):
        if not isinstance(proj, FrozenMap):
            continue
        sp = path.child("sources").index(k)
        count = 0
        for kind in ("secret", "configMap"):
            sub = proj.get(kind)
            if isinstance(sub, FrozenMap):
                count += 1
                _items(errs, sub, sp.child(kind), paths)
        sub = proj.get("downwardAPI")
        if isinstance(sub, FrozenMap):
            count += 1
            items = sub.get("items")
            for item in items if isinstance(items, tuple) else ():
                if isinstance(item, FrozenMap):
                    _downward_file(errs, item, sp.child("downwardAPI"))
                    if _s(item.get("path")):
                        paths.add(_s(item.get("path")), _s(item.get("path")))
        sub = proj.get("serviceAccountToken")
        if isinstance(sub, FrozenMap):
            count += 1
            _token(errs, sub, sp.child("serviceAccountToken"), path)
        sub = proj.get("clusterTrustBundle")
        if isinstance(sub, FrozenMap):
            count += 1
            _trust_bundle(errs, sub, sp.child("clusterTrustBundle"), paths)
        sub = proj.get("podCertificate")
        if isinstance(sub, FrozenMap):
            count += 1
            _pod_certificate(errs, sub, sp.child("podCertificate"), paths)
        if count > 1:
            errs.forbidden(
                sp, "may not specify more than 1 volume type per source", "projected.sources"
            )
