from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from assessment.models import (
    Dimension,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ScaleLabel,
    Source,
)
from assessment.publishing import PublishError, create_draft, publish


def _is_draft(version: QuestionnaireVersion | None) -> bool:
    return version is None or version.is_draft


class DraftOnlyMixin:
    """Content can change while its questionnaire version is a draft; after that, view only.

    `version_of(obj)` gives the version that `obj` belongs to (or None for a new object).
    """

    def version_of(self, obj) -> QuestionnaireVersion | None:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_draft(self.version_of(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return _is_draft(self.version_of(obj)) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return super().has_add_permission(request)
        return _is_draft(self.version_of(obj)) and super().has_add_permission(request, obj)


class ScaleLabelInline(DraftOnlyMixin, TranslationTabularInline):
    model = ScaleLabel
    fields = ["kind", "value", "label"]
    extra = 0

    def version_of(self, obj):
        return obj


class DimensionInline(DraftOnlyMixin, TranslationTabularInline):
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
        "strength_threshold",
        "concern_threshold",
        "readiness",
    ]
    readonly_fields = ["status", "based_on", "published_at", "readiness"]
    inlines = [ScaleLabelInline, DimensionInline]
    actions = ["make_draft", "publish_versions"]

    def version_of(self, obj):
        return obj

    @admin.display(description=_("ready to publish?"))
    def readiness(self, version: QuestionnaireVersion) -> str:
        if not version.pk or not version.is_draft:
            return "–"
        problems = version.publication_problems()
        if not problems:
            return _("Yes: this draft is complete.")
        return format_html_join("", "<div>• {}</div>", ((problem,) for problem in problems))

    @admin.action(description=_("Make a new draft from the selected version"))
    def make_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        for version in queryset:
            draft = create_draft(source=version)
            self.message_user(
                request,
                _("%(draft)s was made from %(source)s.") % {"draft": draft, "source": version},
            )

    @admin.action(description=_("Publish the selected drafts"))
    def publish_versions(self, request: HttpRequest, queryset: QuerySet) -> None:
        for version in queryset:
            try:
                publish(version=version)
            except PublishError as error:
                self.message_user(
                    request,
                    _("%(version)s was not published: %(problems)s")
                    % {"version": version, "problems": " ".join(error.problems)},
                    level=messages.ERROR,
                )
            else:
                self.message_user(request, _("%(version)s is published.") % {"version": version})


class ItemInline(DraftOnlyMixin, TranslationTabularInline):
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
class ItemAdmin(DraftOnlyMixin, TranslationAdmin):
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
