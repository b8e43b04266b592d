"""What the Linux kernel does for a pod: the network namespace with the kernel's ``bind()``,
``listen()`` and ``connect()`` rules (:mod:`podmodel.kernel.network`), and file trees with
mounts, read-only mounts and the errors the kernel returns (:mod:`podmodel.kernel.filesystem`).
Nothing here knows about pods, images or containers' lifecycles: that is the kubelet's.

What this package may import: :mod:`podmodel.errors`, :mod:`podmodel.model`.
"""
