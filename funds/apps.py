from django.apps import AppConfig


class FundsConfig(AppConfig):
    """Demands, resources and projects with two-way claiming, and community funding with its public
    notice (issue 20). Each half registers its pages, API, menu entries, panels, widgets, sources
    and demo from its own function below."""

    name = "funds"
    verbose_name = "项目与经费"

    def ready(self):
        register_projects()
        register_funding()


def register_projects():
    """Demands, resources, claims and projects (funds/models_projects.py, views_projects.py)."""


def register_funding():
    """Allocations, expenditures and the public notice (funds/models_funding.py, views_funding.py)."""
