"""The to-do list: what waits for one person, by due date (issue 16, point 3).

Only reads: every item is a question asked of the documents (and, where the calendar
exists, their due dates). Nothing here writes.
"""
