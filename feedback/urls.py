"""Public addresses of the feedback app that are not pages."""

from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("nuttig/<int:page_id>/", views.useful, name="useful"),
]
