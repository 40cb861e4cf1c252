"""The audit log's words: what each action and each stored field is called in Danish
(through gettext), and how a field's value is written. An action or field not named here is
shown by its code, so a new one is never hidden."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "login": _l("Logget ind"),
    "login_failed": _l("Mislykket login"),
    "sso_refused": _l("Login med organisationens login afvist"),
    "sso_linked": _l("Bruger knyttet til organisationens login"),
    "password_changed": _l("Adgangskode skiftet"),
    "password_reset": _l("Adgangskode nulstillet"),
    "user_created": _l("Bruger oprettet"),
    "user_updated": _l("Bruger ændret"),
    "user_activated": _l("Bruger genaktiveret"),
    "user_deactivated": _l("Bruger deaktiveret"),
    "municipalities_imported": _l("Kommuneregister indlæst"),
    "municipalities_exported": _l("Kommuneregister hentet"),
    "programme_loaded": _l("Indsats indlæst fra fil"),
    "programme_updated": _l("Indsats ændret"),
    "indicator_saved": _l("Indikator gemt"),
    "indicator_deleted": _l("Indikator slettet"),
    "benefit_line_saved": _l("Gevinstlinje gemt"),
    "benefit_line_deleted": _l("Gevinstlinje slettet"),
    "round_created": _l("Forløb oprettet"),
    "round_updated": _l("Forløb ændret"),
    "criteria_guide_updated": _l("Vejledning til kriterierne ændret"),
    "disagreement_threshold_updated": _l("Grænse for uenighed mellem bedømmere ændret"),
    "application_created": _l("Ansøgning oprettet"),
    "application_saved": _l("Ansøgning gemt"),
    "application_submitted": _l("Ansøgning indsendt"),
    "application_withdrawn": _l("Ansøgning trukket tilbage"),
    "application_resumed": _l("Ansøgning genoptaget"),
    "application_reopened": _l("Ansøgning genåbnet"),
    "application_decided": _l("Afgørelse truffet"),
    "joint_application_confirmed": _l("Fælles ansøgning bekræftet"),
    "joint_application_declined": _l("Medansøger trukket sig"),
    "deadline_extended": _l("Frist forlænget"),
    "deadline_extension_removed": _l("Forlænget frist fjernet"),
    "reviewer_assigned": _l("Bedømmer tildelt"),
    "reviewer_unassigned": _l("Bedømmer fjernet"),
    "review_saved": _l("Bedømmelse gemt"),
    "review_submitted": _l("Bedømmelse afgivet"),
    "review_abstained": _l("Bedømmer erklæret inhabil"),
    "review_exported": _l("Vurdering hentet som regneark"),
    "dossier_downloaded": _l("Ansøgning hentet som PDF"),
    "participation_created": _l("Deltagelse oprettet"),
    "participants_imported": _l("Deltagere indlæst"),
    "community_created": _l("Fællesskab oprettet"),
    "community_deleted": _l("Fællesskab slettet"),
    "community_membership_changed": _l("Fællesskab ændret"),
    "grant_recomputed": _l("Tilskud beregnet"),
    "grant_overridden": _l("Tilskud fastsat af koordinatoren"),
    "grant_override_cleared": _l("Fastsat tilskud fjernet"),
    "disbursement_recorded": _l("Udbetaling registreret"),
    "disbursement_deleted": _l("Udbetaling slettet"),
    "figures_import": _l("Tal indlæst fra fil"),
    "figures_imported": _l("Tal indlæst fra fil"),
    "api_figures_posted": _l("Tal indberettet gennem API'et"),
    "api_token_created": _l("API-nøgle oprettet"),
    "api_token_revoked": _l("API-nøgle tilbagekaldt"),
    "figures_exported": _l("Tal hentet"),
    "report_downloaded": _l("Rapport hentet"),
    "follow_up_recorded": _l("Tal til gevinstopfølgningen registreret"),
    "baseline_set": _l("Basislinje gemt"),
    "target_set": _l("Målbillede gemt"),
    "measurement_recorded": _l("Måling registreret"),
    "measurement_updated": _l("Måling rettet"),
    "measurement_deleted": _l("Måling slettet"),
    "target_picture_approved": _l("Basislinje og målbillede godkendt"),
    "benefit_owner_set": _l("Gevinstejer gemt"),
    "hourly_cost_set": _l("Kommunens timepris gemt"),
    "cost_added": _l("Omkostning registreret"),
    "cost_deleted": _l("Omkostning slettet"),
    "report_submitted": _l("Rapport afleveret"),
    "report_reopened": _l("Rapport genåbnet"),
    "job_started": _l("Baggrundsjob startet"),
    "cli": _l("Kommando kørt"),
}

# Fields whose value is kroner, a yes/no, or a code with a word of its own.
MONEY = {
    "grant",
    "grant_amount",
    "grant_override",
    "amount",
    "disbursed",
    "lead_grant",
    "participant_grant",
    "participant_pool",
}

FIELDS = {
    "grant": _l("Tilskud"),
    "grant_amount": _l("Tilskud"),
    "grant_override": _l("Fastsat tilskud"),
    "grant_override_reason": _l("Begrundelse for tilskuddet"),
    "amount": _l("Beløb"),
    "disbursed": _l("Udbetalt i alt"),
    "paid_on": _l("Udbetalt den"),
    "note": _l("Note"),
    "status": _l("Status"),
    "reason": _l("Begrundelse"),
    "decision_reason": _l("Begrundelse"),
    "role": _l("Rolle"),
    "email": _l("E-mail"),
    "name": _l("Navn"),
    "active": _l("Aktiv"),
    "municipality_id": _l("Kommune"),
    "community": _l("Fællesskab"),
    "community_id": _l("Fællesskab nr."),
    "experience": _l("Erfaring"),
    "competence_statement": _l("Kompetencer"),
    "capacity_statement": _l("Kapacitet"),
    "motivation": _l("Motivation"),
    "project_lead_name": _l("Projektleder"),
    "project_lead_email": _l("Projektleders e-mail"),
    "project_owner_name": _l("Projektejer"),
    "project_owner_title": _l("Projektejers titel"),
    "backing_board": _l("Opbakning i direktionen"),
    "backing_management": _l("Opbakning på chefniveau"),
    "backing_political": _l("Politisk opbakning"),
    "goals": _l("Målsætninger"),
    "members": _l("Medansøgere"),
    "score_experience": _l("Point for erfaring"),
    "score_leadership": _l("Point for ledelsesforankring"),
    "score_readiness": _l("Point for parathed"),
    "comment_experience": _l("Kommentar om erfaring"),
    "comment_leadership": _l("Kommentar om ledelsesforankring"),
    "comment_readiness": _l("Kommentar om parathed"),
    "disagreement_threshold": _l("Grænse for uenighed (point)"),
    "conflict_note": _l("Inhabilitet"),
    "reviewer": _l("Bedømmer"),
    "until": _l("Ny frist"),
    "name_da": _l("Navn"),
    "name_en": _l("Navn på engelsk"),
    "deadline_at": _l("Ansøgningsfrist"),
    "opens_at": _l("Åbner"),
    "period_start": _l("Forløbet starter"),
    "period_end": _l("Forløbet slutter"),
    "lead_grant": _l("Tilskud til skaleringsleder"),
    "participant_grant": _l("Tilskud pr. deltagerkommune"),
    "participant_pool": _l("Pulje til deltagerkommuner"),
    "community_min": _l("Mindst i et fællesskab"),
    "community_max": _l("Højst i et fællesskab"),
    "created": _l("Oprettet"),
    "updated": _l("Opdateret"),
    "unchanged": _l("Uændret"),
    "report": _l("Rapport"),
    "format": _l("Format"),
    # figures: what was recorded, for which indicator and period, how sure
    "indicator": _l("Indikator"),
    "value": _l("Værdi"),
    "period": _l("Periode"),
    "quality": _l("Kvalitet"),
    "measured_on": _l("Målt den"),
    "source_note": _l("Kilde"),
    "target_date": _l("Måldato"),
    "pessimistic": _l("Pessimistisk mål"),
    "optimistic": _l("Optimistisk mål"),
    "benefit_owner_name": _l("Gevinstejer"),
    "benefit_owner_title": _l("Gevinstejers titel"),
    "hourly_cost_override": _l("Kommunens timepris"),
    "kind": _l("Art"),
    "category": _l("Kategori"),
    "incurred_on": _l("Afholdt den"),
    "due_on": _l("Frist"),
    "submitted_at": _l("Afleveret"),
    "gains_kept": _l("Gevinster fastholdt"),
    # downloads and jobs: which report, of whose figures
    "scope": _l("Omfang"),
    "round_id": _l("Forløb"),
    "job": _l("Job"),
    "via": _l("Via"),
    "protocol": _l("Login med"),
    "issuer": _l("Identitetsudbyder"),
    "subject": _l("Bruger-id hos udbyderen"),
    "code": _l("Årsag"),
    "cvr": _l("CVR-nummer"),
    "roles": _l("Roller fra udbyderen"),
    "detail": _l("Nærmere"),  # what a refused SAML answer got wrong (e.g. the audience)
    # the integration API (portal.api): which token wrote, with which scopes
    "token": _l("API-nøgle"),
    "token_id": _l("API-nøgle (id)"),
    "items": _l("Tal sendt"),
    "scopes": _l("Adgang"),
}

# A figure's value is a number in the indicator's unit; these fields hold such numbers.
FIGURE_VALUES = {"value", "pessimistic", "optimistic"}
NUMBERS = FIGURE_VALUES | {"hourly_cost_override"}

# Coded values with a word of their own, per field (a status and a role are looked up below).
VALUE_WORDS = {
    "scope": {
        "national": _l("alle kommuner"),
        "municipality": _l("én kommune"),
        "community": _l("ét fællesskab"),
    },
    "kind": {"one_off": _l("engangsomkostning"), "yearly": _l("årlig omkostning")},
    "format": {"pdf": "PDF", "xlsx": "XLSX", "csv": "CSV", "zip": "ZIP"},
    "via": {"cli": _l("kommandolinjen"), "web": _l("portalen")},
    "protocol": {"saml": "SAML", "oidc": "OpenID Connect"},
    "gains_kept": {"yes": _l("ja"), "partly": _l("delvist"), "no": _l("nej")},
    "job": {
        "progress_zip": _l("fremdriftsrapporter, én pr. kommune (ZIP)"),
        "progress_pdf": _l("fremdriftsrapport (PDF)"),
        "funding_pdf": _l("tilskudsrapport (PDF)"),
        "figures_import": _l("indlæsning af tal"),
        "progress_xlsx": _l("fremdriftsrapport (XLSX)"),
    },
    "report": {"progress": _l("fremdriftsrapport"), "funding": _l("tilskudsrapport")},
}

OBJECTS = {
    "Application": _l("Ansøgning nr. %(id)s"),
    "Participation": _l("Deltagelse nr. %(id)s"),
    "Review": _l("Bedømmelse nr. %(id)s"),
    "Round": _l("Forløb nr. %(id)s"),
    "Programme": _l("Indsats nr. %(id)s"),
    "Community": _l("Fællesskab nr. %(id)s"),
    "Disbursement": _l("Udbetaling nr. %(id)s"),
    "Indicator": _l("Indikator nr. %(id)s"),
    "BenefitLine": _l("Gevinstlinje nr. %(id)s"),
    "DeadlineExtension": _l("Fristforlængelse nr. %(id)s"),
    "User": _l("Bruger nr. %(id)s"),
}


# Coded values whose words a domain owns (an application's or a review's status, a role, a
# figure's quality): each domain registers them with its labels (``register_value_words``),
# so the audit log reads them without importing the domains back.
VALUE_LOOKUPS: dict[str, list[Callable[[object], object]]] = {}


def register_value_words(field: str, word_of: Callable[[object], object]) -> None:
    """``word_of(value)`` gives the word of a stored code of ``field``, or raises KeyError or
    ValueError for a code it does not know (the next domain's lookup is asked then)."""
    VALUE_LOOKUPS.setdefault(field, []).append(word_of)


def value_word(field: str, value) -> str | None:
    """A stored code as its Danish word (a status, a role, a quality), or None when it has
    none."""
    for word_of in VALUE_LOOKUPS.get(field, ()):
        try:
            return str(word_of(value))
        except (KeyError, ValueError):
            continue
    if not isinstance(value, str):
        return None
    words = VALUE_WORDS.get(field, {})
    return str(words[value]) if value in words else None
