from django.contrib.auth.forms import AuthenticationForm


class EmailLoginForm(AuthenticationForm):
    """Django's login form, with the email lower-cased as accounts stores it."""

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()
