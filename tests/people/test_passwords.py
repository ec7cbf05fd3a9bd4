import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_a_password_longer_than_a_passphrase_is_refused():
    validate_password("correct horse battery staple " * 34)  # 986 characters
    with pytest.raises(ValidationError, match="too long"):
        validate_password("x" * 1_000_000)
