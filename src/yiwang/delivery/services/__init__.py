"""Use cases of postal delivery (邮寄办). Each commits its rows, history and audit entries
together, or nothing."""

from yiwang.delivery.services.addresses import address_clean, address_create, address_remove
from yiwang.delivery.services.choices import delivery_choice_set
from yiwang.delivery.services.orders import (
    order_confirm_received,
    order_resend,
    order_ship,
    order_status_record,
    orders_track,
    result_awaiting_resend,
)

__all__ = [
    "address_clean",
    "address_create",
    "address_remove",
    "delivery_choice_set",
    "order_confirm_received",
    "order_resend",
    "order_ship",
    "order_status_record",
    "orders_track",
    "result_awaiting_resend",
]
