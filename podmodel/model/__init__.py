"""The model: Kubernetes objects as typed, immutable values.

The classes of a v1 Pod (:mod:`podmodel.model.spec`), the field catalogue they are decoded
against (:mod:`podmodel.model.schema`), quantities, and the immutable containers everything else
is built from (``FrozenMap``, the persistent map ``PMap``). No behaviour of any system lives here.

What this package may import: :mod:`podmodel.errors` only.
"""
