"""Namespaces and one safe way to parse XML that came from outside: no DTD, no entities, no
network, no huge trees. Every document the service provider reads goes through ``parse``."""

from __future__ import annotations

from lxml import etree

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
XENC11 = "http://www.w3.org/2009/xmlenc11#"
NS = {"samlp": SAMLP, "saml": SAML, "md": MD, "ds": DS, "xenc": XENC, "xenc11": XENC11}

REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"

MAX_BYTES = 512 * 1024  # a SAML response is a few kilobytes; a metadata file a few hundred


class XmlRefused(ValueError):
    """Not a document the service provider reads."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise XmlRefused("too large")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise XmlRefused(f"not XML: {error}") from error
    if root.getroottree().docinfo.doctype:
        raise XmlRefused("a DOCTYPE is not allowed")
    return root


def q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def children(element: etree._Element, ns: str, name: str) -> list[etree._Element]:
    return [c for c in element if c.tag == q(ns, name)]


def one_child(element: etree._Element, ns: str, name: str) -> etree._Element | None:
    """The element's only child ``name``; None when there is none; refused when several."""
    found = children(element, ns, name)
    if len(found) > 1:
        raise XmlRefused(f"more than one {name}")
    return found[0] if found else None


def plain_text(element: etree._Element | None) -> str | None:
    """An element's text when it is only text (no child elements or comments), stripped."""
    if element is None:
        return None
    if len(element):
        raise XmlRefused(f"{etree.QName(element).localname} is not plain text")
    return (element.text or "").strip()
