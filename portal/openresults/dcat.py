"""The open data's catalogue record in DCAT-AP-DK (2.0.2, KL's and Digitaliseringsstyrelsen's
profile of DCAT-AP), as JSON-LD, for the national data portal to harvest: one
``dcat:Catalog`` with a ``dcat:Dataset`` per data set (``opendata.DATASETS``), each with
its title and description in Danish and English, publisher, contact point, spatial coverage
(Denmark), themes from the EU's data-theme vocabulary, issued and modified dates, and a
``dcat:Distribution`` per file (CSV, JSON, the ZIP of all) with its access and download
URL, format, media type and licence (CC BY 4.0).

The dated versions (``versions``) are data sets of their own, reached from the live data set
by ``dct:hasVersion`` (not listed as the catalogue's ``dcat:dataset``: the catalogue still
holds two data sets), each with ``dcat:version`` and ``dct:issued`` (its day) and its own
stored files as distributions — DCAT 3's versioning rather than more distributions of the
live data set: a distribution is the same data in another form, and a past version holds
other data (see ``_version``).

Built as plain JSON (a dict) from the URL map: no RDF library at run time; the tests parse
it as RDF (rdflib) and check the properties the profile requires."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from portal.openresults.opendata import DATASETS, FILE_ENDPOINTS, FORMATS, LICENCE_URL

EU = "http://publications.europa.eu/resource/authority"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
TEXTS = {
    "catalog": (
        ("Skaleringsportalens åbne data", "The Scaling Portal's open data"),
        (
            "Resultater fra kommunernes skaleringssamarbejde: velfærdsteknologier, som"
            " kommunerne skalerer sammen, og de gevinster de har realiseret.",
            "Results of the Danish municipalities' scaling collaboration: welfare technologies"
            " the municipalities scale together, and the benefits they realised.",
        ),
    ),
    "indikatorer": (
        ("Indikatorer pr. kommune og periode", "Indicators per municipality and period"),
        (
            "Basislinje, målbillede og målinger for hver indikator i hver kommune, der har"
            " givet samtykke til at offentliggøre sine resultater, pr. periode med enhed og"
            ' kvalitetsmærke. Antal mellem 1 og 4 vises som "< 5".',
            "Baseline, target and measurements of each indicator of each municipality that"
            " agreed to publish its results, per period with unit and quality mark. Counts"
            ' between 1 and 4 are shown as "< 5".',
        ),
    ),
    "noegletal": (
        ("Nøgletal for gevinster", "Key benefit figures"),
        (
            "Frigjort tid, årsværk, bruttogevinst, omkostninger, nettogevinst og"
            " tilbagebetaling pr. forløb, fællesskab og offentliggjort kommune. Totaler over"
            " færre end 3 kommuner er tilbageholdt.",
            "Hours and FTE freed, gross benefit, costs, net benefit and payback per round,"
            " community and published municipality. Totals of fewer than 3 municipalities are"
            " withheld.",
        ),
    ),
}
FILE_TYPES = {"csv": "CSV", "json": "JSON", "zip": "ZIP"}
MEDIA_TYPES = {**FORMATS, "zip": "application/zip"}
THEMES = ("GOVE", "HEAL", "SOCI")  # government, health, population and society


def _texts(pair: tuple[str, str]) -> list[dict]:
    return [{"@value": pair[0], "@language": "da"}, {"@value": pair[1], "@language": "en"}]


def _date(day: date) -> dict:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def _distribution(url: str, fmt: str, title: str, page: str, issued: date, modified: date):
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": {"@value": title, "@language": "da"},
        "dcat:accessURL": {"@id": page},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": f"{EU}/file-type/{FILE_TYPES[fmt]}"},
        "dcat:mediaType": {
            "@id": f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"
        },
        "dct:license": {"@id": LICENCE_URL},
        "dct:issued": _date(issued),
        "dct:modified": _date(modified),
    }


def _described(name: str, page: str, agent: dict, contact_point: dict, landing: str) -> dict:
    """What a data set and each of its versions say alike."""
    title, description = TEXTS[name]
    return {
        "@type": "dcat:Dataset",
        "dct:description": _texts(description),
        "dct:publisher": agent,
        "dcat:contactPoint": contact_point,
        "dct:spatial": {"@id": f"{EU}/country/DNK"},
        "dcat:theme": [{"@id": f"{EU}/data-theme/{t}"} for t in THEMES],
        "dcat:keyword": [
            {"@value": w, "@language": "da"}
            for w in ("velfærdsteknologi", "gevinstrealisering", "kommuner")
        ],
        "dct:language": {"@id": f"{EU}/language/DAN"},
        "dct:accessRights": {"@id": f"{EU}/access-right/PUBLIC"},
        "dcat:landingPage": {"@id": landing},
    }


def _version(name: str, version, url, page: str, common: dict, of: str) -> dict:
    """A dated version as a data set of its own (DCAT 3's versioning: a version holds other
    data than the live data set, so it is not one of its distributions), linked both ways
    (``dct:hasVersion`` / ``dct:isVersionOf``), named by ``dcat:version`` (and DCAT-AP 2's
    ``owl:versionInfo``), issued on its day, with its own stored files."""
    title, _description = TEXTS[name]
    day = version.day.isoformat()
    stored = {f.name: f for f in version.files}
    distributions = []
    for fmt, filename in (("csv", f"{name}.csv"), ("json", f"{name}.json"), ("zip", "alle.zip")):
        label = (
            f"{title[0]} {day} ({fmt.upper()})" if fmt != "zip" else f"Alle åbne data {day} (ZIP)"
        )
        found = _distribution(
            url("openresults.version_file", day=day, file=filename),
            fmt,
            label,
            page,
            version.day,
            version.modified_on,
        )
        if filename in stored:
            found["dcat:byteSize"] = {"@value": str(stored[filename].size), "@type": "xsd:decimal"}
        distributions.append(found)
    identifier = f"{page}#{name}-{day}"
    return {
        **common,
        "@id": identifier,
        "dct:identifier": identifier,
        "dct:title": _texts((f"{title[0]} (udgave {day})", f"{title[1]} (version {day})")),
        "dct:isVersionOf": {"@id": of},
        "dcat:version": day,
        "owl:versionInfo": day,
        "dct:issued": _date(version.day),
        "dct:modified": _date(version.modified_on),
        "dcat:distribution": distributions,
    }


def catalogue(
    url: Callable[..., str],
    *,
    publisher: str,
    contact: str,
    issued: date,
    modified: date,
    versions: Sequence = (),
) -> dict:
    """The record; ``url(endpoint, **values)`` builds an absolute URL of the portal;
    ``versions`` are the available dated versions (``versions.available``), newest first."""
    page = url("openresults.open_data")
    agent = {"@id": f"{page}#udgiver", "@type": "foaf:Agent", "foaf:name": publisher}
    contact_point = {
        "@id": f"{page}#kontakt",
        "@type": "vcard:Organization",
        "vcard:fn": publisher,
        "vcard:hasEmail": {"@id": f"mailto:{contact}"},
    }
    everything = url("openresults.open_data_zip")
    landing = url("openresults.index")
    datasets = []
    for name in DATASETS:
        title, _description = TEXTS[name]
        distributions = [
            _distribution(
                url(FILE_ENDPOINTS[name], fmt=fmt),
                fmt,
                f"{title[0]} ({fmt.upper()})",
                page,
                issued,
                modified,
            )
            for fmt in FORMATS
        ]
        distributions.append(
            _distribution(everything, "zip", "Alle åbne data (ZIP)", page, issued, modified)
        )
        common = _described(name, page, agent, contact_point, landing)
        identifier = f"{page}#{name}"
        dataset = {
            **common,
            "@id": identifier,
            "dct:identifier": identifier,
            "dct:title": _texts(title),
            "dct:issued": _date(issued),
            "dct:modified": _date(modified),
            "dcat:distribution": distributions,
        }
        if versions:
            found = [_version(name, v, url, page, common, identifier) for v in versions]
            # DCAT-AP 2's (and DCAT-AP-DK's) property, and DCAT 3's own sub-property of it
            dataset["dct:hasVersion"] = found
            dataset["dcat:hasVersion"] = [{"@id": v["@id"]} for v in found]
        datasets.append(dataset)
    title, description = TEXTS["catalog"]
    return {
        "@context": CONTEXT,
        "@id": url("openresults.catalogue"),
        "@type": "dcat:Catalog",
        "dct:title": _texts(title),
        "dct:description": _texts(description),
        "dct:publisher": agent,
        "dct:license": {"@id": LICENCE_URL},
        "dct:language": {"@id": f"{EU}/language/DAN"},
        "dct:spatial": {"@id": f"{EU}/country/DNK"},
        "foaf:homepage": {"@id": page},
        "dct:issued": _date(issued),
        "dct:modified": _date(modified),
        "dcat:dataset": datasets,
    }
