"""Every API schema has a name of its own: the OpenAPI document keeps one schema per name.

django-ninja files schemas under their class name, so two modules each defining a
`FileOut` would document lot files with the fields of assay files.
"""

from collections import defaultdict

from ninja import Schema

import cobench.api.urls  # noqa: F401  (imports every router)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_schema_class_names_are_unique():
    places = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("cobench.") and cls.__qualname__ == cls.__name__:
            places[cls.__name__].add(cls.__module__)
    assert {name: sorted(m) for name, m in places.items() if len(m) > 1} == {}
