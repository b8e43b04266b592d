"""Container images as data: their files, and what their entrypoint does when it runs.

An :class:`Image` is a file tree plus a :class:`Behaviour`: the sockets the default process binds
and listens on (with their options and uid), the files it writes, whether it exits, and what it
prints when a bind fails. The built-in :data:`CATALOGUE` is faithful to the real images on the
points the seed and teaching need; users add their own with :func:`Catalogue.add`.

>>> nginx = default_catalogue().get("nginx:1.27")
>>> nginx.tree.read("/usr/share/nginx/html/index.html")[:15]
b'<!DOCTYPE html>'
>>> [str(l) for l in nginx.behaviour.listens]
['0.0.0.0:80/TCP', '[::]:80/TCP v6only']

An image podmodel does not know has an empty file tree and, by assumption, listens on the ports
its container declares (``containerPort``, on ``0.0.0.0``).
"""

from __future__ import annotations

import re

import attrs

from podmodel.kernel._tree import FileTree
from podmodel.kubelet.shell import ImageProgram
from podmodel.model._pmap import PMap

__all__ = [
    "HTTPD_VERSION",
    "NGINX_VERSION",
    "Behaviour",
    "Catalogue",
    "FileWrite",
    "Image",
    "ImageProgram",
    "Listen",
    "default_catalogue",
    "image_key",
]


@attrs.frozen(kw_only=True)
class Listen:
    """A socket the process binds and listens on."""

    address: str = "0.0.0.0"
    port: int
    protocol: str = "TCP"
    v6only: bool = False
    reuse_address: bool = True
    reuse_port: bool = False

    def __str__(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{host}:{self.port}/{self.protocol}" + (" v6only" if self.v6only else "")


@attrs.frozen(kw_only=True)
class FileWrite:
    """A file the process writes when it starts (``append`` adds to what is there)."""

    path: str
    data: bytes
    append: bool = True


@attrs.frozen(kw_only=True)
class Behaviour:
    """What an image's entrypoint does.

    * ``listens``: sockets bound and listened on, in order; the first failing bind stops the
      process.
    * ``uid``: the process's uid (0 = root).
    * ``writes``: files written at start (after the binds succeeded).
    * ``exits``: ``None`` for a server that keeps running, else its exit code once done.
    * ``bind_failure``: the message printed when a bind fails, formatted with ``address``,
      ``port`` and ``protocol`` (nginx: ``bind() to {address}:{port} failed (98: Address
      already in use)``).
    * ``bind_failure_exit``: the exit code after a failed bind.
    * ``bind_retry``: seconds the process keeps retrying before it gives up (nginx: 5 tries,
      500 ms apart).
    * ``serves``: for an HTTP server, the document root it serves files from (through its own
      view of the file system, volumes included); ``banner``: a fixed response body otherwise.
    * ``stop_signal`` and ``stop_exit``: the signal the runtime stops the process with (the
      image's ``STOPSIGNAL``; containerd sends it instead of ``SIGTERM``) and the exit code the
      program then exits with, at once. ``stop_exit=None``: the process ignores it (a PID 1
      without a handler: the kernel gives PID 1 no default action), so the kubelet kills it
      with ``SIGKILL`` (137) when the grace period ends.
    * ``memory``: the bytes the process holds once started (its cgroup's memory usage); over
      the container's ``resources.limits.memory`` it is ``OOMKilled`` (137) at start.
    * ``response_seconds``: how long an HTTP answer takes (an ``httpGet`` probe with a shorter
      ``timeoutSeconds`` fails).
    * ``grpc_health``: for a gRPC server, the statuses (``SERVING``, ``NOT_SERVING``) of the
      services its ``grpc.health.v1.Health`` service knows, ``""`` being the server's own;
      ``()``: a gRPC server without the health service; ``None``: not a gRPC server.
    * ``program``: the image's main program as a script calls it (``nginx``, ``redis-server``:
      its names, what ``-v`` and ``-t`` print). A ``command`` or script that runs it in the
      foreground starts this behaviour (binds, listens, writes) at that moment.
    * ``pages`` and ``server``: for an HTTP server (``serves``), whose built-in pages (errors,
      directory listings) it answers with, ``"nginx"`` or ``"httpd"``, and its ``Server:``
      header.
    """

    listens: tuple[Listen, ...] = ()
    uid: int = 0
    writes: tuple[FileWrite, ...] = ()
    exits: int | None = None
    bind_failure: str = "bind {address}:{port}/{protocol}: address already in use"
    bind_failure_exit: int = 1
    bind_retry: float = 0.0
    serves: str | None = None
    banner: bytes = b""
    stop_signal: str = "SIGTERM"
    stop_exit: int | None = 0
    memory: int = 0
    response_seconds: float = 0.0
    grpc_health: tuple[tuple[str, str], ...] | None = None
    program: ImageProgram | None = None
    pages: str = "nginx"
    server: str = ""


@attrs.frozen(kw_only=True)
class Image:
    """An image: its name, its files and its entrypoint's behaviour."""

    name: str
    tree: FileTree = attrs.field(factory=FileTree)
    behaviour: Behaviour = attrs.field(factory=Behaviour)
    known: bool = True
    #: The programs on the image's ``PATH`` that podmodel's shell can run (``None``: all of
    #: them, for an image podmodel does not know); a script calling another gets ``not found``.
    programs: frozenset[str] | None = None


def image_key(image: str) -> str:
    """The catalogue key of an image reference: registry, ``library/``, tag and digest removed.

    >>> image_key("docker.io/library/nginx:1.27@sha256:abc"), image_key("sunwu51/node")
    ('nginx', 'sunwu51/node')
    """
    name = image.split("@", 1)[0]
    if re.search(r":[^/]*$", name):
        name = name.rsplit(":", 1)[0]
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        name = rest
    return name.removeprefix("library/")


@attrs.frozen
class Catalogue:
    """Images by key. :meth:`get` never fails: an unknown image is empty and ``known=False``."""

    images: PMap[str, Image] = attrs.field(factory=PMap)

    def add(self, image: Image) -> Catalogue:
        """A catalogue with *image* added (or replaced) under its key."""
        return Catalogue(self.images.set(image_key(image.name), image))

    def get(self, reference: str) -> Image:
        """The image for *reference* (any tag), or an unknown, empty one."""
        found = self.images.get(image_key(reference))
        if found is not None:
            return found  # type: ignore[no-any-return]
        return Image(name=reference, known=False)

    def __contains__(self, reference: object) -> bool:
        return isinstance(reference, str) and image_key(reference) in self.images


def _tree(files: dict[str, bytes], dirs: tuple[str, ...] = ()) -> FileTree:
    tree = FileTree()
    for d in dirs:
        tree = tree.mkdir(d, parents=True, exist_ok=True)
    for path, data in files.items():
        tree = tree.write(path, data, parents=True)
    return tree


_MIB = 1 << 20

#: The version of each server podmodel's images pretend to run.
NGINX_VERSION = "nginx/1.27.5"
HTTPD_VERSION = "Apache/2.4.62 (Unix)"

_BASE = {
    "/etc/os-release": b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
    "/etc/passwd": b"root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
}
_BASE_DIRS = ("/bin", "/tmp", "/root", "/var", "/usr/bin", "/dev", "/proc")

NGINX_CONF = b"""user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    access_log  /var/log/nginx/access.log  main;
    sendfile        on;
    keepalive_timeout  65;
    include /etc/nginx/conf.d/*.conf;
}
"""
NGINX_DEFAULT_CONF = b"""server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""
NGINX_INDEX = b"""<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
</body>
</html>
"""
NGINX_50X = b"""<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
</body>
</html>
"""

PM2_OUT = b"Welcome to Node-RED\n===================\n"
PM2_LOGS = "/root/.pm2/logs"


#: What a Debian-based image has (from ``debian:bookworm-slim``'s ``Essential: yes`` packages:
#: ``coreutils``, ``grep``, ``hostname``, ``dash``, ``bash``; no ``procps``, ``iproute2``,
#: ``wget`` or ``curl``), among the programs podmodel's shell knows.
DEBIAN_PROGRAMS = frozenset(
    [
        "sh",
        "bash",
        "dash",
        "cat",
        "ls",
        "echo",
        "touch",
        "mkdir",
        "rm",
        "cp",
        "mv",
        "env",
        "printenv",
        "id",
        "whoami",
        "date",
        "sleep",
        "grep",
        "egrep",
        "head",
        "tail",
        "wc",
        "sort",
        "uniq",
        "cut",
        "tr",
        "seq",
        "basename",
        "dirname",
        "uname",
        "hostname",
        "yes",
        "true",
        "false",
    ]
)
#: What a busybox-based image has (``busybox --list`` of ``busybox:1.36`` and ``alpine:3.20``,
#: which has ``wget`` but no ``curl`` and no ``bash``).
BUSYBOX_PROGRAMS = (DEBIAN_PROGRAMS - {"bash", "dash"}) | {"ash", "wget"}


def _builtin() -> Catalogue:
    cat = Catalogue()
    cat = cat.add(
        Image(
            name="registry.k8s.io/pause",
            programs=frozenset(),
            tree=_tree({"/pause": b"\x7fELF pause"}),
            behaviour=Behaviour(),
        )
    )
    cat = cat.add(
        Image(
            name="nginx",
            programs=DEBIAN_PROGRAMS | {"curl"},
            tree=_tree(
                {
                    **_BASE,
                    "/etc/nginx/nginx.conf": NGINX_CONF,
                    "/etc/nginx/conf.d/default.conf": NGINX_DEFAULT_CONF,
                    "/etc/nginx/mime.types": b"types {\n    text/html  html htm shtml;\n}\n",
                    "/usr/share/nginx/html/index.html": NGINX_INDEX,
                    "/usr/share/nginx/html/50x.html": NGINX_50X,
                    "/var/log/nginx/access.log": b"",
                    "/var/log/nginx/error.log": b"",
                },
                _BASE_DIRS,
            ),
            behaviour=Behaviour(
                listens=(
                    Listen(address="0.0.0.0", port=80, reuse_address=True),
                    Listen(address="::", port=80, v6only=True, reuse_address=True),
                ),
                bind_failure="bind() to {address}:{port} failed (98: Address already in use)",
                bind_retry=2.0,
                serves="/usr/share/nginx/html",
                # docker-library/nginx Dockerfile: STOPSIGNAL SIGQUIT, a graceful shutdown
                # after which the master process exits 0
                stop_signal="SIGQUIT",
                memory=_MIB * 6,
                program=ImageProgram(
                    names=frozenset({"nginx"}),
                    version=f"nginx version: {NGINX_VERSION}\n",
                    version_fd=2,
                    version_flags=frozenset({"-v"}),
                    config_test="nginx: the configuration file /etc/nginx/nginx.conf syntax is "
                    "ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n",
                ),
                pages="nginx",
                server=NGINX_VERSION,
            ),
        )
    )
    cat = cat.add(
        Image(
            name="sunwu51/node",
            programs=DEBIAN_PROGRAMS | {"curl", "wget"},
            tree=_tree(
                {
                    **_BASE,
                    "/usr/src/node-red/package.json": b'{"name": "node-red-docker", "main": "node_modules/node-red/red/red.js"}\n',
                    "/root/.pm2/pm2.log": b"PM2 log: Launching in no daemon mode\n",
                    f"{PM2_LOGS}/red-out.log": PM2_OUT,
                    f"{PM2_LOGS}/red-error.log": b"",
                },
                _BASE_DIRS,
            ),
            behaviour=Behaviour(
                listens=(Listen(address="::", port=1880, reuse_address=True),),
                writes=(
                    FileWrite(
                        path=f"{PM2_LOGS}/red-out.log",
                        data=b"Server now running at http://127.0.0.1:1880/\n",
                    ),
                    FileWrite(path="/root/.pm2/pm2.log", data=b"PM2 log: App [red:0] online\n"),
                ),
                bind_failure="Error: listen EADDRINUSE: address already in use :::{port}",
                # pm2-runtime stops its apps on SIGTERM and exits 0 (pm2 lib/binaries/Runtime4Docker.js)
                memory=_MIB * 70,
                program=ImageProgram(
                    names=frozenset({"pm2-runtime", "node-red"}), version="5.4.2\n"
                ),
                banner=b"<!DOCTYPE html>\n<html><head><title>Node-RED</title></head><body></body></html>\n",
            ),
        )
    )
    cat = cat.add(
        Image(
            name="busybox",
            programs=BUSYBOX_PROGRAMS,
            tree=_tree(
                {"/bin/busybox": b"\x7fELF busybox", "/etc/passwd": _BASE["/etc/passwd"]},
                ("/tmp", "/root", "/var", "/usr/bin", "/dev", "/proc"),
            ),
            behaviour=Behaviour(exits=0),  # the default command is `sh`, which exits at once
        )
    )
    cat = cat.add(
        Image(
            name="redis",
            programs=DEBIAN_PROGRAMS,
            tree=_tree(
                {**_BASE, "/usr/local/bin/redis-server": b"\x7fELF redis"}, (*_BASE_DIRS, "/data")
            ),
            behaviour=Behaviour(
                listens=(
                    Listen(address="0.0.0.0", port=6379, reuse_address=True),
                    Listen(address="::", port=6379, v6only=True, reuse_address=True),
                ),
                uid=999,
                bind_failure="Warning: Could not create server TCP listening socket *:{port}: "
                "bind: Address already in use",
                # redis server.c, sigShutdownHandler: SIGTERM schedules a shutdown, then exit(0)
                memory=_MIB * 8,
                # redis-server -v (src/server.c, version()): the build fields of the 7.4 image
                program=ImageProgram(
                    names=frozenset({"redis-server"}),
                    version="Redis server v=7.4.1 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 "
                    "build=5f2a1bb2b4e1bf8d\n",
                    version_flags=frozenset({"-v", "--version"}),
                ),
            ),
        )
    )
    cat = cat.add(
        Image(
            name="httpd",
            programs=DEBIAN_PROGRAMS,
            tree=_tree(
                {
                    **_BASE,
                    "/usr/local/apache2/htdocs/index.html": b"<html><body><h1>It works!</h1></body></html>\n",
                    "/usr/local/apache2/conf/httpd.conf": b"Listen 80\n",
                },
                _BASE_DIRS,
            ),
            behaviour=Behaviour(
                listens=(Listen(address="::", port=80, reuse_address=True),),
                bind_failure="(98)Address already in use: AH00072: make_sock: could not bind to "
                "address [::]:{port}",
                serves="/usr/local/apache2/htdocs",
                # docker-library/httpd Dockerfile: STOPSIGNAL SIGWINCH, a graceful stop, exit 0
                stop_signal="SIGWINCH",
                memory=_MIB * 10,
                program=ImageProgram(
                    names=frozenset({"httpd", "httpd-foreground"}),
                    version=f"Server version: {HTTPD_VERSION}\nServer built:   Jul 17 2024 "
                    "22:53:35\n",
                    version_flags=frozenset({"-v"}),
                    config_test="AH00558: httpd: Could not reliably determine the server's fully "
                    "qualified domain name, using {ip}. Set the 'ServerName' directive globally "
                    "to suppress this message\nSyntax OK\n",
                ),
                pages="httpd",
                server=HTTPD_VERSION,
            ),
        )
    )
    cat = cat.add(
        Image(
            name="alpine",
            programs=BUSYBOX_PROGRAMS,
            tree=_tree(
                {"/etc/alpine-release": b"3.20.0\n", "/etc/passwd": _BASE["/etc/passwd"]},
                ("/bin", "/tmp", "/root", "/var", "/usr/bin", "/dev", "/proc"),
            ),
            behaviour=Behaviour(exits=0),
        )
    )
    cat = cat.add(
        Image(
            # cluster/images/etcd/Dockerfile: distroless static, plus /bin/sh (bash-static) and
            # /bin/cp; etcd, etcdctl and etcdutl in /usr/local/bin; no CMD. The image the
            # Kubernetes docs' gRPC liveness probe example runs.
            name="registry.k8s.io/etcd",
            programs=frozenset({"sh", "cp"}),
            tree=_tree(
                {
                    "/bin/sh": b"\x7fELF bash-static",
                    "/bin/cp": b"\x7fELF cp",
                    "/usr/local/bin/etcd": b"\x7fELF etcd",
                    "/usr/local/bin/etcdctl": b"\x7fELF etcdctl",
                    "/usr/local/bin/etcdutl": b"\x7fELF etcdutl",
                    "/usr/local/bin/migrate-if-needed.sh": b"#!/bin/sh\n",
                    "/etc/passwd": b"root:x:0:0:root:/root:/sbin/nologin\n",
                },
                ("/tmp", "/root", "/var", "/dev", "/proc"),
            ),
            behaviour=Behaviour(
                # as the docs' example starts it (--listen-client-urls http://0.0.0.0:2379;
                # peers on the default http://localhost:2380): podmodel does not read the flags
                listens=(
                    Listen(address="0.0.0.0", port=2379, reuse_address=True),
                    Listen(address="127.0.0.1", port=2380, reuse_address=True),
                ),
                bind_failure='{{"level":"fatal","msg":"discovery failed","error":"listen tcp '
                '{address}:{port}: bind: address already in use"}}',
                # server/etcdserver/api/v3rpc/grpc.go registers grpc.health.v1 with the
                # server's own status SERVING
                grpc_health=(("", "SERVING"),),
                # pkg/osutil/interrupt_unix.go: on SIGTERM the handlers stop the server, and
                # PID 1 exits 0 at once (the kernel would not kill it)
                memory=_MIB * 25,
                program=ImageProgram(
                    names=frozenset({"etcd"}),
                    version="etcd Version: 3.5.1\nGit SHA: e8732fb5f\nGo Version: go1.16.3\n"
                    "Go OS/Arch: linux/amd64\n",
                    version_flags=frozenset({"--version"}),
                ),
            ),
        )
    )
    return cat.add(
        Image(
            name="python",
            programs=DEBIAN_PROGRAMS | {"curl", "wget"},
            tree=_tree({**_BASE, "/usr/local/bin/python3": b"\x7fELF python"}, _BASE_DIRS),
            behaviour=Behaviour(
                exits=0
            ),  # the default command is the REPL, which exits without a tty
        )
    )


_DEFAULT: Catalogue | None = None


def default_catalogue() -> Catalogue:
    """The built-in images: pause, nginx, sunwu51/node, busybox, redis, httpd, etcd, alpine,
    python."""
    global _DEFAULT  # noqa: PLW0603  (built once, on first use: keeps `import podmodel` fast)
    if _DEFAULT is None:
        _DEFAULT = _builtin()
    return _DEFAULT
