"""Shapes of the accounts API (``/api/v1/``). Personal data leaves only masked."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class MeOut(Schema):
    id: int
    kind: str
    display_name: str
    language: str
    profile_complete: bool
    otp_verified: bool


class ProfileOut(Schema):
    real_name_masked: str
    id_number_masked: str
    phone_masked: str
    region_code: str | None
    region_name: str | None
    complete: bool
    email: str
    language: str
    display_name: str


class ProfilePatch(Schema):
    display_name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    language: str | None = None
    region_code: str | None = Field(default=None, max_length=12)


class ProfileCompleteIn(Schema):
    real_name: str = Field(max_length=100)
    id_number: str = Field(max_length=30)
    region_code: str = Field(max_length=12)


class LoginCodeRequestIn(Schema):
    phone: str = Field(max_length=20)


class LoginCodeRequestOut(Schema):
    phone_masked: str
    expires_at: dt.datetime
    dev_code: str | None = None


class LoginCodeVerifyIn(Schema):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=10)
    issue_token: bool = False
    token_name: str = Field(default="app", max_length=100)


class LoginOut(Schema):
    user: MeOut
    profile_complete: bool
    token: str | None = None
    token_expires_at: dt.datetime | None = None


class TokenIn(Schema):
    name: str = Field(max_length=100)
    expires_in_days: int | None = 90


class TokenOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    legal_representative: str
    region_code: str | None


class EnterpriseAgentOut(Schema):
    user_id: int
    real_name_masked: str
    phone_masked: str
    is_legal_representative: bool
    authorised_at: dt.datetime


class EnterpriseAgentIn(Schema):
    phone: str
    real_name: str


class CitizenRowOut(Schema):
    id: int
    real_name_masked: str
    id_number_masked: str
    phone_masked: str
    region_code: str | None
    region_name: str | None


class CitizenDetailOut(Schema):
    id: int
    real_name: str
    id_number: str
    phone: str
    region_code: str | None
    region_name: str | None
    verified_at: dt.datetime | None
