"""What an OIOSAML 3 assertion from Context Handler says about the person: the attribute
names of the profile, and the roles in an OIO-BPP privilege list that count — those scoped
to the person's own organisation (its CVR number), never another's."""

from __future__ import annotations

import base64
import binascii

from lxml import etree

from portal.auth.sso.saml.xml import XmlRefused, parse

CVR = "https://data.gov.dk/model/core/eid/professional/cvr"
PRIVILEGES = "https://data.gov.dk/model/core/eid/privilegesIntermediate"
LOA = "https://data.gov.dk/concept/core/nsis/loa"
EMAIL = "https://data.gov.dk/model/core/eid/email"
FIRST_NAME = "https://data.gov.dk/model/core/eid/firstName"
LAST_NAME = "https://data.gov.dk/model/core/eid/lastName"
FULL_NAME = "https://data.gov.dk/model/core/eid/fullName"
CVR_SCOPE = "urn:dk:gov:saml:cvrNumberIdentifier:"
BPP_NS = "http://itst.dk/oiosaml/basic_privilege_profile"


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def privileges_for(encoded: str, cvr: str) -> tuple[str, ...]:
    """The privileges (role URIs) of the base64 OIO-BPP list ``encoded`` that are scoped to
    ``cvr``, in order and without repeats. A list that cannot be read gives none."""
    try:
        root = parse(base64.b64decode("".join(encoded.split()), validate=True))
    except (binascii.Error, XmlRefused):
        return ()
    if _local(root) != "PrivilegeList":
        return ()
    found: list[str] = []
    for group in root:
        if _local(group) != "PrivilegeGroup" or group.get("Scope") != CVR_SCOPE + cvr:
            continue
        for privilege in group:
            if _local(privilege) == "Privilege" and not len(privilege):
                value = (privilege.text or "").strip()
                if value and value not in found:
                    found.append(value)
    return tuple(found)


def first(attributes: dict[str, tuple[str, ...]], name: str) -> str | None:
    values = [v for v in attributes.get(name, ()) if v]
    return values[0] if values else None


def person_name(attributes: dict[str, tuple[str, ...]]) -> str | None:
    full = first(attributes, FULL_NAME)
    if full:
        return full
    parts = [first(attributes, FIRST_NAME), first(attributes, LAST_NAME)]
    return " ".join(p for p in parts if p) or None
