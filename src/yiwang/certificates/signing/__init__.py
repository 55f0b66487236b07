"""Signing service shared by everything Yiwang issues that others must verify offline.

``keys``: Ed25519 key material and JWKs (pure). ``jws``: VC-JWT (compact JWS, EdDSA) (pure).
``qr``: the compact QR payload — CWT claims in COSE_Sign1, zlib, Base45, prefix ``YW1:`` —
and ``qr_verify``, which needs no database and no network. ``services``: the ``SigningKey``
table (rotation, the active key, the published JWKS).
"""
