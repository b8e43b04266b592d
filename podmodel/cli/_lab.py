"""``podmodel lab``: exercises a teacher can hand out, each with a checker (private module).

Every exercise is a folder of :mod:`podmodel.cli`'s package data, ``lab/NN-slug/``: an
``exercise.yaml`` (title, topic, kind, the "predict, then run" question, the task, hints, the
hidden answer and the checker's rule) and the files a student starts from (``pod.yaml``, and
for some a ConfigMap or a second pod). ``solution.yaml`` (for an exercise that asks for a
fixed manifest) and ``reference`` (for one that asks for a prediction) are the teacher's
answers; the test suite feeds them to the checkers, which never read them.

There are two kinds of exercise:

* ``predict``: the student predicts an outcome (``podmodel lab check 3 --answer
  CrashLoopBackOff``). The checker runs the exercise's own manifests on a simulated node and
  compares what it *observes* with the answer, normalized (case, spaces, punctuation).
* ``fix``: the student edits the manifest (``podmodel lab check 2 lab-2/pod.yaml``). The
  checker loads it, checks that what the exercise says to keep is kept (containers, their
  images and commands), runs it on a node and tests the property the exercise is about
  (``READY 2/2``, a line in a log, a pod gone within 5 s of its deletion, ...), saying in a
  sentence what is wrong when it fails.

Nodes are Kubernetes-like: ``volume_population="empty"`` (an emptyDir starts empty).
"""

from __future__ import annotations

import importlib.resources
import os
import re
from typing import TYPE_CHECKING, Any, TextIO

import attrs
import yaml

from podmodel.errors import InvalidPod, PodmodelError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping, Sequence
    from importlib.abc import Traversable

    from podmodel.kubelet.node import Node, RunningPod
    from podmodel.model.spec import Container, Pod

__all__ = [
    "Exercise",
    "LabError",
    "Verdict",
    "add_parser",
    "check_answer",
    "check_manifest",
    "exercise",
    "exercises",
    "normalize",
    "run",
    "start",
]

#: The kinds of exercise.
KINDS = ("fix", "predict")
_FOLDER = re.compile(r"^(\d{2})-[a-z0-9-]+$")


class LabError(PodmodelError):
    """A lab command that cannot be done: no such exercise, a file that would be overwritten,
    a missing answer."""


@attrs.frozen(kw_only=True)
class Exercise:
    """One exercise of the lab, as its ``exercise.yaml`` describes it."""

    number: int
    slug: str
    title: str
    topic: str
    kind: str
    question: str
    task: str
    hints: tuple[str, ...]
    answer: str
    #: the files ``lab start`` writes (``pod.yaml`` first)
    files: tuple[str, ...]
    #: the teacher's answer: a prediction, or the name of the fixed manifest's file
    reference: str
    rule: Mapping[str, Any] = attrs.field(eq=False, repr=False)
    folder: Traversable = attrs.field(eq=False, repr=False)

    def read(self, name: str) -> str:
        """The text of one of the exercise's files."""
        return str(self.folder.joinpath(name).read_text(encoding="utf-8"))

    def readme(self) -> str:
        """The ``README.md`` that ``lab start`` writes: question, task and hints (no answer)."""
        if self.kind == "predict":
            how = f"`podmodel lab check {self.number} --answer 'YOUR ANSWER'`"
        else:
            how = f"`podmodel lab check {self.number} FILE` (FILE: by default `lab-{self.number}/pod.yaml`)"
        hints = "".join(f"- {h}\n" for h in self.hints)
        return (
            f"# Exercise {self.number}: {self.title}\n\nTopic: {self.topic}\n\n"
            f"## Predict, then run\n\n{self.question.strip()}\n\n"
            f"## Your task\n\n{self.task.strip()}\n\nCheck it with {how}.\n\n"
            f"## Hints\n\n{hints}"
        )


@attrs.frozen
class Verdict:
    """What a checker says: right or wrong, and why."""

    ok: bool
    reasons: tuple[str, ...] = ()
    #: for a prediction: the outcome the simulated node showed
    observed: str | None = None


def _lab_root() -> Traversable:
    return importlib.resources.files("podmodel.cli").joinpath("lab")


def _load(folder: Traversable) -> Exercise:
    match = _FOLDER.match(folder.name)
    assert match is not None
    data = yaml.safe_load(folder.joinpath("exercise.yaml").read_text(encoding="utf-8"))
    kind = data["kind"]
    assert kind in KINDS, folder.name
    return Exercise(
        number=int(match.group(1)),
        slug=folder.name,
        title=data["title"],
        topic=data["topic"],
        kind=kind,
        question=data["question"],
        task=data["task"],
        hints=tuple(data.get("hints", ())),
        answer=data["answer"],
        files=tuple(data.get("files", ("pod.yaml",))),
        reference=str(data["reference"]),
        rule=data["check"],
        folder=folder,
    )


def exercises() -> tuple[Exercise, ...]:
    """Every exercise of the lab, by number."""
    folders = [f for f in _lab_root().iterdir() if f.is_dir() and _FOLDER.match(f.name)]
    return tuple(sorted((_load(f) for f in folders), key=lambda e: e.number))


def exercise(number: int) -> Exercise:
    """Exercise *number*.

    Raises:
        LabError: There is no such exercise.
    """
    for ex in exercises():
        if ex.number == number:
            return ex
    msg = f"there is no exercise {number} (podmodel lab list shows them)"
    raise LabError(msg)


def start(ex: Exercise, directory: str) -> tuple[str, ...]:
    """Write the exercise's ``README.md`` and starting files into *directory* (created if
    needed); return the paths written.

    Raises:
        LabError: A file would be overwritten.
    """
    names = ("README.md", *ex.files)
    paths = tuple(os.path.join(directory, n) for n in names)
    existing = [p for p in paths if os.path.exists(p)]
    if existing:
        msg = f"{existing[0]} already exists: not overwriting it (choose another --dir)"
        raise LabError(msg)
    os.makedirs(directory, exist_ok=True)
    for name, path in zip(names, paths, strict=True):
        text = ex.readme() if name == "README.md" else ex.read(name)
        with open(path, "x", encoding="utf-8") as f:
            f.write(text)
    return paths


# ---- predictions ----

_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false", "not", "cannot", "can't", "doesn't", "isn't", "won't"})


def normalize(text: str) -> str:
    """An answer in a form to compare: lower case, words (and ``1/2``, ``Init:0/1``,
    ``a.b``) separated by one space, the rest of the punctuation dropped.

    >>> normalize("READY 1/2, STATUS: Init:CrashLoopBackOff.")
    'ready 1/2 status init:crashloopbackoff'
    """
    return " ".join(re.findall(r"[a-z0-9]+(?:[/:.'][a-z0-9]+)*", text.lower()))


def _same(expected: str, answer: str) -> bool:
    want, got = normalize(expected), normalize(answer)
    if want in ("yes", "no"):
        tokens = set(got.split())
        yes, no = bool(tokens & _YES), bool(tokens & _NO)
        return yes != no and yes == (want == "yes")
    if re.fullmatch(r"\d+", want):
        numbers = re.findall(r"\d+", got)
        return len(numbers) == 1 and numbers[0] == want
    words = [w for w in got.split() if w not in {"status", "ready", "restarts", "the", "it", "is"}]
    return " ".join(words) == want


def _node() -> Node:
    from podmodel.kubelet.node import Node

    return Node(volume_population="empty")


def _pod_text(text: str, name: str | None = None) -> Pod:
    from podmodel.codec import from_dict

    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("kind") != "Pod":
        msg = "the file is not one Pod manifest (apiVersion: v1, kind: Pod)"
        raise LabError(msg)
    if name is not None:
        data = {**data, "metadata": {**(data.get("metadata") or {}), "name": name}}
    return from_dict(data)


def _with_configs(node: Node, ex: Exercise, names: Sequence[str]) -> Node:
    for name in names:
        node = node.apply(yaml.safe_load(ex.read(name)))
    return node


def _gone(node: Node, name: str) -> bool:
    return f"default/{name}" not in node.pods


def _seconds_to_delete(node: Node, name: str, limit: int) -> int | None:
    node = node.delete(name)
    for second in range(limit + 1):
        if _gone(node, name):
            return second
        node = node.advance(1)
    return None


def _observe(ex: Exercise) -> str:
    """What the exercise's own manifests do, as the answer the question asks for."""
    rule = ex.rule
    if rule["observe"] == "errors":
        from podmodel.apiserver.validation import validate

        return str(len(validate(_pod_text(ex.read("pod.yaml"))).errors))
    pods = [_pod_text(ex.read(f)) for f in rule.get("start", ("pod.yaml",))]
    node = _with_configs(_node(), ex, rule.get("configs", ()))
    for pod in pods:
        node = node.start(pod)
    node = node.advance(float(rule.get("seconds", 60)))
    name = rule.get("pod", pods[0].name)
    what, container = rule["observe"], rule.get("container", "")
    if what == "handoff":
        node = node.delete(name, grace_period=0).start(_pod_text(ex.read(rule["then"])))
        reader = node.advance(10).pod(_pod_text(ex.read(rule["then"])).name)
        return _yes(reader.exec(container, rule["command"]).exit_code == 0)
    if what == "config_update":
        node = node.apply(yaml.safe_load(ex.read(rule["update"]))).advance(rule["wait"])
        p = node.pod(name)
        env = rule["value"] in p.exec(container, rule["env_command"]).stdout
        vol = rule["value"] in p.exec(container, rule["file_command"]).stdout
        return {(True, True): "both", (True, False): "env", (False, True): "volume"}.get(
            (env, vol), "neither"
        )
    if what == "delete_seconds":
        seconds = _seconds_to_delete(node, name, 600)
        return "never" if seconds is None else str(seconds)
    p = node.pod(name)
    observers: dict[str, Callable[[], str]] = {
        "status": lambda: p.status,
        "ready_status": lambda: f"{p.ready} {p.status}",
        "line": lambda: f"{p.ready} {p.status} {p.restarts}",
        "restarts": lambda: str(p.restarts),
        "restarted": lambda: _yes(p.restarts > 0),
        "qos": lambda: p.qos_class,
        "last_reason": lambda: str(p.container(container).last_reason),
        "log_has": lambda: _yes(rule["text"] in p.logs(container)),
        "exec_ok": lambda: _yes(p.exec(container, rule["command"]).exit_code == 0),
        "file_lines": lambda: str(len(p.read(container, rule["path"]).splitlines())),
    }
    return observers[what]()


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _look(ex: Exercise) -> str:
    if ex.rule["observe"] == "errors":
        return "ask the API server: podmodel check pod.yaml"
    if ex.rule["observe"] in ("handoff", "config_update", "delete_seconds") or "start" in ex.rule:
        return (
            "think it through with the hints in README.md (this one takes more than a podmodel run)"
        )
    seconds = ex.rule.get("seconds", 60)
    return (
        f"run it and look again: podmodel run pod.yaml --for {seconds}s --mode kubernetes --explain"
    )


def check_answer(ex: Exercise, answer: str) -> Verdict:
    """Check a prediction: run the exercise and compare what happens with *answer*."""
    observed = _observe(ex)
    if _same(observed, answer):
        return Verdict(ok=True, observed=observed)
    return Verdict(
        ok=False,
        reasons=(f"{answer.strip()!r} is not what happens; {_look(ex)}.",),
        observed=observed,
    )


# ---- fixed manifests ----


def _containers(pod: Pod) -> dict[str, Container]:
    return {str(c.name): c for c in (*pod.spec.init_containers, *pod.spec.containers)}


def _kept(ex: Exercise, pod: Pod) -> list[str]:
    """What the student was told to keep and changed."""
    if ex.rule.get("keep") is False:
        return []
    start = _pod_text(ex.read("pod.yaml"))
    theirs, inits = _containers(pod), {c.name for c in pod.spec.init_containers}
    problems = []
    for c in (*start.spec.init_containers, *start.spec.containers):
        mine = theirs.get(str(c.name))
        if mine is None:
            problems.append(f"the container {c.name!r} is gone: keep it.")
            continue
        if (c.name in inits) != (c in start.spec.init_containers):
            kind = "an init container" if c in start.spec.init_containers else "an app container"
            problems.append(f"the container {c.name!r} must stay {kind}.")
        for field in ex.rule.get("keep", {}).get(c.name, ("image", "command", "args")):
            if getattr(mine, field) != getattr(c, field):
                problems.append(f"the {field} of {c.name!r} changed: the task keeps it as it is.")
    return problems


def check_manifest(ex: Exercise, text: str) -> Verdict:
    """Check a student's manifest (its YAML *text*) against the exercise's rule."""
    from podmodel.apiserver.validation import check

    rule = ex.rule
    seconds = float(rule.get("seconds", 60))
    try:
        pod = _pod_text(text, "lab-check-renamed" if rule.get("rename") else None)
        check(pod)
    except yaml.YAMLError as e:
        return Verdict(ok=False, reasons=(f"the file is not YAML: {e}",))
    except LabError as e:
        return Verdict(ok=False, reasons=(f"{e}.",))
    except InvalidPod as e:  # one reason per error, as `podmodel check` lists them
        return Verdict(
            ok=False,
            reasons=tuple(f"the API server would refuse it: {err}" for err in e.errors),
        )
    except PodmodelError as e:
        return Verdict(ok=False, reasons=(f"the API server would refuse it: {e}",))
    problems = _kept(ex, pod)
    if problems:
        return Verdict(ok=False, reasons=tuple(problems))
    try:
        node = _with_configs(_node(), ex, rule.get("configs", ())).start(pod).advance(seconds)
    except PodmodelError as e:  # the node cannot run it (too many containers, ...)
        return Verdict(ok=False, reasons=(f"the simulated node cannot run it: {e}",))
    reasons: list[str] = []
    for item in rule.get("expect", ()):
        ((key, want),) = item.items()
        try:
            problem = _EXPECT[key](node, pod, want, seconds)
        except PodmodelError as e:  # a log or an exec the pod cannot give
            problem = f"{e}."
        if problem:
            reasons.append(problem)
    return Verdict(ok=not reasons, reasons=tuple(reasons))


def _why(p: RunningPod) -> str:
    parts = []
    for c in p.state.containers:
        if c.state != "running" or (c.kind != "init" and not c.ready):
            said = f": {c.message}" if c.message and c.reason != "CrashLoopBackOff" else ""
            last = f", last log line {c.logs[-1]!r}" if c.logs else ""
            parts.append(f"{c.name}: {c.state} {c.reason or ''}".rstrip() + said + last)
    return f" ({'; '.join(parts)})" if parts else ""


def _expect_status(node: Node, pod: Pod, want: str, t: float) -> str | None:
    p = node.pod(pod.name)
    if p.status == want:
        return None
    return f"after {t:g} s STATUS is {p.status}, not {want}{_why(p)}."


def _expect_ready(node: Node, pod: Pod, want: str, t: float) -> str | None:
    p = node.pod(pod.name)
    ready, total = p.ready.split("/")
    if (want == "all" and ready == total) or p.ready == want:
        return None
    return (
        f"after {t:g} s READY is {p.ready}, not {want if want != 'all' else total + '/' + total}."
    )


def _expect_restarts(node: Node, pod: Pod, want: int, t: float) -> str | None:
    p = node.pod(pod.name)
    if p.restarts <= want:
        return None
    return f"after {t:g} s RESTARTS is {p.restarts}, more than {want}."


def _expect_log(node: Node, pod: Pod, want: Mapping[str, str], t: float) -> str | None:
    text = want["text"].format(pod=pod.name)
    logs = node.pod(pod.name).logs(want["container"]).splitlines()
    if any(text in line for line in logs):
        return None
    seen = f"its last line is {logs[-1]!r}" if logs else "it is empty"
    return f"after {t:g} s the log of {want['container']!r} has no {text!r}: {seen}."


def _expect_exec(node: Node, pod: Pod, want: Mapping[str, str], t: float) -> str | None:
    result = node.pod(pod.name).exec(want["container"], want["command"])
    if want["text"] in result.stdout:
        return None
    return (
        f"after {t:g} s `{want['command']}` in {want['container']!r} does not show "
        f"{want['text']!r} (exit {result.exit_code}: {(result.stdout or result.stderr).strip()[:120]!r})."
    )


def _expect_shared(node: Node, pod: Pod, want: Sequence[str], t: float) -> str | None:
    mounted = [{m.name for m in _containers(pod)[c].volume_mounts} for c in want]
    if set.intersection(*mounted):
        return None
    return f"no volume is mounted in both {' and '.join(map(repr, want))}."


def _expect_sidecar(node: Node, pod: Pod, want: str, t: float) -> str | None:
    for c in pod.spec.init_containers:
        if c.name == want and c.restart_policy == "Always":
            return None
    return f"{want!r} is not a sidecar (an init container with restartPolicy: Always)."


def _expect_probe(node: Node, pod: Pod, want: Mapping[str, str], t: float) -> str | None:
    probe = getattr(_containers(pod)[want["container"]], want["probe"])
    if probe is not None and want["handler"] in probe:
        return None
    return f"{want['container']!r} must keep a {want['handler']} {want['probe'].replace('_', ' ')}."


def _expect_memory_limit(node: Node, pod: Pod, want: str, t: float) -> str | None:
    resources: Mapping[str, Any] = _containers(pod)[want].resources or {}
    if "memory" in (resources.get("limits") or {}):
        return None
    return (
        f"{want!r} must keep a memory limit (a container without one can take the node's memory)."
    )


def _expect_init_first(node: Node, pod: Pod, want: Mapping[str, str], t: float) -> str | None:
    p = node.pod(pod.name)
    init, app = p.container(want["init"]), p.container(want["app"])
    if init.reason == "Completed" and app.started_at is not None:
        return None
    return f"{want['init']!r} did not complete before {want['app']!r} started{_why(p)}."


def _expect_deleted(node: Node, pod: Pod, want: int, t: float) -> str | None:
    seconds = _seconds_to_delete(node, pod.name, int(want))
    if seconds is not None:
        return None
    return f"the pod is still Terminating {want} s after `kubectl delete` (its containers do not stop)."


def _expect_grace(node: Node, pod: Pod, want: int, t: float) -> str | None:
    grace = pod.spec.termination_grace_period_seconds
    if grace is None or grace >= want:
        return None
    return (
        f"a grace period of {grace} s leaves the program no time to finish: keep at least {want} s."
    )


def _expect_port(node: Node, pod: Pod, want: Mapping[str, Any], t: float) -> str | None:
    ports = [p.container_port for c in pod.spec.containers for p in c.ports]
    if want["port"] in ports:
        return None
    return f"no container declares containerPort {want['port']} any more: keep it."


def _expect_mount(node: Node, pod: Pod, want: str, t: float) -> str | None:
    volumes = {v.name for v in pod.spec.volumes}
    for c in pod.spec.containers:
        if any(m.mount_path == want and m.name in volumes for m in c.volume_mounts):
            return None
    return f"no container mounts a volume at {want} any more: keep the mount, and give it a volume."


def _expect_images(node: Node, pod: Pod, want: Sequence[str], t: float) -> str | None:
    images = [c.image for c in pod.spec.containers]
    if images == list(want):
        return None
    return f"the pod must keep its containers, with the images {', '.join(want)} (it has {', '.join(map(str, images))})."


_EXPECT: dict[str, Callable[[Node, Pod, Any, float], str | None]] = {
    "status": _expect_status,
    "ready": _expect_ready,
    "restarts": _expect_restarts,
    "log_has": _expect_log,
    "exec_has": _expect_exec,
    "shared_volume": _expect_shared,
    "sidecar": _expect_sidecar,
    "probe": _expect_probe,
    "memory_limit": _expect_memory_limit,
    "init_first": _expect_init_first,
    "deleted_within": _expect_deleted,
    "grace_at_least": _expect_grace,
    "port": _expect_port,
    "mount": _expect_mount,
    "images": _expect_images,
}


# ---- the command ----


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``lab`` (with ``list``, ``start`` and ``check``) to the command's subparsers."""
    lab = subparsers.add_parser(
        "lab",
        help="exercises on pods, with checkers: list, start N, check N",
        description="Exercises on how pods behave: predict, then run. `lab list` shows them, "
        "`lab start N` writes exercise N's files, `lab check N` checks your manifest or your "
        "prediction. Exit codes: 0 right, 1 wrong (with the reason), 2 usage error.",
    )
    sub = lab.add_subparsers(dest="lab_command", required=True, metavar="ACTION")
    sub.add_parser("list", help="list the exercises: number, topic, title")
    begin = sub.add_parser("start", help="write exercise N's files into a directory")
    begin.add_argument("number", type=int, metavar="N")
    begin.add_argument("--dir", metavar="DIR", help="where to write them (default ./lab-N)")
    verify = sub.add_parser("check", help="check your manifest (FILE) or prediction (--answer)")
    verify.add_argument("number", type=int, metavar="N")
    verify.add_argument(
        "file", nargs="?", metavar="FILE", help="your manifest (default ./lab-N/pod.yaml)"
    )
    verify.add_argument("--answer", metavar="TEXT", help="your prediction, as a short text")
    return lab  # type: ignore[no-any-return]


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    """Run ``podmodel lab``: 0 right (or done), 1 wrong, 2 usage error (said on *stdout*)."""
    try:
        if args.lab_command == "list":
            every = exercises()
            width = max(len(ex.topic) for ex in every)
            for ex in every:
                stdout.write(f"{ex.number:>3}  {ex.topic:<{width}}  {ex.title} ({ex.kind})\n")
            return 0
        ex = exercise(args.number)
        if args.lab_command == "start":
            directory = args.dir or f"lab-{ex.number}"
            for path in start(ex, directory):
                stdout.write(f"wrote {path}\n")
            stdout.write(f"\n{ex.readme()}")
            return 0
        return _check(ex, args, stdout)
    except (LabError, OSError, UnicodeDecodeError) as e:
        stdout.write(f"podmodel lab: error: {e}\n")
        return 2


def _check(ex: Exercise, args: argparse.Namespace, stdout: TextIO) -> int:
    if ex.kind == "predict":
        if args.answer is None or args.file is not None:
            stdout.write(
                f"podmodel lab: error: exercise {ex.number} asks for a prediction: "
                f"podmodel lab check {ex.number} --answer 'TEXT'\n"
            )
            return 2
        verdict = check_answer(ex, args.answer)
    else:
        if args.answer is not None:
            stdout.write(
                f"podmodel lab: error: exercise {ex.number} asks for a manifest: "
                f"podmodel lab check {ex.number} FILE\n"
            )
            return 2
        path = args.file or os.path.join(f"lab-{ex.number}", "pod.yaml")
        with open(path, encoding="utf-8") as f:
            verdict = check_manifest(ex, f.read())
    if verdict.ok:
        stdout.write(f"Right: exercise {ex.number}, {ex.title}.\n")
        return 0
    stdout.write(f"Not yet: exercise {ex.number}, {ex.title}.\n")
    for reason in verdict.reasons:
        stdout.write(f"  - {reason}\n")
    return 1
