"""Load the seed's shared-disk pod, then its hostPath variant with the `Path` typo.

Run: python docs/examples/load_and_report.py
"""

import pathlib

import podmodel

MANIFEST = (pathlib.Path(__file__).resolve().parent / "seed" / "shared-disk.yaml").read_text()

pod = podmodel.loads(MANIFEST)
for container in pod.spec.containers:
    for mount in container.volume_mounts:
        print(f"{container.name} mounts {mount.name} at {mount.mount_path}")

try:
    podmodel.loads(MANIFEST.replace("emptyDir: {}", 'hostPath:\n      Path: "/logs"'))
except podmodel.DecodeError as exc:
    print(exc.pointed())
