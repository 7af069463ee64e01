from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def problem(request: HttpRequest, message: str, status: int = 400, case=None) -> HttpResponse:
    """Answer a request that cannot be done with a readable page, never a bare error."""
    context = {"message": message, "case": case}
    return render(request, "console/problem.html", context, status=status)
