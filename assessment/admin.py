import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from assessment.models import (
    ConversationQuestion,
    Dimension,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ScaleLabel,
    Source,
)
from assessment.models.installation import Installation
from assessment.models.outbox import OutgoingMail
from assessment.outbox.compose import resend_failed
from assessment.questionnaire.importexport import (
    ImportProblems,
    export_version,
    import_version,
    read_file,
)
from assessment.questionnaire.instrument import version_quality, versions_with_data
from assessment.questionnaire.publishing import (
    PublishError,
    create_draft,
    publish,
    replaced_by,
)
from assessment.questionnaire.structure import structure
from assessment.questionnaire.versions import compare, mark_as_new_item
from assessment.responding.views import page_context
from config.parsing import parse_id


def _is_draft(version: QuestionnaireVersion | None) -> bool:
    return version is None or version.is_draft


if TYPE_CHECKING:
    # What the mixins below are mixed into, so that their super() calls are checked.
    AdminBase = admin.options.BaseModelAdmin[Any]
    InlineBase = admin.options.InlineModelAdmin[Any, Any]
else:
    AdminBase = InlineBase = object


class DraftOnlyMixin(AdminBase):
    """Content can change while its questionnaire version is a draft; after that, view only.

    `version_of(obj)` gives the version that `obj` belongs to (or None for a new object).
    """

    def version_of(self, obj) -> QuestionnaireVersion | None:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_draft(self.version_of(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_draft(self.version_of(obj)) and super().has_delete_permission(request, obj)


class DraftOnlyInlineMixin(DraftOnlyMixin, InlineBase):
    """An inline adds rows only while the version is a draft. Its `obj` is the parent: None
    on the parent's add page, where a new version or dimension is a draft too."""

    # Django's inlines take the parent as well, unlike the model admin's has_add_permission.
    def has_add_permission(self, request: HttpRequest, obj) -> bool:  # type: ignore[override]
        return _is_draft(self.version_of(obj)) and super().has_add_permission(request, obj)


class ScaleLabelInline(DraftOnlyInlineMixin, TranslationTabularInline):
    model = ScaleLabel
    fields = ["kind", "value", "label"]
    extra = 0

    def version_of(self, obj):
        return obj


class DimensionInline(DraftOnlyInlineMixin, TranslationTabularInline):
    model = Dimension
    fields = ["order", "key", "name"]
    extra = 0
    show_change_link = True

    def version_of(self, obj):
        return obj


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(DraftOnlyMixin, TranslationAdmin):
    list_display = ["__str__", "status", "created", "published_at", "based_on"]
    list_filter = ["questionnaire", "status"]
    fields = [
        "questionnaire",
        "number",
        "status",
        "based_on",
        "published_at",
        "notes",
        "form",
        "importance_asked_per",
        "separate_not_applicable",
        "asks_mark",
        "strength_threshold",
        "concern_threshold",
        "readiness",
    ]
    readonly_fields = ["status", "based_on", "published_at", "readiness"]
    inlines = [ScaleLabelInline, DimensionInline]
    actions = ["make_draft", "publish_versions"]

    change_form_template = "admin/assessment/questionnaireversion/change_form.html"
    change_list_template = "admin/assessment/questionnaireversion/change_list.html"

    def version_of(self, obj):
        return obj

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:version_id>/preview/", wrap(self.preview_view), name="version_preview"),
            path("<int:version_id>/changes/", wrap(self.changes_view), name="version_changes"),
            path("<int:version_id>/export/", wrap(self.export_view), name="version_export"),
            path("<int:version_id>/quality/", wrap(self.quality_view), name="version_quality"),
            path("import/", wrap(self.import_view), name="version_import"),
            *super().get_urls(),
        ]

    def _version(self, request: HttpRequest, version_id: int) -> QuestionnaireVersion:
        version = get_object_or_404(QuestionnaireVersion, pk=version_id)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return version

    def preview_view(self, request: HttpRequest, version_id: int) -> HttpResponse:
        """The version exactly as a respondent sees it, one dimension a page; nothing saved."""
        version = self._version(request, version_id)
        shape = structure(version)
        if not shape.dimensions:
            self.message_user(request, _("This version has no dimensions yet."), messages.WARNING)
            return redirect("admin:assessment_questionnaireversion_change", version.pk)
        page = parse_id(request.GET.get("page", ""))
        if page is None or not 1 <= page <= len(shape.dimensions):
            page = 1
        dimension = shape.dimensions[page - 1]
        return render(
            request,
            "respond/preview.html",
            {
                "version": version,
                "page": page,
                "page_count": len(shape.dimensions),
                "progress": str(round(100 * (page - 1) / len(shape.dimensions))),
                **page_context(shape, dimension),
            },
        )

    def changes_view(self, request: HttpRequest, version_id: int) -> HttpResponse:
        """What changed against the version this one was made from; reworded statements can
        keep their key (same meaning) or get a new one (new statement)."""
        version = self._version(request, version_id)
        if request.method == "POST":
            if not self.has_change_permission(request, version):
                raise PermissionDenied
            item_id = parse_id(request.POST.get("item", ""))
            if item_id is None:
                raise Http404
            item = get_object_or_404(Item, pk=item_id, dimension__version=version)
            old_key = item.key
            mark_as_new_item(item=item)
            self.message_user(
                request,
                _("“%(old)s” is now a new statement with the key “%(new)s”.")
                % {"old": old_key, "new": item.key},
            )
            return redirect("admin:version_changes", version.pk)
        diff = (
            compare(structure(version.based_on), structure(version)) if version.based_on else None
        )
        return render(
            request,
            "admin/assessment/questionnaireversion/changes.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "version": version,
                "diff": diff,
                "can_change": self.has_change_permission(request, version),
                "title": _("Changes in %(version)s") % {"version": version},
            },
        )

    def export_view(self, request: HttpRequest, version_id: int) -> HttpResponse:
        version = self._version(request, version_id)
        response = HttpResponse(
            json.dumps(export_version(version), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"{version.questionnaire.key}-v{version.number}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        problems: list[str] = []
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                problems = [gettext("Choose a file to import.")]
            else:
                try:
                    version = import_version(read_file(upload.read()))
                except ImportProblems as error:
                    problems = error.problems
                else:
                    self.message_user(
                        request, _("Imported as draft %(version)s.") % {"version": version}
                    )
                    return redirect("admin:assessment_questionnaireversion_change", version.pk)
        return render(
            request,
            "admin/assessment/questionnaireversion/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "problems": problems,
                "title": _("Import a questionnaire version"),
            },
            status=400 if problems else 200,
        )

    def quality_view(self, request: HttpRequest, version_id: int) -> HttpResponse:
        version = self._version(request, version_id)
        report = version_quality(version)
        return render(
            request,
            "admin/assessment/questionnaireversion/quality.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "version": version,
                "report": report,
                # Without responses the report is a table of dashes: point to versions with data.
                "versions_with_data": versions_with_data() if not report.responses else [],
                "title": _("Quality of %(version)s") % {"version": version},
            },
        )

    @admin.display(description=_("ready to publish?"))
    def readiness(self, version: QuestionnaireVersion) -> str:
        if not version.pk or not version.is_draft:
            return "–"
        problems = version.publication_problems()
        if not problems:
            return gettext("Yes: this draft is complete.")
        return format_html_join("", "<div>• {}</div>", ((problem,) for problem in problems))

    @admin.action(description=_("Make a new draft from the selected version"))
    def make_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        for version in queryset:
            draft = create_draft(source=version)
            self.message_user(
                request,
                _("%(draft)s was made from %(source)s.") % {"draft": draft, "source": version},
            )

    @admin.action(description=_("Publish the selected drafts"), permissions=["change"])
    def publish_versions(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        """First a page that lists what will be published and offers to retire the versions
        they replace (like Django's delete_selected); publish only once it is confirmed."""
        selected = list(
            queryset.select_related("questionnaire").order_by("questionnaire", "number")
        )
        if request.POST.get("post") != "yes":
            return self._publish_confirmation(request, selected)
        retire_ids = {parse_id(value) for value in request.POST.getlist("retire")}
        for version in selected:
            replaced = replaced_by(version)
            try:
                retired = publish(
                    version=version,
                    retire=replaced if replaced and replaced.pk in retire_ids else None,
                )
            except PublishError as error:
                self.message_user(
                    request,
                    _("%(version)s was not published: %(problems)s")
                    % {"version": version, "problems": " ".join(error.problems)},
                    level=messages.ERROR,
                )
                continue
            version.refresh_from_db()
            self.message_user(request, _("%(version)s is published.") % {"version": version})
            if retired:
                retired.refresh_from_db()
                self.message_user(
                    request,
                    _("%(version)s is retired: new rounds can no longer choose it.")
                    % {"version": retired},
                )
        return None

    def _publish_confirmation(
        self, request: HttpRequest, selected: list[QuestionnaireVersion]
    ) -> TemplateResponse:
        rows = [
            {
                "version": version,
                "problems": version.publication_problems(),
                "replaces": replaced_by(version),
            }
            for version in selected
        ]
        return TemplateResponse(
            request,
            "admin/assessment/questionnaireversion/publish_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Publish these drafts?"),
                "rows": rows,
                "publishable": any(not row["problems"] for row in rows),
                "queryset": selected,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


class StatementWidthMixin(AdminBase):
    """A statement (text_nl, text_en) is a sentence of up to 300 characters: edit it in a
    box wide enough to read it whole, not in a one-line input."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name.startswith("text_"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ItemInline(StatementWidthMixin, DraftOnlyInlineMixin, TranslationTabularInline):
    model = Item
    fields = ["order", "key", "text", "reverse_scored", "sources"]
    extra = 0
    ordering = ["order", "pk"]

    def version_of(self, obj):
        return obj.version if obj else None


@admin.register(Dimension)
class DimensionAdmin(DraftOnlyMixin, TranslationAdmin):
    list_display = ["name", "key", "order", "version"]
    list_filter = ["version__questionnaire", "version"]
    search_fields = ["name_nl", "name_en", "key"]
    list_select_related = ["version__questionnaire"]
    fields = ["version", "order", "key", "name", "description", "suggestions", "sources"]
    filter_horizontal = ["sources"]
    inlines = [ItemInline]
    ordering = ["version", "order"]

    def version_of(self, obj):
        return obj.version if obj else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = QuestionnaireVersion.objects.filter(
                status=QuestionnaireVersion.Status.DRAFT
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Item)
class ItemAdmin(StatementWidthMixin, DraftOnlyMixin, TranslationAdmin):
    list_display = ["text", "key", "dimension", "reverse_scored"]
    list_filter = ["dimension__version", "reverse_scored"]
    search_fields = ["text_nl", "text_en", "key"]
    list_select_related = ["dimension__version__questionnaire"]
    fields = ["dimension", "order", "key", "text", "reverse_scored", "sources"]
    filter_horizontal = ["sources"]

    def version_of(self, obj):
        return obj.dimension.version if obj else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            kwargs["queryset"] = Dimension.objects.filter(
                version__status=QuestionnaireVersion.Status.DRAFT
            ).select_related("version")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Questionnaire)
class QuestionnaireAdmin(TranslationAdmin):
    list_display = ["name", "key"]


@admin.register(Source)
class SourceAdmin(TranslationAdmin):
    list_display = ["citation", "key"]
    search_fields = ["citation", "key", "description_nl", "description_en"]


@admin.register(ConversationQuestion)
class ConversationQuestionAdmin(StatementWidthMixin, TranslationAdmin):
    """Not tied to a questionnaire version, so editable at any time, also after the
    versions with its dimension are published."""

    list_display = ["dimension_key", "order", "text"]
    list_display_links = ["text"]
    list_filter = ["dimension_key"]
    search_fields = ["text_nl", "text_en", "dimension_key"]
    fields = ["dimension_key", "order", "text", "sources"]
    filter_horizontal = ["sources"]
    ordering = ["dimension_key", "order"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    """The site's settings: one row, edited in place, never added or deleted."""

    fields = ["retention_months"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        installation, _created = Installation.objects.get_or_create(pk=1)
        return redirect("admin:assessment_installation_change", installation.pk)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """What was sent, what waits and what failed. The text is not shown: an invitation's
    link in it is a key (and it is erased once the mail is sent)."""

    list_display = ["created", "kind", "to", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to"]
    fields = readonly_fields = (
        "kind",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "created",
    )
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the failed mails again"), permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = resend_failed(queryset)
        self.message_user(request, _("%(count)d mails are waiting to be sent.") % {"count": count})
