from django_tasks import task

from jidu.screening import services


@task()
def screen_orders_task(order_ids: list[int]) -> dict:
    """Screen orders that arrived over the API (enqueued so the request is not slowed). Never
    raises: on failure the orders are marked for re-screening."""
    return services.screen_safely(order_ids) or {"failed": len(order_ids), "marked_for_rescreen": True}
