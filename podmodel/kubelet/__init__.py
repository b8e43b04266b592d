"""What the kubelet and the container runtime do on a node: the node itself and its pods
(:mod:`podmodel.kubelet.node`), the state it keeps per pod and container
(:mod:`podmodel.kubelet.state`), volume set-up and container creation
(:mod:`podmodel.kubelet.volumes`), images (:mod:`podmodel.kubelet.images`), processes, restarts
and back-off (:mod:`podmodel.kubelet.lifecycle`), and ``exec``.

A new image goes into :mod:`podmodel.kubelet.images`; a new ``exec`` command into
:mod:`podmodel.kubelet._exec`.

What this package may import: every layer below it (:mod:`podmodel.errors`, ``model``,
``codec``, ``apiserver``, ``kernel``). It draws nothing: pictures of a running pod are the
presentation layer's (:mod:`podmodel.display`), which registers them for Jupyter.
"""
