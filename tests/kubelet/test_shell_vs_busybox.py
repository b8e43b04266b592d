"""podmodel's shell against the real one: Hypothesis writes scripts from a grammar of the
features the shell supports (no sleeps, no network); Debian's ``busybox sh`` runs each in a
private temporary directory and podmodel runs it over a simulated tree holding the same files.
Standard output, the exit status and every file written must agree.

    SHELL_DIFF_EXAMPLES=2000 python -m pytest tests/kubelet/test_shell_vs_busybox.py
"""

from __future__ import annotations

import atexit
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podmodel.kubelet.shell import System, run, simple_system, start
from tests.conftest import need

BUSYBOX = shutil.which("busybox")
#: How many scripts to compare (default: the Hypothesis profile's number of examples).
EXAMPLES = os.environ.get("SHELL_DIFF_EXAMPLES")
FILES = {
    "a.txt": "banana\napple\ncherry\napple\n",
    "b.log": "x y z\n1 2 3\n10 20 30\n",
    "sub/c.txt": "one\ntwo\n",
    "nums": "3\n10\n2\n",
}
WORK = "/w"

# ---- the grammar ----------------------------------------------------------------------------

names = st.sampled_from(["x", "y", "n", "s"])
lits = st.sampled_from(["a", "b", "foo", "bar baz", "1", "2", "10", "-n", "x.txt", "a:b", ""])
files = st.sampled_from(["a.txt", "b.log", "sub/c.txt", "nums", "missing.txt"])
outs = st.sampled_from(["o1.txt", "o2.txt", "sub/o3.txt"])
patterns = st.sampled_from(["*.txt", "*", "sub/*", "[ab]*", "?.txt", "*.none"])


def _quote_single(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


@st.composite
def arith(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 2 or draw(st.booleans()):
        return draw(st.sampled_from(["1", "2", "7", "x", "n", "0", "10", "-3"]))
    op = draw(st.sampled_from(["+", "-", "*", "/", "%", "<", "==", "&&", "||", "&", "|", "<<"]))
    a, b = draw(arith(depth + 1)), draw(arith(depth + 1))
    if op in ("/", "%"):
        b = draw(st.sampled_from(["1", "2", "3", "7"]))
    return f"({a} {op} {b})"


@st.composite
def word(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 12 if depth < 2 else 8))
    n = draw(names)
    if kind == 0:
        return draw(lits).replace(" ", "_") or "e"
    if kind == 1:
        return _quote_single(draw(lits))
    if kind == 2:
        return f'"{draw(lits)} ${n}"'
    if kind == 3:
        return f"${n}"
    if kind == 4:
        op = draw(st.sampled_from([":-", "-", ":+", "+", ":="]))
        return f"${{{n}{op}{draw(lits).replace(' ', '_')}}}"
    if kind == 5:
        return f"${{#{n}}}"
    if kind == 6:
        op = draw(st.sampled_from(["#", "##", "%", "%%"]))
        pat = draw(st.sampled_from(["*a", "a*", "?", "*.", ".*", "b", "*"]))
        return f'"${{{n}{op}{pat}}}"'
    if kind == 7:
        return f"$(( {draw(arith())} ))"
    if kind == 8:
        return draw(patterns)
    if kind == 9:
        return f'"$( {draw(simple(depth + 1))} )"'
    if kind == 10:
        return f"$( {draw(simple(depth + 1))} )"
    if kind == 11:
        return '"$@"' if draw(st.booleans()) else "$#"
    return f"{draw(lits).replace(' ', '_') or 'w'}\\ {draw(lits).replace(' ', '_')}"


@st.composite
def simple(draw: st.DrawFn, depth: int = 0, *, pure: bool = False) -> str:
    kind = draw(st.integers(0, 16))
    if pure and kind in (1, 12, 13, 14, 15, 16):
        kind = 0  # pipeline stages run at once in a real shell: no racing writers
    w = lambda: draw(word(depth + 1))  # noqa: E731
    f = draw(files)
    if kind == 0:
        return "echo " + " ".join(w() for _ in range(draw(st.integers(0, 3))))
    if kind == 1:
        return f"{draw(names)}={w()}"
    if kind == 2:
        prog = draw(
            st.sampled_from(
                ["cat", "sort", "sort -r", "sort -n", "sort -u", "wc -l", "wc -c", "wc -w",
                 "head -n 2", "tail -n 1", "tail -n +2", "uniq", "uniq -c", "grep -c a",
                 "grep a", "grep -v a", "grep -n p", "grep -i A", "grep -q apple", "cut -c1-2",
                 "cut -d' ' -f2"]
            )
        )  # fmt: skip
        return f"{prog} {f}"
    if kind == 3:
        fmt = draw(st.sampled_from(["%s-", "[%5s]", "%d.", "'<%s>\\n'", "x%%"]))
        return f"printf {fmt} {w()} {w()}"
    if kind == 4:
        return draw(st.sampled_from(["true", "false", ":", "ls", "ls sub", "ls -a sub",
                                     "ls -1", "ls missing"]))  # fmt: skip
    if kind == 5:
        t = draw(
            st.sampled_from(
                ["-f {f}", "-d sub", "-e {f}", "-z {w}", "-n {w}", "{w} = {w}", "{w} != {w}",
                 "! -f {f}", "-s {f}"]
            )
        )  # fmt: skip
        return "[ " + t.format(f=f, w=w()) + " ]"
    if kind == 6:
        a, b = draw(st.sampled_from(["1", "2", "10", "x"])), draw(st.sampled_from(["3", "2"]))
        op = draw(st.sampled_from(["-eq", "-ne", "-lt", "-le", "-gt", "-ge"]))
        return f'test "${{n:-0}}" {op} {b}' if a == "x" else f"test {a} {op} {b}"
    if kind == 7:
        return f"seq {draw(st.sampled_from(['3', '2 5', '1 2 7', '5 -2 1']))}"
    if kind == 8:
        # a literal: with $(ls) here, a real shell races the redirection of `tr`
        return f"echo {_quote_single(draw(lits))} | tr {draw(st.sampled_from(['a-z A-Z', 'ab xy', '-d a', '-s o']))}"
    if kind == 9:
        e = draw(
            st.sampled_from(
                ["1 + 2", "7 / 2", "3 '*' 4", "2 '<' 10", "length abc", "abc : a.", "0 + 0"]
            )
        )
        return f"expr {e}"
    if kind == 10:
        return f"basename {draw(st.sampled_from(['/a/b/c.txt', 'x/y/', '/']))}"
    if kind == 11:
        return f"dirname {draw(st.sampled_from(['/a/b/c.txt', 'x', 'a/b/']))}"
    if kind == 12:
        return draw(st.sampled_from(["mkdir -p d/e", "touch t.txt", "rm -f a.txt", "cp a.txt cp.txt",
                                    "mv nums moved", "rm -r sub", "mkdir sub", "rm missing.txt"]))  # fmt: skip
    if kind == 13:
        return f"set -- {w()} {w()}"
    if kind == 14:
        return "shift"
    if kind == 15:
        return f"{draw(names)}=$(( {draw(arith())} ))"
    return f"read {draw(names)} {draw(names)} < {f}"


def _appending(r: str) -> str:
    """``>`` becomes ``>>`` around a compound command: podmodel writes files as if opened with
    O_APPEND, so a file truncated again inside (``( echo a > f ) > f``) would differ from the
    kernel's separate file offsets (a documented limitation)."""
    return ">" + r if r.startswith("> ") else r


def redirected(cmd: str, r: str) -> str:
    return f"{cmd} {r}" if r else cmd


@st.composite
def command(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 14 if depth < 2 else 3))
    r = draw(
        st.sampled_from(["", "", "", "", "> " + draw(outs), ">> " + draw(outs), "2>/dev/null"])
    )
    if kind <= 3:
        # stderr into stdout only for simple commands: around a pipeline, the order in which
        # concurrent stages write is up to the real kernel's scheduler
        return redirected(draw(simple()), r or draw(st.sampled_from(["", "2>&1"])))
    body = lambda: draw(clist(depth + 1))  # noqa: E731
    if kind == 4:
        return f"if {draw(simple())}; then {body()}; else {body()}; fi"
    if kind == 5:
        return f"for {draw(names)} in {' '.join(draw(word()) for _ in range(draw(st.integers(0, 3))))}; do {body()}; done"
    if kind == 6:
        return redirected(f"{{ {body()}; }}", _appending(r))
    if kind == 7:
        return redirected(f"( {body()} )", _appending(r))
    if kind == 8:
        n = draw(st.integers(0, 3))
        i = f"i{depth}"  # one counter per depth: an inner loop must not reset an outer one
        return f"{i}=0; while [ ${i} -lt {n} ]; do {body()}; {i}=$(({i}+1)); done"
    if kind == 9:
        return f"{draw(simple(pure=True))} | {draw(simple(pure=True))}"
    if kind == 10:
        op = draw(st.sampled_from(["&&", "||"]))
        return f"{draw(simple())} {op} {draw(simple())}"
    if kind == 11:
        pats = draw(st.sampled_from(["a*)", "*.txt|b)", "[0-9]*)", '"")', "*)"]))
        return f"case {draw(word())} in {pats} {body()};; x) echo x;; esac"
    if kind == 12:
        return f"fn() {{ {body()}; }}; fn {draw(word())} {draw(word())}"
    if kind == 13:
        return f"! {draw(simple())}"
    return f"cat <<EOF\n{draw(lits)} $x ${{#y}}\nEOF"


@st.composite
def clist(draw: st.DrawFn, depth: int = 0) -> str:
    items = draw(st.lists(command(depth), min_size=1, max_size=3 if depth else 5))
    return "; ".join(i if "<<EOF" not in i else i + "\n" for i in items).replace("\n; ", "\n")


@st.composite
def script(draw: st.DrawFn) -> str:
    text = draw(clist())
    if draw(st.booleans()):
        text += f"; exit {draw(st.integers(0, 3))}"
    if draw(st.integers(0, 5)) == 0:
        text = "set -e; " + text
    return text


# ---- running both ---------------------------------------------------------------------------


def _busybox(src: str) -> tuple[str, int, dict[str, bytes]]:
    assert BUSYBOX is not None
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d)
        for name, text in FILES.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        env = {"PATH": "/nonexistent", "HOME": "/root", "LC_ALL": "C"}
        proc = subprocess.run(
            [BUSYBOX, "sh", "-c", src],
            cwd=d,
            capture_output=True,
            env={**env, "PATH": _bin()},
            timeout=20,
            check=False,
        )
        found = {}
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            found[rel] = b"<dir>" if p.is_dir() else p.read_bytes().replace(d.encode(), b"/w")
        out = proc.stdout.decode("utf-8", "surrogateescape").replace(d, WORK)
        return out, proc.returncode, found


_BIN: list[str] = []


def _bin() -> str:
    """A directory of busybox applet links, so that ``sort`` is busybox's, not coreutils'."""
    if not _BIN:
        d = tempfile.mkdtemp(prefix="bb-bin-")
        atexit.register(shutil.rmtree, d, True)
        for applet in ["cat", "sort", "wc", "head", "tail", "uniq", "grep", "cut", "seq", "tr",
                       "expr", "basename", "dirname", "mkdir", "touch", "rm", "cp", "mv", "ls",
                       "sh"]:  # fmt: skip
            os.symlink(BUSYBOX or "", os.path.join(d, applet))
        _BIN.append(d)
    return _BIN[0]


def _walk(s: System, path: str, prefix: str, out: dict[str, bytes]) -> None:
    for name in s.listdir(path):
        full = f"{path}/{name}"
        rel = f"{prefix}{name}"
        if s.is_dir(full):
            out[rel] = b"<dir>"
            _walk(s, full, rel + "/", out)
        else:
            out[rel] = s.read(full)


def _podmodel(src: str) -> tuple[str, int, dict[str, bytes]]:
    system = simple_system({f"{WORK}/{k}": v.encode() for k, v in FILES.items()})
    p, s = run(start(src, cwd=WORK, env={"PATH": "/bin", "HOME": "/root", "LC_ALL": "C"}), system)
    assert p.done, "the script did not finish"
    found: dict[str, bytes] = {}
    _walk(s, WORK, "", found)
    return p.stdout, p.exit_code or 0, found


@settings(
    **({"max_examples": int(EXAMPLES)} if EXAMPLES else {}),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(script())
def test_agrees_with_busybox(src: str) -> None:
    need(BUSYBOX is not None, "busybox is not installed (apt-get install busybox)")
    expected = _busybox(src)
    got = _podmodel(src)
    assert got[0] == expected[0], f"stdout differs for:\n{src}"
    assert got[1] == expected[1], f"exit status differs for:\n{src}"
    assert got[2] == expected[2], f"files differ for:\n{src}"


@pytest.mark.parametrize(
    "src",
    [
        "echo hello > o1.txt; cat o1.txt",
        "for f in *.txt; do wc -l $f; done",
        'x=$(sort a.txt | uniq -c); echo "$x"',
        "i=0; while [ $i -lt 5 ]; do i=$((i+1)); echo $i >> o1.txt; done; tail -n 2 o1.txt",
        "set -e; false; echo never",
    ],
)
def test_examples_agree(src: str) -> None:
    need(BUSYBOX is not None, "busybox is not installed (apt-get install busybox)")
    assert _podmodel(src) == _busybox(src)


@pytest.mark.parametrize(
    "src",
    [
        # ash keeps no node for `{ list; }`: a group that is one bare subshell hands its
        # redirections to the subshell, replacing the subshell's own (o1.txt is never opened)
        "{ ( echo  ) >> o1.txt; } >> o2.txt",
        "set -e; cat <<EOF\na $x ${#y}\nEOF\n{ ( echo  ) >> o1.txt; } >> o2.txt",
        "{ ( echo hi ) > o1.txt; } > o2.txt; echo st $?",
        "{ { ( echo hi ) > o1.txt; }; } > o2.txt",
        "{ { ( echo hi ) > o1.txt; } >> o2.txt; } > sub/o3.txt",
        "{ ( echo hi ) > o1.txt > o2.txt; } > sub/o3.txt",
        "{\n( echo hi ) > o1.txt\n} > o2.txt",
        "f() { ( echo hi ) > o1.txt; } > o2.txt; f; cat o1.txt o2.txt",
        "for i in 1 2; do { ( echo $i ) >> o1.txt; } >> o2.txt; done",
        'x=$( { ( echo in ) > o1.txt; } > o2.txt; echo out ); echo "$x"',
        "{ ( echo hi ) > o1.txt; } 2>&1",
        "{ ( ls missing ) 2>&1; } > o2.txt",
        "{ ( ls missing; echo x ) > o1.txt 2>&1; } 2> o2.txt",
        "{ ( cat ) < a.txt; } > o2.txt",
        "{ ( cat ) <<EOF\nfrom heredoc\nEOF\n} < b.log",
        # anything else nests: the inner redirection applies inside the outer one
        "{ ( echo hi ) > o1.txt; }",
        "{ ( echo hi ); } > o2.txt",
        "{ { echo hi; } > o1.txt; } > o2.txt",
        "( ( echo hi ) > o1.txt ) > o2.txt",
        "( { echo hi; } > o1.txt ) > o2.txt",
        "{ ( echo hi ) > o1.txt; echo b; } > o2.txt",
        "{ ( echo hi ) > o1.txt && echo b; } > o2.txt",
        "{ ! ( echo hi ) > o1.txt; } > o2.txt",
        "{ ( echo hi ) > o1.txt | cat; } > o2.txt",
        "{ ( echo hi ) > o1.txt & } > o2.txt; wait",
        "{ if true; then echo a; fi > o1.txt; } > o2.txt",
        "if true; then ( echo a ) > o1.txt; fi > o2.txt",
        "{ while [ ! -f t.txt ]; do touch t.txt; echo w; done > o1.txt; } > o2.txt",
        "while true; do ( echo a ) > o1.txt; break; done > o2.txt",
        "{ case a in a) ( echo a ) > o1.txt;; esac; } > o2.txt",
        "{ ( ls missing ) 2> o1.txt; echo; } 2>/dev/null",
    ],
)
def test_nested_redirections_agree(src: str) -> None:
    need(BUSYBOX is not None, "busybox is not installed (apt-get install busybox)")
    assert _podmodel(src) == _busybox(src)


@pytest.mark.parametrize(
    "src",
    [
        # a subshell opens its redirections in the child, which exits 2; set -e sees that
        "( echo a ) > sub/nope/o1.txt; echo $?",
        "set -e; rm -r sub; ( echo a ) > sub/o3.txt; echo never",
        "set -e; { ( echo a ) > o1.txt; } > sub/nope/o2.txt; echo never",
        "f() ( : ) > sub/nope/o1.txt; f; echo $?",
        "set -e; ( ( : ) > sub/nope/o1.txt; echo in ); echo $?",
        "if ( : ) > sub/nope/o1.txt; then echo y; else echo n $?; fi",
        # a redirected group, loop, if or case: $? is 1 and set -e carries on
        "set -e; rm -r sub; { echo a; } >> sub/o3.txt; echo after $?",
        "set -e; if true; then :; fi > sub/nope/o1.txt; echo $?",
        "set -e; while false; do :; done > sub/nope/o1.txt; echo $?",
        "set -e; for i in 1; do :; done > sub/nope/o1.txt; echo $?",
        "set -e; case a in a) ;; esac > sub/nope/o1.txt; echo $?",
        "set -e; f() { :; } > sub/nope/o1.txt; f; echo never",
        "set -e; echo a > sub/nope/o1.txt; echo never",
    ],
)
def test_failed_compound_redirections_agree(src: str) -> None:
    need(BUSYBOX is not None, "busybox is not installed (apt-get install busybox)")
    assert _podmodel(src) == _busybox(src)
