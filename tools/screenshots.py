"""Take PNG screenshots of the built docs, in light and dark, wide and narrow, to look at them.

This builds nothing: build the docs first, exactly as CI does, then point this at the HTML::

    sphinx-build -q -W --keep-going -b html docs docs/_build/html
    python tools/screenshots.py                      # docs/_build/html -> /tmp/podmodel-shots
    python tools/screenshots.py HTMLDIR --out OUTDIR --tile 0

It needs Debian's Chromium (``apt-get install chromium``; another binary with ``--chromium``) and
nothing else: it drives the browser over the Chrome DevTools protocol on a pipe
(``--remote-debugging-pipe``) with Python's standard library only.

Each page (the home page, the tutorial, the pod lab, two explanation pages with a picture: see
``PAGES``) is shot in the colour schemes ``light`` and ``dark`` (the ``prefers-color-scheme`` media
feature is emulated; furo's default ``auto`` theme and the pictures' own ``<style>`` both follow
it), at a desktop width (1280 px) and, for the home page and the tutorial, a phone width (400 px).
A shot is the whole page, not only the first screen: with ``--tile N`` (the default, 1600) it is
cut into parts ``N`` px tall, ``NAME-01.png``, ``NAME-02.png``..., which stay readable in an image
viewer; with ``--tile 0`` it is one PNG. ``--max-height`` (default 12000) stops very long pages
(the pod lab) there. Each picture on a page is also shot on its own (``NAME-picture-N.png``), at
the size the page shows it. The pod lab's first exercise is shot with its answer closed and
opened (``lab-answer-closed-*``, ``lab-answer-open-*``). With ``--toggle``, the tutorial is also
shot with furo's theme button set against the system (``tutorial-toggled-dark-light-*``: dark
chosen on a light system, and the reverse), where the pictures follow the system, not the button.

Files are named ``PAGE-SCHEME-WIDTH[-PART].png``, e.g. ``index-dark-1280-01.png``; the ``PAGE-*``
files of an earlier run are removed first. (In a whole-page shot furo's sidebar, which is one
screen tall and scrolls on its own, looks cut off after 900 px: that is the shot, not the page.)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

#: (name, path relative to the HTML dir, widths): the home page, a tutorial page, the pod lab and
#: two explanation pages with a picture.
PAGES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("index", "index.html", (1280, 400)),
    ("tutorial", "tutorial/seed-experiments.html", (1280, 400)),
    ("lab", "tutorial/exercises.html", (1280,)),
    ("explanation", "explanation/network.html", (1280,)),
    ("volumes", "explanation/volumes.html", (1280,)),
)
SCHEMES = ("light", "dark")
#: The height of the window a page is first laid out in (the first screen).
SCREEN_HEIGHT = 900


class DevToolsError(RuntimeError):
    """The browser answered a command with an error, closed the pipe, or took too long."""


class Browser:
    """A headless Chromium spoken to over ``--remote-debugging-pipe`` (JSON messages ending in NUL
    on file descriptors 3, commands in, and 4, answers and events out)."""

    def __init__(self, binary: str, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="podmodel-shots-profile-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_pipes() -> None:
            # In the child, before exec: the browser reads fd 3 and writes fd 4. Copy both ends
            # above 4 first (either may be 3 or 4 already); dup2 leaves the copies inheritable.
            reads, writes = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        args = [
            binary,
            "--headless",
            "--remote-debugging-pipe",
            f"--user-data-dir={self._profile}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--allow-file-access-from-files",
            "about:blank",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self._proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # os.pipe()'s ends are not inheritable: only fds 3 and 4 pass
            preexec_fn=wire_pipes,  # noqa: PLW1509 -- no threads here; it places fds 3 and 4
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def close(self) -> None:
        """Ask the browser to quit, wait for it, and remove its throwaway profile."""
        with contextlib.suppress(DevToolsError, OSError):
            self.send("Browser.close")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise DevToolsError("the browser did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise DevToolsError("the browser closed the DevTools pipe (did it start?)")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise DevToolsError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            if "method" in answer:
                self._events.append(answer)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        """Wait for the event *method* of *session* (one already kept counts)."""
        deadline = time.monotonic() + self.timeout
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event
            message = self._read_message(deadline)
            if "method" in message:
                self._events.append(message)


@dataclass(frozen=True)
class Shot:
    """One screenshot to take: a page, in a colour scheme, at a width."""

    name: str
    url: str
    scheme: str
    width: int
    #: JavaScript run once the page has loaded, before the shot (open an answer, set a theme).
    script: str = ""
    suffix: str = ""
    #: If set, JavaScript giving the one part of the page to shoot, [x, y, width, height] in the
    #: page's coordinates, instead of the whole page.
    region: str = ""

    @property
    def stem(self) -> str:
        return f"{self.name}{self.suffix}-{self.scheme}-{self.width}"


def _evaluate(browser: Browser, session: str, expression: str) -> Any:
    result = browser.send(
        "Runtime.evaluate",
        session,
        expression=expression,
        awaitPromise=True,
        returnByValue=True,
    )
    if "exceptionDetails" in result:
        raise DevToolsError(f"{expression!r}: {result['exceptionDetails']}")
    return result["result"].get("value")


#: JavaScript: the box [x, y, width, height] of every picture in the page's text, 8 px around it.
PICTURES = """
Array.from(document.querySelectorAll('article img')).map(img => {
  const r = img.getBoundingClientRect();
  return [Math.max(0, r.left - 8), Math.max(0, r.top + window.scrollY - 8),
          r.width + 16, r.height + 16];
})
"""


#: JavaScript: the box of the pod lab's first exercise, from its hints to the next exercise's
#: title, so that its answer (opened or not) shows with what comes after it.
ANSWER = """
(() => {
  const d = document.querySelector('article details');
  const section = d.closest('section');
  const top = (d.previousElementSibling || d).getBoundingClientRect().top - 60;
  const end = section.nextElementSibling || section;
  const bottom = end.getBoundingClientRect().top + 120;
  return [0, Math.max(0, top + window.scrollY), document.documentElement.clientWidth,
          bottom - top];
})()
"""


def _clip(x: float, y: float, width: float, height: float) -> dict[str, float]:
    return {"x": x, "y": y, "width": width, "height": height, "scale": 1}


def take(
    browser: Browser, shot: Shot, out: pathlib.Path, tile: int, max_height: int
) -> list[pathlib.Path]:
    """Load *shot*'s page in a fresh tab, wait for it to settle, and write its PNG(s)."""
    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    try:
        browser.send("Page.enable", session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=shot.width,
            height=SCREEN_HEIGHT,
            deviceScaleFactor=1,
            mobile=shot.width < 600,
        )
        browser.send(
            "Emulation.setEmulatedMedia",
            session,
            media="screen",
            features=[{"name": "prefers-color-scheme", "value": shot.scheme}],
        )
        browser.send("Page.navigate", session, url=shot.url)
        browser.wait_for("Page.loadEventFired", session)
        if shot.script:
            _evaluate(browser, session, shot.script)
        _evaluate(browser, session, "document.fonts.ready.then(() => true)")
        # Let furo's scripts and the images settle (two animation frames, then a short pause).
        _evaluate(
            browser,
            session,
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
            "() => setTimeout(() => r(true), 200))))",
        )
        if shot.region:
            regions = [(f"{shot.stem}.png", _clip(*_evaluate(browser, session, shot.region)))]
        else:
            height = int(_evaluate(browser, session, "document.documentElement.scrollHeight"))
            height = min(height, max_height)
            step = tile if tile > 0 else height
            parts = range(0, height, step)
            regions = [
                (
                    f"{shot.stem}-{number:02d}.png" if len(parts) > 1 else f"{shot.stem}.png",
                    _clip(0, top, shot.width, min(step, height - top)),
                )
                for number, top in enumerate(parts, start=1)
            ]
            # Each picture of the page on its own as well, at its size on the page.
            boxes = _evaluate(browser, session, PICTURES)
            regions += [
                (f"{shot.stem}-picture-{number}.png", _clip(*box))
                for number, box in enumerate(boxes, start=1)
            ]
        written = []
        for name, clip in regions:
            data = browser.send(
                "Page.captureScreenshot",
                session,
                format="png",
                clip=clip,
                captureBeyondViewport=True,
            )["data"]
            path = out / name
            path.write_bytes(base64.b64decode(data))
            written.append(path)
        return written
    finally:
        browser.send("Target.closeTarget", targetId=target)


def shots(html: pathlib.Path, toggle: bool) -> list[Shot]:
    """Every shot to take of the docs built into *html*."""
    todo = []
    for name, page, widths in PAGES:
        url = (html / page).resolve().as_uri()
        for width in widths:
            for scheme in SCHEMES:
                todo.append(Shot(name, url, scheme, width))
    lab = (html / "tutorial/exercises.html").resolve().as_uri()
    open_first = "(() => { document.querySelector('article details').open = true; return true; })()"
    for scheme in SCHEMES:
        todo.append(Shot("lab", lab, scheme, 1280, "", "-answer-closed", ANSWER))
        todo.append(Shot("lab", lab, scheme, 1280, open_first, "-answer-open", ANSWER))
    if toggle:
        # furo's theme button stores its choice under localStorage "theme" and sets
        # body[data-theme]: the opposite of the system's scheme, in each scheme.
        tutorial = (html / "tutorial/seed-experiments.html").resolve().as_uri()
        for scheme, theme in (("light", "dark"), ("dark", "light")):
            choose = f"(() => {{ document.body.dataset.theme = '{theme}'; return true; }})()"
            todo.append(Shot("tutorial", tutorial, scheme, 1280, choose, f"-toggled-{theme}"))
    return todo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "html",
        nargs="?",
        type=pathlib.Path,
        default=pathlib.Path("docs/_build/html"),
        help="the built HTML docs (default: docs/_build/html)",
    )
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=pathlib.Path("/tmp/podmodel-shots"),
        help="where the PNGs go (default: /tmp/podmodel-shots)",
    )
    parser.add_argument("--chromium", default="chromium", help="the browser (default: chromium)")
    parser.add_argument(
        "--tile", type=int, default=1600, help="cut each shot into parts this tall (0: one PNG)"
    )
    parser.add_argument(
        "--max-height", type=int, default=12000, help="shoot at most this many px of a page"
    )
    parser.add_argument(
        "--toggle",
        action="store_true",
        help="also shoot the tutorial set to dark by furo's toggle on a light system",
    )
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        parser.error(f"{args.html}/index.html not found: build the docs first (see --help)")
    binary = shutil.which(args.chromium)
    if binary is None:
        parser.error(f"{args.chromium} not found: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, _, _ in PAGES:  # the last run's shots: a page that got shorter has fewer parts
        for old in args.out.glob(f"{name}-*.png"):
            old.unlink()
    browser = Browser(binary)
    try:
        for shot in shots(args.html, args.toggle):
            for path in take(browser, shot, args.out, args.tile, args.max_height):
                print(path)
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
