"""Messages of third-party packages that ship no Indonesian translation.

Listed here (never called) so that `makemessages` puts them in our catalogues, where
`locale/id` gives them Indonesian text; Django prefers LOCALE_PATHS over package catalogues.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django-import-export (admin export/import pages of partner agreements)
IMPORT_EXPORT = [
    gettext_noop("Export"),
    gettext_noop("Import"),
    gettext_noop("Select all"),
    gettext_noop("Submit"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", "len"),
]
