"""Use cases that change accounts, one keyword-only function each, grouped by sub-domain.

Import from here: ``from yiwang.accounts.services import citizen_register``.
"""

from yiwang.accounts.services.citizens import (
    citizen_profile_complete,
    citizen_register,
    profile_update,
)
from yiwang.accounts.services.enterprises import (
    enterprise_agent_add,
    enterprise_agent_invite,
    enterprise_agent_remove,
    enterprise_register,
)
from yiwang.accounts.services.login_codes import (
    LoginBlocked,
    LoginCodeIssued,
    login_code_request,
    login_code_verify,
)
from yiwang.accounts.services.sessions import session_logout
from yiwang.accounts.services.staff import (
    StaffCreated,
    staff_create,
    staff_login_password_checked,
    staff_login_totp,
    staff_totp_device_create,
)
from yiwang.accounts.services.tokens import ApiTokenIssued, api_token_create, api_token_revoke

__all__ = [
    "ApiTokenIssued",
    "LoginBlocked",
    "LoginCodeIssued",
    "StaffCreated",
    "api_token_create",
    "api_token_revoke",
    "citizen_profile_complete",
    "citizen_register",
    "enterprise_agent_add",
    "enterprise_agent_invite",
    "enterprise_agent_remove",
    "enterprise_register",
    "login_code_request",
    "login_code_verify",
    "profile_update",
    "session_logout",
    "staff_create",
    "staff_login_password_checked",
    "staff_login_totp",
    "staff_totp_device_create",
]
