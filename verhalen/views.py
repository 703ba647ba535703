"""The storyteller's private links: approve the edited story, or withdraw consent."""

from django.http import Http404


def approval(request, token):
    raise Http404


def withdrawal(request, token):
    raise Http404
