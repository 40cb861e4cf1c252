"""The SAML service provider for KOMBIT's Context Handler (OIOSAML 3).

Why SignXML and not pysaml2 or python3-saml: OIOSAML 3 with OCES3 certificates signs with
RSASSA-PSS (``http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1``), which neither
Debian's xmlsec1 (pysaml2's signer) nor the ``xmlsec`` binding (python3-saml's) supports;
SignXML verifies it with ``cryptography`` and hands back only the signed content.

``settings`` reads the configuration and the identity provider's metadata; ``messages``
writes what the portal sends (AuthnRequest, LogoutRequest, its metadata); ``response``
verifies what comes back (``decrypt`` opens an encrypted assertion, ``oiosaml`` reads the
profile's attributes); ``store`` and ``pending`` make each request and assertion count once;
``views`` are the routes, which hand a verified identity to ``portal.auth.sso.views``.
"""
