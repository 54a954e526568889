"""Messages of Django and of the libraries that the portal's own catalog translates (locale/pl).

The catalog of LOCALE_PATHS comes before every app's, so a message given here is shown as the portal
words it: where a library ships no Polish, and where Django's Polish puts a model's name in the
nominative into a sentence that needs another case ("Usuń wybrane(-nych) uczestnicy"). Those are
worded so that the nominative stands right ("Usuń zaznaczone obiekty (uczestnicy)"), or take the
accusative the workbench passes in (`WordingMixin`). The list keeps `make messages` from dropping them
as unused; nothing imports it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN = [
    # Given the accusative by WordingMixin.delete_view.
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related '
        "items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related objects, but your "
        "account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following protected related "
        "objects:"
    ),
    # Given the nominative.
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following objects and their "
        "related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but your account doesn't "
        "have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected related objects:"
    ),
    gettext_noop(
        "Deleting %(class_name)s %(instance)s would require deleting the following protected related objects: "
        "%(related_objects)s"
    ),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    ngettext_lazy("%(count)s %(name)s was changed successfully.", "%(count)s %(name)s were changed successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    # Django's Polish names a model's log entry "log".
    gettext_noop("log entry"),
    gettext_noop("log entries"),
]

# django-auditlog ships no Polish.
AUDITLOG = [
    gettext_noop("Audit log"),
    gettext_noop("Audit log: %s"),
    gettext_noop("Created"),
    gettext_noop("Click to filter by records with this correlation id"),
    gettext_noop("Resource Type"),
    gettext_noop("Relationship"),
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("object pk"),
    gettext_noop("object representation"),
    gettext_noop("action"),
    gettext_noop("change message"),
    gettext_noop("actor"),
    gettext_noop("remote address"),
    gettext_noop("remote port"),
    gettext_noop("timestamp"),
    gettext_noop("additional data"),
    gettext_noop("actor email"),
    gettext_noop("Created {repr:s}"),
    gettext_noop("Updated {repr:s}"),
    gettext_noop("Deleted {repr:s}"),
    gettext_noop("Logged {repr:s}"),
]

# django-axes's Polish lacks these, and names a successful sign-in "dziennik logowania" (a log).
AXES = [
    gettext_noop("Not set"),
    gettext_noop("User Agent"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Username"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]

# Django's Polish addresses the reader as a man ("Jesteś uwierzytelniony", "Zapomniałeś").
ADDRESSING_THE_READER = [
    gettext_noop(
        "You are authenticated as %(username)s, but are not authorized to access this page. Would you like to "
        "login to a different account?"
    ),
    gettext_noop("Forgotten your login credentials?"),
]

# django-import-export's pages: its preview names a row's fate with a verb ("Zaktualizuj") where it means the
# row, speaks of fields and of "sample data" where it shows the file's columns and every row, and leaves the
# export page's list of columns untranslated.
IMPORT_EXPORT = [
    gettext_noop("Update"),
    gettext_noop("Skipped"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, click 'Confirm import'"
    ),
]
