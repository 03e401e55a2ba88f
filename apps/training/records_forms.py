"""The register: one set of radios per person with a place, and, for someone only partly
present, a box the trainer ticks if they still completed the course."""

from __future__ import annotations

from django import forms

from .models import Booking

ATTENDANCE = [(Booking.Attendance.PRESENT, "Present"),
              (Booking.Attendance.PARTIAL, "Partly present"),
              (Booking.Attendance.ABSENT, "Absent")]


class RegisterForm(forms.Form):
    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for b in bookings:
            if b.completed_at:
                continue
            name = b.person_name
            self.fields[f"attendance_{b.pk}"] = forms.ChoiceField(
                label=name, choices=ATTENDANCE, widget=forms.RadioSelect, required=False,
                initial=b.attendance or None)
            self.fields[f"completed_{b.pk}"] = forms.BooleanField(
                label=f"{name} completed the course although only partly present",
                required=False)
            self.rows.append(b)

    def row_fields(self):
        """(booking, attendance field, completed field) for the template."""
        return [(b, self[f"attendance_{b.pk}"], self[f"completed_{b.pk}"]) for b in self.rows]

    def clean(self):
        data = super().clean()
        for b in self.rows:
            attendance = data.get(f"attendance_{b.pk}")
            if data.get(f"completed_{b.pk}") and attendance not in (
                    Booking.Attendance.PARTIAL, Booking.Attendance.PRESENT):
                self.add_error(f"completed_{b.pk}", f"Mark {b.person_name} as partly present "
                                                   "to record that they completed the course")
        return data

    def marks(self) -> dict[int, tuple[str, bool]]:
        """Booking id → (attendance, completed although partly present), for people marked."""
        out = {}
        for b in self.rows:
            attendance = self.cleaned_data.get(f"attendance_{b.pk}")
            if attendance:
                out[b.pk] = (attendance, bool(self.cleaned_data.get(f"completed_{b.pk}")))
        return out
