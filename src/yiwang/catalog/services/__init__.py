"""The catalogue's use cases, by sub-domain."""

from yiwang.catalog.services.bundles import bundle_save
from yiwang.catalog.services.implementations import (
    implementation_create,
    implementation_version_draft,
    implementation_version_publish,
    implementation_version_return,
    implementation_version_submit,
    implementation_version_update,
)
from yiwang.catalog.services.items import (
    item_create,
    item_retire,
    item_version_draft,
    item_version_publish,
    item_version_return,
    item_version_submit,
    item_version_update,
)

__all__ = [
    "bundle_save",
    "implementation_create",
    "implementation_version_draft",
    "implementation_version_publish",
    "implementation_version_return",
    "implementation_version_submit",
    "implementation_version_update",
    "item_create",
    "item_retire",
    "item_version_draft",
    "item_version_publish",
    "item_version_return",
    "item_version_submit",
    "item_version_update",
]
