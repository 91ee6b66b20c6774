from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("grupos/", views.group_list, name="group_list"),
    path("grupos/nuevo/", views.group_create, name="group_create"),
    path("grupos/<int:pk>/", views.group_detail, name="group_detail"),
    path("grupos/<int:pk>/editar/", views.group_edit, name="group_edit"),
    path("grupos/<int:pk>/invitar/", views.group_invite, name="group_invite"),
    path("grupos/<int:pk>/invitaciones/<int:invitation_id>/cancelar/", views.invitation_revoke,
         name="invitation_revoke"),
    path("grupos/<int:pk>/salir/", views.group_leave, name="group_leave"),
    path("grupos/<int:pk>/ceder/", views.group_hand_over, name="group_hand_over"),
    path("invitaciones/<str:token>/", views.invitation_respond, name="invitation"),
    path("perfil/", views.profile, name="profile"),
    path("perfil/mis-datos.json", views.profile_export, name="profile_export"),
    path("perfil/preferencias/", views.preferences, name="preferences"),
    path("perfil/cierre/", views.profile_closure, name="profile_closure"),
    path("perfil/tokens-api/", views.api_tokens, name="api_tokens"),
    path("perfil/tokens-api/revocar-todos/", views.api_tokens_revoke_all, name="api_tokens_revoke_all"),
    path("perfil/tokens-api/<str:prefix>/revocar/", views.api_token_revoke, name="api_token_revoke"),
]
