"""Password rules beyond Django's own validators."""

from typing import Any

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Any password up to `max_length` characters is accepted; longer ones are refused, saying so.

    The bound keeps hashing cheap for the server; a passphrase of any reasonable length fits.
    """

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                "This password is too long: it may have at most %(max_length)d characters.",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return f"Your password may have up to {self.max_length} characters (a passphrase is fine)."
