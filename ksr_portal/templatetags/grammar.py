"""`{{ opts|accusative }}`: a model's name in the accusative, for the admin's templates (`ksr_portal.grammar`)."""

from django import template

from ksr_portal import grammar

register = template.Library()


@register.filter
def accusative(opts):
    return grammar.accusative(opts.model)
