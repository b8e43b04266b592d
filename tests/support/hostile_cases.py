"""Hostile inputs for the decoder, each with the error it must produce (shared by
tests/codec/test_hostile.py, which pins the errors, and tests/benchmarks/bench_limits.py, which
measures the time and memory each takes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

import podmodel
from podmodel.codec import MAX_DOCUMENT_BYTES, MAX_DOCUMENTS

HEAD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
ONE = HEAD + "spec:\n  containers: [{name: c, image: nginx}]\n"
K = 1024


@attrs.frozen
class Case:
    name: str
    make: Callable[[], Any]
    expect: str | None  # a substring of the error, or None: it must decode
    many: bool = False
    mode: str = "Strict"
    validate: bool = False  # also validate what decodes

    def run(self) -> Any:
        return self.process(self.make())

    def process(self, text: str) -> Any:
        """Decode *text* (and validate it when the case says so)."""
        if self.many:
            pods = podmodel.load_all(text, field_validation=self.mode)
        else:
            pods = [podmodel.loads(text, field_validation=self.mode)]
        return [podmodel.validate(p) for p in pods] if self.validate else pods


def _laughs(levels: int = 10) -> str:
    return "".join(
        f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}" if i else '"lol"'] * 10) + "]\n"
        for i in range(levels)
    )


def _port(value: str) -> str:
    return (
        HEAD
        + f"spec:\n  containers: [{{name: c, image: nginx, ports: [{{containerPort: {value}}}]}}]\n"
    )


def _config_map(paths: list[str]) -> str:
    return (
        HEAD
        + "spec:\n  containers: [{name: c, image: nginx}]\n  volumes:\n  - name: v\n"
        + "    configMap:\n      name: m\n      items:\n"
        + "".join(f"      - {{key: k{i}, path: {path}}}\n" for i, path in enumerate(paths))
    )


CASES: tuple[Case, ...] = (
    Case("billion laughs (Ignore)", lambda: HEAD + _laughs(), "aliases expanded", mode="Ignore"),
    Case("billion laughs (Strict)", lambda: HEAD + _laughs(), 'unknown field "l0"'),
    Case(
        "billion laughs in extra spec field",
        lambda: _laughs() + HEAD + "spec:\n  containers: [{name: c, image: nginx}]\n  x: *l9\n",
        "aliases expanded",
        mode="Warn",
    ),
    Case("10,000 nested flow lists", lambda: "a: " + "[" * 10_000 + "]" * 10_000, "nesting depth"),
    Case(
        "10,000 nested flow maps",
        lambda: "a: " + "{a: " * 10_000 + "1" + "}" * 10_000,
        "nesting depth",
    ),
    Case(
        "1,001 nested block maps",
        lambda: "".join(" " * i + "a:\n" for i in range(1_001)),
        "nesting depth",
    ),
    Case(
        "101 nested lists in an extra field",
        lambda: ONE + "  x: " + "[" * 101 + "]" * 101 + "\n",
        "nesting deeper than 100",
        mode="Ignore",
    ),
    Case("input over 64 MiB", lambda: "#" * (64 * K * K + 1), "input larger than"),
    Case(
        "document over 512 KiB",
        lambda: ONE + "  x: [" + "a," * (MAX_DOCUMENT_BYTES // 2) + "]\n",
        f"more than {MAX_DOCUMENT_BYTES} bytes",
    ),
    Case(
        "dense document just under 512 KiB",
        lambda: ONE + "  x: [" + "a," * (MAX_DOCUMENT_BYTES // 2 - 100) + "]\n",
        "more than 50000 YAML nodes",
        mode="Ignore",
    ),
    Case(
        "10,001 documents",
        lambda: "".join(
            f"---\n{HEAD.replace('name: p', f'name: p{i}')}" for i in range(MAX_DOCUMENTS + 1)
        ),
        f"more than {MAX_DOCUMENTS} documents",
        many=True,
    ),
    Case("100,000 empty documents", lambda: "---\n" * 100_000, "documents", many=True),
    Case(
        "12,000 volumes",
        lambda: (
            ONE
            + "  volumes:\n"
            + "".join(f"  - {{name: v{i}, emptyDir: {{}}}}\n" for i in range(12_000))
        ),
        "more than 50000 YAML nodes",
    ),
    Case(
        "5,000 containers (decodes, validates)",
        lambda: (
            HEAD
            + "spec:\n  containers:\n"
            + "".join(f"  - {{name: c{i}, image: nginx}}\n" for i in range(5_000))
        ),
        None,
        validate=True,
    ),
    # Each pair of ports on one number is a warning: quadratic, until the API server's warning
    # recorder has spent its 4 KiB (then podmodel stops looking).
    Case(
        "4,000 containers on port 80 (validates)",
        lambda: (
            HEAD
            + "spec:\n  containers:\n"
            + "".join(
                f"  - {{name: c{i}, image: nginx, ports: [{{containerPort: 80}}]}}\n"
                for i in range(4_000)
            )
        ),
        None,
        validate=True,
    ),
    Case(
        "10,000 ports of one number in one container (validates)",
        lambda: (
            HEAD
            + "spec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n"
            + "    - {containerPort: 80}\n" * 10_000
        ),
        None,
        validate=True,
    ),
    # Items of one volume on overlapping paths are a warning per colliding pair.
    Case(
        "configMap: 9,000 items on one path (validates)",
        lambda: _config_map(["p"] * 9_000),
        None,
        validate=True,
    ),
    Case(
        "configMap: 8,000 items on distinct nested paths (validates)",
        lambda: _config_map([f"d{i % 50}/f{i}" for i in range(8_000)]),
        None,
        validate=True,
    ),
    Case(
        "8,000 env entries of one name (validates)",
        lambda: (
            HEAD
            + "spec:\n  containers:\n  - name: c\n    image: nginx\n    env:\n"
            + "".join(f"    - {{name: A, value: '{i}'}}\n" for i in range(8_000))
        ),
        None,
        validate=True,
    ),
    Case(
        "a 400 KiB name (decodes)", lambda: HEAD.replace("name: p", "name: " + "a" * 400 * K), None
    ),
    Case(
        "non-UTF-8 bytes", lambda: HEAD.encode().replace(b"name: p", b"name: \xff\xfe\xfa"), "UTF-8"
    ),
    Case("NUL byte", lambda: HEAD.replace("name: p", "name: a\x00b"), "control characters"),
    # Keys become JSON field names, as kubectl sends them (k8s-oracle --yaml agrees).
    Case("integer key", lambda: ONE + "  1: 2\n", 'unknown field "spec.1"'),
    Case("boolean key", lambda: ONE + "  yes: 2\n", 'unknown field "spec.true"'),
    Case("null key", lambda: ONE + "  ~: 2\n", "unsupported map key of type: <nil>"),
    Case("list as a key", lambda: ONE + "  ? [a]\n  : 2\n", "unhashable key"),
    Case(
        "tab indentation",
        lambda: "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n",
        "cannot start any token",
    ),
    # go-yaml ignores tags it does not know: the node is read as if untagged, nothing is run.
    Case(
        "python tag (ignored, decodes)",
        lambda: HEAD + "spec: !!python/object:os.system {}\n",
        None,
    ),
    Case("custom tag (ignored, decodes)", lambda: HEAD + "spec: !foo {}\n", None),
    # Out of int64 and float64 range for Go: the digits stay a string.
    Case(
        "5,000-digit integer",
        lambda: _port("9" * 5_000),
        "expected 32-bit integer, found string",
    ),
    Case("containerPort 2^31 (int32)", lambda: _port(str(2**31)), "32-bit integer"),
    Case("sexagesimal 1:20 is a string", lambda: _port("1:20"), 'Invalid value: "1:20"'),
    Case("0o755 is octal 493 (decodes)", lambda: _port("0o755"), None),
    Case(".inf port", lambda: _port(".inf"), "json: unsupported value: +Inf"),
    Case(".nan port", lambda: _port(".nan"), "json: unsupported value: NaN"),
    Case("yes as hostNetwork (YAML 1.1 bool, decodes)", lambda: ONE + "  hostNetwork: yes\n", None),
    Case(
        "NO as a label value (YAML 1.1 bool)",
        lambda: HEAD.replace("metadata: {name: p}", "metadata: {name: p, labels: {country: NO}}"),
        "expected string, found boolean",
    ),
    Case(
        "2024-01-01 as an env value (stays a string, decodes)",
        lambda: (
            HEAD
            + "spec:\n  containers: [{name: c, image: nginx, env: [{name: D, value: 2024-01-01}]}]\n"
        ),
        None,
    ),
    Case(
        "merge key << (YAML 1.1 merge, decodes)",
        lambda: HEAD + "spec:\n  containers: [{<<: {name: c, image: nginx}}]\n",
        None,
    ),
    Case("empty input", lambda: "", "found 0"),
    Case("a scalar document", lambda: "hello", "expected a mapping"),
    Case("UTF-16 with BOM (decodes)", lambda: ONE.encode("utf-16"), None),
    Case("invalid surrogate escape", lambda: HEAD.replace("name: p", 'name: "\\ud800"'), "Unicode"),
)


# ---- scripts: podmodel's shell stays bounded, whatever a container or exec runs ----


@attrs.frozen
class ShellCase:
    """A hostile script and its documented outcome: the exit code (``None``: it is still
    running when the simulated time is up) and words of its standard error (or output)."""

    name: str
    script: str
    code: int | None
    says: str = ""
    #: simulated seconds to run it for (a shorter time for the slowest to simulate)
    seconds: float = 60.0

    def run(self) -> Any:
        """Run the script on its own for :attr:`seconds` of simulated time."""
        from podmodel.kubelet.shell import run, simple_system, start

        return run(start(self.script), simple_system(), until=self.seconds)


SHELL_CASES: tuple[ShellCase, ...] = (
    # CPU-bound: 10,000 steps per simulated second, so it is still running when time is up
    ShellCase("busy loop", "while true; do :; done", None),
    # the pids cgroup: the 65th background job cannot fork, and ash gives up
    ShellCase(
        "fork bomb", "f() { f & f; }; f", 2, "sh: can't fork: Resource temporarily unavailable"
    ),
    ShellCase(
        "64 busy jobs share one CPU",
        "for i in $(seq 64); do while :; do :; done & done; wait",
        None,
        seconds=5.0,
    ),
    # a pipe holds 1 MiB: then the writer gets SIGPIPE
    ShellCase("yes | head", "yes | head -n 3", 0, "y\ny\ny\n"),
    ShellCase("an endless command substitution", "x=$(yes); echo ${#x}", 0, "1048577"),
    ShellCase("a variable doubling", "x=a; while true; do x=$x$x; done", 1, "sh: out of memory"),
    ShellCase(
        "a file doubling",
        "echo a > /tmp/f; while true; do cat /tmp/f /tmp/f > /tmp/g || exit 9; mv /tmp/g /tmp/f; done",
        9,
        "cat: write error: No space left on device",
    ),
    ShellCase(
        "a here-document of 300 MB",
        "cat <<EOF\n" + "x" * (300 << 20) + "\nEOF\n",
        2,
        "sh: syntax error: script too long",
    ),
    ShellCase("deep recursion", "f() { f; }; f", 2, "sh: stack overflow (too many nested calls)"),
    ShellCase(
        "50,000 nested subshells",
        "(" * 50_000 + "true" + ")" * 50_000,
        2,
        "sh: syntax error: too deeply nested",
    ),
    ShellCase(
        "huge $((...))",
        "echo $((" + "(" * 50_000 + "1" + ")" * 50_000 + "))",
        2,
        "sh: recursion too deep",
    ),
    ShellCase("a long $((...))", "echo $((" + "+".join(["1"] * 100_000) + "))", 0, "100000"),
    ShellCase(
        "2^63 wraps",
        "echo $((1 << 63)) $((9223372036854775807 + 1))",
        0,
        "-9223372036854775808 -9223372036854775808",
    ),
)
