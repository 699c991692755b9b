from django.http import HttpRequest

from .models import Notification


def unread(request: HttpRequest) -> dict[str, int]:
    """The unread count shown in the header of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.for_user(user).unread().count()}
