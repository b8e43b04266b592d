"""Text programs (private): ``echo``, ``cat``, ``head``/``tail``, ``wc``, ``sort``, ``uniq``,
``cut``, ``tr``, ``seq``, ``yes``, ``grep``; busybox's formats and messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from podmodel.kernel.filesystem import FilesystemError
from podmodel.kubelet.shell._prog import FLOOD, escapes, lines_of, options

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from podmodel.kubelet.shell._prog import Prog

__all__ = ["TEXT", "bre"]

# ---- text -------------------------------------------------------------------------------


def _echo(p: Prog) -> int:
    args, newline, interpret = p.args, True, False
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
        newline = newline and "n" not in args[0]
        interpret = "e" in args[0]
        args = args[1:]
    text = " ".join(args)
    if interpret:
        text, stop = escapes(text)
        newline = newline and not stop
    p.write(text + ("\n" if newline else ""))
    return 0


def _cat(p: Prog) -> int:
    _, files = options(p.args, "uvetAn")
    code = 0
    for name in files or ["-"]:
        if name == "-":
            p.write(p.read_input())
            continue
        try:
            p.write(p.sys.read(p.path(name)).decode("utf-8", "surrogateescape"))
        except FilesystemError as exc:
            code = p.fail(f"can't open '{name}': {exc.strerror}")
    return code


def _head_tail(p: Prog) -> int:
    opts, files = options(p.args, "qvfF", "ncs")
    count = opts.get("n", "10")
    from_start = count.startswith("+")
    try:
        n = int(count.lstrip("+-"))
    except ValueError:
        return p.fail(f"invalid number '{count}'")
    code = 0
    tail = p.name == "tail"
    texts = [p.read(f, cant_open=tail) for f in files] if files else [p.read_input()]
    if tail and files and all(t is None for t in texts):
        p.err.append("tail: no files\n")
    shown = False
    for k, text in enumerate(texts):
        if text is None:
            code = 1
            continue
        if len(files) > 1:
            p.write(("\n" if shown else "") + f"==> {files[k]} <==\n")
            shown = True
        if "c" in opts:
            digits = opts["c"].lstrip("+-")
            if not digits.isdigit():
                return p.fail(f"invalid number '{opts['c']}'")
            c = int(digits)
            p.write(text[:c] if p.name == "head" else text[-c:] if c else "")
            continue
        lines = lines_of(text)
        if p.name == "head":
            p.write("".join(lines[:n]))
        elif from_start:
            p.write("".join(lines[max(n - 1, 0) :]))
        else:
            p.write("".join(lines[-n:] if n else []))
    if tail and ("f" in opts or "F" in opts):
        _follow(p, opts, files, texts)
    return code


def _follow(p: Prog, opts: dict[str, str], files: list[str], texts: Sequence[str | None]) -> None:
    """``tail -f``: follow the last file that could be read (busybox re-reads every ``-s``
    seconds, 1 by default); standard input is not followed."""
    readable = [f for f, t in zip(files, texts, strict=True) if t is not None and f != "-"]
    if not readable:
        return
    try:
        interval = max(float(opts.get("s", "1")), 0.0001)
    except ValueError:
        interval = 1.0
    path = p.path(readable[-1])
    p.follow = (path, len(p.sys.read(path)), interval)


def _wc(p: Prog) -> int:
    opts, files = options(p.args, "lcwmL")
    cols = [c for c in "lwc" if c in opts or (c == "c" and "m" in opts)] or ["l", "w", "c"]
    code = 0
    totals = [0, 0, 0]
    rows: list[tuple[list[int], str | None]] = []
    shown: list[str | None] = [*files] if files else [None]
    for name, text in zip(shown, p.inputs(files), strict=False):
        if text is None:
            code = 1
            continue
        counts = [text.count("\n"), len(text.split()), len(text.encode("utf-8", "surrogateescape"))]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append((counts, name))
    if len(files) > 1:
        rows.append((totals, "total"))
    for counts, name in rows:
        values = [counts["lwc".index(c)] for c in cols]
        if name is None and len(cols) > 1:
            p.write(" ".join(f"{v:7d}" for v in values) + "\n")
        else:
            p.write(" ".join(str(v) for v in values) + (f" {name}" if name else "") + "\n")
    return code


def _sort(p: Prog) -> int:
    opts, files = options(p.args, "nrufb")
    lines: list[str] = []
    for text in p.inputs(files):
        if text is None:
            return 2
        lines.extend(line.rstrip("\n") for line in lines_of(text))
    if "n" in opts:

        def num(s: str) -> tuple[float, str]:
            t = s.lstrip()
            j = 0
            while j < len(t) and (t[j].isdigit() or (j == 0 and t[j] == "-") or t[j] == "."):
                j += 1
            try:
                return float(t[:j]), s
            except ValueError:
                return 0.0, s

        lines.sort(key=num, reverse="r" in opts)
    else:
        key: Callable[[str], str] = (lambda s: s.lower()) if "f" in opts else (lambda s: s)
        lines.sort(key=lambda s: (key(s), s), reverse="r" in opts)
    if "u" in opts:
        seen: list[str] = []
        for line in lines:
            if not seen or seen[-1] != line:
                seen.append(line)
        lines = seen
    p.write("".join(f"{line}\n" for line in lines))
    return 0


def _uniq(p: Prog) -> int:
    opts, files = options(p.args, "cdui")
    text = p.read(files[0], cant_open=True) if files else p.read_input()
    if text is None:
        return 1
    groups: list[list[str]] = []
    for line in (line.rstrip("\n") for line in lines_of(text)):
        same = groups and (
            groups[-1][0].lower() == line.lower() if "i" in opts else groups[-1][0] == line
        )
        if same:
            groups[-1].append(line)
        else:
            groups.append([line])
    for g in groups:
        if ("d" in opts and len(g) < 2) or ("u" in opts and len(g) > 1):
            continue
        p.write(f"{len(g):7d} {g[0]}\n" if "c" in opts else f"{g[0]}\n")
    return 0


def _cut(p: Prog) -> int:
    opts, files = options(p.args, "s", "dfcb")
    ranges = opts.get("f") or opts.get("c") or opts.get("b")
    if ranges is None:
        return p.fail("expected a list of bytes, characters, or fields")
    picks: list[tuple[int, int]] = []
    for r in ranges.split(","):
        a, dash, b = r.partition("-")
        try:
            lo = int(a) if a else 1
            hi = (int(b) if b else 1 << 30) if dash else lo
        except ValueError:
            return p.fail(f"invalid list '{ranges}'")
        picks.append((lo, hi))
    delim = opts.get("d", "\t")[:1] or "\t"
    code = 0
    for text in p.inputs(files):
        if text is None:
            code = 1
            continue
        for line in (line.rstrip("\n") for line in lines_of(text)):
            if "f" in opts:
                if delim not in line:
                    if "s" not in opts:
                        p.write(line + "\n")
                    continue
                fields = line.split(delim)
                keep = [
                    f for k, f in enumerate(fields, 1) if any(lo <= k <= hi for lo, hi in picks)
                ]
                p.write(delim.join(keep) + "\n")
            else:
                p.write(
                    "".join(
                        ch for k, ch in enumerate(line, 1) if any(lo <= k <= hi for lo, hi in picks)
                    )
                    + "\n"
                )
    return code


def _tr_set(spec: str) -> str:
    spec, _ = escapes(spec)
    classes = {
        "[:lower:]": "abcdefghijklmnopqrstuvwxyz",
        "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "[:digit:]": "0123456789",
        "[:space:]": " \t\n\r\f\v",
        "[:alpha:]": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "[:alnum:]": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    }
    for k, v in classes.items():
        spec = spec.replace(k, v)
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def _tr(p: Prog) -> int:
    opts, sets = options(p.args, "dsc")
    if not sets:
        return p.fail("missing operand")
    text = p.read_input()
    a = _tr_set(sets[0])
    if "d" in opts:
        text = "".join(ch for ch in text if ch not in a)
    elif len(sets) > 1:
        b = _tr_set(sets[1])
        b = b + b[-1:] * (len(a) - len(b)) if b else ""
        table = {ord(x): y for x, y in zip(a, b, strict=False)}
        text = text.translate(table)
        a = b
    if "s" in opts:
        squeezed: list[str] = []
        for ch in text:
            if not (squeezed and squeezed[-1] == ch and ch in a):
                squeezed.append(ch)
        text = "".join(squeezed)
    p.write(text)
    return 0


def _seq(p: Prog) -> int:
    opts, args = options(p.args, "w", "s")
    try:
        nums = [int(a) for a in args]
    except ValueError:
        return p.fail(f"invalid number '{next(a for a in args if not a.lstrip('-').isdigit())}'")
    if not 1 <= len(nums) <= 3:
        return p.fail("missing operand")
    first, step, last = (
        (1, 1, nums[0])
        if len(nums) == 1
        else ((nums[0], 1, nums[1]) if len(nums) == 2 else (nums[0], nums[1], nums[2]))
    )
    if step == 0:
        return 0
    sep = opts.get("s", "\n")
    out: list[str] = []
    size = 0
    v = first
    while (step > 0 and v <= last) or (step < 0 and v >= last):
        out.append(str(v))
        size += len(out[-1]) + 1
        if size > FLOOD:
            break
        v += step
    if out:
        p.write(sep.join(out) + "\n")
    return 0


def _yes(p: Prog) -> int:
    word = " ".join(p.args) or "y"
    p.write((word + "\n") * (FLOOD // (len(word) + 1) + 1))
    return 141  # stopped by a full pipe (SIGPIPE) once its reader is gone


def _grep(p: Prog) -> int:
    import re

    opts, rest = options(p.args, "qvicnElHhswxF", "e")
    if p.name == "egrep":
        opts["E"] = ""
    patterns = [opts["e"]] if "e" in opts else rest[:1]
    files = rest if "e" in opts else rest[1:]
    if not patterns:
        return p.fail("usage: grep PATTERN [FILE]...", 2)
    pat = patterns[0]
    if "F" in opts:
        rx_text = re.escape(pat)
    elif "E" in opts:
        rx_text = pat
    else:
        rx_text = bre(pat)
    if "w" in opts:
        rx_text = rf"\b(?:{rx_text})\b"
    if "x" in opts:
        rx_text = rf"^(?:{rx_text})$"
    try:
        rx = re.compile(rx_text, re.IGNORECASE if "i" in opts else 0)
    except re.error:
        return p.fail(f"bad regex '{pat}'", 2)
    found, error = False, False
    names = files or ["-"]
    for name in names:
        text = p.read(name)
        if text is None:
            error = True
            continue
        count = 0
        for k, line in enumerate(lines_of(text), 1):
            body = line.rstrip("\n")
            if bool(rx.search(body)) == ("v" in opts):
                continue
            count += 1
            found = True
            if "q" in opts:
                return 0
            if "c" in opts or "l" in opts:
                continue
            prefix = f"{name}:" if len(names) > 1 and "h" not in opts else ""
            prefix += f"{k}:" if "n" in opts else ""
            p.write(f"{prefix}{body}\n")
        if "c" in opts:
            p.write((f"{name}:" if len(names) > 1 else "") + f"{count}\n")
        if "l" in opts and count:
            p.write(f"{name}\n")
    if error and "s" not in opts:
        return 2
    return 0 if found else 1


def bre(pat: str) -> str:
    """A basic regular expression in Python's syntax (``\\(``, ``\\{``, ``\\|`` are groups)."""
    out: list[str] = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if c == "\\" and i + 1 < len(pat):
            n = pat[i + 1]
            out.append(n if n in "(){}|+?" else "\\" + n)
            i += 2
            continue
        out.append("\\" + c if c in "(){}|+?" else c)
        i += 1
    return "".join(out)


TEXT: dict[str, Callable[[Prog], int]] = {
    "echo": _echo,
    "cat": _cat,
    "head": _head_tail,
    "tail": _head_tail,
    "wc": _wc,
    "sort": _sort,
    "uniq": _uniq,
    "cut": _cut,
    "tr": _tr,
    "seq": _seq,
    "yes": _yes,
    "grep": _grep,
    "egrep": _grep,
}
