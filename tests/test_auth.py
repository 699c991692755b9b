"""Passwords are stored with Argon2."""

import importlib

from django.contrib.auth.hashers import make_password


def test_passwords_are_hashed_with_argon2(settings):
    production = importlib.import_module("cobench.settings")
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert make_password("correct horse battery staple").startswith("argon2$")
