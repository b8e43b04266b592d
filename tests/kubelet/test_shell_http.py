"""``curl`` and ``wget`` against nginx and httpd: statuses, their real pages and messages; and
an image's own program (``nginx``) called from a script."""

from __future__ import annotations

import math
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podmodel import Node
from podmodel.kubelet import _scripts
from podmodel.kubelet.shell import ImageProgram, run, simple_system, start
from podmodel.kubelet.shell._http import progress_size
from tests.support.helpers import pod_of

NGINX_404 = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n"
    "<hr><center>nginx/1.27.5</center>\r\n</body>\r\n</html>\r\n"
)
NGINX_403 = NGINX_404.replace("404 Not Found", "403 Forbidden")
NGINX_301 = NGINX_404.replace("404 Not Found", "301 Moved Permanently")
HTTPD_404 = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n'
    "<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on this server.</p>\n</body></html>\n"
)


def _pod(*containers: dict[str, object]) -> Node:
    return Node().start(pod_of({"containers": list(containers)})).advance(2)


WEB = {"name": "web", "image": "nginx"}
BOX = {"name": "box", "image": "busybox", "command": ["sleep", "3600"]}
HTTPD = {"name": "web", "image": "httpd"}


def _sh(node: Node, container: str, script: str) -> tuple[str, str, int]:
    r = node.pod("p").exec(container, script)
    return r.stdout, r.stderr, r.exit_code


def test_nginx_answers_404_with_its_page_and_curl_prints_it() -> None:
    node = _pod(WEB)
    assert _sh(node, "web", "curl -s localhost/nope") == (NGINX_404, "", 0)
    assert _sh(node, "web", "curl -s -o /dev/null -w '%{http_code}\\n' localhost/nope") == (
        "404\n",
        "",
        0,
    )
    # -f: exit 22, with curl's message unless -s (and again with -S)
    assert _sh(node, "web", "curl -f localhost/nope") == (
        "",
        "curl: (22) The requested URL returned error: 404\n",
        22,
    )
    assert _sh(node, "web", "curl -sf localhost/nope") == ("", "", 22)
    assert _sh(node, "web", "curl -sSf localhost/nope")[1:] == (
        "curl: (22) The requested URL returned error: 404\n",
        22,
    )


def test_busybox_wget_fails_on_an_error_status() -> None:
    node = _pod(WEB, BOX)
    assert _sh(node, "box", "wget -qO- localhost/nope") == (
        "",
        "wget: server returned error: HTTP/1.1 404 Not Found\n",
        1,
    )
    out, err, code = _sh(node, "box", "wget -O- localhost/")
    assert code == 0
    assert "<title>Welcome to nginx!</title>" in out
    size = len(out.encode())
    assert err == (
        "Connecting to localhost (127.0.0.1:80)\n"
        "writing to stdout\n"
        f"-                    100% |{'*' * 32}|   {size}  0:00:00 ETA\n"
        "written to stdout\n"
    )
    assert _sh(node, "box", "wget -q --spider localhost/; echo $?") == ("0\n", "", 0)


def test_wget_saves_to_a_file_named_after_the_url_and_never_overwrites_it() -> None:
    node = _pod(WEB, BOX)
    out, err, code = _sh(
        node, "box", "cd /tmp && wget localhost && wc -c < index.html && wget localhost"
    )
    size = out.strip()
    assert code == 1
    assert err == (
        "Connecting to localhost (127.0.0.1:80)\n"
        "saving to 'index.html'\n"
        f"index.html           100% |{'*' * 32}|   {size}  0:00:00 ETA\n"
        "'index.html' saved\n"
        "Connecting to localhost (127.0.0.1:80)\n"
        "wget: can't open 'index.html': File exists\n"
    )


def test_a_directory_without_its_slash_is_redirected_and_without_index_forbidden() -> None:
    node = _pod(WEB, BOX)
    node, _ = node.exec("p", "web", "mkdir -p /usr/share/nginx/html/d/e")
    assert _sh(node, "web", "curl -s localhost/d") == (NGINX_301, "", 0)
    assert _sh(node, "web", "curl -sI localhost:80/d")[0] == (
        "HTTP/1.1 301 Moved Permanently\r\nServer: nginx/1.27.5\r\nContent-Type: text/html\r\n"
        f"Content-Length: {len(NGINX_301)}\r\nLocation: http://localhost/d/\r\n\r\n"
    )
    assert _sh(node, "web", "curl -sL localhost/d") == (NGINX_403, "", 0)
    assert _sh(node, "box", "wget -qO- localhost/d") == (
        "",
        "wget: server returned error: HTTP/1.1 403 Forbidden\n",
        1,
    )
    node, _ = node.exec("p", "web", "echo hi > /usr/share/nginx/html/d/index.html")
    assert _sh(node, "box", "wget -qO- localhost/d") == ("hi\n", "", 0)


def test_httpd_answers_with_its_own_pages_and_lists_directories() -> None:
    node = _pod(HTTPD, BOX)
    assert _sh(node, "box", "wget -qO- localhost/nope")[1] == (
        "wget: server returned error: HTTP/1.1 404 Not Found\n"
    )
    node, _ = node.exec(
        "p",
        "web",
        "mkdir -p /usr/local/apache2/htdocs/d/sub; touch /usr/local/apache2/htdocs/d/a.txt",
    )
    assert _sh(node, "web", "curl -s localhost/nope") == ("", "sh: curl: not found\n", 127)
    assert _sh(node, "box", "wget -qO- localhost/d/") == (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n'
        "<html>\n <head>\n  <title>Index of /d/</title>\n </head>\n <body>\n"
        "<h1>Index of /d/</h1>\n"
        '<ul><li><a href="/"> Parent Directory</a></li>\n'
        '<li><a href="a.txt"> a.txt</a></li>\n'
        '<li><a href="sub/"> sub/</a></li>\n'
        "</ul>\n</body></html>\n",
        "",
        0,
    )
    state = node.pod("p").state
    answer = _scripts.http_request(node, state, "localhost", 80, "/nope")
    assert (answer.status_line, answer.body) == ("HTTP/1.1 404 Not Found", HTTPD_404)
    moved = _scripts.http_request(node, state, "localhost", 80, "/d")
    assert moved.status == 301
    assert '<p>The document has moved <a href="http://localhost/d/">here</a>.</p>' in moved.body


def test_what_a_script_writes_is_served_at_once() -> None:
    node = _pod(WEB)
    out, _, code = _sh(
        node, "web", "echo fresh > /usr/share/nginx/html/index.html && curl -s localhost"
    )
    assert (out, code) == ("fresh\n", 0)


def test_no_server_and_no_such_host() -> None:
    node = _pod(WEB, BOX)
    assert _sh(node, "web", "curl localhost:81") == (
        "",
        "curl: (7) Failed to connect to localhost port 81 after 0 ms: Couldn't connect to server\n",
        7,
    )
    assert _sh(node, "web", "curl -s localhost:81") == ("", "", 7)
    assert _sh(node, "web", "curl -sS nohost") == (
        "",
        "curl: (6) Could not resolve host: nohost\n",
        6,
    )
    assert _sh(node, "box", "wget -qO- localhost:81") == (
        "",
        "wget: can't connect to remote host (127.0.0.1): Connection refused\n",
        1,
    )
    assert _sh(node, "box", "wget -qO- nohost") == ("", "wget: bad address 'nohost'\n", 1)


def test_curl_options_and_usage_errors() -> None:
    node = _pod(WEB)
    assert _sh(node, "web", "curl") == (
        "",
        "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
        2,
    )
    assert _sh(node, "web", "curl --bogus localhost")[1:] == (
        "curl: option --bogus: is unknown\n"
        "curl: try 'curl --help' or 'curl --manual' for more information\n",
        2,
    )
    assert _sh(node, "web", "curl -sO localhost/") == ("", "", 23)
    assert _sh(node, "web", "curl -O localhost/")[1:] == (
        "curl: (23) Remote file name has no length!\n",
        23,
    )
    out, _, code = _sh(
        node, "web", "cd /tmp && curl -sO localhost/index.html && wc -c < index.html"
    )
    assert (code, int(out)) == (0, len(_sh(node, "web", "curl -s localhost")[0].encode()))
    assert _sh(node, "web", "curl -s -o /nope/x localhost") == ("", "", 23)
    assert _sh(node, "web", "curl -s -w '%{foo}' -o /dev/null localhost") == (
        "",
        "curl: unknown --write-out variable: 'foo'\n",
        0,
    )


def test_http_get_keeps_its_answers() -> None:
    node = _pod(WEB)
    state = node.pod("p").state
    assert _scripts.http_get(node, state, "localhost", 80, "/nope") == (True, NGINX_404)
    assert _scripts.http_get(node, state, "localhost", 81, "/") == (False, "")
    ok, body = _scripts.http_get(node, state, "localhost", 80, "/")
    assert ok
    assert "Welcome to nginx!" in body


@settings(max_examples=25, deadline=None)
@given(
    st.sets(st.text(string.ascii_lowercase, min_size=1, max_size=6), max_size=4),
    st.text(string.ascii_lowercase, min_size=1, max_size=6),
)
def test_nginx_serves_exactly_the_files_there_are(files: set[str], asked: str) -> None:
    node = _pod(WEB)
    for name in files:
        node, _ = node.exec("p", "web", f"echo {name} > /usr/share/nginx/html/{name}.txt")
    out, _, _ = _sh(node, "web", f"curl -s -w ' %{{http_code}}' localhost/{asked}.txt")
    assert out == (f"{asked}\n 200" if asked in files else f"{NGINX_404} 404")


@given(st.integers(0, 1 << 50))
def test_progress_sizes_are_five_characters(size: int) -> None:
    shown = progress_size(size)
    assert len(shown) == 5
    if size <= 99999:
        assert int(shown) == size


# ---- the image's own program ----


def test_nginx_dash_v_prints_its_version_on_stderr() -> None:
    node = _pod(WEB)
    assert _sh(node, "web", "nginx -v") == ("", "nginx version: nginx/1.27.5\n", 0)
    assert _sh(node, "web", "command -v nginx") == ("/usr/sbin/nginx\n", "", 0)
    assert _sh(node, "web", "nginx -t")[1] == (
        "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
        "nginx: configuration file /etc/nginx/nginx.conf test is successful\n"
    )
    assert _sh(_pod(HTTPD), "web", "httpd -v")[0].startswith(
        "Server version: Apache/2.4.62 (Unix)\n"
    )
    # another image does not have it
    assert _sh(_pod(BOX), "box", "nginx -v") == ("", "sh: nginx: not found\n", 127)


def test_a_script_ending_in_the_image_server_keeps_running_it() -> None:
    script = "echo hello > /usr/share/nginx/html/index.html; exec nginx -g 'daemon off;'"
    node = _pod({"name": "web", "image": "nginx", "command": ["sh", "-c", script]}).advance(60)
    c = node.pod("p").container("web")
    assert (c.state, c.restart_count, c.logs) == ("running", 0, ())
    assert c.process is not None
    assert not c.process.done
    assert c.process.now == math.inf


def test_the_server_start_is_recorded_for_the_kubelet() -> None:
    image = ImageProgram(names=frozenset({"srv"}), version="srv 1.0\n")
    system = simple_system(image=image)
    p, s = run(start("srv --version; sleep 2; srv --port 80; echo never"), system, until=100)
    assert (p.stdout, p.done, [name for _, name in s.served]) == ("srv 1.0\n", False, ["srv"])
    assert 2 < s.served[0][0] < 2.01  # after the sleep (and a few steps of work)
    ended = simple_system(image=ImageProgram(names=frozenset({"job"}), exits=3))
    p, s = run(start("job; echo $?"), ended)
    assert (p.stdout, p.done, len(s.served)) == ("3\n", True, 1)


@pytest.mark.parametrize("flag", ["-v", "-t"])
def test_the_program_of_one_image_is_not_the_shell_s_everywhere(flag: str) -> None:
    p, _ = run(start(f"nginx {flag}"), simple_system(programs=frozenset({"sh"})))
    assert (p.exit_code, p.stderr) == (127, "sh: nginx: not found\n")


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["nginx", "httpd", "busybox"]))
def test_any_path_gets_an_answer_and_never_an_exception(path: str, image: str) -> None:
    node = _pod(
        {
            "name": "web",
            "image": image,
            **({"command": ["sleep", "9"]} if image == "busybox" else {}),
        }
    )
    answer = _scripts.http_request(node, node.pod("p").state, "localhost", 80, "/" + path)
    if image == "busybox":
        assert (answer.status, answer.reason) == (0, "refused")
    else:
        assert answer.status in (200, 301, 400, 403, 404)
        assert answer.header("Content-Length") == str(
            len(answer.body.encode("utf-8", "surrogateescape"))
        )
