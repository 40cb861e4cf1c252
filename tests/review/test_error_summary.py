"""A rejected review form opens with the error summary: a heading and a link to each field in
error, while the field keeps its own message."""

import re

from tests.review.conftest import AAR, apply, assign


def summary_of(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_assigning_nobody_links_the_summary_to_the_reviewer_list(
    client, login, round_, coordinator
):
    application = apply(round_, AAR)
    login(coordinator)
    response = client.post(f"/vurdering/ansoegning/{application.id}/tildel", data={})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = summary_of(html)
    assert "Der er problemer med formularen" in summary
    assert 'href="#reviewers"' in summary and "Vælg mindst én bedømmer." in summary
    assert 'id="reviewers-error"' in html  # the field's own message stays
    assert "forms.js" in html  # the script that moves focus to the summary


def test_submitting_a_score_with_a_criterion_missing_links_to_that_criterion(
    client, login, round_, reviewer, coordinator
):
    application = apply(round_, AAR)
    review = assign(application, reviewer, coordinator)
    login(reviewer)
    response = client.post(
        f"/vurdering/ansoegning/{application.id}",
        data={
            "version": str(review.version),
            "score_experience": "4",
            "score_readiness": "3",
            "submit_review": "1",
        },
    )
    assert response.status_code == 400
    summary = summary_of(response.get_data(as_text=True))
    assert 'href="#score_leadership"' in summary
    assert 'href="#score_experience"' not in summary
