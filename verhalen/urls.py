"""Public addresses of the stories app that are not pages: the storyteller's private links,
and the counted share links and share picture of a story."""

from django.urls import path

from verhalen import sharing, views

app_name = "verhalen"

urlpatterns = [
    path("toestemming/akkoord/<str:token>/", views.approval, name="approval"),
    path("toestemming/intrekken/<str:token>/", views.withdrawal, name="withdrawal"),
    # Sharing a story: counted share links and the share picture (see verhalen.sharing).
    path("verhalen/delen/<int:page_id>/<str:channel>/", sharing.share, name="share"),
    path("verhalen/<int:page_id>/deelplaatje.png", sharing.share_image, name="share_image"),
]
