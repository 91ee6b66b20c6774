from django.urls import path

from proposals.views import calls, proposals

app_name = "proposals"
urlpatterns = [
    path("convocatorias/", calls.call_list, name="call_list"),
    path("convocatorias/nueva/", calls.call_edit, name="call_create"),
    path("convocatorias/<int:pk>/", calls.call_detail, name="call_detail"),
    path("convocatorias/<int:pk>/editar/", calls.call_edit, name="call_edit"),
    path("convocatorias/<int:pk>/accion/", calls.call_action, name="call_action"),
    path("convocatorias/<int:pk>/documentos/", calls.call_document_upload, name="call_document_upload"),
    path("convocatorias/documentos/<int:pk>/", calls.call_document, name="call_document"),
    path("convocatorias/<int:call_pk>/proponer/", proposals.proposal_start, name="proposal_start"),
    path("propuestas/", proposals.proposal_list, name="proposal_list"),
    path("propuestas/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("propuestas/<int:pk>/paso/<slug:step>/", proposals.proposal_step, name="proposal_step"),
    path("propuestas/<int:pk>/revisar/", proposals.proposal_review, name="proposal_review"),
    path("propuestas/<int:pk>/accion/", proposals.proposal_action, name="proposal_action"),
    path("propuestas/<int:pk>/enviada/", proposals.proposal_submitted, name="proposal_submitted"),
    path("propuestas/<int:pk>/anexos/<int:attachment_pk>/", proposals.attachment_download, name="attachment"),
    path("propuestas/<int:pk>/anexos/<int:attachment_pk>/borrar/", proposals.attachment_delete,
         name="attachment_delete"),
]
