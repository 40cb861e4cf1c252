"""Single sign-on: protocol adapters (SAML, OpenID Connect) that hand a verified identity to
one mapping onto the portal's users."""
