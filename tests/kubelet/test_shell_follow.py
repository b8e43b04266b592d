"""``tail -f`` keeps running and forwards what another writer appends, alone or into the rest
of a pipeline (``tail -f FILE | grep x``), on the simulated clock."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

import podmodel
from podmodel.kubelet.shell import run, signal, simple_system, start
from tests.support.helpers import pod_of


def test_tail_f_prints_the_end_then_what_is_appended() -> None:
    system = simple_system({"/data/log": b"a\nb\nc\n"})
    p, system = run(start("tail -n 2 -f /data/log"), system, until=0.5)
    assert (p.stdout, p.done) == ("b\nc\n", False)
    system = system.write("/data/log", b"d\n", append=True)
    p, system = run(p, system, until=1.5)  # busybox reads again every second
    assert p.stdout == "b\nc\nd\n"
    system = system.write("/data/log", b"e\nf\n", append=True)
    p, _ = run(p, system, until=60)
    assert (p.stdout, p.done) == ("b\nc\nd\ne\nf\n", False)


def test_a_truncated_file_is_read_again_from_its_start() -> None:
    p, system = run(start("tail -f /data/log"), simple_system({"/data/log": b"old\n"}), until=0.5)
    system = system.write("/data/log", b"ne\n")  # shorter than what was read: truncated
    p, _ = run(p, system, until=2)
    assert p.stdout == "old\nne\n"


def test_tail_f_into_grep_forwards_the_matching_lines() -> None:
    system = simple_system({"/data/log": b"GET /\nPOST /x\n"})
    p, system = run(start("tail -f /data/log | grep GET | cut -c1-3"), system, until=0.5)
    assert p.stdout == "GET\n"
    system = system.write("/data/log", b"POST /y\nGET /z\nGET /w\n", append=True)
    p, _ = run(p, system, until=5)
    assert (p.stdout, p.done) == ("GET\nGET\nGET\n", False)


def test_tail_f_ends_on_a_signal_and_reads_every_s_seconds() -> None:
    script = "tail -f -s 10 /data/log"
    p, _ = run(start(script, pid=7), simple_system({"/data/log": b"x\n"}), until=1)
    assert p.main.now > 10  # it sleeps ten seconds between reads
    ended = signal(p, "TERM")
    assert (ended.done, ended.exit_code) == (True, 143)


def test_tail_f_of_no_file_fails_as_busybox_does() -> None:
    p, _ = run(start("tail -f /nope"), simple_system(), until=5)
    assert (p.done, p.exit_code, p.stderr) == (
        True,
        1,
        "tail: can't open '/nope': No such file or directory\ntail: no files\n",
    )


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 20), st.text(string.ascii_lowercase, min_size=1, max_size=5)),
        max_size=6,
    ),
    st.sampled_from(["a", "e", "z"]),
)
def test_followed_lines_arrive_in_order_however_the_time_is_cut(
    appends: list[tuple[int, str]], letter: str
) -> None:
    """Appending line by line at chosen seconds: ``tail -f | grep`` prints exactly the matching
    appended lines, in order, whether the clock moves a second at a time or in one go."""
    p, system = run(
        start(f"tail -f /d/log | grep {letter}"), simple_system({"/d/log": b""}), until=0
    )
    now = 0.0
    for gap, word in appends:
        now += gap
        p, system = run(p, system, until=now - 0.5)
        system = system.write("/d/log", f"{word}\n".encode(), append=True)
    p, _ = run(p, system, until=now + 2)
    assert p.stdout == "".join(f"{w}\n" for _, w in appends if letter in w)
    assert not p.done


def test_a_sidecar_follows_what_the_writer_appends() -> None:
    """The shared-volume pattern: one container appends, another follows and filters."""
    mount = [{"name": "d", "mountPath": "/data"}]
    spec = {
        "volumes": [{"name": "d", "emptyDir": {}}],
        "containers": [
            {
                "name": "writer",
                "image": "busybox",
                "command": [
                    "sh",
                    "-c",
                    "i=0; while true; do i=$((i+1)); echo line $i >> /data/log; sleep 5; done",
                ],
                "volumeMounts": mount,
            },
            {
                "name": "follower",
                "image": "busybox",
                "command": ["sh", "-c", "sleep 1; tail -f /data/log | grep 3"],
                "volumeMounts": mount,
            },
        ],
    }
    node = podmodel.Node().start(pod_of(spec)).advance(62)
    follower = node.pod("p").container("follower")
    assert (follower.state, follower.restart_count) == ("running", 0)
    assert follower.logs == ("line 3", "line 13")
    assert node.advance(60).pod("p").container("follower").logs == ("line 3", "line 13", "line 23")
