"""Quantities: parsing, the canonical form, order and arithmetic, against the real API server."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podmodel
from podmodel.model._quantity import Quantity, QuantityError
from tests.support.oracle import Oracle

SUFFIXES = ["", "m", "u", "n", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", "e3", "E-2", "e0"]


@st.composite
def quantity_texts(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 10**6))
    frac = draw(st.one_of(st.just(""), st.integers(0, 999).map(lambda n: f".{n}")))
    sign = draw(st.sampled_from(["", "", "+", "-"]))
    return f"{sign}{whole}{frac}{draw(st.sampled_from(SUFFIXES))}"


quantities = quantity_texts().map(Quantity.parse)


@given(quantities)
def test_the_canonical_form_reads_back_as_itself(q: Quantity) -> None:
    again = Quantity.parse(q.canonical)
    assert again == q == Quantity.parse(str(q))
    assert again.canonical == q.canonical


@given(quantities, quantities)
def test_order_equality_and_hash_follow_the_exact_value(a: Quantity, b: Quantity) -> None:
    assert (a < b) == (a.value < b.value)
    assert (a == b) == (a.value == b.value)
    assert (a <= b) == (a.value <= b.value)
    if a == b:
        assert hash(a) == hash(b)


@given(quantities, quantities, st.integers(-5, 5))
def test_arithmetic_is_exact_and_keeps_the_left_format(a: Quantity, b: Quantity, k: int) -> None:
    assert (a + b).value == a.value + b.value
    assert (a - b).value == a.value - b.value
    assert (a * k).value == a.value * k == (k * a).value
    assert (a + b).format == a.format
    assert (-a).value == -a.value


@given(quantities)
def test_quantities_are_immutable_and_pickle(q: Quantity) -> None:
    with pytest.raises(AttributeError):
        q.value = Fraction(1)  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(q)) == q


def test_whole_values_round_up_away_from_zero() -> None:
    assert Quantity.parse("1Gi").as_bytes() == 2**30
    assert Quantity.parse("0.1").as_millicores() == 100
    assert Quantity.parse("1500u").as_millis() == 2
    assert Quantity.parse("-1.5").as_int() == -2
    assert Quantity.parse("1.5").as_int() == 2


EDGES = [
    ".",
    "+",
    "-.",
    "e3",
    "Ki",
    "5.",
    "01",
    "1E3",
    "1e+3",
    "1.e3",
    "1e003",
    "+140891m",
    "1.5Ki",
    "0.5Ki",
    "1e-1001",
    "1e1000",
    "100u",
    "1.23456789",
    "9223372036854775808",
    "99999999999999999999Ei",
    " 1 ",
    "-0.0001",
]


def test_edge_texts_are_stored_as_the_server_stores_them(apiserver_oracle: Oracle) -> None:
    """The server keeps a text it finds canonical (``1E3``, ``5.``), reads a bare sign or dot as
    zero and rounds below a nano up, as apimachinery's ParseQuantity does."""
    for text, answer in zip(
        EDGES, apiserver_oracle.check_many([_pod(t) for t in EDGES]), strict=True
    ):
        assert not answer["decode_errors"], text
        stored = answer["defaulted"]["spec"]["containers"][0]["resources"]["limits"]["cpu"]
        assert str(Quantity.parse(text).round_up(-3)) == stored, text


def test_the_text_is_kept_as_the_server_keeps_it() -> None:
    assert [str(Quantity.parse(t)) for t in ("1E3", "5.", "0.5", "1024Mi", "+1k")] == [
        "1E3",
        "5.",
        "500m",
        "1Gi",
        "+1k",
    ]
    assert Quantity.parse("1E3").canonical == "1e3"
    assert str(Quantity.parse("1E3") + Quantity.parse("0")) == "1e3"  # arithmetic forgets it


def test_bad_text_is_a_podmodel_error_with_the_servers_words() -> None:
    for bad in ("", "abc", "1.2.3", "1Q", "--1", "1e"):
        with pytest.raises(QuantityError) as info:
            Quantity.parse(bad)
        assert isinstance(info.value, podmodel.PodmodelError)
        assert str(info.value) in (
            "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            "unable to parse quantity's suffix",
            "unable to parse numeric part of quantity",
        )


def _pod(value: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "q"},
        "spec": {
            "containers": [{"name": "c", "image": "i", "resources": {"limits": {"cpu": value}}}]
        },
    }


@given(st.lists(quantity_texts(), min_size=20, max_size=20))
def test_the_api_server_stores_the_same_canonical_form(
    apiserver_oracle: Oracle, texts: list[str]
) -> None:
    """The server's defaulting rounds a resource up to milli (``SetDefaults_ResourceList``) and
    prints the canonical form: ``str(q.round_up(-3))``."""
    for text, answer in zip(
        texts, apiserver_oracle.check_many([_pod(t) for t in texts]), strict=True
    ):
        stored = answer["defaulted"]["spec"]["containers"][0]["resources"]["limits"]["cpu"]
        assert str(Quantity.parse(text).round_up(-3)) == stored, text


def test_texts_the_server_refuses_are_refused(apiserver_oracle: Oracle) -> None:
    texts = ["1.2.3", "1Q", "abc", "1e", "1ee3", "0x10", "1 Gi", "", "+-1", "1K", "1_0"]
    for text, answer in zip(
        texts, apiserver_oracle.check_many([_pod(t) for t in texts]), strict=True
    ):
        assert answer["decode_errors"], text
        with pytest.raises(QuantityError):
            Quantity.parse(text)


def test_exponents_past_the_documented_limit_are_refused() -> None:
    """podmodel holds exact values, so it stops at ``MAX_EXPONENT`` (the server takes any int32
    exponent); a very negative exponent rounds up to one nano, as on the server."""
    from podmodel.model._quantity import MAX_EXPONENT

    with pytest.raises(QuantityError, match="suffix"):
        Quantity.parse(f"1e{MAX_EXPONENT + 1}")
    assert str(Quantity.parse(f"1e-{MAX_EXPONENT + 5}")) == "1e-9"
