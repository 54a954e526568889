"""Errors as the API answers them: a refused input is a 400 naming each field with its Polish message."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def drf_validation_error(error):
    """A model's ValidationError as DRF's, field by field; the model's general errors under non_field_errors."""
    if not hasattr(error, "error_dict"):
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    return exceptions.ValidationError(
        {
            api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: messages
            for name, messages in error.message_dict.items()
        }
    )


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = drf_validation_error(exc)
    return drf_exception_handler(exc, context)
