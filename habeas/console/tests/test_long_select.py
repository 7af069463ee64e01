"""The console's long pickers draw the same markup as Django's widgets, only faster."""

from django import forms
from django.test import SimpleTestCase

from habeas.console.widgets import LongSelect

CHOICES = [("", "Any"), ("7", "ОВД «Тверской»"), ("8", 'Say "<b>" & go')]


class PickerForm(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    long = forms.ChoiceField(choices=CHOICES, required=False, widget=LongSelect)


class LongSelectTest(SimpleTestCase):
    def test_it_draws_what_djangos_select_draws_with_the_choice_kept_and_text_escaped(self):
        for data in ({}, {"plain": "8", "long": "8"}, {"plain": "7", "long": "7"}):
            form = PickerForm(data)
            # The same but for the field's name (attribute order aside).
            self.assertHTMLEqual(str(form["long"]).replace("long", "plain"), str(form["plain"]))
        drawn = str(PickerForm({"long": "8"})["long"])
        escaped = "Say &quot;&lt;b&gt;&quot; &amp; go"
        self.assertIn(f'<option value="8" selected>{escaped}</option>', drawn)
        self.assertNotIn("<b>", drawn)
