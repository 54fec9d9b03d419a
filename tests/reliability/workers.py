"""Code run in separate processes by the concurrency tests: each is its own Django, with its own
database connection, as gunicorn workers are."""

import os


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2g.settings.test")
    import django

    django.setup()


def edit_action_rounds(database_url, action_pk, user_pk, worker, rounds, barrier, results):
    """Each round: read the action, wait for every worker, then all save at once."""
    _setup(database_url)
    from django.contrib.auth import get_user_model

    from g2g.plans.models import Action
    from g2g.plans.services import StaleActionError, edit_action
    from g2g.tenancy.access import Access
    from g2g.tenancy.models import Role

    user = get_user_model().objects.get(pk=user_pk)
    outcomes = []
    for number in range(rounds):
        action = Action.objects.select_related("plan__authority").get(pk=action_pk)
        access = Access(user=user, authority=action.plan.authority, role=Role.IMPROVEMENT_LEAD)
        barrier.wait(timeout=60)
        try:
            edit_action(access, action, version=action.version, title=f"Round {number} by {worker}")
        except StaleActionError as error:
            outcomes.append(("stale", number, error.messages[0]))
        else:
            outcomes.append(("saved", number, ""))
    results.put((worker, outcomes))


def save_update_rounds(database_url, action_pk, user_pk, worker, rounds, barrier, results):
    """The same race on the month's progress update (draft saves through the services)."""
    _setup(database_url)
    from django.contrib.auth import get_user_model

    from g2g.core.dates import current_period
    from g2g.plans.models import Action, ProgressUpdate
    from g2g.plans.services import StaleUpdateError, UpdateContent, save_draft
    from g2g.tenancy.access import Access
    from g2g.tenancy.models import Role

    user = get_user_model().objects.get(pk=user_pk)
    outcomes = []
    for number in range(rounds):
        action = Action.objects.select_related("plan__authority").get(pk=action_pk)
        access = Access(user=user, authority=action.plan.authority, role=Role.IMPROVEMENT_LEAD)
        update = ProgressUpdate.objects.filter(action=action, period=current_period()).first()
        version = update.version if update else 0
        barrier.wait(timeout=60)
        content = UpdateContent(period=current_period(), narrative=f"Round {number} by {worker}")
        try:
            save_draft(access, action, content, version=version)
        except StaleUpdateError as error:
            outcomes.append(("stale", number, error.messages[0]))
        else:
            outcomes.append(("saved", number, ""))
    results.put((worker, outcomes))
