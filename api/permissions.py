from rest_framework.permissions import DjangoModelPermissions


class ModelPermission(DjangoModelPermissions):
    """The role's model permission for the action, reading included; the rows then come from `restrict()`."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
