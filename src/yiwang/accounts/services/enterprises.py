"""Enterprises (企业) and the citizens authorised to act for them (经办人)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import CitizenProfile, Enterprise, EnterpriseAgent, User
from yiwang.accounts.services.citizens import phone_index, region_for_code
from yiwang.audit.services import audit_log
from yiwang.core.ids import validate_phone, validate_uscc
from yiwang.notify.services import notification_send

MSG_USCC_TAKEN = _("An enterprise with this unified social credit code is already registered.")
MSG_NAME_REQUIRED = _("Enter the enterprise's registered name.")
MSG_LEGAL_REP_REQUIRED = _("Enter the name of the legal representative.")
MSG_AGENT_NOT_CITIZEN = _("Only a citizen with complete real-name data can act for an enterprise.")
MSG_ALREADY_AGENT = _("This person already acts for the enterprise.")
MSG_LAST_AGENT = _("An enterprise needs at least one agent; add another before removing this one.")
MSG_NOT_AGENT = _("Only an agent of this enterprise can change its agents.")
MSG_NO_SUCH_CITIZEN = _(
    "No registered citizen has this mobile phone number and real name. Ask them to sign in to "
    "Yiwang once and complete their real-name details, then try again."
)
MSG_REAL_NAME_REQUIRED = _("Enter the person's real name as on their resident ID card.")


def _require_complete_citizen(user: User, *, field: str) -> CitizenProfile:
    profile = CitizenProfile.objects.filter(user=user).first() if user.is_citizen else None
    if profile is None or not profile.is_complete:
        raise ValidationError(
            {field: ValidationError(MSG_AGENT_NOT_CITIZEN, code="agent_not_citizen")}
        )
    return profile


def enterprise_register(
    *, uscc: str, name: str, legal_representative: str, region_code: str, agent: User
) -> Enterprise:
    """Register an enterprise with ``agent`` as its first agent."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        uscc = validate_uscc(uscc)
    except ValidationError as exc:
        errors["uscc"] = exc.error_list
    name = " ".join(name.split())
    legal_representative = " ".join(legal_representative.split())
    if not name:
        errors["name"] = [ValidationError(MSG_NAME_REQUIRED, code="required")]
    if not legal_representative:
        errors["legal_representative"] = [ValidationError(MSG_LEGAL_REP_REQUIRED, code="required")]
    if "uscc" not in errors and Enterprise.objects.filter(uscc=uscc).exists():
        errors["uscc"] = [ValidationError(MSG_USCC_TAKEN, code="uscc_taken")]
    if errors:
        raise ValidationError(errors)
    region = region_for_code(region_code)
    profile = _require_complete_citizen(agent, field="agent")
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                uscc=uscc,
                name=name[:200],
                legal_representative=legal_representative[:100],
                region=region,
            )
            EnterpriseAgent.objects.create(
                enterprise=enterprise,
                user=agent,
                is_legal_representative=profile.real_name == legal_representative,
            )
            audit_log(
                actor=agent,
                action="enterprise.registered",
                target_type="accounts.enterprise",
                target_id=str(enterprise.pk),
                region_code=region.code if region else "",
                details={"uscc": uscc},
            )
    except IntegrityError:
        raise ValidationError(
            {"uscc": ValidationError(MSG_USCC_TAKEN, code="uscc_taken")}
        ) from None
    return enterprise


def _require_agent(*, enterprise: Enterprise, by: User) -> None:
    if not EnterpriseAgent.objects.filter(enterprise=enterprise, user=by).exists():
        raise Http404  # someone else's enterprise: do not reveal it exists


def enterprise_agent_add(*, enterprise: Enterprise, by: User, user: User) -> EnterpriseAgent:
    _require_agent(enterprise=enterprise, by=by)
    profile = _require_complete_citizen(user, field="user")
    if EnterpriseAgent.objects.filter(enterprise=enterprise, user=user).exists():
        raise ValidationError({"user": ValidationError(MSG_ALREADY_AGENT, code="already_agent")})
    with transaction.atomic():
        agency = EnterpriseAgent.objects.create(
            enterprise=enterprise,
            user=user,
            is_legal_representative=profile.real_name == enterprise.legal_representative,
        )
        audit_log(
            actor=by,
            action="enterprise.agent_added",
            target_type="accounts.enterprise",
            target_id=str(enterprise.pk),
            subject=user,
            details={"user_id": user.pk},
        )
    return agency


def enterprise_agent_invite(
    *, enterprise: Enterprise, by: User, phone: str, real_name: str
) -> EnterpriseAgent:
    """Add the registered citizen with this phone *and* real name as an agent.

    Both must match, so the form cannot be used to discover who owns a phone number: a wrong
    name and an unknown phone give the same answer.
    """
    _require_agent(enterprise=enterprise, by=by)
    real_name = " ".join(real_name.split())
    errors: dict[str, list[ValidationError]] = {}
    try:
        phone = validate_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.error_list
    if not real_name:
        errors["real_name"] = [ValidationError(MSG_REAL_NAME_REQUIRED, code="required")]
    if errors:
        raise ValidationError(errors)
    profile = (
        CitizenProfile.objects.filter(phone_index=phone_index(phone)).select_related("user").first()
    )
    if profile is None or profile.real_name != real_name:
        raise ValidationError({"phone": ValidationError(MSG_NO_SUCH_CITIZEN, code="no_citizen")})
    agency = enterprise_agent_add(enterprise=enterprise, by=by, user=profile.user)
    notification_send(
        user=profile.user,
        template="enterprise_agent_added",
        context={
            "enterprise": enterprise.name,
            "link_url": f"/accounts/enterprises/{enterprise.pk}/",
        },
    )
    return agency


def enterprise_agent_remove(*, enterprise: Enterprise, by: User, user: User) -> None:
    _require_agent(enterprise=enterprise, by=by)
    with transaction.atomic():
        agents = EnterpriseAgent.objects.select_for_update().filter(enterprise=enterprise)
        if not agents.filter(user=user).exists():
            raise Http404
        if agents.count() <= 1:
            raise ValidationError(MSG_LAST_AGENT, code="last_agent")
        agents.filter(user=user).delete()
        audit_log(
            actor=by,
            action="enterprise.agent_removed",
            target_type="accounts.enterprise",
            target_id=str(enterprise.pk),
            subject=user,
            details={"user_id": user.pk},
        )
