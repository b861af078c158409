"""The KPU office hierarchy, the people in it, their roles, and the access gate.

Nothing here imports from ``workflow`` or ``webapp``: dependencies point the other way.
"""
