import pytest

from g2g.api.services import create_token


@pytest.fixture
def bearer():
    """Authorization headers carrying a fresh token of `user`."""

    def make(user) -> dict:
        _token, key = create_token(user, name="Tests")
        return {"Authorization": f"Bearer {key}"}

    return make
