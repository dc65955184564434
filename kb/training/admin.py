"""Training has no admin pages (trainers use /training/); its audit events follow their article."""

from django.db.models import Q

from accounts.admin import AuditEventAdmin
from kb.articles.access import visible_articles
from kb.training.models import Assignment


def _visible_assignments(user):
    """Assignments whose event text may name an article: a reading list's, or a visible article's.

    An event about a withdrawn assignment cannot be checked any more and stays hidden.
    """
    return Assignment.objects.filter(Q(article__isnull=True) | Q(article__in=visible_articles(user)))


AuditEventAdmin.register_scope("assignment", _visible_assignments)
