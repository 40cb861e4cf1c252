"""Single sign-on settings read from the environment."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.auth.sso.settings import Grant, parse_role_map, sso_settings
from portal.config import ConfigError


def test_nothing_set_means_no_single_sign_on_and_passwords_for_everyone():
    settings = sso_settings({})
    assert settings["PASSWORD_LOGIN"] == "all"
    assert settings["SSO_ROLE_MAP"] == {} and not settings["OIDC_ISSUER"]


def test_the_role_table_reads_json_in_the_variable_in_its_order():
    table = sso_settings(
        {
            "SSO_ROLE_MAP": '{"x/koordinator": "coordinator", "x/kkr-nord":'
            ' {"role": "regional", "region": "Region Nordjylland"}}',
            "SSO_NATIONAL_CVR": "12345674",
            "PASSWORD_LOGIN": "Admins",
        }
    )
    assert list(table["SSO_ROLE_MAP"].items()) == [
        ("x/koordinator", Grant(Role.COORDINATOR)),
        ("x/kkr-nord", Grant(Role.REGIONAL, "Region Nordjylland")),
    ]
    assert table["PASSWORD_LOGIN"] == "admins"


def test_the_role_table_reads_a_toml_file(tmp_path):
    path = tmp_path / "roller.toml"
    path.write_text(
        '"http://kombit.dk/roles/usersystemrole/skaleringsportalen/projektleder/1" = "municipal"\n'
        '"http://kombit.dk/roles/usersystemrole/skaleringsportalen/direktion/1" = "leadership"\n'
    )
    table = parse_role_map(str(path))
    assert [g.role for g in table.values()] == [Role.MUNICIPAL, Role.LEADERSHIP]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SSO_ROLE_MAP": '{"x": "admin"}'}, "must map to one of"),
        ({"SSO_ROLE_MAP": '{"x": "chef"}'}, "must map to one of"),
        ({"SSO_ROLE_MAP": "{not json"}, "not valid JSON"),
        ({"SSO_ROLE_MAP": "/no/such/file.toml"}, "cannot read"),
        ({"PASSWORD_LOGIN": "nobody"}, "PASSWORD_LOGIN"),
        ({"SSO_NATIONAL_CVR": "KL"}, "SSO_NATIONAL_CVR"),
        ({"OIDC_ISSUER": "https://login.kl.example"}, "both OIDC_ISSUER and OIDC_CLIENT_ID"),
        ({"OIDC_CLIENT_ID": "portal"}, "both OIDC_ISSUER and OIDC_CLIENT_ID"),
        (
            {
                "OIDC_ISSUER": "http://login.kl.example",
                "OIDC_CLIENT_ID": "p",
                "PORTAL_ENV": "production",
            },
            "https://",
        ),
    ],
)
def test_a_wrong_setting_stops_the_app_with_the_reason(env, message):
    with pytest.raises(ConfigError, match=message):
        sso_settings(env)
