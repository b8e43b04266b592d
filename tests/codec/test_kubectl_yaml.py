"""YAML text is read exactly as kubectl reads it (go-yaml v2 behind sigs.k8s.io/yaml, then
YAML→JSON), checked against ``k8s-oracle --yaml`` (the real kubectl v1.35 client code).

* Example tests pin each rule with its value (what the oracle sends for the same text).
* A property test sends Hypothesis-generated manifests full of YAML 1.1/1.2 edge scalars to the
  oracle: podmodel's data equals kubectl's request body, and podmodel fails exactly when kubectl
  refuses the text or the server fails to decode it.
* Every document of ../shared/corpus and ../shared/corpus-workloads reads as kubectl reads it.
* ``dumps`` quotes every string kubectl would read as something else.
"""

from __future__ import annotations

import csv
import math
import warnings
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel import DecodeError, ErrorType
from podmodel.codec import _yaml
from podmodel.strategies import pods

if TYPE_CHECKING:
    import pathlib

    from tests.support.oracle import Oracle

HEAD = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"


def data_of(text: str) -> list[Any]:
    """The plain data podmodel reads from *text*: one item per non-empty document."""
    return [d.data for d in _yaml.iter_documents(text) if d.data is not None]


def value_of(scalar: str) -> Any:
    (doc,) = data_of(f"v: {scalar}\n")
    return doc["v"]


# --- the rules, one by one ---------------------------------------------------------------------

#: (plain text, what kubectl sends): each checked against the oracle too.
SCALARS: list[tuple[str, Any]] = [
    # floats without a dot are numbers; an integral number carries no fraction in JSON
    ("8e3", 8000),
    ("1e3", 1000),
    ("1E+3", 1000),
    ("1.5e3", 1500),
    ("3.0", 3),
    ("-0.0", 0),
    (".5", 0.5),
    ("+.5", 0.5),
    ("1.", 1),
    ("-1.", -1),
    ("1e-7", 1e-7),
    ("1e-400", 0),
    ("2e308", "2e308"),  # out of float64 range: strconv fails, the text stays a string
    ("._5", "._5"),
    (".5_5", 0.55),
    ("1e3e3", "1e3e3"),
    # Go integers: strconv.ParseInt(s, 0, 64) after dropping underscores
    ("0o17", 15),
    ("0O17", 15),
    ("017", 15),
    ("08", 8),  # not octal: read as the float 8
    ("0x1F", 31),
    ("-0x1F", -31),
    ("0b101", 5),
    ("-0b101", -5),
    ("1_000", 1000),
    ("1__0", 10),
    ("0_x1F", 31),
    ("+_1", 1),
    ("_1", "_1"),
    ("+1", 1),
    ("-0", 0),
    ("0b2", "0b2"),
    ("0x", "0x"),
    ("0x1p3", "0x1p3"),
    # past int64: kubectl's JSON decoding makes it a float64
    ("9223372036854775807", 9223372036854775807),
    ("9223372036854775808", 9223372036854776000),
    ("18446744073709551615", 18446744073709552000),
    ("0xFFFFFFFFFFFFFFFF", 18446744073709552000),
    ("0x10000000000000000", "0x10000000000000000"),
    ("123456789012345678901234567890", 1.2345678901234568e29),
    # YAML 1.1 booleans, in go-yaml's spellings only
    *[(w, True) for w in ("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE")],
    *[(w, False) for w in ("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "FALSE")],
    *[(w, w) for w in ("yEs", "oN", "tRUE", "nO", "yes!", "On1")],
    # nulls
    *[(w, None) for w in ("~", "null", "Null", "NULL", "")],
    ("nULL", "nULL"),
    # strings that PyYAML alone would read otherwise
    ("2024-01-01", "2024-01-01"),
    ("2001-12-14T21:59:43.10Z", "2001-12-14T21:59:43.10Z"),
    ("22:22", "22:22"),
    ("1:20", "1:20"),
    ("=", "="),
    ("inf", "inf"),
    ("NaN", "NaN"),
    # quotes and escapes
    ("'yes'", "yes"),
    ('"8e3"', "8e3"),
    ("'it''s'", "it's"),
    ('"a\\\'b"', "a'b"),
    ('"\\x41\\u00e9\\e"', "Aé\x1b"),
    # tags
    ("!!str 8e3", "8e3"),
    ("!!int '17'", 17),
    ("!!float 1", 1),
    ("!!bool yes", True),
    ("!!null ''", None),
    ("!!timestamp 2024-01-01", "2024-01-01"),
    ("!!binary aGVsbG8=", "hello"),
    ("!foo bar", "bar"),
    ("!!set {a: null}", {"a": None}),
]


@pytest.mark.parametrize(("text", "expected"), SCALARS, ids=[repr(t) for t, _ in SCALARS])
def test_scalars_resolve_as_kubectl_sends_them(text: str, expected: Any) -> None:
    got = value_of(text)
    assert got == expected
    assert type(got) is type(expected)


def test_the_scalar_table_is_what_kubectl_sends(kubectl_oracle: Oracle) -> None:
    texts = [f"{HEAD}v: {text}\n" for text, _ in SCALARS]
    answers = kubectl_oracle.check_many(texts)
    for (text, expected), answer in zip(SCALARS, answers, strict=True):
        (doc,) = answer
        assert doc["json"]["v"] == expected, text
        assert type(doc["json"]["v"]) is type(expected), text


#: Texts go-yaml (or kubectl's reader) refuses, and the words podmodel's error uses.
REFUSED: list[tuple[str, str]] = [
    (HEAD + "v: .inf\n", "json: unsupported value: +Inf"),
    (HEAD + "v: [-.Inf]\n", "json: unsupported value: -Inf"),
    (HEAD + "v: .nan\n", "json: unsupported value: NaN"),
    (HEAD + "v: !!int 1.5\n", "cannot decode !!float `1.5` as a !!int"),
    (HEAD + "v: !!int\n", "cannot decode !!null `` as a !!int"),
    (HEAD + 'v: "a\\/b"\n', "found unknown escape character '/'"),
    (HEAD + "v: {<<: 5}\n", "map merge requires map or sequence of maps as the value"),
    (HEAD + "v: {~: a}\n", "unsupported map key of type: <nil>"),
    (HEAD + "v: {18446744073709551615: a}\n", "unsupported map key of type: uint64"),
    (HEAD + "v: &a [1, *a]\n", "contains itself"),
    ("a: 1\n---x\nb: 2\n", "invalid Yaml document separator: x"),
    ("a: 1\n--- {b: 2}\n", "invalid Yaml document separator: {b: 2}"),
    ("# c\n%YAML 1.1\n---\na: 1\n", "did not find expected <document start>"),
]


@pytest.mark.parametrize(("text", "words"), REFUSED, ids=[t.removeprefix(HEAD) for t, _ in REFUSED])
def test_what_go_yaml_refuses_fails(text: str, words: str) -> None:
    with pytest.raises((yaml.YAMLError, ValueError)) as info:
        data_of(text)
    assert words in str(info.value)
    with pytest.raises(DecodeError) as decode_info:
        podmodel.load_all(text)
    assert words in str(decode_info.value)


def test_what_go_yaml_refuses_kubectl_refuses(kubectl_oracle: Oracle) -> None:
    for (text, _), answer in zip(
        REFUSED, kubectl_oracle.check_many([t for t, _ in REFUSED]), strict=True
    ):
        assert any(d["yaml_error"] for d in answer), text


def test_keys_become_json_field_names() -> None:
    (doc,) = data_of("{1: a, 1.5: b, yes: c, 0x1F: d, 8e30: e, 1e3: f, .inf: g, 2024-01-01: h}")
    assert doc == {
        "1": "a",
        "1.5": "b",
        "true": "c",
        "31": "d",
        "8e+30": "e",
        "1000": "f",
        ".inf": "g",
        "2024-01-01": "h",
    }


def test_merge_keys_write_over_the_keys_before_them() -> None:
    # go-yaml v2, not the YAML spec: `<<` overrides earlier keys; among merged maps, the first
    # wins; keys after `<<` win over it.
    text = "x: &x {a: 1}\nz: &z {a: 2, b: 2}\nv: {a: 0, <<: [*x, *z]}\nw: {<<: *z, a: 3}\n"
    (doc,) = data_of(text)
    assert doc["v"] == {"a": 1, "b": 2}
    assert doc["w"] == {"a": 3, "b": 2}


def test_anchors_may_be_redefined() -> None:
    (doc,) = data_of("x: &a 1\ny: *a\nz: &a 2\nw: *a\n")
    assert doc == {"x": 1, "true": 1, "z": 2, "w": 2}  # the key y is the boolean true


def test_documents_are_cut_as_kubectl_cuts_them() -> None:
    assert data_of("") == []
    assert data_of("---\n---\n# only a comment\n---\n~\n---\nnull\n") == []
    assert data_of("\ufeff\ufeffa: 1\n---\n\ufeffb: 2\n") == [{"a": 1}, {"b": 2}]
    assert data_of("a: 1\n--- # comment\nb: 2\n") == [{"a": 1}, {"b": 2}]
    # go-yaml reads one document per cut: what follows `...` is never read
    assert data_of("a: 1\n...\nnot: [yaml\n---\nb: 2\n") == [{"a": 1}, {"b": 2}]
    assert data_of('{"a": 1.0, "b": "x\\/y"}') == [{"a": 1, "b": "x/y"}]


def test_escaped_single_quote_keeps_later_columns_usable() -> None:
    text = HEAD + 'spec:\n  containers:\n  - {name: "c\\\'", image: nginx, bad: 1}\n'
    with pytest.raises(DecodeError) as info:
        podmodel.loads(text)
    (err,) = info.value.errors
    assert err.path == "spec.containers[0].bad"
    assert err.location is not None
    assert err.location.line == 6


def test_a_duplicate_key_keeps_the_last_value_as_kubectl_does(kubectl_oracle: Oracle) -> None:
    text = HEAD + "spec:\n  containers:\n  - name: c\n    image: nginx\n    image: redis\n"
    (doc,) = kubectl_oracle.check(text)
    with pytest.warns(podmodel.DecodeWarning) as caught:
        pod = podmodel.loads(text)
    assert podmodel.to_dict(pod) == doc["json"]
    assert [str(w.message) for w in caught] == [
        'duplicate field "spec.containers[0].image"; written on line 7 and again on line 8: '
        "the last value (line 8) is kept, as kubectl does"
    ]


# --- dumps quotes what kubectl would read otherwise --------------------------------------------


@pytest.mark.parametrize(
    "word", ["8e3", "yes", "y", "N", "0o17", "1_000", "~", "", "0x1F", ".5", "OFF", "null", "-1."]
)
def test_dumps_quotes_strings_kubectl_would_read_as_something_else(word: str) -> None:
    pod = podmodel.from_dict(
        {**yaml.safe_load(HEAD), "metadata": {"name": "a", "labels": {"k": word}}}
    )
    text = podmodel.dumps(pod)
    assert f"k: '{word}'" in text
    assert data_of(text)[0]["metadata"]["labels"]["k"] == word


def test_dumps_leaves_plain_what_stays_a_string() -> None:
    pod = podmodel.from_dict(
        {**yaml.safe_load(HEAD), "metadata": {"name": "a", "labels": {"x": "yEs", "z": "1-2"}}}
    )
    assert "x: yEs\n" in podmodel.dumps(pod)
    assert "z: 1-2\n" in podmodel.dumps(pod)
    extra = podmodel.from_dict({**yaml.safe_load(HEAD), "y": 1}, field_validation="Ignore")
    assert "\n'y': 1\n" in podmodel.dumps(extra)  # a key y would be the boolean true


EDGE_WORDS = [w for w, _ in SCALARS if not w.startswith(("!", "'", '"'))]


@given(
    st.lists(
        st.tuples(pods(max_containers=2), st.lists(st.sampled_from(EDGE_WORDS), max_size=4)),
        min_size=10,
        max_size=10,
    )
)
# ten pods per example: a fifth of the profile's examples (2,000 pods in CI) keeps it near a minute
@settings(deadline=None, max_examples=max(10, (settings.default.max_examples or 100) // 5))
def test_kubectl_reads_dumps_as_to_dict(kubectl_oracle: Oracle, cases: list[Any]) -> None:
    made = []
    for pod, words in cases:
        doc = podmodel.to_dict(pod)
        doc["metadata"]["annotations"] = {f"k{i}": w for i, w in enumerate(words)}
        doc["spec"]["containers"][0]["args"] = list(words)
        made.append(podmodel.from_dict(doc))
    answers = kubectl_oracle.check_many([podmodel.dumps(p) for p in made])
    for pod, answer in zip(made, answers, strict=True):
        (doc,) = answer
        assert doc["json"] == podmodel.to_dict(pod)


# --- generated manifests against the oracle ----------------------------------------------------


def _digits(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet + "_", min_size=1, max_size=6).filter(lambda s: s[0] != "_")


_INTEGERS = st.builds(
    lambda sign, prefix, digits: sign + prefix + digits,
    st.sampled_from(["", "", "-", "+"]),
    st.sampled_from(["", "0", "0o", "0O", "0x", "0X", "0b", "0B"]),
    _digits("0123456789abcdefABCDEF"),
)
_FLOATS = st.builds(
    lambda sign, whole, frac, exp: sign + whole + frac + exp,
    st.sampled_from(["", "-", "+"]),
    st.sampled_from(["", "0", "1", "8", "12", "1_0", "9" * 25]),
    st.sampled_from(["", ".", ".5", ".25", ".0", ".5_5"]),
    st.sampled_from(["", "e3", "E3", "e+3", "e-3", "e0", "e400", "e-400", "e3_0"]),
).filter(bool)
_WORDS = st.sampled_from(
    [
        *(
            c + rest
            for word in ("yes", "no", "on", "off", "true", "false", "null")
            for c, rest in (
                (word[0], word[1:]),
                (word[0].upper(), word[1:]),
                (word[0].upper(), word[1:].upper()),
                (word[0], word[1:].upper()),
            )
        ),
        *"yYnN~",
        "",
        ".inf",
        "-.Inf",
        "+.INF",
        ".nan",
        ".NaN",
        "inf",
        "2024-01-01",
        "2024-1-1",
        "2001-12-14T21:59:43.10Z",
        "2001-12-14 21:59:43.10",
        "22:22",
        "1:20",
        "=",
        "<<",
        "-",
        "a b",
        "x",
    ]
)
_PLAIN = st.one_of(_INTEGERS, _FLOATS, _WORDS)
_QUOTED = st.one_of(
    _PLAIN.map(lambda s: f"'{s}'"),
    _PLAIN.map(lambda s: f'"{s}"'),
    st.sampled_from(['"a\\\'b"', '"\\x41\\u00e9"', '"a\\/b"', '"\\t\\ "', "'it''s'", '"\\e"']),
)
_TAGGED = st.builds(
    lambda tag, s: f"{tag} {s}",
    st.sampled_from(["!!str", "!!int", "!!float", "!!bool", "!!null", "!foo", "!!timestamp"]),
    st.one_of(_PLAIN, _QUOTED),
)
SCALAR = st.one_of(_PLAIN, _PLAIN, _QUOTED, _TAGGED)
_STRINGS = st.sampled_from(["nginx", "'80'", "x y", "yEs", "1-2", "2024-01-01", "22:22", "._5"])
STRINGY = st.one_of(_QUOTED, _PLAIN, _STRINGS, _STRINGS, _STRINGS)
KEY = st.one_of(st.sampled_from(["a", "app", "1", "01", "0x1F", "yes", "on", "1.5", "8e3"]), _PLAIN)


@st.composite
def manifest_texts(draw: st.DrawFn) -> str:
    """A Pod manifest whose values come from the edge-scalar grammar (most decode, some not)."""
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: edge"]
    if draw(st.booleans()):
        lines += ["  labels:", f"    {draw(KEY)}: {draw(STRINGY)}", f"    b: {draw(STRINGY)}"]
    if draw(st.booleans()):
        lines += ["  annotations:", f"    {draw(KEY)}: {draw(SCALAR)}"]
    lines += ["spec:", "  containers:", "  - name: c", f"    image: {draw(STRINGY)}"]
    if draw(st.booleans()):
        port = draw(st.one_of(_INTEGERS, _FLOATS, st.sampled_from(["8e3", "0o17", "80"]), SCALAR))
        lines += ["    ports:", f"    - containerPort: {port}"]
    env = draw(st.sampled_from(["none", "plain", "anchor", "merge"]))
    if env == "plain":
        lines += ["    env:", "    - name: A", f"      value: {draw(STRINGY)}"]
    elif env == "anchor":
        lines += [
            "    env:",
            f"    - {{name: A, value: &v {draw(STRINGY)}}}",
            "    - {name: B, value: *v}",
        ]
    elif env == "merge":
        lines += [
            "    env:",
            f"    - &e {{name: A, value: {draw(STRINGY)}}}",
            "    - <<: *e",
            f"      name: {draw(st.sampled_from(['B', 'A', 'n', '0o17']))}",
        ]
    if draw(st.booleans()):
        lines.append(f"  enableServiceLinks: {draw(st.one_of(_WORDS, _WORDS, SCALAR))}")
    if draw(st.booleans()):
        seconds = draw(st.one_of(_INTEGERS, _FLOATS, SCALAR))
        lines.append(f"  terminationGracePeriodSeconds: {seconds}")
    if draw(st.booleans()):
        lines.append(f"  restartPolicy: {draw(st.sampled_from(['Always', 'Never']))}")
    return "\n".join(lines) + "\n"


def kubectl_fails(doc: dict[str, Any]) -> bool:
    answer = doc.get("answer") or {}
    return bool(doc["yaml_error"] or doc.get("kubectl_error") or answer.get("decode_errors"))


def _null_in_a_string_map(exc: DecodeError) -> bool:
    """The one known difference, in the typed decoder, not the YAML front end: a null value in
    a map of strings (``labels: {a: ~}``) is "" on the server, an error in podmodel."""
    return all(
        e.type is ErrorType.TYPE_INVALID
        and e.bad_value is None
        and e.field.segments[:2] in (("metadata", "labels"), ("metadata", "annotations"))
        for e in exc.errors
    )


def agree(text: str, answer: list[dict[str, Any]]) -> None:
    """podmodel reads *text* as kubectl does (*answer*: the oracle's documents)."""
    (doc,) = answer
    if doc["yaml_error"]:
        with pytest.raises((yaml.YAMLError, ValueError)):
            data_of(text)
    else:
        assert data_of(text) == [doc["json"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", podmodel.DecodeWarning)
        try:
            pod = podmodel.loads(text, field_validation="Warn")
        except DecodeError as exc:
            assert kubectl_fails(doc) or _null_in_a_string_map(exc), (str(exc), doc)
        else:
            assert not kubectl_fails(doc), doc
            assert podmodel.to_dict(pod) == doc["json"]


@given(st.lists(manifest_texts(), min_size=25, max_size=25))
@settings(deadline=None)
def test_generated_manifests_read_as_kubectl_reads_them(
    kubectl_oracle: Oracle, texts: list[str]
) -> None:
    for text, answer in zip(texts, kubectl_oracle.check_many(texts), strict=True):
        agree(text, answer)


# --- the shared corpora ------------------------------------------------------------------------


def _expected(answer: list[dict[str, Any]]) -> list[Any]:
    return [d["json"] for d in answer]


def _ours(text: str) -> list[Any]:
    """podmodel's data for each object kubectl sends: a List's items one by one."""
    out: list[Any] = []
    for data in data_of(text):
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            out.extend(data["items"])
        else:
            out.append(data)
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("corpus", ["corpus", "corpus-workloads"])
def test_every_corpus_document_reads_as_kubectl_reads_it(
    shared: pathlib.Path, kubectl_oracle: Oracle, corpus: str
) -> None:
    with (shared / corpus / "INDEX.tsv").open() as fh:
        files = [row["file"] for row in csv.DictReader(fh, delimiter="\t")]
    assert len(files) >= 100
    texts = [(shared / corpus / f).read_text() for f in files]
    documents = 0
    for name, text, answer in zip(files, texts, kubectl_oracle.check_many(texts), strict=True):
        assert not any(d["yaml_error"] for d in answer), name
        assert _ours(text) == _expected(answer), name
        documents += len(answer)
    assert documents >= len(files)


def test_json_numbers_follow_go() -> None:
    assert _yaml.json_number(8000.0) == 8000
    assert type(_yaml.json_number(8000.0)) is int
    assert _yaml.json_number(1e21) == 1e21
    assert type(_yaml.json_number(1e21)) is float
    assert _yaml.json_number(float(2**64)) == 18446744073709552000
    assert math.isnan(_yaml.json_number(math.nan))
