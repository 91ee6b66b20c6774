from django.urls import path

from proposals.views import call_reminders, calls, proposals, review

app_name = "proposals"
urlpatterns = [
    path("convocatorias/", calls.call_list, name="call_list"),
    path("convocatorias/nueva/", calls.call_edit, name="call_create"),
    path("convocatorias/<int:pk>/", calls.call_detail, name="call_detail"),
    path("convocatorias/<int:pk>/editar/", calls.call_edit, name="call_edit"),
    path("convocatorias/<int:pk>/accion/", calls.call_action, name="call_action"),
    path("convocatorias/<int:pk>/recordatorios/", call_reminders.call_reminders, name="call_reminders"),
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
    path("revision/", review.review_queue, name="review_queue"),
    path("revision/propuestas.csv", review.review_queue_csv, name="review_queue_csv"),
    path("revision/lote/", review.review_batch, name="review_batch"),
    path("propuestas/<int:pk>/comentarios/", review.comment_add, name="comment_add"),
    path("propuestas/<int:pk>/revisores/", review.reviewer_assign, name="reviewer_assign"),
    path("propuestas/<int:pk>/asambleas/", review.assembly_schedule, name="assembly_schedule"),
    path("propuestas/<int:pk>/asambleas/<int:assembly_pk>/resultado/", review.assembly_record,
         name="assembly_record"),
    path("propuestas/<int:pk>/asambleas/<int:assembly_pk>/<slug:kind>/", review.assembly_file, name="assembly_file"),
    path("propuestas/<int:pk>/dictamen/", review.review_edit, name="review_edit"),
    path("propuestas/<int:pk>/dictamen/fotos/", review.review_photo, name="review_photo"),
    path("propuestas/<int:pk>/dictamen/fotos/<int:photo_pk>/", review.review_photo_file, name="review_photo_file"),
    path("propuestas/<int:pk>/dictamenes/<int:review_pk>/reabrir/", review.review_reopen, name="review_reopen"),
    path("dictamenes/", review.my_reviews, name="my_reviews"),
]
