"""The kubelet's ``$(VAR)`` expansion of ``command``, ``args`` and ``env`` (private).

The rules of ``third_party/forked/golang/expansion/expand.go`` in kubernetes/kubernetes:
``$(NAME)`` is replaced by the variable's value when it is defined, and left as written when it
is not; ``$$`` is an escaped ``$`` (so ``$$(NAME)`` gives ``$(NAME)``); a ``$`` followed by any
other character, or a ``$(`` with no closing ``)``, is kept as written.

>>> expand_kube("echo $(GREETING) $$(GREETING) $(NOPE) $HOME", {"GREETING": "hi"})
'echo hi $(GREETING) $(NOPE) $HOME'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["expand_kube"]


def expand_kube(text: str, *contexts: Mapping[str, str]) -> str:
    """*text* with ``$(VAR)`` references expanded from the first of *contexts* defining VAR."""
    out: list[str] = []
    checkpoint = 0
    cursor = 0
    n = len(text)
    while cursor < n:
        if text[cursor] == "$" and cursor + 1 < n:
            out.append(text[checkpoint:cursor])
            nxt = text[cursor + 1]
            if nxt == "$":
                out.append("$")
                advance = 1
            elif nxt == "(":
                close = text.find(")", cursor + 2)
                if close < 0:
                    out.append("$(")
                    advance = 1
                else:
                    name = text[cursor + 2 : close]
                    for ctx in contexts:
                        if name in ctx:
                            out.append(ctx[name])
                            break
                    else:
                        out.append(f"$({name})")
                    advance = close - cursor
            else:
                out.append("$" + nxt)
                advance = 1
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    out.append(text[checkpoint:])
    return "".join(out)
