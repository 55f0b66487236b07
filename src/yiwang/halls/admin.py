"""Platform admins set up halls, windows and slot templates here (slots are generated)."""

from __future__ import annotations

from django.contrib import admin

from yiwang.halls.models import Booking, Hall, QueueTicket, SlotTemplate, TimeSlot, Window


class WindowInline(admin.TabularInline[Window, Hall]):
    model = Window
    extra = 0
    autocomplete_fields = ["implementations"]


class SlotTemplateInline(admin.TabularInline[SlotTemplate, Hall]):
    model = SlotTemplate
    extra = 0
    autocomplete_fields = ["implementations"]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin[Hall]):
    list_display = ["name_zh", "level", "region", "phone", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name_zh", "name_en", "address_zh", "region__code"]
    raw_id_fields = ["region"]
    inlines = [WindowInline, SlotTemplateInline]


@admin.register(TimeSlot)
class TimeSlotAdmin(admin.ModelAdmin[TimeSlot]):
    list_display = ["hall", "starts_at", "capacity", "booked"]
    list_filter = ["hall"]
    date_hierarchy = "date"
    readonly_fields = ["booked"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ["pk", "hall", "slot", "status", "created_at"]
    list_filter = ["status", "hall"]
    readonly_fields = ["qr_token", "citizen", "slot", "implementation", "hall"]


@admin.register(QueueTicket)
class QueueTicketAdmin(admin.ModelAdmin[QueueTicket]):
    list_display = ["display_number", "hall", "date", "status", "window"]
    list_filter = ["status", "hall"]
