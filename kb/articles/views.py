"""Article pages (being built)."""

from django.http import Http404


def article_list(request, *args, **kwargs):
    raise Http404


def article_create(request, *args, **kwargs):
    raise Http404


def article_preview(request, *args, **kwargs):
    raise Http404


def article_detail(request, *args, **kwargs):
    raise Http404


def article_version(request, *args, **kwargs):
    raise Http404


def article_history(request, *args, **kwargs):
    raise Http404


def article_diff(request, *args, **kwargs):
    raise Http404


def article_edit(request, *args, **kwargs):
    raise Http404


def article_action(request, *args, **kwargs):
    raise Http404


def category_list(request, *args, **kwargs):
    raise Http404


def category_detail(request, *args, **kwargs):
    raise Http404


def review_queue(request, *args, **kwargs):
    raise Http404


def stale_list(request, *args, **kwargs):
    raise Http404
