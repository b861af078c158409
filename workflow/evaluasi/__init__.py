"""Evaluasi AKIP: the Inspektorat's yearly evaluation of an office with the worksheet
(Lembar Kerja Evaluasi) of PermenPAN-RB 88/2021 (issue 18, points 1, 2 and 6).

``lke`` (the worksheet as data: versions, components, sub-components, criteria, weights;
loaded from ``workflow/data/lke/``), ``skor`` (the arithmetic, in decimals), ``models``
(one evaluation per office and year; a row per criterion, per sub-component grade and per
finding), ``flow`` (the state machine: draf -> diajukan -> diterbitkan -> final, a return
for more evidence, one dispute), ``policy`` (who), ``operations`` (the only writers),
``queries`` (reads: the computed result, the evaluator's list), ``canonical`` (the hashed
form of a final result), ``immutability`` (final never changes).

Decisions where the sources disagree (shared/reference/lke-permenpanrb-88-2021.md; the
same list is in docs/evaluasi.md for people):

1. Structure: the reference CSV as it is (the majority: 1.a has 6 criteria, 1.b 11, 80 in
   all); weights 30/30/15/25, each split 20/30/50 % into Pemenuhan/Kualitas/Pemanfaatan.
2. Criteria are probes answered Y (fulfilled) or T (not) by the office; the evaluator
   agrees, or disagrees with a comment, and a disagreement turns the answer over: the share
   fulfilled counts the evaluator's view (S7, S10, S11).
3. One grade per sub-component, AA 100, A 90, BB 80, B 70, CC 60, C 50, D 30, E 0 (not per
   criterion as S2, nor the 1/0.66/0.33 scales of S1, S9, S13).
4. The grade proposed from the share p fulfilled: E at 0; D > 0-25; C > 25-50; CC > 50-75;
   B > 75 and below 100; BB at 100 % (the B/BB overlap at 100 % goes to BB, as S10's code).
5. A and AA are never proposed: the evaluator may give them only at 100 % and must write
   why (the "kept 1/5 years", "upaya yang bisa dihargai / inovatif" conditions cannot be
   read from Y/T answers). Any grade other than the one proposed needs a justification too;
   the proposal and the decision are both kept.
6. Score = grade / 100 x weight; component = sum; total = sum. Exact decimals, never
   rounded: weights have one decimal and grades are whole tens, so every score is exact at
   two decimals (68,71 prints as it is).
7. Predikat: AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, D > 0; the lower bound is
   exclusive (S2, S4, S12: 90,00 is A, 70,01 is BB), not S1/S14's >=; a total of exactly
   0 is E (S4; the regulation's table stops at D > 0).
8. A worksheet is loaded once under its name and never changed; an evaluation keeps the
   version it started with. A new regulation is a new file under a new name.
"""
from workflow.evaluasi import immutability, models  # noqa: F401 - registers the tables and the guard
