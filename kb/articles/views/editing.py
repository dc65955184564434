"""Changing an article: create, edit (with the conflict page), preview and the workflow actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.views import safe_next
from kb.articles import selectors, services
from kb.articles.diff import diff_records
from kb.articles.forms import ArticleForm, NoteForm, PublishForm, RevertForm
from kb.articles.models import Article, HistoricalArticle
from kb.articles.views.common import _editable_or_403, _require_editor, _user, fold_unchanged
from kb.lib.errors import DomainError, InvalidInput, VersionConflict
from kb.lib.markdown import render_markdown


def _apply_domain_error(form: ArticleForm, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = ArticleForm(request.POST or None, user=_user(request), initial={"change_note": "First draft"})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.create_article(
                actor=_user(request), change_note=form.cleaned_data["change_note"], **form.service_kwargs()
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, f"Created “{article.title}” as a draft (version 1).")
            return redirect(article)
    status = 400 if form.is_bound else 200
    return render(request, "articles/edit.html", {"form": form, "article": None}, status=status)


def _edit_initial(article: Article, latest: Any) -> dict[str, Any]:
    """Edits continue from the latest version, which may be a draft newer than what readers see."""
    return {
        "title": latest.title,
        "kind": latest.kind,
        "summary": latest.summary,
        "body": latest.body,
        "categories": list(latest.category_codes or []),
        "tags": ", ".join(latest.tag_names or []),
        "teams": list(article.teams.values_list("name", flat=True)),
        "review_interval_days": article.review_interval_days,
        "base_version": article.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit on top of ``base_version``; a newer version in between shows the conflict page, losing nothing."""
    article = _editable_or_403(request, slug)
    if request.method == "GET":
        latest = services.latest_record(article)
        form = ArticleForm(user=_user(request), initial=_edit_initial(article, latest))
        return render(request, "articles/edit.html", {"form": form, "article": article, "latest": latest})
    form = ArticleForm(request.POST, user=_user(request))
    if form.is_valid():
        base = form.cleaned_data.get("base_version")
        try:
            saved = services.update_article(
                actor=_user(request),
                article=article,
                base_version=base,
                change_note=form.cleaned_data["change_note"],
                **form.service_kwargs(),
            )
        except VersionConflict as exc:
            return _conflict_page(request, article, form, exc)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            if saved.version == base:
                messages.info(request, "Nothing in the content changed, so no new version was made.")
            else:
                messages.success(
                    request,
                    f"Saved version {saved.version}. Readers see the published version until you publish.",
                )
            return redirect(saved)
    return render(request, "articles/edit.html", {"form": form, "article": article}, status=400)


def _conflict_page(
    request: HttpRequest, article: Article, form: ArticleForm, exc: VersionConflict
) -> HttpResponse:
    """The diff between the version the user started from and the latest, plus their unsaved text."""
    latest = selectors.get_version_record(article, exc.current_version)
    base = selectors.get_version_record(article, exc.base_version)
    mine = HistoricalArticle(
        title=form.cleaned_data["title"],
        summary=form.cleaned_data["summary"],
        body=form.cleaned_data["body"],
        category_codes=list(form.cleaned_data["categories"]),
        tag_names=services.clean_tags(form.cleaned_data["tags"]) if form.cleaned_data["tags"] else [],
    )
    reapply = ArticleForm(
        user=_user(request),
        initial={**form.cleaned_data, "base_version": exc.current_version},
    )
    return render(
        request,
        "articles/conflict.html",
        {
            "article": article,
            "error": exc,
            "base": base,
            "latest": latest,
            "their_changes": fold_unchanged(diff_records(base, latest)),
            "my_changes": fold_unchanged(diff_records(latest, mine)),
            "form": reapply,
        },
        status=409,
    )


@login_required
@require_POST
def article_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview fragment: bounded render + sanitise, errors shown in place."""
    _require_editor(request)
    body = request.POST.get("body", "")
    try:
        html, error = render_markdown(body).html, ""
    except InvalidInput as exc:
        html, error = "", exc.message
    return render(request, "articles/partials/preview.html", {"html": html, "error": error})


# ---------------------------------------------------------------------------------------------
# workflow actions (POST only)

ACTIONS = {"submit", "approve", "publish", "archive", "restore", "reviewed", "revert"}


@login_required
@require_POST
def article_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Submit, approve, publish, archive, restore, mark reviewed, revert; then back where the user was."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    article = _editable_or_403(request, slug)
    user = _user(request)
    back = safe_next(request, article.get_absolute_url())
    try:
        if action == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for e in errors:
                        messages.error(request, str(e))
                return redirect(back)
            version = form.cleaned_data["version"] or article.version
            services.publish_article(
                actor=user,
                article=article,
                version=version,
                material=form.cleaned_data["change"] == "material",
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"Published version {version}. Readers now see it.")
        elif action == "revert":
            rform = RevertForm(request.POST)
            if not rform.is_valid():
                messages.error(request, "Choose a version to revert to.")
                return redirect(back)
            saved = services.revert_article(
                actor=user,
                article=article,
                version=rform.cleaned_data["version"],
                change_note=rform.cleaned_data["change_note"],
            )
            messages.success(
                request,
                f"Version {saved.version} restores the content of version {rform.cleaned_data['version']}. "
                "Publish it to show it to readers.",
            )
        else:
            nform = NoteForm(request.POST)
            note = nform.cleaned_data["note"] if nform.is_valid() else ""
            do, done = {
                "submit": (services.submit_article, "Sent to the review queue."),
                "approve": (services.approve_article, "Approved."),
                "archive": (services.archive_article, "Archived: readers no longer see this article."),
                "restore": (services.restore_article, "Restored."),
                "reviewed": (services.mark_reviewed, "Marked as reviewed: the review clock restarts today."),
            }[action]
            do(actor=user, article=article, note=note)
            messages.success(request, done)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(back)
