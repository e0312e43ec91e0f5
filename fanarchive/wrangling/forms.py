"""Forms of the wranglers' pages. Each parses one POST; the views call the services."""

from __future__ import annotations

from django import forms

from fanarchive.tags.models import Tag
from fanarchive.works.models import Work

from .services import ACTIONS


class ActionForm(forms.Form):
    """One wrangling action on the ticked tags (or the one tag of a one-click form)."""

    action = forms.ChoiceField(choices=[(k, a.label) for k, a in ACTIONS.items()])
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all(), required=False)
    target = forms.CharField(max_length=150, required=False, strip=True)
    next = forms.CharField(max_length=2000, required=False)


class SetFandomForm(forms.Form):
    work = forms.ModelChoiceField(queryset=Work.objects.all())
    fandom = forms.CharField(max_length=150, strip=True)
    next = forms.CharField(max_length=2000, required=False)
