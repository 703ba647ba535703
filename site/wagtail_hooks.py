from wagtail import hooks

from doorvertellen.views import intake_inbox_viewset


@hooks.register("register_admin_viewset")
def register_intake_inbox():
    return intake_inbox_viewset
