"""The rules every workload shares (private): its object metadata, its label selector, and its
pod template (``ValidatePodTemplateSpec`` and ``GetWarningsForPodTemplate`` of v1.35).

A template's ``spec`` is validated by the Pod's own rules (:func:`podmodel.validate`), run on a
stand-in pod that carries the template's labels, annotations and spec, then the paths are moved
under the template's (``spec.template.spec.containers[0].image``). What the API server checks
only for a Pod (``ValidatePodCreate``: ephemeral containers on create, image whitespace, the
scheduling gates with ``nodeName``, a projected token without a service account, the name and
namespace) is left out, and the template's own words are used for ephemeral containers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from podmodel.apiserver._rules import Errors
from podmodel.apiserver._scheduling_rules import label_selector
from podmodel.apiserver._warnings import pod_warnings
from podmodel.apiserver.defaults import apply_defaults
from podmodel.apiserver.validation import validate
from podmodel.errors import ErrorType, FieldError, FieldPath
from podmodel.model._frozen import FrozenMap, thaw
from podmodel.model.spec import Container, ObjectMeta, Pod, PodSpec

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from podmodel.model.workloads import LabelSelector, PodTemplateSpec

__all__ = [
    "GENERATED_SUFFIX",
    "Selector",
    "as_selector",
    "labels_json",
    "omitted",
    "prefixed",
    "selector_json",
    "selector_rules",
    "template_spec",
    "template_warnings",
]

#: What the server appends to ``generateName`` (the oracle's fixed stand-in for 5 random
#: characters, as :func:`podmodel.validate` uses).
GENERATED_SUFFIX = "xn8fg"
# The name of the stand-in pod a template is validated as (podMeta is nil for a template: the
# rules that build names from the pod's, such as an ephemeral volume's claim, then pass).
_STAND_IN = "t"
# Rules of ValidatePodCreate / validatePodMetadataAndSpec that a template does not meet.
_POD_ONLY = frozenset(
    {
        "ephemeralContainers.create",
        "nodeName.schedulingGates",
        "container.image.whitespace",
        "projected.serviceAccountToken.noServiceAccount",
        "image.reference",
        "mirror",
    }
)


def prefixed(error: FieldError, prefix: FieldPath, *, detail: bool = False) -> FieldError:
    """*error* (found on a stand-in pod) moved below *prefix*: its path and, with *detail* (a
    warning's, as ``GetWarningsForPodTemplate`` words them), the pod paths its detail names
    (``duplicate port definition with spec.containers[0].ports[0]``); an error's detail keeps
    them as the server writes them (``... with empty `spec.os.name```)."""
    field = FieldPath((*prefix.segments, *error.field.segments))
    if not detail:
        return attrs.evolve(error, field=field)
    text = _POD_PATH.sub(lambda m: f"{prefix}.{m.group()}", error.detail)
    return attrs.evolve(error, field=field, detail=text)


_POD_PATH = re.compile(r"(?<![\w.\[])(?:spec|metadata)(?=[.\[])")


def _stand_in(template: PodTemplateSpec) -> Pod:
    meta = ObjectMeta(
        name=_STAND_IN,
        labels=template.metadata.labels,
        annotations=template.metadata.annotations,
    )
    return Pod(metadata=meta, spec=template.spec)


def template_spec(errs: Errors, template: PodTemplateSpec, path: FieldPath) -> PodSpec:
    """``ValidatePodTemplateSpec`` of *template* at *path*; returns the template's spec after
    the v1 defaults (what the kind's own rules then look at)."""
    pod = _stand_in(template)
    unset = _unset_host_ports(template.spec)
    errs.extend(
        prefixed(_unmeta(e), path)
        for e in validate(pod, template=True).errors
        if e.origin not in _POD_ONLY and not _from_defaulted_host_port(e, unset)
    )
    if template.spec.ephemeral_containers:
        errs.forbidden(
            path.child("spec", "ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
            "template.ephemeralContainers",
        )
    return _defaults(pod).spec


def _unset_host_ports(spec: PodSpec) -> frozenset[tuple[str, int, int]]:
    """The ports of a ``hostNetwork`` template without a ``hostPort``: a Pod's defaulting
    (``SetDefaults_Pod``) copies ``containerPort`` there, a template's does not."""
    if not spec.host_network:
        return frozenset()
    return frozenset(
        (kind, i, j)
        for kind, items in (
            ("containers", spec.containers),
            ("initContainers", spec.init_containers),
        )
        for i, c in enumerate(items)
        for j, p in enumerate(c.ports)
        if not p.host_port
    )


def _from_defaulted_host_port(error: FieldError, unset: frozenset[tuple[str, int, int]]) -> bool:
    """An error about a ``hostPort`` the template does not have (its range, a duplicate, the
    match with ``containerPort`` under ``hostNetwork``)."""
    seg = error.field.segments
    return (
        len(seg) == 6
        and seg[0] == "spec"
        and seg[3] == "ports"
        and seg[5] == "hostPort"
        and (seg[1], seg[2], seg[4]) in unset
    )


def _defaults(pod: Pod) -> Pod:
    """The v1 defaults of a template: a Pod's, but ``hostPort`` stays as written."""
    out = apply_defaults(pod, template=True)
    if not pod.spec.host_network:
        return out

    def restore(
        written: tuple[Container, ...], got: tuple[Container, ...]
    ) -> tuple[Container, ...]:
        return tuple(
            attrs.evolve(
                c,
                ports=tuple(
                    attrs.evolve(p, host_port=w.host_port)
                    for p, w in zip(c.ports, orig.ports, strict=True)
                ),
            )
            for c, orig in zip(got, written, strict=True)
        )

    spec = attrs.evolve(
        out.spec,
        containers=restore(pod.spec.containers, out.spec.containers),
        init_containers=restore(pod.spec.init_containers, out.spec.init_containers),
    )
    return attrs.evolve(out, spec=spec)


def _unmeta(error: FieldError) -> FieldError:
    """A template's labels and annotations are checked at ``<template>.labels`` and
    ``<template>.annotations`` (``ValidatePodTemplateSpec`` leaves ``metadata`` out)."""
    segments = error.field.segments
    if segments[:1] == ("metadata",) and segments[1:2] in (("labels",), ("annotations",)):
        return attrs.evolve(error, field=FieldPath(segments[1:]))
    return error


def template_warnings(template: PodTemplateSpec, path: FieldPath) -> list[FieldError]:
    """``GetWarningsForPodTemplate``: the pod warnings, with the template's path in front."""
    pod = _defaults(_stand_in(template))
    return [prefixed(w, path, detail=True) for w in pod_warnings(pod, template=True)]


def omitted(path: FieldPath, detail: str, origin: str) -> FieldError:
    """An Invalid error whose value the server leaves out (``field.OmitValueType``)."""
    return _OmittedValue(type=ErrorType.INVALID, field=path, detail=detail, origin=origin)


@attrs.frozen(kw_only=True)
class _OmittedValue(FieldError):
    """A :class:`FieldError` printed without its value (``Invalid value: <detail>``)."""

    def body(self) -> str:
        return f"{self.type.phrase}: {self.detail}"


# --- label selectors ----------------------------------------------------------------------------


@attrs.frozen
class Selector:
    """A parsed ``labels.Selector``: ``None`` requirements is ``labels.Nothing()``."""

    requirements: tuple[tuple[str, str, tuple[str, ...]], ...] | None

    @property
    def empty(self) -> bool:
        """``Selector.Empty()``: true for "everything" (no requirement), false for "nothing"."""
        return self.requirements is not None and not self.requirements

    def matches(self, labels: Mapping[str, str]) -> bool:
        """``Selector.Matches``."""
        if self.requirements is None:
            return False
        for key, op, values in self.requirements:
            present = key in labels
            if op == "In" and not (present and labels[key] in values):
                return False
            if op == "NotIn" and present and labels[key] in values:
                return False
            if op == "Exists" and not present:
                return False
            if op == "DoesNotExist" and present:
                return False
        return True


def labels_json(meta: ObjectMeta) -> Any:
    """A template's labels as an error shows them: ``null`` when none were written."""
    if not meta.labels and "labels" not in meta.extra:
        return None
    return dict(meta.labels)


def selector_json(sel: LabelSelector | None) -> Any:
    """The selector as the server prints it in an error (its JSON)."""
    if sel is None:
        return None
    out: dict[str, Any] = {}
    if sel.match_labels:
        out["matchLabels"] = dict(sel.match_labels)
    if sel.match_expressions:
        out["matchExpressions"] = thaw(sel.match_expressions)
    return out


def _as_map(sel: LabelSelector) -> FrozenMap[str, Any]:
    return FrozenMap({"matchLabels": sel.match_labels, "matchExpressions": sel.match_expressions})


def selector_rules(errs: Errors, sel: LabelSelector, path: FieldPath) -> None:
    """``ValidateLabelSelector`` (invalid label values not allowed)."""
    label_selector(errs, _as_map(sel), path, "selector")


def as_selector(sel: LabelSelector | None) -> Selector | None:
    """``metav1.LabelSelectorAsSelector``: ``None`` when it fails (a bad operator, key or
    value, In without values, Exists with values)."""
    if sel is None:
        return Selector(None)
    probe = Errors()
    selector_rules(probe, sel, FieldPath())
    if probe:
        return None
    reqs: list[tuple[str, str, tuple[str, ...]]] = [
        (k, "In", (v,)) for k, v in sorted(sel.match_labels.items())
    ]
    for expr in sel.match_expressions:
        values: Iterable[Any] = expr.get("values") or ()
        reqs.append(
            (str(expr.get("key") or ""), str(expr.get("operator")), tuple(str(v) for v in values))
        )
    return Selector(tuple(reqs))
