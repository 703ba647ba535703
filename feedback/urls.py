"""Public addresses of the feedback app that are not pages."""

app_name = "feedback"

urlpatterns = []
