"""Pages for master data: centres with their windows and teams, and partner organisations."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from yiwang.areas.models import Centre, CentreLevel, Organisation, Team


@login_required
def centre_list(request):
    centres = Centre.objects.visible_to(request.user).select_related("area")
    level = request.GET.get("level", "")
    if level in CentreLevel.values:
        centres = centres.filter(level=level)
    page = Paginator(centres, 50).get_page(request.GET.get("page"))
    return render(request, "areas/centre_list.html", {"page": page, "level": level, "levels": CentreLevel.choices})


@login_required
def centre_detail(request, pk):
    centre = Centre.objects.select_related("area").get_visible_or_404(request.user, pk=pk)
    return render(
        request,
        "areas/centre_detail.html",
        {
            "centre": centre,
            "windows": centre.windows.prefetch_related("dispute_types"),
            "teams": Team.objects.visible_to(request.user).filter(centre=centre),
        },
    )


@login_required
def team_list(request):
    teams = Team.objects.visible_to(request.user).select_related("area", "centre")
    return render(request, "areas/team_list.html", {"teams": teams})


@login_required
def organisation_list(request):
    organisations = Organisation.objects.visible_to(request.user).select_related("area")
    return render(request, "areas/organisation_list.html", {"organisations": organisations})
