from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.querysets import CommunityGroupQuerySet
from accounts.signals import credentials_changed
from nicp import bounds


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def with_role(self, role: str):
        return self.filter(groups__name=role, is_active=True).order_by("full_name", "email")

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: resident, ministry staff or external committee member. Logs in with e-mail."""

    email = models.EmailField(_("correo electrónico"), unique=True)
    full_name = models.CharField(_("nombre completo"), max_length=200, blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)
    # is_staff means "may open the Django admin"; programme roles are groups (accounts.roles).
    is_staff = models.BooleanField(_("acceso a la administración"), default=False)
    is_active = models.BooleanField(_("activa"), default=True)
    date_joined = models.DateTimeField(_("alta"), default=timezone.now)
    # The language of the e-mails and notices this person reads (the site's switch records it).
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    # Reminder kinds this person switched off (only the non-essential ones are honoured).
    reminders_off = models.JSONField(_("recordatorios desactivados"), default=list, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("persona usuaria")
        verbose_name_plural = _("personas usuarias")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]

    def set_unusable_password(self):
        super().set_unusable_password()
        self._unusable_password_set = True

    def save(self, *args, **kwargs):
        # Django keeps the new raw password in _password until saved, only for a real change (a hash
        # upgrade at login clears it first): every way of changing a password passes through here.
        changed = not self._state.adding and (
            self._password is not None or self.__dict__.pop("_unusable_password_set", False) or not self.is_active
        )
        super().save(*args, **kwargs)
        if changed:
            credentials_changed.send(sender=type(self), user=self)


class GroupKind(models.TextChoices):
    RESIDENTS = "residents", _("Grupo de vecinas y vecinos")
    NEIGHBOURHOOD_ASSOCIATION = "neighbourhood_association", _("Asociación vecinal")
    CIVIL_ORGANISATION = "civil_organisation", _("Organización de la sociedad civil")


class MemberRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representante")
    MEMBER = "member", _("Integrante")


class CommunityGroup(models.Model):
    """A promovente: the community group that proposes and runs projects."""

    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=40, choices=GroupKind.choices)
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="community_groups",
        verbose_name=_("unidad territorial"),
    )
    description = models.TextField(_("descripción"), blank=True, max_length=bounds.TEXT_MAX)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="community_groups")

    objects = CommunityGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("grupo comunitario")
        verbose_name_plural = _("grupos comunitarios")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("papel"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(_("desde"), auto_now_add=True)

    class Meta:
        verbose_name = _("integrante")
        verbose_name_plural = _("integrantes")
        ordering = ["group", "-role", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique_person"),
            models.UniqueConstraint(fields=["group"], condition=Q(role="representative"),
                                    name="membership_one_representative"),
        ]

    def __str__(self):
        return f"{self.user} · {self.group} ({self.get_role_display()})"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    ACCEPTED = "accepted", _("Aceptada")
    DECLINED = "declined", _("Rechazada")
    REVOKED = "revoked", _("Cancelada")
    EXPIRED = "expired", _("Vencida")


class Invitation(models.Model):
    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("correo electrónico"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    status = models.CharField(max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "email"], condition=Q(status="pending"),
                                    name="invitation_one_pending_per_email"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.email} → {self.group}"


class GroupAction(models.TextChoices):
    CREATED = "created", _("creó el grupo")
    UPDATED = "updated", _("actualizó los datos")
    INVITED = "invited", _("envió una invitación")
    INVITATION_REVOKED = "invitation_revoked", _("canceló una invitación")
    JOINED = "joined", _("se unió")
    DECLINED = "declined", _("rechazó la invitación")
    LEFT = "left", _("salió del grupo")
    HANDED_OVER = "handed_over", _("cedió la representación")


class GroupEvent(models.Model):
    """Append-only history of a group's membership: who joined, left, handed over, was invited."""

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=40, choices=GroupAction.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.group} · {self.action}"


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    CANCELLED = "cancelled", _("Cancelada por la persona")
    DONE = "done", _("Cuenta cerrada")


class AccountClosureRequest(models.Model):
    """A person's request to close their account; staff close it once no open project needs them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.TextField(_("motivo"), blank=True, max_length=bounds.NOTE_MAX)
    status = models.CharField(max_length=20, choices=ClosureStatus.choices, default=ClosureStatus.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"),
                                    name="closure_one_pending_per_user"),
        ]

    def __str__(self):
        return f"{self.user} · {self.status}"
