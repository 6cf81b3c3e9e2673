"""Sealed secrets: what a job stores opens with the same SECRET_KEY only, and holds no clear text."""

from __future__ import annotations

import pytest

from backend.jobs.sealed import SealBroken, seal, unseal

KEY = "k" * 20 + "-shared-by-every-replica-0123456789"


def test_a_sealed_value_opens_with_the_same_key_only() -> None:
    token = seal("pa55:w/rd%", secret_key=KEY)
    assert "pa55" not in token and token != seal("pa55:w/rd%", secret_key=KEY)  # random IV each time
    assert unseal(token, secret_key=KEY) == "pa55:w/rd%"
    with pytest.raises(SealBroken):
        unseal(token, secret_key=KEY + "x")
    with pytest.raises(SealBroken):
        unseal(token[:-4] + "AAAA", secret_key=KEY)
