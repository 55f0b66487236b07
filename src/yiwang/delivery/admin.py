from django.contrib import admin

from yiwang.delivery.models import DeliveryChoice, DeliveryEvent, DeliveryOrder


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    extra = 0
    can_delete = False
    fields = ("occurred_at", "kind", "status", "source", "location", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DeliveryOrder)
class DeliveryOrderAdmin(admin.ModelAdmin):
    list_display = ("pk", "application", "direction", "carrier", "tracking_number", "status")
    list_filter = ("status", "direction", "carrier")
    search_fields = ("tracking_number", "application__number")
    # The address is personal data: the admin shows the order, never the address fields.
    readonly_fields = ("application", "address", "department", "shipped_by")
    inlines = [DeliveryEventInline]


@admin.register(DeliveryChoice)
class DeliveryChoiceAdmin(admin.ModelAdmin):
    list_display = ("application", "result_method", "pickup_hall", "materials_by_post")
    readonly_fields = ("application", "address", "pickup_hall")
