"""Load the seed's shared-disk pod, then its hostPath variant with the `Path` typo.

Run: python docs/examples/load_and_report.py
"""

import podmodel

MANIFEST = """\
apiVersion: v1
kind: Pod
metadata:
  name: mypod
  labels:
    hello: world
spec:
  containers:
  - name: mycon1
    image: sunwu51/node
    volumeMounts:
    - name: mymount
      mountPath: /root/.pm2/logs
  - name: mycon2
    image: nginx
    command: ["sh","-c","tail -f /pm2logs/*.log"]
    volumeMounts:
    - name: mymount
      mountPath: /pm2logs
  volumes:
  - name: mymount
    emptyDir: {}
"""

pod = podmodel.loads(MANIFEST)
for container in pod.spec.containers:
    for mount in container.volume_mounts:
        print(f"{container.name} mounts {mount.name} at {mount.mount_path}")

try:
    podmodel.loads(MANIFEST.replace("emptyDir: {}", 'hostPath:\n      Path: "/logs"'))
except podmodel.DecodeError as exc:
    print(exc.pointed())
