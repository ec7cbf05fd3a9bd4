"""What every spreadsheet round trip in the admin shares (django-import-export): CSV, XLSX and
JSON; a file is checked whole in a dry run and written in one transaction, or not at all;
text cells that a spreadsheet would run as a formula are neutralised both ways.

Formulas: the library's own option (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) drops a leading
"=" and nothing else, which loses data and leaves "+", "-" and "@" live. Text cells starting
with any of them are written with a leading apostrophe instead (OWASP's advice), and the
apostrophe is taken off again on import, so an export reads back as it was. An unquoted
formula in an imported file is refused, naming its column.
"""

import uuid

from diff_match_patch import diff_match_patch
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect
from django.utils.encoding import force_str
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from import_export import resources, results, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import BaseStorage

from common.translated import columns, translated_fields

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# Far more than a summit's programme or people list; a bigger upload is refused unread.
MAX_UPLOAD_BYTES = 5_000_000


def quote(text: str) -> str:
    """A text cell as a spreadsheet will show it, never run it."""
    return QUOTE + text if text.startswith(FORMULA_STARTS) else text


def unquote(text: str) -> str:
    """The text a cell holds: an apostrophe before a formula sign is taken off; an unquoted
    formula is refused."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    if text.startswith(FORMULA_STARTS):
        raise ValueError(
            _(
                "“%(start)s…” looks like a spreadsheet formula. Start the cell with an "
                "apostrophe (') to keep it as text."
            )
            % {"start": text[:12].strip()}
        )
    if "\x00" in text:
        raise ValueError(_("The cell holds a NUL character."))
    return text


class TextWidget(widgets.CharWidget):
    """A text column, neutralised against formulas both ways."""

    def clean(self, value, row=None, **kwargs):
        text = (super().clean(value, row, **kwargs) or "").strip()
        if not text:
            return "" if self.allow_blank else None
        return unquote(text)

    def render(self, value, obj=None, **kwargs):
        return quote(super().render(value))


class SheetDiff(resources.Diff):
    """The library's preview of a row's changes, marked up with <ins> and <del> and no style
    attribute, which the Content-Security-Policy refuses."""

    def __init__(self, resource, instance, new):
        self.left = exported_values(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = exported_values(resource, instance)

    def as_html(self):
        differ = diff_match_patch()
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            if before != after and self.new:
                before = ""
            parts = differ.diff_main(force_str(before), force_str(after))
            differ.diff_cleanupSemantic(parts)
            cells.append(
                format_html_join("", "<{0}>{1}</{0}>", ((TAGS[op], text) for op, text in parts))
            )
        return cells


def exported_values(resource, instance):
    """A row's cells as the export writes them (with its `dehydrate_` methods: times in the
    summit's zone, people by slug), where the library's preview reads the raw values."""
    if instance is None:
        return []
    return [resource.export_field(field, instance) for field in resource.get_import_fields()]


TAGS = {-1: "del", 0: "span", 1: "ins"}


class SheetResult(results.Result):
    """The library's result, with the warnings staff accept by confirming the import."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[tuple[int, str]] = []


class SheetResource(resources.ModelResource):
    """A row's cells are checked column by column: any value that cannot be read (an unknown
    room, a bad number or date) is an error of that column, never an error of the page.
    The columns named in `texts` are neutralised against formulas."""

    texts: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.warnings: list[tuple[int, str]] = []

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.name in cls.texts:
            return TextWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if field_name in cls.texts:
            # An empty cell is an empty text, or no text where the column holds none (NULL).
            kwargs["allow_blank"] = not django_field.null
        return kwargs

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The library's check (the model's `full_clean`), where a problem of a column is not
        reported again through the text it translates (`title` of `title_en`)."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=list(errors), validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for text in translated_fields(type(instance)):
            if any(column in errors for column in columns(text)):
                errors.pop(text, None)
        if errors:
            raise ValidationError(errors)

    def get_diff_class(self):
        return SheetDiff

    def get_result_class(self):
        return SheetResult

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError:
            raise
        except ObjectDoesNotExist as error:
            raise ValueError(
                _("No %(thing)s “%(value)s”.")
                % {"thing": self.thing_name(field), "value": row.get(field.column_name)}
            ) from error
        except (ArithmeticError, TypeError, OverflowError) as error:
            raise ValueError(
                _("“%(value)s” is not a valid value.") % {"value": row.get(field.column_name)}
            ) from error

    def thing_name(self, field):
        widget = field.widget
        if isinstance(widget, widgets.ForeignKeyWidget):
            return str(widget.model._meta.verbose_name)
        return field.column_name

    def warn(self, row_number, message):
        self.warnings.append((row_number, str(message)))

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.warnings = list(self.warnings)


class SheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 1_000_000}
            )
        return upload


class SheetConfirmForm(ConfirmImportForm):
    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        try:
            return uuid.UUID(hex=name).hex
        except ValueError as error:
            raise ValidationError(_("Upload the file again.")) from error

    def clean_resource(self):
        value = self.cleaned_data["resource"]
        if value not in {"", "0"}:
            raise ValidationError(_("Upload the file again."))
        return value

    def clean_format(self):
        value = self.cleaned_data["format"]
        if value not in {str(index) for index in range(len(SpreadsheetAdmin.formats))}:
            raise ValidationError(_("Upload the file again."))
        return value


class UploadStorage(BaseStorage):
    """The uploaded file between the dry run and the confirmation: in the shared cache under
    a random name, so that any worker confirms it and no posted name reaches the disk."""

    PREFIX = "spreadsheet-upload:"
    LIFETIME = 60 * 60

    def save(self, data):
        self.name = self.name or uuid.uuid4().hex
        cache.set(self.PREFIX + self.name, data, self.LIFETIME)

    def read(self):
        return cache.get(self.PREFIX + (self.name or ""))

    def remove(self):
        cache.delete(self.PREFIX + (self.name or ""))


class SpreadsheetAdmin(ImportExportMixin):
    """Import and export buttons on a change list. Importing takes the rights to add and to
    change; exporting, the right to view. Confirming the import accepts the warnings the dry
    run listed; a file with any error writes nothing."""

    formats = [CSV, XLSX, JSON]
    import_form_class = SheetImportForm
    confirm_form_class = SheetConfirmForm
    tmp_storage_class = UploadStorage
    import_template_name = "admin/spreadsheet_import.html"
    export_template_name = "admin/spreadsheet_export.html"
    from_encoding = "utf-8-sig"

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        return {
            **super().get_import_data_kwargs(**kwargs),
            "use_transactions": True,
            "rollback_on_validation_errors": True,
        }

    def process_import(self, request, **kwargs):
        form = self.create_confirm_form(request)
        if request.method == "POST" and self.has_import_permission(request):
            stored = (
                form.is_valid() and UploadStorage(name=form.cleaned_data["import_file_name"]).read()
            )
            if not stored:
                self.message_user(
                    request, _("The upload has expired: upload the file again."), messages.ERROR
                )
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_import(request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Something changed since the dry run: the transaction was rolled back.
            self.message_user(
                request,
                _("Nothing was imported: the file no longer passes the checks. Upload it again."),
                messages.ERROR,
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_result(result, request)
