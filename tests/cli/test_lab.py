"""``podmodel lab``: every exercise's files, its checker on the right answer and on wrong ones,
the ``list`` output and the usage errors."""

from __future__ import annotations

import argparse
import io
import pathlib
import re

import pytest

from podmodel.cli import _lab
from podmodel.cli._lab import Exercise, add_parser, run

EXERCISES = _lab.exercises()
PREDICT = [ex for ex in EXERCISES if ex.kind == "predict"]
FIX = [ex for ex in EXERCISES if ex.kind == "fix"]
TOPICS = {
    "shared network and ports",
    "volumes and their lifetimes",
    "init containers and sidecars",
    "probes",
    "restart policies and back-off",
    "resources and OOM",
    "configMap, secret and downward API",
    "hostPort and hostNetwork",
    "graceful termination",
    "debugging a broken manifest",
}
DOCS = pathlib.Path(__file__).parents[2] / "docs" / "tutorial" / "exercises.md"


def lab(*argv: str) -> tuple[int, str]:
    """Run ``podmodel lab ARGV...`` as the command line would; return (exit code, output)."""
    parser = argparse.ArgumentParser(prog="podmodel")
    add_parser(parser.add_subparsers(dest="subcommand", required=True))
    out = io.StringIO()
    return run(parser.parse_args(["lab", *argv]), out), out.getvalue()


def ids(ex: Exercise) -> str:
    return ex.slug


def wrong_predictions(ex: Exercise) -> list[str]:
    """Answers that are not the reference: the other of yes/no, a neighbouring number, a
    plausible status."""
    ref = ex.reference
    if ref in ("yes", "no"):
        return ["no" if ref == "yes" else "yes"]
    if ref.isdigit():
        return [str(int(ref) + 1), "" if ref == "0" else str(int(ref) - 1)]
    return [a for a in ("Running", "Completed", "2/2 Running") if a != ref]


def test_there_are_enough_exercises_on_every_topic() -> None:
    assert len(EXERCISES) >= 25
    assert [ex.number for ex in EXERCISES] == list(range(1, len(EXERCISES) + 1))
    assert {ex.topic for ex in EXERCISES} == TOPICS
    assert len(FIX) >= 10
    assert len(PREDICT) >= 10


def test_list_shows_number_topic_and_title() -> None:
    code, out = lab("list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(EXERCISES)
    for ex, line in zip(EXERCISES, lines, strict=True):
        assert re.match(rf"\s*{ex.number}\s+{re.escape(ex.topic)}\s+{re.escape(ex.title)} ", line)
    assert lines[0].split()[0] == "1"


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_start_writes_the_files_and_refuses_to_overwrite(
    ex: Exercise, tmp_path: pathlib.Path
) -> None:
    target = tmp_path / "here"
    code, out = lab("start", str(ex.number), "--dir", str(target))
    assert code == 0, out
    assert sorted(p.name for p in target.iterdir()) == sorted(("README.md", *ex.files))
    for name in ex.files:
        assert (target / name).read_text() == ex.read(name)
        assert f"wrote {target / name}" in out
    readme = (target / "README.md").read_text()
    assert ex.title in readme
    assert ex.question.strip() in readme
    assert ex.answer.strip() not in readme  # the answer stays hidden
    assert "solution.yaml" not in ex.files
    (target / "pod.yaml").write_text("edited by the student\n")
    code, out = lab("start", str(ex.number), "--dir", str(target))
    assert code == 2
    assert "already exists" in out
    assert (target / "pod.yaml").read_text() == "edited by the student\n"


@pytest.mark.parametrize("ex", PREDICT, ids=ids)
def test_the_right_prediction_passes(ex: Exercise) -> None:
    code, out = lab("check", str(ex.number), "--answer", ex.reference)
    assert (code, out) == (0, f"Right: exercise {ex.number}, {ex.title}.\n")


@pytest.mark.parametrize("ex", PREDICT, ids=ids)
def test_a_wrong_prediction_fails_with_a_reason(ex: Exercise) -> None:
    for answer in wrong_predictions(ex):
        code, out = lab("check", str(ex.number), "--answer", answer)
        assert code == 1, (answer, out)
        assert out.startswith(f"Not yet: exercise {ex.number}")
        assert "is not what happens" in out


@pytest.mark.parametrize("ex", FIX, ids=ids)
def test_the_solution_passes(ex: Exercise, tmp_path: pathlib.Path) -> None:
    assert ex.reference == "solution.yaml"
    solution = tmp_path / "solution.yaml"
    solution.write_text(ex.read("solution.yaml"))
    code, out = lab("check", str(ex.number), str(solution))
    assert (code, out) == (0, f"Right: exercise {ex.number}, {ex.title}.\n")


@pytest.mark.parametrize("ex", FIX, ids=ids)
def test_the_starting_manifest_fails_with_a_reason(
    ex: Exercise, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert lab("start", str(ex.number))[0] == 0  # into ./lab-N, where check looks by default
    code, out = lab("check", str(ex.number))
    assert code == 1, out
    first, *reasons = out.splitlines()
    assert first == f"Not yet: exercise {ex.number}, {ex.title}."
    assert reasons
    assert all(r.startswith("  - ") and len(r) > 20 for r in reasons)


@pytest.mark.parametrize(
    ("number", "answer"),
    [
        (1, "1/2 crashloopbackoff"),
        (1, "READY 1/2, STATUS CrashLoopBackOff"),
        (10, "init:0/1"),
        (6, "4 lines"),
        (3, "Yes, it does."),
        (4, "no"),
        (27, "the volume"),
        (31, "30 seconds"),
    ],
)
def test_predictions_are_normalized(number: int, answer: str) -> None:
    assert _lab.check_answer(_lab.exercise(number), answer).ok


@pytest.mark.parametrize(
    ("number", "answer"),
    [
        (1, "1/2"),
        (1, "CrashLoopBackOff 1/2"),
        (3, "yes and no"),
        (4, "it does not, yes"),
        (6, "4 or 5"),
        (27, ""),
    ],
)
def test_half_answers_fail(number: int, answer: str) -> None:
    assert not _lab.check_answer(_lab.exercise(number), answer).ok


@pytest.mark.parametrize(
    ("number", "edit"),
    [
        # another port for the replica, declared too: the rule is "both run", not one file
        (2, lambda s: s.replace('"6380"]', '"6381"]\n    ports: [{containerPort: 6381}]')),
        (21, lambda s: s.replace("OnFailure", "Never")),
        (24, lambda s: s.replace("300Mi", "1Gi")),
        (16, lambda s: s.replace("path: /,", "path: /index.html,")),
        (32, lambda s: s.replace("spec:\n", "spec:\n  terminationGracePeriodSeconds: 10\n")),
    ],
)
def test_other_right_solutions_pass(number: int, edit: object, tmp_path: pathlib.Path) -> None:
    ex = _lab.exercise(number)
    text = edit(ex.read("solution.yaml"))  # type: ignore[operator]
    assert text != ex.read("solution.yaml")
    verdict = _lab.check_manifest(ex, text)
    assert verdict.ok, verdict.reasons


@pytest.mark.parametrize(
    ("number", "edit", "reason"),
    [
        # removing the crashing container is not a fix
        (2, lambda s: s.split("  - name: replica")[0], "the container 'replica' is gone"),
        # echoing the line instead of reading the shared file
        (5, lambda s: s.replace("cat /data/msg.txt", "echo hello from writer"), "command"),
        # a literal name, not the downward API: the checker renames the pod
        (
            28,
            lambda s: s.replace(
                "valueFrom:\n        fieldRef: {fieldPath: metadata.name}", "value: greeter"
            ),
            "hello from lab-check-renamed",
        ),
        (24, lambda s: s.replace("      limits: {memory: 300Mi}\n", ""), "memory limit"),
        (16, lambda s: s.replace("livenessProbe", "readinessProbe"), "httpGet liveness probe"),
        # the shipper as an app container: it runs, but it is not a sidecar
        (
            14,
            lambda s: (
                s.replace("  containers:\n  - name: app", "  - name: app")
                .replace("initContainers:", "containers:")
                .replace("    restartPolicy: Always\n", "")
            ),
            "must stay an init container",
        ),
        (
            32,
            lambda s: s.replace("spec:\n", "spec:\n  terminationGracePeriodSeconds: 1\n"),
            "grace period",
        ),
        (35, lambda s: s.replace("  - name: cache\n    image: redis\n", ""), "images nginx, redis"),
    ],
)
def test_wrong_fixes_fail_with_the_reason(
    number: int, edit: object, reason: str, tmp_path: pathlib.Path
) -> None:
    ex = _lab.exercise(number)
    text = edit(ex.read("solution.yaml"))  # type: ignore[operator]
    assert text != ex.read("solution.yaml")
    verdict = _lab.check_manifest(ex, text)
    assert not verdict.ok
    assert any(reason in r for r in verdict.reasons), verdict.reasons


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: [b\n", "not YAML"),
        ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n", "not one Pod manifest"),
        ("- 1\n- 2\n", "not one Pod manifest"),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec: {containers: []}\n",
            "Required value",
        ),
    ],
)
def test_a_broken_file_is_wrong_not_a_crash(text: str, reason: str, tmp_path: pathlib.Path) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(text)
    code, out = lab("check", "2", str(f))
    assert code == 1
    assert reason in out


def test_usage_errors(tmp_path: pathlib.Path) -> None:
    predict, fix = PREDICT[0].number, FIX[0].number
    assert lab("start", "99") == (
        2,
        "podmodel lab: error: there is no exercise 99 (podmodel lab list shows them)\n",
    )
    assert lab("check", "0", "--answer", "x")[0] == 2
    code, out = lab("check", str(predict))
    assert code == 2
    assert f"podmodel lab check {predict} --answer" in out
    assert lab("check", str(predict), "pod.yaml", "--answer", "x")[0] == 2
    code, out = lab("check", str(fix), "--answer", "Running")
    assert code == 2
    assert f"podmodel lab check {fix} FILE" in out
    code, out = lab("check", str(fix), str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "missing.yaml" in out
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00")
    assert lab("check", str(fix), str(tmp_path / "binary.yaml"))[0] == 2
    for argv in ([], ["start"], ["start", "one"], ["check"], ["frobnicate"]):
        with pytest.raises(SystemExit) as exc:
            lab(*argv)
        assert exc.value.code == 2


def test_the_docs_page_shows_every_exercise_with_a_hidden_answer() -> None:
    page = DOCS.read_text()
    for ex in EXERCISES:
        assert f"## {ex.number}. {ex.title}" in page
        section = page.split(f"## {ex.number}. {ex.title}")[1].split("\n## ")[0]
        assert ex.read("pod.yaml").strip() in section
        assert "<details>\n<summary>Answer</summary>" in section
        hidden = section.split("<summary>Answer</summary>")[1]
        assert ex.answer.strip().split("\n")[0] in hidden
    assert "error.value" not in page


def test_every_error_the_server_would_give_is_its_own_reason() -> None:
    ex = next(e for e in EXERCISES if e.slug == "35-fix-every-error")
    verdict = _lab.check_manifest(ex, ex.read("pod.yaml"))
    fields = [r.split(": ")[1] for r in verdict.reasons]
    assert fields == [
        "metadata.name",
        "spec.containers[0].ports[1].containerPort",
        "spec.containers[0].volumeMounts[0].name",
        "spec.containers[1].name",
    ]
    assert all(r.startswith("the API server would refuse it: ") for r in verdict.reasons)
