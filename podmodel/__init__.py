"""podmodel: Kubernetes Pod semantics, in memory.

Load a Pod manifest into immutable, typed values; find what the API server would reject; and
simulate what the kubelet and the kernel do when the pod runs. Nothing here touches a cluster, a
container runtime, a real socket or a real file (except the file you name to :func:`load`).

>>> import podmodel
>>> pod = podmodel.loads("apiVersion: v1\\nkind: Pod\\nmetadata: {name: mypod}\\n")
>>> pod.metadata.name
'mypod'
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from podmodel.apiserver.admission import (
        AdmissionError,
        AdmissionResult,
        ClusterFacts,
        PriorityClass,
        admit,
    )
    from podmodel.apiserver.defaults import apply_defaults
    from podmodel.apiserver.validation import KUBERNETES_VERSION, check, validate
    from podmodel.apiserver.workloads import (
        InvalidWorkload,
        WorkloadResult,
        check_workload,
        validate_workload,
    )
    from podmodel.codec import (
        TemplateSource,
        dump,
        dumps,
        dumps_object,
        from_dict,
        load,
        load_all,
        load_objects,
        loads,
        loads_object,
        object_from_dict,
        object_to_dict,
        pod_templates,
        to_dict,
    )
    from podmodel.codec._edit import EditError, edit
    from podmodel.errors import (
        DecodeError,
        DecodeWarning,
        ErrorType,
        FieldError,
        FieldPath,
        InvalidPod,
        Location,
        PodmodelError,
        UnknownSchemaVersion,
        ValidationResult,
    )
    from podmodel.kernel.filesystem import (
        ContainerView,
        CrossDevice,
        Filesystem,
        FilesystemError,
        FileTree,
        Mount,
        NoSpace,
        ReadOnlyFileSystem,
    )
    from podmodel.kernel.network import (
        AddressNotAvailable,
        Connection,
        ConnectionRefused,
        InvalidSocketOperation,
        NetworkNamespace,
        NetworkUnreachable,
        PortInUse,
        PortPermissionDenied,
        Socket,
    )
    from podmodel.kubelet._config import ConfigError, ConfigMap, Secret
    from podmodel.kubelet.images import Behaviour, Catalogue, Image, Listen, default_catalogue
    from podmodel.kubelet.lifecycle import BackOffSettings, BindFailure, Event
    from podmodel.kubelet.node import Node, RunningPod
    from podmodel.kubelet.state import (
        ContainerStatus,
        ExecResult,
        NodeError,
        PodExists,
        PodNotFound,
    )
    from podmodel.kubelet.volumes import VolumeSetupError, mount_pod
    from podmodel.model._frozen import FrozenMap
    from podmodel.model._quantity import Quantity, QuantityError
    from podmodel.model.nested import PathError, insert, remove, replace
    from podmodel.model.schema import (
        DEFAULT_SCHEMA_VERSION,
        LATEST_SCHEMA_VERSION,
        SCHEMA_VERSIONS,
    )
    from podmodel.model.spec import (
        Container,
        ContainerPort,
        EmptyDir,
        EnvVar,
        HostPath,
        ObjectMeta,
        OtherVolumeSource,
        Pod,
        PodSpec,
        Volume,
        VolumeMount,
        VolumeSource,
    )
    from podmodel.model.workloads import (
        CronJob,
        DaemonSet,
        Deployment,
        Job,
        LabelSelector,
        PodTemplate,
        PodTemplateSpec,
        ReplicaSet,
        ReplicationController,
        StatefulSet,
    )

# Public names are imported on first use (PEP 562), so that ``import podmodel`` stays cheap for
# tools that need one part: the command line, a test that only decodes, a notebook. The block
# above is the same list for type checkers; tests/test_lazy_import.py keeps the two in step.
_LAZY: dict[str, tuple[str, ...]] = {
    "podmodel.model._frozen": ("FrozenMap",),
    "podmodel.codec": (
        "TemplateSource",
        "dump",
        "dumps",
        "dumps_object",
        "from_dict",
        "load",
        "load_all",
        "load_objects",
        "loads",
        "loads_object",
        "object_from_dict",
        "object_to_dict",
        "pod_templates",
        "to_dict",
    ),
    "podmodel.apiserver.admission": (
        "AdmissionError",
        "AdmissionResult",
        "ClusterFacts",
        "PriorityClass",
        "admit",
    ),
    "podmodel.apiserver.defaults": ("apply_defaults",),
    "podmodel.codec._edit": (
        "EditError",
        "edit",
    ),
    "podmodel.errors": (
        "DecodeError",
        "DecodeWarning",
        "ErrorType",
        "FieldError",
        "FieldPath",
        "InvalidPod",
        "Location",
        "PodmodelError",
        "UnknownSchemaVersion",
        "ValidationResult",
    ),
    "podmodel.kernel.filesystem": (
        "ContainerView",
        "CrossDevice",
        "Filesystem",
        "FilesystemError",
        "FileTree",
        "Mount",
        "NoSpace",
        "ReadOnlyFileSystem",
    ),
    "podmodel.kubelet._config": (
        "ConfigError",
        "ConfigMap",
        "Secret",
    ),
    "podmodel.kubelet.images": (
        "Behaviour",
        "Catalogue",
        "Image",
        "Listen",
        "default_catalogue",
    ),
    "podmodel.kubelet.lifecycle": (
        "BackOffSettings",
        "BindFailure",
        "Event",
    ),
    "podmodel.kernel.network": (
        "AddressNotAvailable",
        "Connection",
        "ConnectionRefused",
        "InvalidSocketOperation",
        "NetworkNamespace",
        "NetworkUnreachable",
        "PortInUse",
        "PortPermissionDenied",
        "Socket",
    ),
    "podmodel.kubelet.node": (
        "Node",
        "RunningPod",
    ),
    "podmodel.kubelet.state": (
        "ContainerStatus",
        "ExecResult",
        "NodeError",
        "PodExists",
        "PodNotFound",
    ),
    "podmodel.kubelet.volumes": (
        "VolumeSetupError",
        "mount_pod",
    ),
    "podmodel.model._quantity": (
        "Quantity",
        "QuantityError",
    ),
    "podmodel.model.nested": (
        "PathError",
        "insert",
        "remove",
        "replace",
    ),
    "podmodel.model.schema": (
        "DEFAULT_SCHEMA_VERSION",
        "LATEST_SCHEMA_VERSION",
        "SCHEMA_VERSIONS",
    ),
    "podmodel.model.spec": (
        "Container",
        "ContainerPort",
        "EmptyDir",
        "EnvVar",
        "HostPath",
        "ObjectMeta",
        "OtherVolumeSource",
        "Pod",
        "PodSpec",
        "Volume",
        "VolumeMount",
        "VolumeSource",
    ),
    "podmodel.apiserver.validation": (
        "KUBERNETES_VERSION",
        "check",
        "validate",
    ),
    "podmodel.apiserver.workloads": (
        "InvalidWorkload",
        "WorkloadResult",
        "check_workload",
        "validate_workload",
    ),
    "podmodel.model.workloads": (
        "CronJob",
        "DaemonSet",
        "Deployment",
        "Job",
        "LabelSelector",
        "PodTemplate",
        "PodTemplateSpec",
        "ReplicaSet",
        "ReplicationController",
        "StatefulSet",
    ),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> _typing.Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'podmodel' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    if module == "podmodel.kubelet.node":
        # The kubelet draws nothing; the presentation layer registers Jupyter's pictures of a
        # running pod when imported (see podmodel.kubelet.node.RICH_DISPLAY).
        _importlib.import_module("podmodel.display")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)


__version__ = "0.1.0"

__all__ = [
    "DEFAULT_SCHEMA_VERSION",
    "KUBERNETES_VERSION",
    "LATEST_SCHEMA_VERSION",
    "SCHEMA_VERSIONS",
    "AddressNotAvailable",
    "AdmissionError",
    "AdmissionResult",
    "BackOffSettings",
    "Behaviour",
    "BindFailure",
    "Catalogue",
    "ClusterFacts",
    "ConfigError",
    "ConfigMap",
    "Connection",
    "ConnectionRefused",
    "Container",
    "ContainerPort",
    "ContainerStatus",
    "ContainerView",
    "CronJob",
    "CrossDevice",
    "DaemonSet",
    "DecodeError",
    "DecodeWarning",
    "Deployment",
    "EditError",
    "EmptyDir",
    "EnvVar",
    "ErrorType",
    "Event",
    "ExecResult",
    "FieldError",
    "FieldPath",
    "FileTree",
    "Filesystem",
    "FilesystemError",
    "FrozenMap",
    "HostPath",
    "Image",
    "InvalidPod",
    "InvalidSocketOperation",
    "InvalidWorkload",
    "Job",
    "LabelSelector",
    "Listen",
    "Location",
    "Mount",
    "NetworkNamespace",
    "NetworkUnreachable",
    "NoSpace",
    "Node",
    "NodeError",
    "ObjectMeta",
    "OtherVolumeSource",
    "PathError",
    "Pod",
    "PodExists",
    "PodNotFound",
    "PodSpec",
    "PodTemplate",
    "PodTemplateSpec",
    "PodmodelError",
    "PortInUse",
    "PortPermissionDenied",
    "PriorityClass",
    "Quantity",
    "QuantityError",
    "ReadOnlyFileSystem",
    "ReplicaSet",
    "ReplicationController",
    "RunningPod",
    "Secret",
    "Socket",
    "StatefulSet",
    "TemplateSource",
    "UnknownSchemaVersion",
    "ValidationResult",
    "Volume",
    "VolumeMount",
    "VolumeSetupError",
    "VolumeSource",
    "WorkloadResult",
    "__version__",
    "admit",
    "apply_defaults",
    "check",
    "check_workload",
    "default_catalogue",
    "dump",
    "dumps",
    "dumps_object",
    "edit",
    "from_dict",
    "insert",
    "load",
    "load_all",
    "load_objects",
    "loads",
    "loads_object",
    "mount_pod",
    "object_from_dict",
    "object_to_dict",
    "pod_templates",
    "remove",
    "replace",
    "to_dict",
    "validate",
    "validate_workload",
]
