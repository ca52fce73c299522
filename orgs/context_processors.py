def portal(request):
    """Template context every page needs: nothing heavy, no queries."""
    return {"portal_name": "基层治理平台"}
