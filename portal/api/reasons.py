"""pydantic's validation errors as the API's own words: each error ``type`` (``missing``,
``int_parsing``, ``string_too_long``, …) has a Danish text (the msgid) with its English
translation, filled in from the error's context (a maximum length, the allowed values); an
error type without a text here says so in general terms in Danish, and in pydantic's own
words in English.

Where the error is: a body's field as a JSON Pointer (RFC 6901) in URI-fragment form
(``#/items/3/value``), a query, path or header parameter by its name."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

TEXTS = {
    "missing": _l("Feltet mangler."),
    "extra_forbidden": _l("Feltet kendes ikke og må ikke være med."),
    "int_parsing": _l("Skriv et helt tal."),
    "int_type": _l("Skriv et helt tal."),
    "int_from_float": _l("Skriv et helt tal uden decimaler."),
    "float_parsing": _l("Skriv et tal."),
    "float_type": _l("Skriv et tal."),
    "finite_number": _l("Skriv et endeligt tal."),
    "decimal_parsing": _l("Skriv et tal med punktum som decimaltegn, f.eks. 12.5."),
    "decimal_type": _l("Skriv et tal med punktum som decimaltegn, f.eks. 12.5."),
    "decimal_max_digits": _l("Tallet har for mange cifre (højst %(max_digits)s)."),
    "decimal_max_places": _l("Tallet har for mange decimaler (højst %(decimal_places)s)."),
    "decimal_whole_digits": _l("Tallet har for mange cifre før kommaet (højst %(whole_digits)s)."),
    "greater_than": _l("Tallet skal være større end %(gt)s."),
    "greater_than_equal": _l("Tallet skal være mindst %(ge)s."),
    "less_than": _l("Tallet skal være mindre end %(lt)s."),
    "less_than_equal": _l("Tallet må højst være %(le)s."),
    "string_type": _l("Skriv en tekst."),
    "string_too_short": _l("Teksten er for kort (mindst %(min_length)s tegn)."),
    "string_too_long": _l("Teksten er for lang (højst %(max_length)s tegn)."),
    "string_pattern_mismatch": _l("Teksten har ikke den form, der kræves."),
    "literal_error": _l("Vælg en af disse værdier: %(expected)s."),
    "enum": _l("Vælg en af disse værdier: %(expected)s."),
    "bool_parsing": _l("Skriv true eller false."),
    "bool_type": _l("Skriv true eller false."),
    "date_parsing": _l("Skriv en dato som ÅÅÅÅ-MM-DD."),
    "date_type": _l("Skriv en dato som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_parsing": _l("Skriv en dato som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_inexact": _l("Skriv en dato uden klokkeslæt, som ÅÅÅÅ-MM-DD."),
    "datetime_parsing": _l("Skriv et tidspunkt som ÅÅÅÅ-MM-DDTTT:MM:SS."),
    "datetime_type": _l("Skriv et tidspunkt som ÅÅÅÅ-MM-DDTTT:MM:SS."),
    "list_type": _l("Skriv en liste ([…])."),
    "too_short": _l("Listen skal have mindst %(min_length)s element(er)."),
    "too_long": _l("Listen må højst have %(max_length)s elementer."),
    "model_type": _l("Skriv et JSON-objekt ({…})."),
    "model_attributes_type": _l("Skriv et JSON-objekt ({…})."),
    "dict_type": _l("Skriv et JSON-objekt ({…})."),
    "json_invalid": _l("Forespørgslen er ikke gyldig JSON."),
    "json_type": _l("Forespørgslen er ikke gyldig JSON."),
}
FALLBACK = _l("Værdien kan ikke bruges her.")

# The model a failed value was read into names where it was: flask-openapi3 reads the path,
# the query and the headers into models named so (``schemas``); anything else is the body.
PLACES = (("Path", "path"), ("Query", "query"), ("Header", "header"))


def _context(ctx: dict[str, Any] | None, danish: bool) -> dict[str, str]:
    values = {k: str(v) for k, v in (ctx or {}).items()}
    if danish and "expected" in values:
        values["expected"] = values["expected"].replace(" or ", " eller ")
    return values


def text_of(error: dict[str, Any]) -> str:
    """One pydantic error (``errors(include_context=True)``) in the request's language."""
    danish = str(get_locale() or "da").startswith("da")
    template = TEXTS.get(error.get("type", ""))
    if template is None:
        return str(FALLBACK) if danish else str(error.get("msg") or FALLBACK)
    try:
        return str(template) % _context(error.get("ctx"), danish)
    except (KeyError, TypeError, ValueError):  # a context without the value the text names
        return str(FALLBACK) if danish else str(error.get("msg") or FALLBACK)


def pointer(loc) -> str:
    """A location in the body as a JSON Pointer in URI-fragment form (``#/items/3/value``)."""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in loc)
    return "#" + "".join("/" + p for p in parts)


def place_of(model_name: str | None) -> str:
    for suffix, place in PLACES:
        if (model_name or "").endswith(suffix):
            return place
    return "body"


def entries(validation_error) -> list[dict[str, Any]]:
    """Every error of a ``pydantic.ValidationError`` as an entry of a problem's ``errors``:
    ``detail`` (translated), ``type`` (pydantic's), and ``pointer`` (the body) or
    ``parameter`` (path, query, header); an item of ``items`` also by its ``index`` and, as
    the file import names it, ``reason``."""
    place = place_of(getattr(validation_error, "title", None))
    found = []
    for e in validation_error.errors(include_url=False, include_context=True, include_input=False):
        loc = tuple(e.get("loc", ()))
        entry: dict[str, Any] = {"detail": text_of(e), "type": e.get("type", "")}
        if place == "body":
            entry["pointer"] = pointer(loc)
            if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
                where = ".".join(str(p) for p in loc[2:])
                entry["index"] = loc[1]
                entry["reason"] = f"{where}: {entry['detail']}" if where else entry["detail"]
        else:
            entry["parameter"] = ".".join(str(p) for p in loc)
            entry["in"] = place
        found.append(entry)
    return found
