"""The year's calendar (jadwal): when each plan, report and review is due, per office."""
