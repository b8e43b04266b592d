"""What the Kubernetes API server does with a Pod on create, for v1.35: defaulting
(:mod:`podmodel.apiserver.defaults`), validation with the server's paths, types, texts and
order (:mod:`podmodel.apiserver.validation` and its private rule modules), and the create
warnings (:mod:`podmodel.apiserver._warnings`).

A new rule goes into the private module of its area (``_container_rules``, ``_container_checks``,
``_volume_rules``, ...), called from where ``validation.go`` calls it.

What this package may import: :mod:`podmodel.errors`, :mod:`podmodel.model`,
:mod:`podmodel.codec`.
"""
