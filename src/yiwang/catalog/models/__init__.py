"""The service catalogue's models, split by sub-domain; import them from here."""

from yiwang.catalog.models.bundles import Bundle, BundleItem
from yiwang.catalog.models.implementations import (
    Channel,
    Implementation,
    ImplementationVersion,
    Material,
    MaterialForm,
    MaterialRequirement,
    Trips,
)
from yiwang.catalog.models.items import ItemType, Persona, ServiceItem, ServiceItemVersion
from yiwang.catalog.models.search import SearchDocument, SearchDocumentKind, SearchSynonym
from yiwang.catalog.models.versioning import (
    MSG_PUBLISHED_IMMUTABLE,
    MSG_RETIRED_IMMUTABLE,
    VersionStatus,
)

__all__ = [
    "MSG_PUBLISHED_IMMUTABLE",
    "MSG_RETIRED_IMMUTABLE",
    "Bundle",
    "BundleItem",
    "Channel",
    "Implementation",
    "ImplementationVersion",
    "ItemType",
    "Material",
    "MaterialForm",
    "MaterialRequirement",
    "Persona",
    "SearchDocument",
    "SearchDocumentKind",
    "SearchSynonym",
    "ServiceItem",
    "ServiceItemVersion",
    "Trips",
    "VersionStatus",
]
