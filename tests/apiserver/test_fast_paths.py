"""The short ways validation takes for the usual case give what the long ways give.

Validation skips the work that cannot find anything (a rule group whose fields are unset, a
path nobody reports) and checks the usual values (a plain label key, a ``cpu`` request) in one
step; these properties hold each shortcut to the rule it stands for.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.apiserver import _resource_rules as R
from podmodel.apiserver._names import _KEY_RE, is_dns1123_subdomain, is_qualified_name
from podmodel.apiserver._resource_rules import resource_requirements
from podmodel.apiserver._rules import Errors
from podmodel.apiserver.defaults import apply_defaults
from podmodel.errors import FieldPath
from podmodel.model._frozen import freeze, replace, replacer
from podmodel.model.spec import Container

_KEY_CHARS = st.sampled_from("aZ09-_./ é\n")


def _qualified_name_reference(value: str) -> bool:
    """``IsQualifiedName`` as the long way checks it: whether it finds nothing."""
    parts = value.split("/")
    if len(parts) > 2:
        return False
    if len(parts) == 2 and (not parts[0] or is_dns1123_subdomain(parts[0], "bytes")):
        return False
    name = parts[-1]
    return bool(name) and len(name.encode()) <= 63 and _KEY_RE.fullmatch(name) is not None


@given(
    st.one_of(
        st.text(_KEY_CHARS, max_size=70),
        st.builds(
            lambda a, b: f"{a}/{b}",
            st.text(st.sampled_from("a.-"), min_size=0, max_size=260),
            st.text(st.sampled_from("aZ9-_."), min_size=0, max_size=70),
        ),
    )
)
def test_a_qualified_name_is_valid_exactly_when_the_long_way_finds_nothing(value: str) -> None:
    assert (is_qualified_name(value) == []) == _qualified_name_reference(value)


_QUANTITY = st.one_of(
    st.sampled_from(["100m", "1", "0", "-1", "-250m", "1.5", "128Mi", "1Gi", "2", "bad"]),
    st.integers(-3, 3),
)
_NAMES = st.sampled_from(["cpu", "memory", "ephemeral-storage", "hugepages-2Mi", "x/y"])


def _resource_reference(errs: Errors, res: Any, path: FieldPath, pod_level: bool) -> None:
    """``validateResourceRequirements`` the long way, every name alike (the code before the short way)."""
    name_rule = R._pod_resource_name if pod_level else R._container_resource_name
    limits, requests = R._section(res, "limits"), R._section(res, "requests")
    lim_path, req_path = path.child("limits"), path.child("requests")
    parsed: dict[str, Any] = {}
    compute = huge = False
    for name in sorted(limits):
        p = lim_path.key(name)
        name_rule(errs, name, p)
        q = R._quantity(errs, name, limits[name], p)
        if q is not None:
            parsed[name] = q
        if R._huge(name):
            huge = True
            if q is not None and not R._huge_divisible(name, q):
                errs.invalid(p, str(q), f"{q} is not positive integer multiple of {name}")
        compute |= name in ("cpu", "memory")
    for name in sorted(requests):
        p = req_path.key(name)
        name_rule(errs, name, p)
        q = R._quantity(errs, name, requests[name], p)
        overcommit = R._native(name) and not R._huge(name)
        limit = parsed.get(name)
        if q is not None and limit is not None:
            order = q.cmp(limit)
            if order != 0 and not overcommit:
                errs.invalid(req_path, str(q), f"must be equal to {name} limit of {limit}")
            elif order > 0:
                errs.invalid(
                    req_path, str(q), f"must be less than or equal to {name} limit of {limit}"
                )
        elif name not in limits and not overcommit:
            errs.required(lim_path, R._OVERCOMMIT_FORBIDDEN_MSG, "resources.limits.required")
        if R._huge(name):
            huge = True
            if q is not None and not R._huge_divisible(name, q):
                errs.invalid(p, str(q), f"{q} is not positive integer multiple of {name}")
        compute |= name in ("cpu", "memory")
    if huge and not compute:
        errs.forbidden(path, "HugePages require cpu or memory", "resources.hugepages")


_QUANTITY = st.one_of(
    st.sampled_from(["100m", "1", "0", "-1", "-250m", "1.5", "128Mi", "1Gi", "2", "2Mi", "bad"]),
    st.integers(-3, 3),
)
_NAMES = st.sampled_from(
    ["cpu", "memory", "ephemeral-storage", "hugepages-2Mi", "example.com/gpu", "pods", "x"]
)


@given(
    st.dictionaries(_NAMES, _QUANTITY, max_size=5),
    st.dictionaries(_NAMES, _QUANTITY, max_size=5),
    st.booleans(),
)
def test_the_usual_resource_names_take_a_short_way_to_the_same_errors(
    limits: dict[str, object], requests: dict[str, object], pod_level: bool
) -> None:
    res = freeze({"limits": limits, "requests": requests})
    short, long = Errors(), Errors()
    resource_requirements(short, res, FieldPath(("r",)), pod_level=pod_level)
    _resource_reference(long, res, FieldPath(("r",)), pod_level)
    assert short == long


@given(st.lists(st.sampled_from(["", "x", "nginx"]), max_size=3))
def test_replacer_is_replace(images: list[str]) -> None:
    c = Container(name="c", image="i")
    set_image = replacer(Container, "image", "env")
    for image in images:
        assert set_image(c, image, ()) == replace(c, image=image, env=())
    assert c == Container(name="c", image="i")  # never changed


def test_defaulting_shares_what_has_nothing_to_default() -> None:
    pod = podmodel.from_dict(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {
                "containers": [{"name": "c", "image": "nginx"}],
                "volumes": [{"name": "d", "emptyDir": {}}, {"name": "s", "secret": {}}],
            },
        }
    )
    before = podmodel.to_dict(pod)
    out = apply_defaults(pod)
    assert out.spec.volumes[0] is pod.spec.volumes[0]  # nothing to default: shared
    assert podmodel.to_dict(out)["spec"]["volumes"][1]["secret"] == {"defaultMode": 420}
    assert podmodel.to_dict(pod) == before  # the input is unchanged
