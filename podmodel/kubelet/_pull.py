"""The kubelet's image manager (private): pull policy, pulls that fail, and their back-off.

Rules and texts from ``pkg/kubelet/images/image_manager.go`` (``EnsureImageExists``) and
``types.go`` (the waiting reasons), v1.35:

* the image reference must parse (``applyDefaultImageTag`` → ``parsers.ParseImageName``), else
  the container waits with ``InvalidImageName`` and a ``InspectFailed`` event
  ``Failed to apply default image tag "X": couldn't parse image name "X": ...``;
* ``imagePullPolicy: Never`` with the image not on the node → ``ErrImageNeverPull``
  (``Container image "X" is not present with pull policy of Never``);
* an image present and ``IfNotPresent``/``Never`` → ``Pulled``
  ``Container image "X" already present on machine``; otherwise ``Pulling`` ``Pulling image
  "X"``, then ``Pulled`` ``Successfully pulled image "X" in 0s (0s including waiting). Image
  size: N bytes.`` (podmodel's pulls take no time) or ``Failed`` ``Failed to pull image "X":
  <the runtime's error>`` and ``ErrImagePull``;
* after a failed pull the image is in back-off for the pod (10 s, doubling to 300 s, the
  kubelet's ``imageBackOff``): a sync inside that window says ``ImagePullBackOff`` with a
  ``BackOff`` event ``Back-off pulling image "X"``; the first sync after it pulls again.
  The pod worker re-syncs a pod whose sync failed after :data:`SYNC_RETRY` seconds
  (``backOffPeriod``, its jitter left out).

Which pulls fail: an image whose repository is one edit (Damerau-Levenshtein) away from a
catalogue image (``ngnix``, ``busybx``, ``redsi``), and, with ``Node(unknown_images="fail")``,
every image the catalogue does not know. Any other unknown image is assumed to exist.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Literal

import attrs

from podmodel.apiserver.defaults import (
    _COMPONENT,
    _DOMAIN,
    _HEX64,
    _REFERENCE,
    default_pull_policy,
)
from podmodel.kernel._tree import File
from podmodel.kubelet.images import image_key
from podmodel.kubelet.lifecycle import Event, EventLog

if TYPE_CHECKING:
    from podmodel.kubelet.images import Catalogue

__all__ = [
    "IMAGE_BACKOFF_BASE",
    "IMAGE_BACKOFF_MAX",
    "SYNC_RETRY",
    "WAITING_REASONS",
    "PullOutcome",
    "UnknownImages",
    "edit_distance",
    "ensure_image",
    "near_miss",
    "parse_error",
    "qualified",
]

UnknownImages = Literal["assume", "fail"]

#: Why a container that could not be created waits (``kubectl get pods`` shows them as STATUS).
WAITING_REASONS = (
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
    "CreateContainerConfigError",
)

#: The image pull back-off: first window, and its cap (``kubelet.go``: ``backOffPeriod``,
#: ``MaxImageBackOff``).
IMAGE_BACKOFF_BASE = 10.0
IMAGE_BACKOFF_MAX = 300.0
#: How soon the pod worker syncs a pod again after a sync failed (``pod_workers.go``
#: ``backOffPeriod``, without its 50 % jitter).
SYNC_RETRY = 10.0


def edit_distance(a: str, b: str) -> int:
    """The optimal-string-alignment (Damerau-Levenshtein) distance between *a* and *b*.

    >>> edit_distance("ngnix", "nginx"), edit_distance("busybx", "busybox"), edit_distance("a", "abc")
    (1, 1, 2)
    """
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def near_miss(catalogue: Catalogue, reference: str) -> str | None:
    """The catalogue image *reference* is one edit away from (a typo), if any; tags ignored.

    >>> from podmodel.kubelet.images import default_catalogue
    >>> near_miss(default_catalogue(), "ngnix:1.27"), near_miss(default_catalogue(), "nginx")
    ('nginx', None)
    """
    key = image_key(reference)
    if key in catalogue.images:
        return None
    return _nearest(tuple(sorted(catalogue.images)), key)


@functools.lru_cache(maxsize=1024)  # pure; a failing pull asks again at every retry
def _nearest(keys: tuple[str, ...], key: str) -> str | None:
    for known in keys:
        if abs(len(known) - len(key)) <= 1 and edit_distance(key, known) == 1:
            return known
    return None


def _split_docker_domain(name: str) -> tuple[str, str]:
    first, sep, rest = name.partition("/")
    if not sep or (
        not any(ch in first for ch in ".:") and first != "localhost" and first.lower() == first
    ):
        domain, remainder = "docker.io", name
    else:
        domain, remainder = first, rest
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


@functools.lru_cache(maxsize=1024)  # pure
def parse_error(reference: str) -> str | None:
    """Why ``parsers.ParseImageName`` rejects *reference* (distribution's
    ``ParseNormalizedNamed``), or ``None`` when it parses.

    >>> print(parse_error("Nginx"))
    couldn't parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase
    >>> parse_error("nginx:1.27"), print(parse_error("nginx::x"))
    couldn't parse image name "nginx::x": invalid reference format
    (None, None)
    """
    prefix = f'couldn\'t parse image name "{reference}": '
    if _HEX64.fullmatch(reference):
        return (
            prefix + f"invalid repository name ({reference}), cannot specify 64-byte "
            "hexadecimal strings"
        )
    domain, remainder = _split_docker_domain(reference)
    remote = remainder.split(":", 1)[0] if ":" in remainder else remainder
    remote = remote.split("@", 1)[0]
    if remote.lower() != remote:
        return prefix + f"invalid reference format: repository name ({remote}) must be lowercase"
    m = _REFERENCE.fullmatch(f"{domain}/{remainder}")
    if m is None or not re.fullmatch(_DOMAIN, domain):
        return prefix + "invalid reference format"
    path = m["name"].split("/", 1)[1]
    if not re.fullmatch(rf"{_COMPONENT}(?:/{_COMPONENT})*", path):
        return prefix + "invalid reference format"
    if len(m["name"]) > 255:
        return prefix + "repository name must not be more than 255 characters"
    return None


def qualified(reference: str) -> str:
    """The reference as containerd resolves it: ``docker.io/library/`` and ``:latest`` added.

    >>> qualified("ngnix"), qualified("example.com/a/b:v1")
    ('docker.io/library/ngnix:latest', 'example.com/a/b:v1')
    """
    domain, remainder = _split_docker_domain(reference)
    last = remainder.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in remainder:
        remainder += ":latest"
    return f"{domain}/{remainder}"


def _runtime_error(reference: str) -> str:
    """containerd's error for a repository that does not exist on its registry."""
    ref = qualified(reference)
    return (
        f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
        "pull access denied, repository does not exist or may require authorization: "
        "server message: insufficient_scope: authorization failed"
    )


def _size(catalogue: Catalogue, reference: str) -> int:
    tree = catalogue.get(reference).tree
    return sum(len(n.data) for _, n in tree.walk() if isinstance(n, File))


@attrs.frozen
class PullOutcome:
    """What ``EnsureImageExists`` did: the events it recorded, whether the image is now on the
    node, and, when it failed, the waiting reason and message."""

    events: EventLog
    present: bool
    reason: str | None = None
    message: str | None = None
    backoff: tuple[float, float] | None = None  # (last failed pull, window) to remember
    record: str | None = None  # a reference now pulled onto the node
    #: the events (type, reason, message) recorded: what every later sync in the same
    #: situation records again
    added: tuple[tuple[str, str, str], ...] = ()


def ensure_image(
    *,
    catalogue: Catalogue,
    unknown_images: UnknownImages,
    pulled: frozenset[str],
    image: str,
    policy: str | None,
    backoff: tuple[float, float] | None,
    events: EventLog,
    at: float,
    field_path: str = "",
) -> PullOutcome:
    """Make sure *image* is on the node before a container of it is created.

    *pulled*: the references pulled onto the node so far (catalogue images are always there);
    *backoff*: this pod's back-off for the image, ``(last failed pull, window)``;
    *field_path*: the container the events are about (``spec.containers{web}``).
    """
    policy = policy or default_pull_policy(image)

    added: list[tuple[str, str, str]] = []

    def add(kind: str, reason: str, message: str, ev: EventLog) -> EventLog:
        added.append((kind, reason, message))
        return ev.add(
            Event(
                time=at,
                type=kind,
                reason=reason,
                source="kubelet",
                message=message,
                field_path=field_path,
            )
        )

    def outcome(*args: Any, **kwargs: Any) -> PullOutcome:
        return attrs.evolve(PullOutcome(*args, **kwargs), added=tuple(added))

    problem = parse_error(image)
    if problem is not None:
        msg = f'Failed to apply default image tag "{image}": {problem}'
        events = add("Warning", "InspectFailed", msg, events)
        events = add("Warning", "Failed", "Error: InvalidImageName", events)
        return outcome(events, False, "InvalidImageName", msg)
    known = image in catalogue
    exists = known or (near_miss(catalogue, image) is None and unknown_images == "assume")
    present = known or qualified(image) in pulled
    if policy == "Never" or (policy != "Always" and present):
        if present:
            msg = f'Container image "{image}" already present on machine'
            return outcome(add("Normal", "Pulled", msg, events), True)
        msg = f'Container image "{image}" is not present with pull policy of Never'
        events = add("Warning", "ErrImageNeverPull", msg, events)
        events = add("Warning", "Failed", "Error: ErrImageNeverPull", events)
        return outcome(events, False, "ErrImageNeverPull", msg, backoff)
    if backoff is not None and at - backoff[0] < backoff[1]:
        msg = f'Back-off pulling image "{image}"'
        events = add("Normal", "BackOff", msg, events)
        events = add("Warning", "Failed", "Error: ImagePullBackOff", events)
        return outcome(events, False, "ImagePullBackOff", msg, backoff)
    events = add("Normal", "Pulling", f'Pulling image "{image}"', events)
    if not exists:
        error = _runtime_error(image)
        events = add("Warning", "Failed", f'Failed to pull image "{image}": {error}', events)
        events = add("Warning", "Failed", "Error: ErrImagePull", events)
        window = IMAGE_BACKOFF_BASE if backoff is None else min(2 * backoff[1], IMAGE_BACKOFF_MAX)
        return outcome(events, False, "ErrImagePull", error, (at, window))
    if not known:
        events = events.add(
            Event(
                time=at,
                type="Normal",
                reason="AssumedImage",
                source="podmodel",
                field_path=field_path,
                message=f'Image "{image}" is not in podmodel\'s catalogue: assumed to exist, '
                "with no files, listening on the container's declared ports",
            )
        )
    msg = (
        f'Successfully pulled image "{image}" in 0s (0s including waiting). '
        f"Image size: {_size(catalogue, image)} bytes."
    )
    return outcome(add("Normal", "Pulled", msg, events), True, record=qualified(image))
