import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from knox.models import AuthToken

from accounts import permissions, services, tokens
from accounts.forms import (
    ClosureRequestForm,
    CommunityGroupForm,
    HandOverForm,
    InvitationForm,
    PreferencesForm,
    ProfileForm,
)
from accounts.language import set_language_cookie
from accounts.models import ClosureStatus, CommunityGroup, Invitation, InvitationStatus
from accounts.roles import roles_of
from notifications.reminders import catalogue

NEW_TOKEN_SESSION_KEY = "nicp_new_api_token"  # noqa: S105  (a session key name, not a secret)


def _group_for(user, pk) -> CommunityGroup:
    # Missing and not-yours look the same: 404.
    return get_object_or_404(CommunityGroup.objects.visible_to(user).select_related("neighbourhood__borough"), pk=pk)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _run_form_action(form, action) -> bool:
    """Validate a form posted from the group page and run its service; errors land on the form."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
    return not form.errors


@login_required
def group_list(request):
    groups = CommunityGroup.objects.visible_to(request.user).for_list().order_by("name")
    page = Paginator(groups, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/group_list.html", {"page": page})


@login_required
def group_create(request):
    form = CommunityGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Grupo creado. Ahora puedes invitar a otras personas."))
            return redirect("accounts:group_detail", pk=group.pk)
    return render(request, "accounts/group_form.html", {"form": form})


@login_required
def group_detail(request, pk):
    return _render_group(request, _group_for(request.user, pk))


def _render_group(request, group, *, invite_form=None, hand_over_form=None):
    """The group page; a form posted from it that failed comes back with its errors and input."""
    memberships = group.memberships.select_related("user").order_by("-role", "joined_at")
    is_representative = permissions.can_edit_group(request.user, group)
    if is_representative and hand_over_form is None:
        hand_over_form = HandOverForm(group=group, exclude=request.user)
    context = {
        "group": group,
        "memberships": memberships,
        "is_member": any(m.user_id == request.user.pk for m in memberships),
        "is_representative": is_representative,
        "invitations": group.invitations.filter(status=InvitationStatus.PENDING) if is_representative else [],
        "events": group.events.select_related("actor")[:30],
        "invite_form": invite_form or InvitationForm(),
        "hand_over_form": hand_over_form,
    }
    return render(request, "accounts/group_detail.html", context)


@login_required
def group_edit(request, pk):
    group = _group_for(request.user, pk)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied
    form = CommunityGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "kind", "neighbourhood", "description")}
        try:
            services.group_update(actor=request.user, group=CommunityGroup.objects.get(pk=group.pk), **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect("accounts:group_detail", pk=group.pk)
    return render(request, "accounts/group_form.html", {"form": form, "group": group})


@login_required
@require_POST
def group_invite(request, pk):
    group = _group_for(request.user, pk)
    if not permissions.can_invite_to_group(request.user, group):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if not _run_form_action(form, lambda data: services.invitation_create(
            actor=request.user, group=group, email=data["email"])):
        return _render_group(request, group, invite_form=form)
    messages.success(request, _("Invitación enviada a %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("accounts:group_detail", pk=group.pk)


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_id):
    group = _group_for(request.user, pk)
    if not permissions.can_invite_to_group(request.user, group):
        raise PermissionDenied
    invitation = get_object_or_404(Invitation, pk=invitation_id, group=group)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitación cancelada."))
    return redirect("accounts:group_detail", pk=group.pk)


@login_required
@require_POST
def group_leave(request, pk):
    group = _group_for(request.user, pk)
    if not permissions.can_leave_group(request.user, group):
        raise PermissionDenied
    try:
        services.membership_leave(user=request.user, group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:group_detail", pk=group.pk)
    messages.success(request, _("Saliste del grupo %(name)s.") % {"name": group.name})
    return redirect("accounts:group_list")


@login_required
@require_POST
def group_hand_over(request, pk):
    group = _group_for(request.user, pk)
    if not permissions.can_hand_over_group(request.user, group):
        raise PermissionDenied
    form = HandOverForm(request.POST, group=group, exclude=request.user)
    if not _run_form_action(form, lambda data: services.representative_hand_over(
            actor=request.user, group=group, new_representative=data["new_representative"])):
        return _render_group(request, group, hand_over_form=form)
    messages.success(request, _("Representación cedida."))
    return redirect("accounts:group_detail", pk=group.pk)


@login_required
def invitation_respond(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("group__neighbourhood", "invited_by"),
                                   token=token)
    if request.method == "POST":
        accept = request.POST.get("decision") == "accept"
        try:
            if accept:
                services.invitation_accept(user=request.user, token=token)
            else:
                services.invitation_decline(user=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if accept:
                messages.success(request, _("Te uniste al grupo %(name)s.") % {"name": invitation.group.name})
                return redirect("accounts:group_detail", pk=invitation.group_id)
            messages.info(request, _("Rechazaste la invitación."))
            return redirect("home")
    return render(request, "accounts/invitation.html", {
        "invitation": invitation,
        "for_me": invitation.email.lower() == request.user.email.lower(),
    })


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"full_name": request.user.full_name,
                                                      "phone": request.user.phone})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Perfil actualizado."))
            return redirect("accounts:profile")
    context = {
        "form": form,
        "closure_form": ClosureRequestForm(),
        "pending_closure": request.user.closure_requests.filter(status=ClosureStatus.PENDING).first(),
        "memberships": request.user.memberships.select_related("group"),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def profile_export(request):
    payload = json.dumps(services.account_export(user=request.user), cls=DjangoJSONEncoder, ensure_ascii=False,
                         indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mis-datos-nicp.json"'
    return response


@login_required
@require_POST
def profile_closure(request):
    if request.POST.get("cancel"):
        services.account_closure_cancel(user=request.user)
        messages.info(request, _("Cancelaste tu solicitud de cierre de cuenta."))
        return redirect("accounts:profile")
    form = ClosureRequestForm(request.POST)
    if form.is_valid():
        try:
            services.account_closure_request(user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recibimos tu solicitud. La coordinación cerrará tu cuenta y te avisará."))
    return redirect("accounts:profile")


@login_required
def api_tokens(request):
    """The person's API tokens: list, create, revoke. A new key is shown on the page the creation redirects
    to, once: it waits in the session only until then, so reloading neither shows it again nor makes another."""
    passed_second_factor = tokens.session_passed_second_factor(request)
    status = 200
    if request.method == "POST":
        try:
            _token, key = tokens.api_token_create(user=request.user, second_factor_verified=passed_second_factor)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
            status = 403 if isinstance(error, PermissionDenied) else 400
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = key
            return redirect("accounts:api_tokens")
    new_key = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    context = {
        "tokens": tokens.active_api_tokens(request.user),
        "new_key": new_key,
        "refusal": tokens.creation_refusal(request.user, second_factor_verified=passed_second_factor),
        "must_enrol": tokens.staff_must_enrol(request.user),
        "lifetime_days": tokens.token_lifetime(request.user).days,
    }
    response = render(request, "accounts/api_tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # a key must not linger in a cache, nor the list go stale
    return response


@login_required
@require_POST
def api_token_revoke(request, prefix):
    try:
        tokens.api_token_revoke(user=request.user, prefix=prefix)
    except AuthToken.DoesNotExist as error:
        raise Http404(str(error)) from error
    messages.success(request, _("Token revocado: ya no sirve para entrar a la API."))
    return redirect("accounts:api_tokens")


@login_required
@require_POST
def api_tokens_revoke_all(request):
    count = tokens.api_tokens_revoke_all(user=request.user)
    messages.success(request, ngettext("Revocaste %(count)d token.", "Revocaste %(count)d tokens.", count)
                     % {"count": count})
    return redirect("accounts:api_tokens")


@login_required
def preferences(request):
    """The language of the person's e-mails, and which non-essential reminders they receive."""
    kinds = catalogue()
    mine = roles_of(request.user)
    kinds = {code: kind for code, kind in kinds.items() if kind.may_reach(mine)}  # only what can reach them
    optional = [(code, kind.label) for code, kind in kinds.items() if not kind.essential]
    user = request.user
    form = PreferencesForm(request.POST if request.method == "POST" else None, optional_kinds=optional, initial={
        "language": user.language, "reminders": [c for c, _label in optional if c not in (user.reminders_off or [])]})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.preferences_save(user=user, language=form.cleaned_data["language"],
                                          reminders_off=form.reminders_off())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                with translation.override(user.language):  # said in the language just chosen
                    messages.success(request, _("Preferencias guardadas."))
                response = redirect("accounts:preferences")
                # The site follows the language chosen for the e-mails, as the switch does the other way.
                set_language_cookie(response, user.language)
                return response
        status = 400
    essential = [kind for kind in kinds.values() if kind.essential]
    return render(request, "accounts/preferences.html", {"form": form, "essential": essential}, status=status)


@csrf_exempt
def set_language(request):
    """Django's language switch, which also records the choice of a signed-in person: their e-mails and
    notices then arrive in the language they read the site in. A signed-in person's switch is checked against
    CSRF (it writes their account); an anonymous visitor's only sets a cookie, so the public pages carry no
    token and can be shared from the cache (nicp/public_cache.py)."""
    if request.method == "POST" and request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_save(user=request.user, language=language)
    return response
