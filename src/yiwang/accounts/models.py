"""People: one user table for everyone, with a citizen profile (群众), enterprises (企业) and
their authorised agents, departments (部门) and staff (工作人员) with roles scoped to a region."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedTextField, blind_index
from yiwang.core.ids import mask_name, mask_phone, mask_resident_id


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    STAFF = "staff", _("Staff")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(username=username, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("kind", UserKind.STAFF)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Citizens have a ``citizen`` profile and log in with a phone code; staff have a
    ``staff`` profile and log in with a password and TOTP. ``is_staff`` means Django admin
    access (platform admins only), not "is a government worker"."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("preferred language"), max_length=10, default="zh-hans")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN

    @property
    def is_government_staff(self) -> bool:
        return self.kind == UserKind.STAFF


class CitizenProfile(models.Model):
    """群众: real-name data of a citizen. ID number and phone are encrypted at rest; the
    ``*_index`` columns are keyed blind indexes for exact look-up."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen")
    # Blank until the citizen completes real-name data: a first phone login creates the
    # account with the phone only (see ``services.login_codes``). NULL index = not yet known,
    # so the unique constraint ignores incomplete profiles.
    real_name = EncryptedTextField(_("real name"), blank=True)
    id_number = EncryptedTextField(_("resident ID number"), blank=True)
    id_number_index = models.CharField(max_length=64, unique=True, null=True, editable=False)
    phone = EncryptedTextField(_("mobile phone"))
    phone_index = models.CharField(max_length=64, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region of residence"),
    )
    verified_at = models.DateTimeField(_("real-name verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return self.masked_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number_index = (
            blind_index(self.id_number, purpose="resident_id") if self.id_number else None
        )
        self.phone_index = blind_index(self.phone, purpose="phone")
        super().save(*args, **kwargs)

    @property
    def is_complete(self) -> bool:
        """Whether real-name data is present; services for citizens require it."""
        return bool(self.real_name and self.id_number and self.region_id)

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.real_name)


class Enterprise(models.Model):
    """企业: a legal person identified by its unified social credit code (统一社会信用代码)."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agents = models.ManyToManyField(User, through="EnterpriseAgent", related_name="enterprises")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class EnterpriseAgent(models.Model):
    """A citizen authorised to act for an enterprise (经办人)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agencies")
    is_legal_representative = models.BooleanField(default=False)
    authorised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "user"], name="enterprise_agent_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.enterprise_id}"


class DepartmentKind(models.TextChoices):
    """The functional line a department belongs to, the same at every level."""

    DATA = "data", _("Data bureau")
    PUBLIC_SECURITY = "public_security", _("Public security")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    MEDICAL_INSURANCE = "medical_insurance", _("Medical insurance")
    MARKET_REGULATION = "market_regulation", _("Market regulation")
    HEALTH = "health", _("Health commission")
    TRANSPORT = "transport", _("Transport")
    HOUSING = "housing", _("Housing and urban-rural development")
    TAXATION = "taxation", _("Taxation")
    GOVERNMENT = "government", _("People's government")


class Department(models.Model):
    """部门: a government department in one region (e.g. 天河区市场监督管理局)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=DepartmentKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="department_region_kind")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    REVIEWER = "reviewer", _("Reviewer")
    HALL_MANAGER = "hall_manager", _("Hall manager")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    DEPARTMENT_ADMIN = "department_admin", _("Department admin")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


class StaffProfile(models.Model):
    """工作人员: a government worker in one department and region. Every permission they
    hold applies only inside ``region``'s subtree."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("job title"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def role_codes(self) -> set[str]:
        return {assignment.role for assignment in self.roles.all()}

    def has_role(self, role: str) -> bool:
        return role in self.role_codes


class StaffRole(models.Model):
    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return self.role


class LoginCode(models.Model):
    """A phone one-time code: stored as a keyed hash, valid five minutes, used once."""

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["phone_index", "-created_at"], name="logincode_phone_recent")
        ]

    def __str__(self) -> str:
        return f"code {self.pk}"


class ApiToken(models.Model):
    """A bearer token for apps and mini-programs; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
