"""Letter and evidence downloads; included by the console URLconf (namespace ``console``)."""

from django.urls import path

from gongkai.applications.views import documents

urlpatterns = [
    path(
        "applications/<int:pk>/letters/<str:kind>.pdf",
        documents.application_letter_pdf,
        name="application_letter_pdf",
    ),
    path(
        "applications/<int:pk>/letters/<str:kind>.docx",
        documents.application_letter_docx,
        name="application_letter_docx",
    ),
    path(
        "applications/<int:pk>/evidence.pdf",
        documents.application_evidence_pdf,
        name="application_evidence_pdf",
    ),
    path(
        "applications/<int:pk>/evidence.zip",
        documents.application_evidence_zip,
        name="application_evidence_zip",
    ),
]
